"""GraphQL types of relationships: profile, relatives, dates, gifts, follow-ups."""

from decimal import Decimal
from typing import Any

import graphene
from graphql_relay import to_global_id
from promise import Promise

from ...core.currencies import quantize
from ...relationships.dates import next_occurrence
from ...relationships.profiles import birthday_of
from ...relationships.relations import display_name
from ..core.connection import CountableConnection
from ..core.ids import customer_global_id
from ..core.permissions import MANAGE_USERS, permission_required
from ..core.scalars import Date, DateTime
from ..customers.dataloaders import CustomerByIdLoader
from .dataloaders import (
    ImportantDateByIdLoader,
    ProfileByCustomerIdLoader,
    RelativeByIdLoader,
    ReverseRolesLoader,
    ShopTodayLoader,
)
from .enums import (
    KinshipContactChannel,
    KinshipGiftStatus,
    KinshipImportantDateKind,
    KinshipMetHow,
    KinshipRelationshipStage,
)

CUSTOMER = "saleor_kinship.graphql.customers.types.KinshipCustomer"
merchant_only = permission_required(MANAGE_USERS)


def _customer(info: Any, customer_id: int | None) -> Promise | None:
    if customer_id is None:
        return None
    return CustomerByIdLoader(info.context).load(customer_id)


class KinshipBirthday(graphene.ObjectType):
    day = graphene.Int(required=True)
    month = graphene.Int(required=True)
    year = graphene.Int(description="The year of birth, when known.")


class KinshipStaffMember(graphene.ObjectType):
    """A member of the shop's staff, as the author or assignee of a record."""

    id = graphene.ID(required=True, description="Saleor's id of the user.")
    email = graphene.String(required=True)
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)

    @staticmethod
    def resolve_id(root: Any, info: Any) -> str:
        return customer_global_id(root.pk)


class KinshipProfile(graphene.ObjectType):
    """A customer's relationship profile.

    The customer reads and edits her birthday, preferred contact and
    consents; every other field is the merchant's private view and needs
    MANAGE_USERS.
    """

    birthday = graphene.Field(KinshipBirthday)
    preferred_channel = graphene.Field(
        KinshipContactChannel, description="How she prefers to be contacted."
    )
    contact_handle = graphene.String(
        required=True, description="Number, address or handle on that channel."
    )
    email_consent = graphene.Boolean(
        required=True, description="She agrees to the shop's personal e-mails."
    )
    profiling_consent = graphene.Boolean(
        required=True,
        description="She agrees to scores and predictions about her purchases.",
    )
    stage = graphene.Field(KinshipRelationshipStage, description="Staff only.")
    met_how = graphene.Field(KinshipMetHow, description="Staff only.")
    met_details = graphene.String(description="How you met, in words. Staff only.")
    closeness = graphene.Int(description="1 to 5. Staff only.")
    trust = graphene.Int(description="1 to 5. Staff only.")
    tags = graphene.List(graphene.NonNull(graphene.String), description="Staff only.")
    notes = graphene.String(description="Staff only.")
    time_zone = graphene.String(description="Her IANA time zone. Staff only.")
    updated_at = DateTime(description="Null until the profile is saved.")

    @staticmethod
    def resolve_birthday(root: Any, info: Any) -> Any:
        return birthday_of(root)

    @staticmethod
    def resolve_preferred_channel(root: Any, info: Any) -> str | None:
        return root.preferred_channel or None

    @staticmethod
    @merchant_only
    def resolve_stage(root: Any, info: Any) -> str:
        return root.stage

    @staticmethod
    @merchant_only
    def resolve_met_how(root: Any, info: Any) -> str | None:
        return root.met_how or None

    @staticmethod
    @merchant_only
    def resolve_met_details(root: Any, info: Any) -> str:
        return root.met_details

    @staticmethod
    @merchant_only
    def resolve_closeness(root: Any, info: Any) -> int | None:
        return root.closeness

    @staticmethod
    @merchant_only
    def resolve_trust(root: Any, info: Any) -> int | None:
        return root.trust

    @staticmethod
    @merchant_only
    def resolve_tags(root: Any, info: Any) -> list[str]:
        return root.tags

    @staticmethod
    @merchant_only
    def resolve_notes(root: Any, info: Any) -> str:
        return root.notes

    @staticmethod
    @merchant_only
    def resolve_time_zone(root: Any, info: Any) -> str:
        return root.time_zone


class KinshipRelationType(graphene.ObjectType):
    """A pair of roles: "parent" seen from one side is "child" from the other."""

    name = graphene.String(required=True)
    reverse_name = graphene.String(required=True)
    is_built_in = graphene.Boolean(required=True)


class KinshipRelationTypeConnection(CountableConnection):
    class Meta:
        node = KinshipRelationType


class KinshipRelative(graphene.ObjectType):
    """A person related to a customer, or another customer of the shop."""

    id = graphene.ID(required=True)
    name = graphene.String(
        required=True,
        description="Her name; for a customer, the name on her account if none.",
    )
    relation = graphene.String(
        required=True, description="What she is to the customer, such as child."
    )
    reverse_relation = graphene.String(
        required=True, description="What the customer is to her, such as parent."
    )
    customer = graphene.Field(
        CUSTOMER, description="Her own account, when she is a customer of the shop."
    )
    birthday = graphene.Field(
        KinshipBirthday, description="For a customer, from her own profile."
    )
    note = graphene.String(required=True)
    created_at = DateTime(required=True)

    @staticmethod
    def resolve_id(root: Any, info: Any) -> str:
        return to_global_id("KinshipRelative", root.pk)

    @staticmethod
    def resolve_name(root: Any, info: Any) -> Any:
        if root.relative_customer_id is None or root.name:
            return root.name
        return (
            CustomerByIdLoader(info.context)
            .load(root.relative_customer_id)
            .then(lambda account: display_name(root, account))
        )

    @staticmethod
    def resolve_reverse_relation(root: Any, info: Any) -> Promise:
        return (
            ReverseRolesLoader(info.context)
            .load(0)
            .then(lambda reverses: reverses.get(root.relation, ""))
        )

    @staticmethod
    def resolve_customer(root: Any, info: Any) -> Any:
        return _customer(info, root.relative_customer_id)

    @staticmethod
    def resolve_birthday(root: Any, info: Any) -> Any:
        if root.relative_customer_id is None:
            return birthday_of(root)
        return (
            ProfileByCustomerIdLoader(info.context)
            .load(root.relative_customer_id)
            .then(birthday_of)
        )


class KinshipRelativeConnection(CountableConnection):
    class Meta:
        node = KinshipRelative


def _relative(info: Any, relative_id: int | None) -> Promise | None:
    if relative_id is None:
        return None
    return RelativeByIdLoader(info.context).load(relative_id)


class KinshipImportantDate(graphene.ObjectType):
    """A date to remember. Birthdays mirror the profile and the relatives."""

    id = graphene.ID(required=True)
    kind = graphene.Field(KinshipImportantDateKind, required=True)
    label = graphene.String(required=True)
    day = graphene.Int(required=True)
    month = graphene.Int(required=True)
    year = graphene.Int(description="The year it began, when known.")
    recurring = graphene.Boolean(required=True, description="Every year.")
    relative = graphene.Field(KinshipRelative, description="Whose date it is.")
    next_occurrence = Date(
        description="The next day it falls on, in the shop's time zone; "
        "29 February falls on 28 February in other years."
    )

    @staticmethod
    def resolve_id(root: Any, info: Any) -> str:
        return to_global_id("KinshipImportantDate", root.pk)

    @staticmethod
    def resolve_relative(root: Any, info: Any) -> Any:
        return _relative(info, root.relative_id)

    @staticmethod
    def resolve_next_occurrence(root: Any, info: Any) -> Promise:
        return (
            ShopTodayLoader(info.context)
            .load(0)
            .then(lambda today: next_occurrence(root, today))
        )


class KinshipImportantDateConnection(CountableConnection):
    class Meta:
        node = KinshipImportantDate


class KinshipUpcomingDate(graphene.ObjectType):
    """One occurrence of an important date in the days ahead."""

    date = Date(required=True)
    kind = graphene.Field(KinshipImportantDateKind, required=True)
    label = graphene.String(required=True)
    years = graphene.Int(description="Years since it began: the age she turns.")
    customer = graphene.Field(CUSTOMER, required=True)
    relative = graphene.Field(KinshipRelative)
    important_date = graphene.Field(KinshipImportantDate, required=True)

    @staticmethod
    def resolve_customer(root: Any, info: Any) -> Any:
        return _customer(info, root.customer_id)

    @staticmethod
    def resolve_relative(root: Any, info: Any) -> Any:
        return _relative(info, root.relative_id)

    @staticmethod
    def resolve_important_date(root: Any, info: Any) -> Promise:
        return ImportantDateByIdLoader(info.context).load(root.important_date_id)


class KinshipUpcomingDateConnection(CountableConnection):
    class Meta:
        node = KinshipUpcomingDate


class KinshipGift(graphene.ObjectType):
    """A gift for the customer or one of her relatives."""

    id = graphene.ID(required=True)
    relative = graphene.Field(
        KinshipRelative, description="The recipient; null for the customer herself."
    )
    recipient_name = graphene.String(
        required=True, description="The relative's name when the gift was saved."
    )
    occasion = graphene.String(required=True)
    description = graphene.String(required=True)
    status = graphene.Field(KinshipGiftStatus, required=True)
    date = Date(required=True)
    cost = graphene.Decimal()
    currency = graphene.String(description="ISO 4217 code of the cost.")

    @staticmethod
    def resolve_id(root: Any, info: Any) -> str:
        return to_global_id("KinshipGift", root.pk)

    @staticmethod
    def resolve_relative(root: Any, info: Any) -> Any:
        return _relative(info, root.relative_id)

    @staticmethod
    def resolve_cost(root: Any, info: Any) -> Decimal | None:
        if root.cost is None:
            return None
        return quantize(root.cost, root.currency)

    @staticmethod
    def resolve_currency(root: Any, info: Any) -> str | None:
        return root.currency or None


class KinshipGiftConnection(CountableConnection):
    class Meta:
        node = KinshipGift


class KinshipFollowUp(graphene.ObjectType):
    """Something to do for a customer by a date."""

    id = graphene.ID(required=True)
    customer = graphene.Field(CUSTOMER, required=True)
    due_on = Date(required=True)
    assignee = graphene.Field(KinshipStaffMember)
    note = graphene.String(required=True)
    is_done = graphene.Boolean(required=True)
    done_at = DateTime()
    is_overdue = graphene.Boolean(
        required=True, description="Open and due before today (shop time)."
    )
    created_by = graphene.Field(KinshipStaffMember)
    created_at = DateTime(required=True)

    @staticmethod
    def resolve_id(root: Any, info: Any) -> str:
        return to_global_id("KinshipFollowUp", root.pk)

    @staticmethod
    def resolve_customer(root: Any, info: Any) -> Any:
        return _customer(info, root.customer_id)

    @staticmethod
    def resolve_assignee(root: Any, info: Any) -> Any:
        return _customer(info, root.assignee_id)

    @staticmethod
    def resolve_created_by(root: Any, info: Any) -> Any:
        return _customer(info, root.created_by_id)

    @staticmethod
    def resolve_is_done(root: Any, info: Any) -> bool:
        return root.done_at is not None

    @staticmethod
    def resolve_is_overdue(root: Any, info: Any) -> Any:
        if root.done_at is not None:
            return False
        return ShopTodayLoader(info.context).load(0).then(lambda t: root.due_on < t)


class KinshipFollowUpConnection(CountableConnection):
    class Meta:
        node = KinshipFollowUp
