"""Every kinship model, gathered so Django finds them in the app's models module."""

from .core.models import FailedEvent

__all__ = ["FailedEvent"]
