from django.apps import AppConfig


class KinshipConfig(AppConfig):
    name = "saleor_kinship"
    verbose_name = "Kinship"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from celery import current_app

        from .core.host import get_host

        # Receivers connect on import; tier e-mails listen to loyalty's signal.
        from .emails import receivers  # noqa: F401
        from .privacy import receivers as privacy_receivers  # noqa: F401
        from .schedule import register

        schedule = current_app.conf.beat_schedule
        if schedule is None:
            schedule = current_app.conf.beat_schedule = {}
        register(schedule)
        get_host().connect_customer_events()
