import graphene

from ...relationships import models


class KinshipRelationshipStage(graphene.Enum):
    """How close the relationship has grown, from first contact."""

    class Meta:
        enum = models.Stage


class KinshipMetHow(graphene.Enum):
    """Where the merchant and the customer first met."""

    class Meta:
        enum = models.MetHow


class KinshipContactChannel(graphene.Enum):
    """How the customer prefers to be contacted."""

    class Meta:
        enum = models.ContactChannel


class KinshipImportantDateKind(graphene.Enum):
    """What an important date celebrates."""

    class Meta:
        enum = models.DateKind


class KinshipGiftStatus(graphene.Enum):
    """Whether a gift is planned or was given."""

    class Meta:
        enum = models.GiftStatus
