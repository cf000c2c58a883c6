"""Every kinship model, gathered so Django finds them in the app's models module."""

from .core.models import FailedEvent
from .emails.models import Delivery  # noqa: F401
from .interactions.models import Interaction
from .loyalty.models import (  # noqa: F401
    GuestPoints,
    LedgerEntry,
    LoyaltyAccount,
    LoyaltyJobState,
    LoyaltyOrder,
    TierChange,
)
from .loyalty.scoring_models import PredictionFit  # noqa: F401
from .privacy.models import MetadataMirror  # noqa: F401
from .relationships.models import (  # noqa: F401
    CustomerProfile,
    FollowUp,
    ImportantDate,
    KinshipGift,
    RelationType,
    Relative,
)
from .resellers.models import (  # noqa: F401
    Attribution,
    CommissionEntry,
    Reseller,
    ResellerLink,
    ResellerStatusChange,
)

__all__ = ["FailedEvent", "Interaction"]
