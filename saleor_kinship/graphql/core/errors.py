"""Top-level GraphQL errors: each carries a code, none carries a traceback."""

import logging
import traceback
from typing import Any

from graphql.error import GraphQLError

from ...core.error_codes import KinshipErrorCode

logger = logging.getLogger(__name__)


class KinshipGraphQLError(GraphQLError):
    """An error a resolver raises on purpose, with a code a client can act on."""

    def __init__(self, message: str, code: KinshipErrorCode):
        super().__init__(message, extensions={"exception": {"code": code.name}})
        self.code = code


class PermissionDenied(KinshipGraphQLError):
    def __init__(self, permissions: tuple[str, ...] = ()):
        needed = f" You need one of: {', '.join(permissions)}." if permissions else ""
        super().__init__(
            "You do not have permission to perform this action." + needed,
            KinshipErrorCode.PERMISSION_DENIED,
        )


def log_failure(error: BaseException, where: str) -> None:
    """Log an unexpected failure once: its type and stack, not its message.

    The message of a database error may quote the data (an e-mail address in
    a unique key); the stack says where. graphql-core logs every error a
    resolver raises, refusals included, so the host silences its loggers (see
    docs/surface.md) and this is the log of a failure.
    """
    stack = "".join(traceback.format_tb(error.__traceback__)).rstrip()
    logger.error(
        "Kinship GraphQL %s failed: %s\n%s", where, type(error).__name__, stack
    )


def format_error(error: Exception) -> dict[str, Any]:
    """Return the client's view of an error: message, code, where it happened."""
    original = getattr(error, "original_error", None)
    cause = original if original is not None else error
    path = getattr(error, "path", None)
    formatted: dict[str, Any] = {}
    if isinstance(cause, KinshipGraphQLError):
        formatted["message"] = cause.message
        code = cause.code.name
    elif isinstance(cause, GraphQLError):
        formatted["message"] = cause.message
        code = KinshipErrorCode.GRAPHQL_ERROR.name
    else:
        log_failure(cause, "resolver at " + ".".join(map(str, path or [])))
        formatted["message"] = "Internal error; it was logged for the shop's staff."
        code = KinshipErrorCode.INTERNAL_ERROR.name
    locations = getattr(error, "locations", None)
    if locations:
        formatted["locations"] = [
            {"line": loc.line, "column": loc.column} for loc in locations
        ]
    if path:
        formatted["path"] = path
    formatted["extensions"] = {"exception": {"code": code}}
    return formatted
