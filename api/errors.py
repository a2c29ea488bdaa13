"""Errors: JSON with a message for API calls, a friendly page for browsers, never a traceback.

The core's errors carry no HTTP status: :data:`STATUS` gives each class its status here.

Every text a user meets comes from the UI catalogue in the user's language (``?lang=``, the remembered
choice, else ``Accept-Language``): an error's message is a :class:`kg.i18n.Message`, whose ``code`` a JSON
error carries beside the text (``{"error": {"status", "code", "message", ...}}``).  The core's errors
(exports, SPARQL, tours) carry such a Message too; a parser's or Graphviz's own English text is a value
inside the catalogue's sentence.  A plain text (none should be left) is shown as it is, under its status's
code."""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import formats
from api.deps import get_lang
from api.templating import render
from kg import endpoint
from kg.i18n import Explained, Message
from kg.store.interface import StoreError

log = logging.getLogger("kg.api")

#: the error page's title (a key of the UI catalogue) by status
TITLES = {400: "error.bad_request", 403: "error.forbidden", 404: "error.not_found", 405: "error.method",
          406: "error.not_acceptable", 408: "error.timeout", 413: "error.too_large", 415: "error.media_type",
          422: "error.invalid", 500: "error.internal", 503: "error.unavailable"}


#: the HTTP status of each error of the core, by class (the nearest class of an exception counts)
STATUS: dict[type[Exception], int] = {
    endpoint.SparqlError: 400,  # a malformed or empty query
    endpoint.UnknownGraph: 400,
    endpoint.Refused: 403,  # updates, SERVICE
    endpoint.NoFormat: 406,
    endpoint.QueryFailed: 400,  # valid SPARQL the evaluator refuses (a type error, an unknown function)
    endpoint.EvaluationFailed: 422,  # valid SPARQL the engine fails on: a generic message, the details logged
    endpoint.TimeLimit: 503,
    endpoint.ResourceLimit: 503,
    endpoint.StoreUnavailable: 503,
    StoreError: 503,
}


def status_of(exc: Exception) -> int:
    """The HTTP status for an error of the core (500 for one not in :data:`STATUS`)."""
    return next((STATUS[cls] for cls in type(exc).__mro__ if cls in STATUS), 500)


def wants_json(request: Request) -> bool:
    """API paths and clients that do not ask for HTML get JSON errors."""
    path = request.url.path
    if path.endswith(".json") or path.startswith(("/sparql", "/-/")):
        return True
    try:
        chosen = formats.negotiate((formats.JSON, formats.HTML), request.headers.get("accept", ""))
    except formats.NotAcceptable:
        return True
    return chosen is formats.JSON


def problem(status: int, message: "Message | str", headers: dict | None = None, **extra) -> HTTPException:
    """An HTTP error whose text is a catalogue :class:`~kg.i18n.Message`, with what the answer offers beside
    it (``extra``: suggestions, candidates)."""
    return HTTPException(status, {"message": message, **extra}, headers=headers)


def error_lang(request: Request) -> str:
    """The language of an error: ``?lang=`` or the remembered choice, else the first of Accept-Language
    (a JSON client sends no cookie), else zh."""
    if request.query_params.get("lang") or request.cookies.get("lang"):
        return get_lang(request)
    first = request.headers.get("accept-language", "").split(",")[0].strip().lower()
    return "en" if first.startswith("en") else "zh"


def status_code(status: int) -> str:
    """The code of an error whose text is not in the catalogue: its status's (``not_found``, ``bad_request``)."""
    return TITLES.get(status, "error.other").split(".", 1)[1]


def error_response(request: Request, status: int, message: "Message | str", extra: dict | None = None):
    lang = error_lang(request)
    code = message.code if isinstance(message, Message) else status_code(status)
    text = message.text(lang) if isinstance(message, Message) else message
    if wants_json(request):
        body = {"error": {"status": status, "code": code, "message": text}}
        if extra:
            body["error"].update(extra)
        return JSONResponse(body, status_code=status)
    page = render("error.html", status=status, title=TITLES.get(status, "error.other"), message=text, code=code,
                  lang=lang, query=dict(request.query_params), path=request.url.path, **(extra or {}))
    return HTMLResponse(page, status_code=status)


def install(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, (str, Message)) else "error"
        extra = dict(exc.detail) if isinstance(exc.detail, dict) else None
        if extra:
            detail = extra.pop("message", detail)
        if isinstance(detail, Explained):
            detail = detail.message
        if detail == HTTPStatus(exc.status_code).phrase and exc.status_code in _PLAIN:  # Starlette's own "Not Found"
            detail = Message(_PLAIN[exc.status_code])
        response = error_response(request, exc.status_code, detail, extra)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        messages = [_invalid(err) for err in exc.errors()]
        if len(messages) == 1:
            return error_response(request, 400, messages[0])
        lang = error_lang(request)
        return error_response(request, 400, " ".join(m.text(lang) for m in messages) or "invalid request")

    @app.exception_handler(endpoint.SparqlError)
    async def unanswerable(request: Request, exc: endpoint.SparqlError):
        return error_response(request, status_of(exc), exc.message, exc.extra or None)

    @app.exception_handler(StoreError)
    async def store_down(request: Request, exc: StoreError):
        log.error("store error on %s: %s", request.url.path, exc)  # its text may name hosts and paths: logged only
        return error_response(request, status_of(exc), Message("store_down"))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):  # noqa: BLE001 - last resort: log it, show no traceback
        log.exception("unhandled error on %s", request.url.path)
        return error_response(request, 500, Message("internal"))


#: Starlette's own answers (an unknown address, a method the route does not take) → the catalogue's codes
_PLAIN = {404: "no_such_page", 405: "method_not_allowed"}

#: pydantic's error types → the catalogue's codes (the rest: invalid_value)
_VALIDATION = {"missing": "missing", "greater_than_equal": "at_least", "greater_than": "at_least",
               "less_than_equal": "at_most", "less_than": "at_most", "string_too_long": "too_long_value"}


def _invalid(err: dict) -> Message:
    """A parameter FastAPI refused, as a catalogue message (pydantic's own text is English only)."""
    name = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")) or "?"
    ctx = err.get("ctx") or {}
    code = _VALIDATION.get(err.get("type", ""), "invalid_value")
    value = err.get("input")
    return Message(code, name=name, value=value if isinstance(value, (str, int, float)) else "",
                   low=ctx.get("ge", ctx.get("gt", "")), high=ctx.get("le", ctx.get("lt", "")),
                   most=ctx.get("max_length", ""))
