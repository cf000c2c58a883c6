from django.core.management.base import CommandError

from saleor_kinship.core.models import FailedEvent
from saleor_kinship.core.processing import describe, replay
from saleor_kinship.management.arguments import KinshipCommand


class Command(KinshipCommand):
    help = (
        "Replay events the worker gave up on, oldest first; one line per event. "
        "Replaying is safe: handlers apply an event once however often it runs."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--id", type=int, help="Replay only this kept event.")

    def handle(self, *args, **options) -> None:
        kept = FailedEvent.objects.filter(replayed_at__isnull=True).order_by(
            "failed_at", "pk"
        )
        if options["id"] is not None:
            event = FailedEvent.objects.filter(pk=options["id"]).first()
            if event is None:
                raise CommandError(f"There is no kept event {options['id']}.")
            if event.replayed_at is not None:
                self.stdout.write(
                    f"Event {event.pk} ({describe(event.payload)}) was replayed "
                    f"at {event.replayed_at:%Y-%m-%d %H:%M}; nothing to do."
                )
                return
            kept = kept.filter(pk=event.pk)
        failed = 0
        for event in kept:
            if replay(event):
                self.stdout.write(
                    f"Event {event.pk} ({describe(event.payload)}): replayed."
                )
            else:
                failed += 1
                self.stdout.write(
                    f"Event {event.pk} ({describe(event.payload)}): failed again "
                    f"({event.code})."
                )
        if failed:
            raise CommandError(f"{failed} event(s) still fail; they stay kept.")
