"""Who may use each field of the schema: the decisions the matrix tests check.

Every root query and mutation field is listed in ROOT, and every field a
customer can reach below the root fields she may use is listed in NESTED. A
field added to the schema without a decision here fails the matrix with a
message naming it.
"""

from dataclasses import dataclass

KINDS = (
    "anonymous",
    "customer",
    "other_customer",
    "reseller",
    "staff_without_permission",
    "staff",
    "app",
    "app_without_permission",
)
EVERYONE = frozenset(KINDS)
# Holders of MANAGE_USERS.
STAFF = frozenset({"staff", "app"})
# Signed-in people: customers and staff users, not apps.
USERS = frozenset(
    {"customer", "other_customer", "reseller", "staff_without_permission", "staff"}
)
# Denied requestors get null and one of these codes.
DENIED_CODES = frozenset({"PERMISSION_DENIED", "AUTHENTICATION_FAILED"})


@dataclass(frozen=True)
class Policy:
    """Kinds that get data; kinds that get null without an error; the rest
    are refused with a coded error."""

    data: frozenset[str]
    empty: frozenset[str] = frozenset()

    def outcome(self, kind: str) -> str:
        if kind in self.data:
            return "data"
        return "empty" if kind in self.empty else "denied"


PUBLIC = Policy(EVERYONE)
STAFF_ONLY = Policy(STAFF)
SIGNED_IN = Policy(USERS)

ROOT: dict[str, Policy] = {
    # Queries.
    "me": Policy(USERS, empty=EVERYONE - USERS),
    "customer": STAFF_ONLY,
    "customers": STAFF_ONLY,
    "kinshipCustomerExport": STAFF_ONLY,
    "kinshipNeedsAttention": STAFF_ONLY,
    "kinshipRelationTypes": STAFF_ONLY,
    "kinshipReseller": STAFF_ONLY,
    "kinshipResellers": STAFF_ONLY,
    "kinshipEmailDeliveries": STAFF_ONLY,
    "kinshipEmailPreview": STAFF_ONLY,
    # The programme's tiers are what a storefront advertises.
    "loyaltyTiers": PUBLIC,
    # A federation gateway resolves users; what it may see of each user is
    # decided by User.kinship (see NESTED).
    "_entities": PUBLIC,
    "_service": PUBLIC,
    # Mutations a customer makes about herself.
    "kinshipMyProfileUpdate": SIGNED_IN,
    "kinshipResellerApply": SIGNED_IN,
    # Mutations of the shop's staff.
    "kinshipProfileUpdate": STAFF_ONLY,
    "kinshipRelativeCreate": STAFF_ONLY,
    "kinshipRelativeUpdate": STAFF_ONLY,
    "kinshipRelativeDelete": STAFF_ONLY,
    "kinshipRelationTypeCreate": STAFF_ONLY,
    "kinshipImportantDateCreate": STAFF_ONLY,
    "kinshipImportantDateUpdate": STAFF_ONLY,
    "kinshipImportantDateDelete": STAFF_ONLY,
    "kinshipGiftCreate": STAFF_ONLY,
    "kinshipGiftUpdate": STAFF_ONLY,
    "kinshipGiftDelete": STAFF_ONLY,
    "kinshipFollowUpCreate": STAFF_ONLY,
    "kinshipFollowUpUpdate": STAFF_ONLY,
    "kinshipFollowUpDelete": STAFF_ONLY,
    "kinshipInteractionCreate": STAFF_ONLY,
    "kinshipInteractionUpdate": STAFF_ONLY,
    "kinshipInteractionDelete": STAFF_ONLY,
    "loyaltyPointsAdjust": STAFF_ONLY,
    "kinshipResellerApprove": STAFF_ONLY,
    "kinshipResellerReject": STAFF_ONLY,
    "kinshipResellerSuspend": STAFF_ONLY,
    "kinshipResellerUpdate": STAFF_ONLY,
    "kinshipResellerLink": STAFF_ONLY,
    "kinshipResellerUnlink": STAFF_ONLY,
    "kinshipEmailSendTest": STAFF_ONLY,
    "kinshipEmailDeliveryRetry": STAFF_ONLY,
}

# Below the root: "self" fields the customer reads about herself (and staff
# about anyone); "staff" fields refuse her with PERMISSION_DENIED; "hidden"
# fields are null for her without an error. Fields of public types are "self".
SELF, STAFF_FIELD, HIDDEN = "self", "staff", "hidden"

NESTED: dict[str, str] = {}

NESTED.update(
    {
        # The federation entity: the customer herself, or MANAGE_USERS.
        "User.id": SELF,
        "User.kinship": SELF,
        # KinshipCustomer, through `me`, `customer(id:)` and `_entities`.
        "KinshipCustomer.id": SELF,
        "KinshipCustomer.email": SELF,
        "KinshipCustomer.firstName": SELF,
        "KinshipCustomer.lastName": SELF,
        "KinshipCustomer.profile": SELF,
        "KinshipCustomer.loyalty": SELF,
        "KinshipCustomer.reseller": SELF,
        "KinshipCustomer.resellerLinks": STAFF_FIELD,
        "KinshipCustomer.interactions": STAFF_FIELD,
        "KinshipCustomer.relatives": STAFF_FIELD,
        "KinshipCustomer.importantDates": STAFF_FIELD,
        "KinshipCustomer.nextImportantDate": STAFF_FIELD,
        "KinshipCustomer.gifts": STAFF_FIELD,
        "KinshipCustomer.followUps": STAFF_FIELD,
        # Her profile: she keeps her birthday, contact and consents.
        "KinshipProfile.birthday": SELF,
        "KinshipProfile.preferredChannel": SELF,
        "KinshipProfile.contactHandle": SELF,
        "KinshipProfile.emailConsent": SELF,
        "KinshipProfile.profilingConsent": SELF,
        "KinshipProfile.updatedAt": SELF,
        "KinshipProfile.stage": STAFF_FIELD,
        "KinshipProfile.metHow": STAFF_FIELD,
        "KinshipProfile.metDetails": STAFF_FIELD,
        "KinshipProfile.closeness": STAFF_FIELD,
        "KinshipProfile.trust": STAFF_FIELD,
        "KinshipProfile.tags": STAFF_FIELD,
        "KinshipProfile.notes": STAFF_FIELD,
        "KinshipProfile.timeZone": STAFF_FIELD,
        "KinshipBirthday.day": SELF,
        "KinshipBirthday.month": SELF,
        "KinshipBirthday.year": SELF,
        # Her points; the scores about her are the shop's.
        "KinshipLoyalty.balance": SELF,
        "KinshipLoyalty.lifetimePoints": SELF,
        "KinshipLoyalty.tier": SELF,
        "KinshipLoyalty.tierReachedAt": SELF,
        "KinshipLoyalty.nextTier": SELF,
        "KinshipLoyalty.pointsToNextTier": SELF,
        "KinshipLoyalty.progress": SELF,
        "KinshipLoyalty.expiringSoon": SELF,
        "KinshipLoyalty.ordersCount": SELF,
        "KinshipLoyalty.lastOrderAt": SELF,
        "KinshipLoyalty.ledger": SELF,
        "KinshipLoyalty.rfmRecency": STAFF_FIELD,
        "KinshipLoyalty.rfmFrequency": STAFF_FIELD,
        "KinshipLoyalty.rfmMonetary": STAFF_FIELD,
        "KinshipLoyalty.rfmSegment": STAFF_FIELD,
        "KinshipLoyalty.probabilityActive": STAFF_FIELD,
        "KinshipLoyalty.expectedPurchases90d": STAFF_FIELD,
        "KinshipLoyalty.predictedValue12m": STAFF_FIELD,
        "KinshipLoyalty.predictedValueCurrency": STAFF_FIELD,
        "KinshipLoyalty.scoredAt": STAFF_FIELD,
        "KinshipExpiringPoints.points": SELF,
        "KinshipExpiringPoints.expireOn": SELF,
        "KinshipLedgerEntry.id": SELF,
        "KinshipLedgerEntry.kind": SELF,
        "KinshipLedgerEntry.points": SELF,
        "KinshipLedgerEntry.shortfall": SELF,
        "KinshipLedgerEntry.amount": SELF,
        "KinshipLedgerEntry.currency": SELF,
        "KinshipLedgerEntry.channel": SELF,
        "KinshipLedgerEntry.orderId": SELF,
        "KinshipLedgerEntry.occurredAt": SELF,
        "KinshipLedgerEntry.reason": SELF,
        # Which staff member adjusted her points is the shop's business.
        "KinshipLedgerEntry.staffMemberId": HIDDEN,
        # Her reseller standing and statements; never the customers she brought.
        "KinshipResellerAccount.status": SELF,
        "KinshipResellerAccount.commissionRate": SELF,
        "KinshipResellerAccount.appliedAt": SELF,
        "KinshipResellerAccount.approvedAt": SELF,
        "KinshipResellerAccount.customersBrought": SELF,
        "KinshipResellerAccount.statements": SELF,
        "KinshipResellerAccount.message": SELF,
        "KinshipCommissionStatement.currency": SELF,
        "KinshipCommissionStatement.dateFrom": SELF,
        "KinshipCommissionStatement.dateTo": SELF,
        "KinshipCommissionStatement.orders": SELF,
        "KinshipCommissionStatement.revenue": SELF,
        "KinshipCommissionStatement.commissionAccrued": SELF,
        "KinshipCommissionStatement.commissionReversed": SELF,
        "KinshipCommissionStatement.commissionNet": SELF,
        # Public types and the payloads of her own mutations.
        "KinshipTier.name": SELF,
        "KinshipTier.threshold": SELF,
        "_Service.sdl": SELF,
        "KinshipMyProfileUpdate.errors": SELF,
        "KinshipMyProfileUpdate.profile": SELF,
        "KinshipResellerApply.errors": SELF,
        "KinshipResellerApply.reseller": SELF,
        "KinshipError.field": SELF,
        "KinshipError.code": SELF,
        "KinshipError.message": SELF,
    }
)
