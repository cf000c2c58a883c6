from django.apps import AppConfig


class AccountConfig(AppConfig):
    name = "devhost.account"
    label = "account"
