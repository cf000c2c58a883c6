"""The kinship GraphQL endpoint: JSON over POST, GraphiQL for a browser's GET."""

import json
import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from ..core.error_codes import KinshipErrorCode
from ..core.host import AuthenticationError, Host, get_host
from .core.context import KinshipContext
from .core.errors import format_error
from .limits import validate_query

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000

GRAPHIQL_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kinship GraphQL</title>
<link rel="stylesheet" href="https://unpkg.com/graphiql@3/graphiql.min.css">
</head><body style="margin:0"><div id="graphiql" style="height:100vh"></div>
<script src="https://unpkg.com/react@18/umd/react.production.min.js"></script>
<script src="https://unpkg.com/react-dom@18/umd/react-dom.production.min.js"></script>
<script src="https://unpkg.com/graphiql@3/graphiql.min.js"></script>
<script>
const fetcher = GraphiQL.createFetcher({url: window.location.pathname});
ReactDOM.createRoot(document.getElementById("graphiql"))
  .render(React.createElement(GraphiQL, {fetcher}));
</script></body></html>"""


def error_response(message: str, code: KinshipErrorCode, status: int) -> JsonResponse:
    error = {"message": message, "extensions": {"exception": {"code": code.name}}}
    return JsonResponse({"errors": [error]}, status=status)


def _parse_body(request: HttpRequest) -> dict[str, Any]:
    if len(request.body) > MAX_BODY_BYTES:
        raise ValueError("The request body is too large.")
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ValueError("The request body is not JSON.")
    if not isinstance(body, dict):
        raise ValueError("Send a JSON object with a `query`.")
    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        raise ValueError("Send a JSON object with a `query` string.")
    variables = body.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise ValueError("`variables` must be a JSON object.")
    operation = body.get("operationName")
    if operation is not None and not isinstance(operation, str):
        raise ValueError("`operationName` must be a string.")
    return {"query": query, "variables": variables or {}, "operation": operation}


def execute(body: dict[str, Any], context: KinshipContext) -> dict[str, Any]:
    from .api import schema

    document, refusals = validate_query(
        schema, body["query"], body["variables"], body["operation"]
    )
    if refusals:
        return {"errors": [format_error(error) for error in refusals]}
    result = schema.execute(
        document,
        validate=False,
        variable_values=body["variables"],
        operation_name=body["operation"],
        context_value=context,
    )
    response: dict[str, Any] = {}
    if result.errors:
        response["errors"] = [format_error(error) for error in result.errors]
    if result.data is not None or not result.errors:
        response["data"] = result.data
    return response


def graphql_view(request: HttpRequest, host: Host | None = None) -> HttpResponse:
    """Answer a GraphQL request; every failure is a coded error, never a 500."""
    if request.method == "GET" and "text/html" in request.headers.get("Accept", ""):
        return HttpResponse(GRAPHIQL_PAGE)
    if request.method != "POST":
        return error_response(
            "Send GraphQL requests as POST.", KinshipErrorCode.GRAPHQL_ERROR, 405
        )
    try:
        body = _parse_body(request)
    except ValueError as error:
        return error_response(str(error), KinshipErrorCode.GRAPHQL_ERROR, 400)
    host = host or get_host()
    try:
        requestor = host.authenticate(request)
    except AuthenticationError as error:
        code = KinshipErrorCode(error.code)
        return error_response(str(error), code, 401)
    context = KinshipContext(request=request, requestor=requestor)
    try:
        with host.writer():
            return JsonResponse(execute(body, context))
    except Exception:
        logger.exception("Kinship GraphQL request failed")
        return error_response(
            "Internal error; it was logged for the shop's staff.",
            KinshipErrorCode.INTERNAL_ERROR,
            200,
        )
