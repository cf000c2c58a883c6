"""Every kinship model, gathered so Django finds them in the app's models module."""

from .core.models import FailedEvent
from .interactions.models import Interaction

__all__ = ["FailedEvent", "Interaction"]
