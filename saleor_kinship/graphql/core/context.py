from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from ...core.requestor import Requestor


@dataclass
class KinshipContext:
    """What every resolver sees as `info.context`."""

    request: HttpRequest | None
    requestor: Requestor
    # Data loaders of this request, by class; see dataloaders.DataLoader.
    loaders: dict[type, Any] = field(default_factory=dict)
