"""GraphQL types of personal e-mails: deliveries and previews."""

from typing import Any

import graphene
from graphql_relay import to_global_id

from ...emails import DeliveryStatus, Trigger
from ...emails.models import Delivery
from ..core.connection import CountableConnection
from ..core.scalars import DateTime
from ..core.types import KinshipError
from ..customers.dataloaders import CustomerByIdLoader

CUSTOMER_TYPE = "saleor_kinship.graphql.customers.types.KinshipCustomer"
DELIVERY_TYPE = "KinshipEmailDelivery"

KinshipEmailTrigger = graphene.Enum(
    "KinshipEmailTrigger",
    [(trigger.name, trigger.value) for trigger in Trigger],
    description="What makes the shop write to a customer.",
)

KinshipEmailDeliveryStatus = graphene.Enum(
    "KinshipEmailDeliveryStatus",
    [(status.name, status.value) for status in DeliveryStatus],
    description=(
        "Where an e-mail stands. UNKNOWN: the connection broke while the server "
        "took it, so it may have arrived; kinship never resends it by itself."
    ),
)


class KinshipEmailDelivery(graphene.ObjectType):
    """One e-mail kinship sends once: its cause, outcome and last error."""

    id = graphene.ID(required=True)
    key = graphene.String(
        required=True, description="The cause, such as thank_you:<order id>."
    )
    trigger = graphene.Field(KinshipEmailTrigger, required=True)
    status = graphene.Field(KinshipEmailDeliveryStatus, required=True)
    customer = graphene.Field(
        CUSTOMER_TYPE, description="The customer; null for a guest's order."
    )
    channel = graphene.String(required=True, description="Slug of the channel.")
    order_id = graphene.String(
        description="Saleor's id of the order (not global); null for other e-mails."
    )
    recipient = graphene.String(description="The address it was sent to.")
    subject = graphene.String(description="The subject line it was sent with.")
    attempts = graphene.Int(required=True, description="Attempts made so far.")
    last_error = graphene.String(
        description="Why the last attempt failed or was skipped, in words."
    )
    next_attempt_at = DateTime(
        description="When kinship tries again by itself; null when it will not."
    )
    sent_at = DateTime()
    created_at = DateTime(required=True)
    updated_at = DateTime(required=True)

    @staticmethod
    def resolve_id(root: Delivery, info: Any) -> str:
        return to_global_id(DELIVERY_TYPE, root.pk)

    @staticmethod
    def resolve_customer(root: Delivery, info: Any) -> Any:
        if root.customer_id is None:
            return None
        return CustomerByIdLoader(info.context).load(root.customer_id)

    @staticmethod
    def resolve_order_id(root: Delivery, info: Any) -> str | None:
        return root.order_id or None

    @staticmethod
    def resolve_recipient(root: Delivery, info: Any) -> str | None:
        return root.recipient or None

    @staticmethod
    def resolve_subject(root: Delivery, info: Any) -> str | None:
        return root.subject or None

    @staticmethod
    def resolve_last_error(root: Delivery, info: Any) -> str | None:
        return root.last_error or None


class KinshipEmailDeliveryConnection(CountableConnection):
    class Meta:
        node = KinshipEmailDelivery


class KinshipEmailPreview(graphene.ObjectType):
    """An e-mail as the customer would read it; nothing is sent."""

    subject = graphene.String(description="The subject line; null on errors.")
    html = graphene.String(description="The HTML body; null on errors.")
    text = graphene.String(description="The plain-text part; null on errors.")
    errors = graphene.List(
        graphene.NonNull(KinshipError),
        required=True,
        description="Why the preview cannot be made, by argument (channel, "
        "orderId, customerId, subject, body).",
    )
