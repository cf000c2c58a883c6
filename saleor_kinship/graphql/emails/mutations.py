from typing import Any

import graphene
from django.core.exceptions import ValidationError

from ...core.error_codes import KinshipErrorCode
from ...emails import Trigger
from ...emails.deliveries import send_after_commit
from ...emails.models import Delivery
from ...emails.preview import PreviewError, send_test
from ...emails.sending import revive
from ...emails.smtp import OutcomeUnknown, SendError
from ..core.errors import KinshipGraphQLError
from ..core.ids import decode_id
from ..core.mutations import BaseMutation
from ..core.permissions import MANAGE_USERS
from .types import DELIVERY_TYPE, KinshipEmailDelivery, KinshipEmailTrigger


class KinshipEmailSendTest(BaseMutation):
    """Send an e-mail filled with example values to yourself, now."""

    sent_to = graphene.String(description="The address the test went to.")

    class Arguments:
        trigger = KinshipEmailTrigger(required=True)
        channel = graphene.String(
            description="Slug of the channel whose templates and server to use; "
            "the default channel if omitted."
        )

    permissions = (MANAGE_USERS,)

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        user = info.context.requestor.user
        if user is None or not user.email:
            raise ValidationError(
                "A test e-mail goes to the signed-in staff member's address; "
                "an app has none.",
                code=KinshipErrorCode.INVALID.value,
            )
        try:
            send_test(Trigger(data["trigger"]), user.email, data.get("channel"))
        except PreviewError as refused:
            raise ValidationError(
                {
                    field: ValidationError(message, code=refused.code)
                    for field, message in refused.errors.items()
                }
            )
        except (SendError, OutcomeUnknown) as error:
            raise ValidationError(str(error), code=KinshipErrorCode.SEND_FAILED.value)
        return {"sent_to": user.email}


class KinshipEmailDeliveryRetry(BaseMutation):
    """Send a failed or unknown e-mail again, deliberately.

    An UNKNOWN one may already be in the customer's inbox: a retry can make
    it arrive twice.
    """

    delivery = graphene.Field(KinshipEmailDelivery)

    class Arguments:
        id = graphene.ID(required=True, description="Id of the e-mail delivery.")

    permissions = (MANAGE_USERS,)

    @classmethod
    def perform(cls, root: Any, info: Any, **data: Any) -> dict[str, Any]:
        try:
            pk = decode_id(data["id"], DELIVERY_TYPE)
        except KinshipGraphQLError as error:
            raise ValidationError(
                {"id": ValidationError(error.message, code=error.code.value)}
            )
        delivery = Delivery.objects.filter(pk=pk).first()
        if delivery is None:
            raise ValidationError(
                {
                    "id": ValidationError(
                        "No such e-mail delivery.",
                        code=KinshipErrorCode.NOT_FOUND.value,
                    )
                }
            )
        if not revive(pk):
            raise ValidationError(
                {
                    "id": ValidationError(
                        "Only a failed or unknown e-mail can be sent again; this "
                        f"one is {delivery.status}.",
                        code=KinshipErrorCode.INVALID_STATE.value,
                    )
                }
            )
        send_after_commit(pk)
        delivery.refresh_from_db()
        return {"delivery": delivery}
