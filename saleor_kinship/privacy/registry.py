"""Every place kinship keeps data about a customer, and what erasure does to it.

The export walks these holdings to gather a customer's data, erasure walks
them to remove it, and the tests check that every kinship model is either
listed here or declared shop-level: one list, so a model cannot be exported
without being erased or the other way round.

Sections are the customer's own rows (exported, then deleted or
anonymised); mentions are other customers' rows that name her (not
exported; cleaned on erasure).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat, Now

from ..core.models import FailedEvent
from ..emails.models import Delivery
from ..interactions.models import Interaction
from ..loyalty.models import (
    GuestPoints,
    LedgerEntry,
    LoyaltyAccount,
    LoyaltyJobState,
    LoyaltyOrder,
    TierChange,
)
from ..loyalty.scoring_models import PredictionFit
from ..relationships.models import (
    CustomerProfile,
    FollowUp,
    ImportantDate,
    KinshipGift,
    RelationType,
    Relative,
)
from ..resellers.models import (
    Attribution,
    CommissionEntry,
    Reseller,
    ResellerLink,
    ResellerStatusChange,
)
from .models import MetadataMirror

# What a gift's recipient is called once the customer it was for is erased.
ERASED_RECIPIENT = "(deleted customer)"
# What the timelines of the customers a reseller brought say once she is erased.
ERASED_RESELLER_LINKED = "Brought by a reseller whose account was deleted"
ERASED_RESELLER_UNLINKED = "No longer brought by a reseller whose account was deleted"
# What stands in an e-mail's text where her name was.
REDACTED_NAME = "[name removed]"

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Subject:
    """The customer whose data is exported or erased.

    The e-mail finds what kinship keeps by address (a guest's points, a
    guest order's e-mail); it is lower-cased, and "" matches nothing. The
    name finds the e-mails to other customers that printed it.
    """

    customer_id: int
    email: str = ""
    # Her name as e-mails printed it ("first last"); known only before deletion.
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "email", (self.email or "").strip().lower())

    @property
    def name_pattern(self) -> str:
        """Her name as a whole-word PostgreSQL regular expression."""
        return rf"\m{re.escape(self.name)}\M"

    def by_email(self, *lookups: str) -> Q:
        """Return rows where any of the lookups matches her e-mail (none without)."""
        condition = NOTHING
        if self.email:
            for lookup in lookups:
                condition |= Q(**{lookup: self.email})
        return condition


@dataclass(frozen=True)
class Holding:
    """Rows of one model that hold data about a customer.

    `anonymise` maps fields to the values (or expressions) that stop a row
    naming her; `redact` names text fields from which her name is cut; with
    neither, the rows are deleted. `before_deletion` marks rows that must be
    cleaned while the customer still exists, because deleting her cuts the
    link that finds them (a SET_NULL or CASCADE foreign key elsewhere).
    """

    model: type[models.Model]
    rows: Callable[[Subject], Q]
    anonymise: dict[str, Any] | None = None
    redact: tuple[str, ...] = ()
    before_deletion: bool = False

    def queryset(self, subject: Subject) -> models.QuerySet:
        return self.model._default_manager.filter(self.rows(subject))


@dataclass(frozen=True)
class Section(Holding):
    """The customer's own rows of a model: exported under `name`, then erased."""

    name: str = ""


@dataclass(frozen=True)
class Mention(Holding):
    """Other customers' rows that name her: not exported, cleaned on erasure."""


def _customer(subject: Subject) -> Q:
    return Q(customer_id=subject.customer_id)


def _held_for_email(subject: Subject) -> Q:
    return Q(customer_id=subject.customer_id) | (
        Q(customer__isnull=True) & subject.by_email("email")
    )


def _deliveries(subject: Subject) -> Q:
    to_address = subject.by_email("recipient__iexact", "payload__order__email__iexact")
    return Q(customer_id=subject.customer_id) | (Q(customer__isnull=True) & to_address)


def _failed_events(subject: Subject) -> Q:
    customer_id = subject.customer_id
    return (
        Q(payload__customer_id=customer_id)
        | Q(payload__order__customer_id=customer_id)
        | subject.by_email("payload__email__iexact", "payload__order__email__iexact")
    )


def _reseller_of(subject: Subject) -> Q:
    return Q(reseller__customer_id=subject.customer_id)


def _brought_by_her(subject: Subject) -> Exists:
    return Exists(
        ResellerLink.objects.filter(
            _reseller_of(subject), customer_id=OuterRef("customer_id")
        )
    )


def _emails_naming_her(subject: Subject) -> Q:
    """E-mails to customers she brought print her name as their reseller."""
    if not subject.name:
        return NOTHING
    return Q(_brought_by_her(subject)) & (
        Q(summary__regex=subject.name_pattern) | Q(body__regex=subject.name_pattern)
    )


def _deliveries_naming_her(subject: Subject) -> Q:
    if not subject.name:
        return NOTHING
    return Q(_brought_by_her(subject)) & Q(subject__regex=subject.name_pattern)


def _timeline_of_links_to_her(suffix: str) -> Callable[[Subject], Q]:
    """Find the entries that name her on the timelines of customers she brought.

    They are keyed `reseller:link:<link id>:<suffix>` (see resellers.timeline).
    """

    def rows(subject: Subject) -> Q:
        keys = (
            ResellerLink.objects.filter(_reseller_of(subject))
            .annotate(
                entry_key=Concat(
                    Value("reseller:link:"),
                    Cast("pk", CharField()),
                    Value(f":{suffix}"),
                    output_field=CharField(),
                )
            )
            .values("entry_key")
        )
        return Q(key__in=keys)

    return rows


SECTIONS: tuple[Section, ...] = (
    Section(CustomerProfile, _customer, name="profile"),
    Section(Relative, _customer, name="relatives"),
    Section(ImportantDate, _customer, name="important_dates"),
    Section(KinshipGift, _customer, name="gifts"),
    Section(FollowUp, _customer, name="follow_ups"),
    Section(Interaction, _customer, name="interactions"),
    Section(LoyaltyAccount, _customer, name="loyalty_account"),
    Section(TierChange, _customer, name="loyalty_tier_changes"),
    Section(LedgerEntry, _held_for_email, name="loyalty_ledger"),
    Section(
        GuestPoints,
        lambda subject: subject.by_email("email"),
        name="loyalty_guest_points",
    ),
    Section(
        LoyaltyOrder,
        _held_for_email,
        # The shop's purchase history keeps the order, owned by no one and
        # settled, so that a late event for it earns or takes back nothing.
        anonymise={
            "customer": None,
            "email": "",
            "points_earned": 0,
            "points_reversed": 0,
            "earned_at": Coalesce(F("earned_at"), Now()),
        },
        before_deletion=True,
        name="loyalty_orders",
    ),
    Section(Reseller, _customer, name="reseller"),
    Section(ResellerStatusChange, _reseller_of, name="reseller_status_changes"),
    Section(ResellerLink, _customer, name="reseller_links"),
    Section(ResellerLink, _reseller_of, name="reseller_customers_brought"),
    Section(
        Attribution,
        _customer,
        # The reseller keeps the commission of her orders; the order no
        # longer says whose it was.
        anonymise={"customer": None, "link": None},
        name="reseller_attributions",
    ),
    Section(Attribution, _reseller_of, name="reseller_orders_credited"),
    Section(CommissionEntry, _reseller_of, name="reseller_commission"),
    Section(Delivery, _deliveries, name="email_deliveries"),
    Section(FailedEvent, _failed_events, name="failed_events"),
    Section(MetadataMirror, _customer, name="metadata_mirror"),
)

MENTIONS: tuple[Mention, ...] = (
    # Gifts another customer gave her as a relative stay in the giver's
    # history, without her name. Cleaned before her relation rows go, which
    # would only unlink them.
    Mention(
        KinshipGift,
        lambda subject: Q(relative__relative_customer_id=subject.customer_id),
        anonymise={"relative": None, "recipient_name": ERASED_RECIPIENT},
        before_deletion=True,
    ),
    # Another customer's side of a relation with her goes with her.
    Mention(Relative, lambda subject: Q(relative_customer_id=subject.customer_id)),
    # The customers she brought keep the fact on their timelines, not her name.
    Mention(
        Interaction,
        _timeline_of_links_to_her("customer"),
        anonymise={"summary": ERASED_RESELLER_LINKED},
        before_deletion=True,
    ),
    Mention(
        Interaction,
        _timeline_of_links_to_her("closed:customer"),
        anonymise={"summary": ERASED_RESELLER_UNLINKED},
        before_deletion=True,
    ),
    # Their e-mails (a template may print `reseller.name` in the subject too)
    # keep their text, without her name.
    Mention(
        Interaction,
        _emails_naming_her,
        redact=("summary", "body"),
        before_deletion=True,
    ),
    Mention(
        Delivery, _deliveries_naming_her, redact=("subject",), before_deletion=True
    ),
)

# Models that hold nothing about any one customer.
SHOP_LEVEL: frozenset[type[models.Model]] = frozenset(
    {RelationType, PredictionFit, LoyaltyJobState}
)


def registered_models() -> set[type[models.Model]]:
    """Return every model the registry has decided about."""
    holdings: tuple[Holding, ...] = (*SECTIONS, *MENTIONS)
    return {holding.model for holding in holdings} | set(SHOP_LEVEL)
