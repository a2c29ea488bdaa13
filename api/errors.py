"""Errors: JSON with a message for API calls, a friendly page for browsers, never a traceback.

The core's errors carry no HTTP status: :data:`STATUS` gives each class its status here."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import formats
from api.deps import get_lang
from api.templating import render
from kg import endpoint
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


def error_response(request: Request, status: int, message: str, extra: dict | None = None):
    if wants_json(request):
        body = {"error": {"status": status, "message": message}}
        if extra:
            body["error"].update(extra)
        return JSONResponse(body, status_code=status)
    page = render("error.html", status=status, title=TITLES.get(status, "error.other"), message=message,
                  lang=get_lang(request), **(extra or {}))
    return HTMLResponse(page, status_code=status)


def install(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        extra = exc.detail if isinstance(exc.detail, dict) else None
        if extra:
            detail = extra.pop("message", detail)
        response = error_response(request, exc.status_code, detail, extra)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        parts = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
            parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else err.get("msg", "invalid"))
        return error_response(request, 400, "; ".join(parts) or "invalid request")

    @app.exception_handler(endpoint.SparqlError)
    async def unanswerable(request: Request, exc: endpoint.SparqlError):
        return error_response(request, status_of(exc), exc.message, exc.extra or None)

    @app.exception_handler(StoreError)
    async def store_down(request: Request, exc: StoreError):
        log.error("store error on %s: %s", request.url.path, exc)  # its text may name hosts and paths: logged only
        return error_response(request, status_of(exc), "the triple store cannot answer; the details are in the server log")

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):  # noqa: BLE001 - last resort: log it, show no traceback
        log.exception("unhandled error on %s", request.url.path)
        return error_response(request, 500, "internal error; the details are in the server log")
