"""A small Django project shaped like Saleor, for development, demos and CI."""

from .celery import app as celery_app

__all__ = ["celery_app"]
