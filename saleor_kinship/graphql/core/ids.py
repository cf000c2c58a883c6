"""Global ids: customers use Saleor's form, `User:<pk>` in base64."""

import binascii

from graphql_relay import from_global_id, to_global_id

from ...core.error_codes import KinshipErrorCode
from .errors import KinshipGraphQLError

CUSTOMER_TYPE = "User"


def customer_global_id(pk: int) -> str:
    return to_global_id(CUSTOMER_TYPE, str(pk))


def decode_id(global_id: str, expected_type: str, field: str = "id") -> int:
    """Return the primary key of a global id, or raise a coded error."""
    try:
        type_name, raw_pk = from_global_id(global_id)
        # int() also reads "1_000", " 1" and other scripts' digits.
        if not (raw_pk.isascii() and raw_pk.isdigit()):
            raise ValueError(raw_pk)
        pk = int(raw_pk)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise KinshipGraphQLError(
            f"{field}: '{global_id}' is not a valid id.", KinshipErrorCode.INVALID
        )
    if type_name != expected_type or pk <= 0:
        raise KinshipGraphQLError(
            f"{field}: '{global_id}' is not an id of a {expected_type}.",
            KinshipErrorCode.INVALID,
        )
    return pk
