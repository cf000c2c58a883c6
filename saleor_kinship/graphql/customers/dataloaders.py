from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from ..core.dataloaders import ByIdLoader


class CustomerByIdLoader(ByIdLoader):
    def queryset(self) -> QuerySet:
        return get_user_model()._default_manager.all()
