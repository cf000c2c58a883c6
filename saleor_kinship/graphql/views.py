"""The kinship GraphQL endpoint: JSON over POST, GraphiQL for a browser's GET."""

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from graphql.execution.middleware import MiddlewareManager
from graphql.language import ast
from graphql.type.definition import get_named_type

from ..core.error_codes import KinshipErrorCode
from ..core.host import AuthenticationError, Host, get_host, settings_scope
from .core.context import KinshipContext
from .core.errors import KinshipGraphQLError, format_error, log_failure
from .core.mutations import BaseMutation
from .core.text import find_unstorable, written
from .limits import validate_query

MAX_BODY_BYTES = 1_000_000

# GraphiQL's files come from unpkg.com (so a browser needs the internet),
# pinned and checked against the hashes of the npm packages they come from.
GRAPHIQL_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kinship GraphQL</title>
<link rel="stylesheet" crossorigin="anonymous"
 href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css"
 integrity="sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM">
</head><body style="margin:0"><div id="graphiql" style="height:100vh"></div>
<script crossorigin="anonymous"
 src="https://unpkg.com/react@18.3.1/umd/react.production.min.js"
 integrity="sha384-DGyLxAyjq0f9SPpVevD6IgztCFlnMF6oW/XQGmfe+IsZ8TqEiDrcHkMLKI6fiB/Z">
</script>
<script crossorigin="anonymous"
 src="https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js"
 integrity="sha384-gTGxhz21lVGYNMcdJOyq01Edg0jhn/c22nsx0kyqP0TxaV5WVdsSH1fSDUf5YJj1">
</script>
<script crossorigin="anonymous"
 src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js"
 integrity="sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie">
</script>
<script>
const fetcher = GraphiQL.createFetcher({url: window.location.pathname});
ReactDOM.createRoot(document.getElementById("graphiql"))
  .render(React.createElement(GraphiQL, {fetcher}));
</script></body></html>"""


def error_response(message: str, code: KinshipErrorCode, status: int) -> JsonResponse:
    error = {"message": message, "extensions": {"exception": {"code": code.name}}}
    return JsonResponse({"errors": [error]}, status=status)


class UnreadableRequest(Exception):
    """A request the endpoint cannot read: what to tell the client, and the status."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def max_body_bytes() -> int:
    """Return the largest body read: ours, or Django's if that is lower."""
    djangos = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return MAX_BODY_BYTES if djangos is None else min(MAX_BODY_BYTES, djangos)


def _too_large(limit: int) -> UnreadableRequest:
    return UnreadableRequest(f"The request body is over {limit} bytes, the limit.", 413)


def _read_body(request: HttpRequest) -> bytes:
    limit = max_body_bytes()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise UnreadableRequest("The Content-Length header is not a number.")
    if declared > limit:
        raise _too_large(limit)
    try:
        body = request.body
    except RequestDataTooBig:
        raise _too_large(limit)
    except RawPostDataException:
        # The host read the body as a stream before handing the request over.
        raise UnreadableRequest("The request body could not be read.")
    if len(body) > limit:
        raise _too_large(limit)
    return body


def _parse_body(request: HttpRequest) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise UnreadableRequest(
            "Send the request body as JSON, with 'Content-Type: application/json'.",
            415,
        )
    raw = _read_body(request)
    try:
        body = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise UnreadableRequest("The request body is not JSON.")
    except RecursionError:
        raise UnreadableRequest("The request body nests too deeply to be read.")
    if not isinstance(body, dict):
        raise UnreadableRequest("Send a JSON object with a `query`.")
    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        raise UnreadableRequest("Send a JSON object with a `query` string.")
    variables = body.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise UnreadableRequest("`variables` must be a JSON object.")
    operation = body.get("operationName")
    if operation is not None and not isinstance(operation, str):
        raise UnreadableRequest("`operationName` must be a string.")
    return {"query": query, "variables": variables or {}, "operation": operation}


def _reports_in_payload(info: Any) -> bool:
    graphene_type = getattr(get_named_type(info.return_type), "graphene_type", None)
    return isinstance(graphene_type, type) and issubclass(graphene_type, BaseMutation)


def refuse_unstorable_text(
    next_resolver: Any, root: Any, info: Any, **arguments: Any
) -> Any:
    """Refuse a field whose arguments hold text the database cannot store.

    A mutation built on BaseMutation reports it in its payload's errors.
    """
    found = find_unstorable(arguments) if arguments else None
    if found is None or _reports_in_payload(info):
        return next_resolver(root, info, **arguments)
    path, what = found
    given = {node.name.value: node.value for node in info.field_asts[0].arguments}
    source = given.get(written(path[:1]))
    via = f" (from ${source.name.value})" if isinstance(source, ast.Variable) else ""
    raise KinshipGraphQLError(
        f'The argument "{written(path)}"{via} of "{info.field_name}" contains '
        f"{what}, which text may not hold.",
        KinshipErrorCode.INVALID,
    )


MIDDLEWARE = MiddlewareManager(refuse_unstorable_text, wrap_in_promise=False)


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
        middleware=MIDDLEWARE,
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
    except UnreadableRequest as error:
        return error_response(str(error), KinshipErrorCode.GRAPHQL_ERROR, error.status)
    host = host or get_host()
    try:
        requestor = host.authenticate(request)
    except AuthenticationError as error:
        code = KinshipErrorCode(error.code)
        return error_response(str(error), code, 401)
    context = KinshipContext(request=request, requestor=requestor)
    try:
        # The merchant's configuration is read once a request, not once a field.
        with host.writer(), settings_scope():
            return JsonResponse(execute(body, context))
    except Exception as error:
        log_failure(error, "request")
        return error_response(
            "Internal error; it was logged for the shop's staff.",
            KinshipErrorCode.INTERNAL_ERROR,
            200,
        )
