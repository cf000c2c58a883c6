from django.db.models import QuerySet

from ...interactions.models import Interaction
from ..relationships.connections import CountLoader, Filters, PageLoader


class InteractionPageLoader(PageLoader):
    """Pages of timelines, newest first: the last N entries of every customer
    in a list come from one windowed query."""

    model = Interaction
    order_by = ("-occurred_at", "-pk")

    def queryset(self, filters: Filters) -> QuerySet:
        given = dict(filters)
        entries = Interaction.objects.all()
        if given.get("kinds"):
            entries = entries.filter(kind__in=given["kinds"])
        if given.get("occurred_from") is not None:
            entries = entries.filter(occurred_at__gte=given["occurred_from"])
        if given.get("occurred_to") is not None:
            entries = entries.filter(occurred_at__lte=given["occurred_to"])
        return entries


class InteractionCountLoader(CountLoader):
    page_loader = InteractionPageLoader
