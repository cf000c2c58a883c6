from django.apps import AppConfig


class KinshipConfig(AppConfig):
    name = "saleor_kinship"
    verbose_name = "Kinship"
    default_auto_field = "django.db.models.BigAutoField"
