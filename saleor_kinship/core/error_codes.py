from enum import Enum


class KinshipErrorCode(Enum):
    """Codes of every error kinship reports, in GraphQL and on the command line."""

    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    UNIQUE = "unique"
    TOO_LONG = "too_long"
    TOO_MANY = "too_many"
    OUT_OF_RANGE = "out_of_range"
    UNKNOWN_CURRENCY = "unknown_currency"
    PERMISSION_DENIED = "permission_denied"
    AUTHENTICATION_FAILED = "authentication_failed"
    TOKEN_EXPIRED = "token_expired"
    INSUFFICIENT_POINTS = "insufficient_points"
    INVALID_STATE = "invalid_state"
    CYCLE = "cycle"
    QUERY_TOO_COMPLEX = "query_too_complex"
    INTERNAL_ERROR = "internal_error"
    SEND_FAILED = "send_failed"
