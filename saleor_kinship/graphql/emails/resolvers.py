import binascii
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from graphql_relay import from_global_id

from ...core.error_codes import KinshipErrorCode
from ...emails import Trigger
from ...emails.models import Delivery
from ...emails.preview import Draft, PreviewError, preview
from ..core.errors import KinshipGraphQLError
from ..core.ids import CUSTOMER_TYPE, decode_id
from ..core.types import KinshipError

ORDER_TYPE = "Order"


def deliveries(
    status: str | None = None, trigger: str | None = None, customer: str | None = None
) -> QuerySet:
    rows = Delivery.objects.all()
    if status:
        rows = rows.filter(status=status)
    if trigger:
        rows = rows.filter(trigger=trigger)
    if customer:
        rows = rows.filter(customer_id=decode_id(customer, CUSTOMER_TYPE, "customer"))
    return rows


def decode_order_id(global_id: str) -> str:
    """Return the host's order id from Saleor's global id of an order."""
    try:
        type_name, order_id = from_global_id(global_id)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        type_name, order_id = "", ""
    if type_name != ORDER_TYPE or not order_id:
        raise KinshipGraphQLError(
            f"orderId: '{global_id}' is not an id of an Order.",
            KinshipErrorCode.INVALID,
        )
    return order_id


def email_preview(
    trigger: str,
    order_id: str | None,
    customer_id: str | None,
    subject: str | None,
    body: str | None,
    channel: str | None,
) -> dict[str, Any]:
    if order_id and customer_id:
        raise KinshipGraphQLError(
            "Give an orderId or a customerId, not both.", KinshipErrorCode.INVALID
        )
    customer = None
    if customer_id:
        pk = decode_id(customer_id, CUSTOMER_TYPE, "customerId")
        customer = get_user_model()._default_manager.filter(pk=pk).first()
        if customer is None:
            raise KinshipGraphQLError(
                "customerId: no such customer.", KinshipErrorCode.NOT_FOUND
            )
    try:
        email = preview(
            Trigger(trigger),
            draft=Draft(subject=subject, body=body),
            channel=channel,
            order_id=decode_order_id(order_id) if order_id else None,
            customer=customer,
        )
    except PreviewError as refused:
        code = KinshipErrorCode(refused.code)
        return {
            "errors": [
                KinshipError(field=field, code=code, message=message)
                for field, message in refused.errors.items()
            ]
        }
    return {"subject": email.subject, "html": email.html, "text": email.text}
