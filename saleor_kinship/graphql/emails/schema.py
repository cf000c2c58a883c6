from typing import Any

import graphene

from ..core.connection import paginate
from ..core.permissions import MANAGE_USERS, permission_required
from . import resolvers
from .mutations import KinshipEmailDeliveryRetry, KinshipEmailSendTest
from .types import (
    KinshipEmailDeliveryConnection,
    KinshipEmailDeliveryStatus,
    KinshipEmailPreview,
    KinshipEmailTrigger,
)


class EmailQueries:
    kinship_email_deliveries = graphene.relay.ConnectionField(
        KinshipEmailDeliveryConnection,
        status=KinshipEmailDeliveryStatus(description="Only e-mails in this state."),
        trigger=KinshipEmailTrigger(description="Only e-mails of this trigger."),
        customer=graphene.ID(description="Only e-mails to this customer."),
        description="Personal e-mails, newest first. Requires MANAGE_USERS.",
    )
    kinship_email_preview = graphene.Field(
        KinshipEmailPreview,
        trigger=KinshipEmailTrigger(required=True),
        order_id=graphene.ID(
            description="Saleor's id of a paid order, for order e-mails."
        ),
        customer_id=graphene.ID(description="Saleor's id of a customer."),
        subject=graphene.String(
            description="A draft subject; the configured one if omitted."
        ),
        body=graphene.String(
            description="A draft HTML body; the configured one if omitted."
        ),
        channel=graphene.String(
            description="Slug of the channel whose templates to use; the order's, "
            "else the default channel."
        ),
        description=(
            "Render an e-mail as a customer would read it, with a real order or "
            "customer (examples for the rest); sends nothing. Requires MANAGE_USERS."
        ),
    )

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_kinship_email_deliveries(
        root: Any,
        info: Any,
        status: str | None = None,
        trigger: str | None = None,
        customer: str | None = None,
        **page: Any,
    ):
        return paginate(
            resolvers.deliveries(status, trigger, customer),
            KinshipEmailDeliveryConnection,
            order_by=("-created_at", "-pk"),
            **page,
        )

    @staticmethod
    @permission_required(MANAGE_USERS)
    def resolve_kinship_email_preview(
        root: Any,
        info: Any,
        trigger: str,
        order_id: str | None = None,
        customer_id: str | None = None,
        subject: str | None = None,
        body: str | None = None,
        channel: str | None = None,
    ) -> KinshipEmailPreview:
        values = resolvers.email_preview(
            trigger, order_id, customer_id, subject, body, channel
        )
        return KinshipEmailPreview(errors=values.pop("errors", []), **values)


class EmailMutations:
    kinship_email_send_test = KinshipEmailSendTest.Field(
        description="Send yourself a test e-mail with example values. "
        "Requires MANAGE_USERS."
    )
    kinship_email_delivery_retry = KinshipEmailDeliveryRetry.Field(
        description="Send a failed or unknown e-mail again. Requires MANAGE_USERS."
    )


class EmailCustomerFields:
    """Fields this domain adds to KinshipCustomer."""
