import binascii
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS
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
        raise PreviewError(
            {"orderId": f"orderId: '{global_id}' is not an id of an Order."},
            KinshipErrorCode.INVALID.value,
        )
    return order_id


def find_customer(customer_id: str) -> Any:
    """Return the customer of a global id; raise PreviewError for a bad one."""
    try:
        pk = decode_id(customer_id, CUSTOMER_TYPE, "customerId")
    except KinshipGraphQLError as error:
        raise PreviewError({"customerId": error.message}, error.code.value)
    customer = get_user_model()._default_manager.filter(pk=pk).first()
    if customer is None:
        raise PreviewError(
            {"customerId": "There is no such customer."},
            KinshipErrorCode.NOT_FOUND.value,
        )
    return customer


def email_preview(
    trigger: str,
    order_id: str | None,
    customer_id: str | None,
    subject: str | None,
    body: str | None,
    channel: str | None,
) -> dict[str, Any]:
    """Return the rendered e-mail, or `errors` naming each argument refused."""
    try:
        if order_id and customer_id:
            raise PreviewError(
                {NON_FIELD_ERRORS: "Give an orderId or a customerId, not both."}
            )
        email = preview(
            Trigger(trigger),
            draft=Draft(subject=subject, body=body),
            channel=channel,
            order_id=decode_order_id(order_id) if order_id else None,
            customer=find_customer(customer_id) if customer_id else None,
        )
    except PreviewError as refused:
        code = KinshipErrorCode(refused.code)
        return {
            "errors": [
                KinshipError(
                    field=None if field == NON_FIELD_ERRORS else field,
                    code=code,
                    message=message,
                )
                for field, message in refused.errors.items()
            ]
        }
    return {"subject": email.subject, "html": email.html, "text": email.text}
