from typing import Any

import graphene

from ....relationships.dates import shop_today
from ....relationships.profiles import CUSTOMER_FIELDS, profile_for, update_profile
from ..enums import KinshipContactChannel, KinshipMetHow, KinshipRelationshipStage
from ..types import KinshipProfile
from .base import KinshipMutation, StaffMutation, customer_from, day_of_year


class KinshipBirthdayInput(graphene.InputObjectType):
    day = graphene.Int(required=True)
    month = graphene.Int(required=True)
    year = graphene.Int(description="The year of birth, if she shares it.")


class KinshipMyProfileInput(graphene.InputObjectType):
    birthday = graphene.Field(
        KinshipBirthdayInput, description="Her birthday; null removes it."
    )
    preferred_channel = KinshipContactChannel(
        description="How she prefers to be contacted; null for no preference."
    )
    contact_handle = graphene.String(
        description="Number, address or handle on that channel (255 characters)."
    )
    email_consent = graphene.Boolean(
        description="She agrees to the shop's personal e-mails."
    )
    profiling_consent = graphene.Boolean(
        description="She agrees to scores and predictions about her purchases."
    )


class KinshipProfileInput(KinshipMyProfileInput):
    stage = KinshipRelationshipStage()
    met_how = KinshipMetHow(description="Where you met; null if unknown.")
    met_details = graphene.String(description="How you met, in words (500).")
    closeness = graphene.Int(description="1 to 5; null clears it.")
    trust = graphene.Int(description="1 to 5; null clears it.")
    tags = graphene.List(
        graphene.NonNull(graphene.String),
        description="Up to 20 tags of up to 40 characters; they are "
        "NFKC-normalised, trimmed, lower-cased and de-duplicated. Replaces the "
        "list.",
    )
    notes = graphene.String(description="Private notes (10,000 characters).")
    time_zone = graphene.String(description="Her IANA time zone, such as Asia/Tokyo.")


def _changes(given: Any, allowed: frozenset[str] | None = None) -> dict[str, Any]:
    changes = {
        name: value
        for name, value in dict(given).items()
        if allowed is None or name in allowed
    }
    if "birthday" in changes:
        changes["birthday"] = day_of_year(changes["birthday"])
    return changes


class KinshipProfileUpdate(StaffMutation):
    """Change a customer's relationship profile. Requires MANAGE_USERS."""

    class Arguments:
        customer = graphene.ID(
            required=True, description="Saleor's id of the customer."
        )
        input = KinshipProfileInput(required=True)

    profile = graphene.Field(KinshipProfile)

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        customer = customer_from(data["customer"])
        profile = profile_for(customer, lock=True)
        update_profile(profile, _changes(data["input"]), shop_today())
        return {"profile": profile}


class KinshipMyProfileUpdate(KinshipMutation):
    """Change the signed-in customer's birthday, preferred contact and consents."""

    customer_only = True

    class Arguments:
        input = KinshipMyProfileInput(required=True)

    profile = graphene.Field(KinshipProfile)

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        profile = profile_for(info.context.requestor.user, lock=True)
        changes = _changes(data["input"], CUSTOMER_FIELDS)
        update_profile(profile, changes, shop_today())
        return {"profile": profile}
