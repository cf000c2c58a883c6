"""What a merchant remembers about a customer: profile, relatives, dates, gifts."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q

TAG_LIMIT = 20
TAG_LENGTH = 40
NOTES_LENGTH = 10_000
NOTE_LENGTH = 2_000
NAME_LENGTH = 200
ROLE_LENGTH = 40


class Stage(models.TextChoices):
    ACQUAINTANCE = "acquaintance"
    CUSTOMER = "customer"
    REGULAR = "regular"
    FRIEND = "friend"
    LIKE_FAMILY = "like_family"


class MetHow(models.TextChoices):
    MARKET = "market"
    SHOP = "shop"
    ONLINE = "online"
    REFERRAL = "referral"
    EVENT = "event"
    OTHER = "other"


class ContactChannel(models.TextChoices):
    EMAIL = "email"
    PHONE = "phone"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    IN_PERSON = "in_person"
    OTHER = "other"


class DateKind(models.TextChoices):
    BIRTHDAY = "birthday"
    ANNIVERSARY = "anniversary"
    CUSTOM = "custom"


class GiftStatus(models.TextChoices):
    PLANNED = "planned"
    GIVEN = "given"


def _score_between_one_and_five(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__range": (1, 5)}),
        name=f"kinship_profile_{name}_1_to_5",
    )


def _birthday_constraints(prefix: str) -> list[models.CheckConstraint]:
    """Day and month are set together, within the calendar's ranges."""
    return [
        models.CheckConstraint(
            condition=Q(birth_day__isnull=True, birth_month__isnull=True)
            | Q(birth_day__range=(1, 31), birth_month__range=(1, 12)),
            name=f"{prefix}_birthday_day_and_month",
        ),
        models.CheckConstraint(
            condition=Q(birth_year__isnull=True) | Q(birth_month__isnull=False),
            name=f"{prefix}_birth_year_needs_a_date",
        ),
    ]


class BirthdayFields(models.Model):
    """A birthday: day and month, and the year when it is known."""

    birth_day = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        abstract = True


class CustomerProfile(BirthdayFields):
    """The merchant's view of one customer, and the few things she edits herself.

    The customer may read and change her birthday, preferred contact and
    consents; stage, closeness, trust, tags and notes are the merchant's.
    """

    customer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kinship_profile",
    )
    stage = models.CharField(
        max_length=32, choices=Stage.choices, default=Stage.ACQUAINTANCE
    )
    met_how = models.CharField(
        max_length=16, choices=MetHow.choices, blank=True, default=""
    )
    met_details = models.CharField(max_length=500, blank=True, default="")
    closeness = models.PositiveSmallIntegerField(null=True, blank=True)
    trust = models.PositiveSmallIntegerField(null=True, blank=True)
    preferred_channel = models.CharField(
        max_length=16, choices=ContactChannel.choices, blank=True, default=""
    )
    contact_handle = models.CharField(max_length=255, blank=True, default="")
    tags = ArrayField(models.CharField(max_length=TAG_LENGTH), default=list, blank=True)
    notes = models.TextField(max_length=NOTES_LENGTH, blank=True, default="")
    time_zone = models.CharField(max_length=64, blank=True, default="")
    # Kinship's personal e-mails (thank-you, birthday); opt-out.
    email_consent = models.BooleanField(default=True)
    # Scores and predictions about her (RFM, predicted value); opt-out.
    profiling_consent = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            GinIndex(fields=["tags"], name="kinship_profile_tags"),
            models.Index(
                fields=["birth_month", "birth_day"], name="kinship_profile_birthday"
            ),
        ]
        constraints = [
            _score_between_one_and_five("closeness"),
            _score_between_one_and_five("trust"),
            *_birthday_constraints("kinship_profile"),
        ]

    def __str__(self) -> str:
        return f"Profile of customer {self.customer_id}"


class RelationType(models.Model):
    """A pair of roles the merchant added, such as godmother and godchild.

    The built-in pairs (parent/child, partner, sibling, friend) are constants
    in `relations.py`; a role name means one thing across all pairs.
    """

    name = models.CharField(max_length=ROLE_LENGTH, unique=True)
    reverse_name = models.CharField(max_length=ROLE_LENGTH, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        return f"Relation type {self.pk}"


class Relative(BirthdayFields):
    """A person related to a customer: a name, or another customer of the shop.

    `relation` is the relative's role towards the customer ("child": the
    relative is the customer's child). A relation between two customers is
    stored as two rows sharing `pair`, each from one side, written together.
    """

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kinship_relatives",
    )
    relative_customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    pair = models.UUIDField(null=True, blank=True, editable=False)
    name = models.CharField(max_length=NAME_LENGTH, blank=True, default="")
    relation = models.CharField(max_length=ROLE_LENGTH)
    note = models.TextField(max_length=NOTE_LENGTH, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("pk",)
        constraints = [
            models.CheckConstraint(
                condition=~Q(relative_customer=F("customer")),
                name="kinship_relative_not_oneself",
            ),
            models.CheckConstraint(
                condition=Q(relative_customer__isnull=False) | ~Q(name=""),
                name="kinship_relative_has_a_name",
            ),
            models.CheckConstraint(
                condition=Q(relative_customer__isnull=True, pair__isnull=True)
                | Q(relative_customer__isnull=False, pair__isnull=False),
                name="kinship_relative_pair_for_customers",
            ),
            # A customer relative's birthday lives on her own profile.
            models.CheckConstraint(
                condition=Q(relative_customer__isnull=True)
                | Q(birth_month__isnull=True),
                name="kinship_relative_birthday_on_profile",
            ),
            models.UniqueConstraint(
                fields=["customer", "relative_customer"],
                name="kinship_relative_one_per_customer_pair",
            ),
            models.UniqueConstraint(
                fields=["pair", "customer"], name="kinship_relative_pair_sides"
            ),
            *_birthday_constraints("kinship_relative"),
        ]

    def __str__(self) -> str:
        return f"Relative {self.pk} of customer {self.customer_id}"


class ImportantDate(models.Model):
    """A date to remember for a customer, yearly unless `recurring` is off.

    Birthday rows mirror the birthdays set on profiles and relatives and are
    written only with them; anniversaries and custom dates are edited here.
    A 29 February falls on 28 February in other years.
    """

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kinship_important_dates",
    )
    relative = models.ForeignKey(
        Relative,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="important_dates",
    )
    kind = models.CharField(max_length=16, choices=DateKind.choices)
    label = models.CharField(max_length=NAME_LENGTH, blank=True, default="")
    day = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    recurring = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("month", "day", "pk")
        indexes = [
            models.Index(fields=["month", "day"], name="kinship_date_month_day"),
            models.Index(fields=["customer", "month", "day"], name="kinship_date_cust"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(day__range=(1, 31), month__range=(1, 12)),
                name="kinship_date_day_and_month",
            ),
            models.CheckConstraint(
                condition=Q(recurring=True) | Q(year__isnull=False),
                name="kinship_date_once_needs_a_year",
            ),
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(kind="birthday", relative__isnull=True),
                name="kinship_date_one_customer_birthday",
            ),
            models.UniqueConstraint(
                fields=["relative"],
                condition=Q(kind="birthday"),
                name="kinship_date_one_relative_birthday",
            ),
        ]

    def __str__(self) -> str:
        return f"Important date {self.pk} ({self.kind})"


class KinshipGift(models.Model):
    """A gift for a customer or one of her relatives, planned or given."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kinship_gifts",
    )
    # The recipient when it is a relative; the name stays if she is removed.
    relative = models.ForeignKey(
        Relative,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gifts",
    )
    recipient_name = models.CharField(max_length=NAME_LENGTH, blank=True, default="")
    occasion = models.CharField(max_length=NAME_LENGTH, blank=True, default="")
    description = models.TextField(max_length=NOTE_LENGTH, blank=True, default="")
    status = models.CharField(max_length=16, choices=GiftStatus.choices)
    date = models.DateField()
    cost = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-date", "-pk")
        indexes = [models.Index(fields=["customer", "-date", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | (Q(cost__gte=0) & ~Q(currency="")),
                name="kinship_gift_cost_with_currency",
            ),
        ]

    def __str__(self) -> str:
        return f"Gift {self.pk} ({self.status})"


class FollowUp(models.Model):
    """Something a staff member means to do for a customer by a date."""

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="kinship_follow_ups",
    )
    due_on = models.DateField()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(max_length=NOTE_LENGTH, blank=True, default="")
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("due_on", "pk")
        indexes = [
            models.Index(fields=["customer", "due_on", "id"]),
            models.Index(
                fields=["due_on"],
                condition=Q(done_at__isnull=True),
                name="kinship_follow_up_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Follow-up {self.pk}"
