"""What the routes answer besides their 200, for the OpenAPI description (``responses=`` of the routers
and route decorators): the error statuses with the error body, and the pages' two media types.

Errors are JSON (``{"error": {"status", "message"}}``) for API clients and an HTML page for browsers
(:func:`api.errors.error_response`); both are declared.
"""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["status", "message"],
                             "properties": {"status": {"type": "integer"}, "message": {"type": "string"}}}},
}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}}

DESCRIPTIONS = {
    400: "A parameter out of range or naming nothing held here (the message says which)",
    403: "Refused: this service is read-only",
    404: "Nothing by this name (the JSON error lists close names where there are some)",
    406: "Nothing the Accept header (or `format`) allows can be produced",
    413: "The request (or the drawing it asks for) is larger than the limit the message names",
    415: "A request body of a media type that is not accepted",
    429: "This client has its share of requests in progress; see `Retry-After`",
    503: "Busy or over a time or memory limit; see `Retry-After` where given",
    422: "Valid input that could not be processed (a generic message; the details are in the server log)",
}


def errors(*statuses: int) -> dict[int | str, dict]:
    """The ``responses=`` entries of these error statuses."""
    declared: dict[int | str, dict] = {}
    for status in statuses:
        entry = {"description": DESCRIPTIONS[status],
                 "content": {"application/json": {"schema": ERROR_SCHEMA}, "text/html": {"schema": {"type": "string"}}}}
        if status in (429, 503):
            entry["headers"] = RETRY_AFTER
        declared[status] = entry
    return declared


#: a resource that is a page for a browser and JSON for a client (``api.formats.page_or_json``)
PAGE_OR_JSON = {200: {"description": "The page (text/html) for a browser, its data (application/json) for a "
                                     "client that asks for JSON (`Accept`, `format=json` or the `.json` twin)",
                      "content": {"application/json": {}, "text/html": {"schema": {"type": "string"}}}}}
#: what every route of the site may answer besides 200 and 422
COMMON = errors(400, 404, 406)
