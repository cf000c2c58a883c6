from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "devhost.shop"
    label = "shop"
