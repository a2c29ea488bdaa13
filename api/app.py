"""The FastAPI app factory: ``create_app(store=...)`` mounts the routers over one Explorer."""

from __future__ import annotations

import base64
import gc
import hashlib
import os
import re
import threading
from contextlib import asynccontextmanager
from urllib.parse import parse_qsl

import anyio.to_thread
import jieba
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders

from api import admission, errors, templating
from api.routers import concepts, export, graph, health, pages, paths, search, sparql, tours
from kg import __version__, endpoint, resources
from kg.explorer import Explorer
from kg.store.interface import Store

SWAGGER = "swagger-ui-5.35.0"

#: routers in the order they are mounted (pages last: its routes are the most general)
ROUTERS = (health.router, concepts.router, search.router, graph.router, paths.router, export.router, tours.router,
           sparql.router, pages.router)


class RememberLanguage:
    """Records the request's path and query for the templates (the language switch keeps them) and
    remembers ``?lang=zh|en`` in a cookie on HTML responses.  Plain ASGI: Starlette's
    ``@app.middleware("http")`` costs an extra task and body stream on every request."""

    COOKIE = f"lang={{}}; Max-Age={365 * 24 * 3600}; Path=/; SameSite=lax"

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        params = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        templating.current_url.set((scope["path"], params))
        lang = dict(params).get("lang")
        if lang not in ("zh", "en"):
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.append("set-cookie", self.COOKIE.format(lang))
            await send(message)

        await self.app(scope, receive, send_with_cookie)


class EarlyHealth:
    """Answers ``GET /-/health`` ahead of routing, with the route's own function and answer
    (:func:`api.routers.health.health`; the route stays, for the API description): a health check
    costs no route matching or dependency solving, and waits behind nothing but the event loop.
    Plain ASGI, as :class:`RememberLanguage`."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"] == "/-/health" and scope["method"] == "GET":
            answer = await health.health(scope["app"].state.explorer)
            await JSONResponse(answer)(scope, receive, send)
            return
        await self.app(scope, receive, send)


#: the pages' Content-Security-Policy: scripts and style sheets only from this site, no inline script, no
#: eval.  Inline style *attributes* are allowed (CSP3 ``style-src-attr``): the templates colour the
#: legend swatches and size the tour's progress bar with them; ``<style>`` elements stay refused.
#: vis-network styles its elements through the CSSOM (``element.style``), which CSP does not restrict.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'self'")
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "SAMEORIGIN",  # frame-ancestors for browsers that predate it
}
#: /sparql is a public, read-only endpoint: any origin may query it and read the answer (no cookies,
#: no credentials, nothing changes); the preflight is answered by the route's OPTIONS
SPARQL_CORS = {
    "access-control-allow-origin": "*",
    "access-control-expose-headers": "X-Truncated, Retry-After, Content-Disposition",
}


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response (a route that sets its own CSP keeps it, as
    ``/docs`` does) and the CORS headers of :data:`SPARQL_CORS` to ``/sparql``'s.  Plain ASGI, as
    :class:`RememberLanguage`, and outermost (:class:`App`): Starlette's answer to an unhandled
    exception (a 500) gets them too."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = SECURITY_HEADERS | (SPARQL_CORS if scope["path"] == "/sparql" else {})

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _docs_csp(page: bytes) -> str:
    """:data:`CSP` with the hash of each inline script of ``page`` (Swagger UI's start-up script,
    which FastAPI writes inline): those scripts run, no other inline script does."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(m).digest()).decode()}'"
                      for m in re.findall(rb"<script>(.*?)</script>", page, re.S))
    return CSP.replace("script-src 'self'", f"script-src 'self' {hashes}")


#: threads that answer the plain (``def``) routes, ``KG_THREADS`` (anyio's default is 40).  The work is
#: Python, holding the GIL: more threads add no throughput, only contention for the GIL with the event
#: loop, which answers ``/-/health``, parses every request and hands out the queues' slots.
THREADS = 4


def threads_setting(environ=os.environ) -> int:
    """``KG_THREADS`` (1 to 64), else :data:`THREADS`."""
    try:
        n = int(environ.get("KG_THREADS", THREADS))
    except ValueError:
        raise ValueError(f"KG_THREADS must be a number: {environ.get('KG_THREADS')!r}") from None
    if not 1 <= n <= 64:
        raise ValueError(f"KG_THREADS must be 1 to 64, not {n}")
    return n


class App(FastAPI):
    """FastAPI with :class:`SecurityHeaders` around everything, Starlette's error middleware included:
    a 500 from an unhandled exception carries the headers too."""

    def build_middleware_stack(self):
        return SecurityHeaders(super().build_middleware_stack())


@asynccontextmanager
async def _lifespan(app: FastAPI):
    """The server's thread pool cut to :data:`THREADS` (``KG_THREADS``).  jieba reads its dictionary on
    first use (1.3 s): a second after the server starts answering, read it in the background, rather than
    in the first Chinese search or graph view. (Started before the server answered, it held the GIL
    through start-up: 1M triples ready 2–4 s later.)"""
    anyio.to_thread.current_default_thread_limiter().total_tokens = app.state.threads
    timer = threading.Timer(1.0, jieba.initialize)
    timer.daemon = True
    timer.start()
    yield
    timer.cancel()
    app.state.sparql_gate.close()
    app.state.export_gate.close()


def _openapi_with_data(app: FastAPI):
    """``app.openapi``: FastAPI's description, with the parameters whose valid values are the data's
    (classes, schemes, articles, relations, graphs) given as enums, read from the app's explorer, so
    that the description says which values are answered (others get 400)."""
    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes)
            catalog = app.state.explorer.catalog
            kinds: dict[str, list[str]] = {}
            for term in catalog.terms.values():
                kinds.setdefault(term.kind, []).append(term.id)
            values = {
                "class": sorted(kinds.get("Class", [])),
                "scheme": sorted(kinds.get("ConceptScheme", [])),
                "article": sorted(catalog.paragraphs),
                "relation": sorted({e.relation for e in catalog.edges}),
                "default-graph-uri": sorted(map(str, app.state.explorer.store.graph_names())),
                "named-graph-uri": sorted(map(str, app.state.explorer.store.graph_names())),
            }
            values["class"] = sorted({c for concept in catalog.concepts.values()
                                      for c in catalog.class_chain(concept.cls)} & set(values["class"]))
            values["lang"] = ["zh", "en"]
            for item in schema.get("paths", {}).values():
                for operation in item.values():
                    required = operation.pop("x-required", [])
                    for parameter in operation.get("parameters", []):
                        if parameter["name"] in required:
                            parameter["required"] = True
                            parameter["schema"] = {"type": "string", "minLength": 1}
                    form = (operation.get("requestBody", {}).get("content", {})
                            .get("application/x-www-form-urlencoded", {}).get("schema", {}).get("properties", {}))
                    for name, prop in form.items():
                        if name in values and prop.get("type") == "array":
                            prop["items"]["enum"] = values[name]
                    for parameter in operation.get("parameters", []):
                        enum = values.get(parameter["name"])
                        if parameter["in"] != "query" or not enum:
                            continue
                        target = parameter["schema"]
                        if target.get("type") == "array":
                            target = target["items"]
                        elif "anyOf" in target:  # str | None
                            target = next(t for t in target["anyOf"] if t.get("type") == "string")
                        target["enum"] = enum
            app.openapi_schema = schema
        return app.openapi_schema

    return openapi


def create_app(store: Store | None = None, explorer: Explorer | None = None) -> FastAPI:
    app = App(
        title="学习型机关知识图谱 · Learning Government Bodies Explorer",
        version=__version__,
        description="Concepts of the Zhonglou 45231 model and the Yanbian article, with their links and sources.",
        docs_url=None,  # served below from vendored Swagger UI: FastAPI's default loads it from a CDN
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.explorer = explorer or Explorer.load(store, keep_snapshot=True)
    # The explorer's objects live as long as the app: moved out of the collector's generations, a
    # full collection no longer walks them (1.3 million at a million triples: a 0.7 s pause).
    gc.freeze()
    errors.install(app)
    timeout_s = endpoint.Limits.from_env().timeout_s
    # a client whose queries lately ran to near their time limit, on average, is heavy (api.admission)
    app.state.sparql_gate = admission.Gate(admission.AdmissionLimits.from_env(), retry_after_s=timeout_s,
                                           heavy_s=0.8 * timeout_s, express_s=admission.express_budget())
    app.state.export_gate = admission.Gate(admission.export_limits(), admission.EXPORT_RETRY_S, kind="export",
                                           heavy_s=admission.EXPORT_HEAVY_S)

    app.state.drawing = {}  # exports being drawn, by request (api.routers.export.render)
    app.state.threads = threads_setting()

    app.add_middleware(admission.RefuseEarly)  # inside RememberLanguage: a refusal costs nothing more
    app.add_middleware(RememberLanguage)
    app.add_middleware(EarlyHealth)  # SecurityHeaders wraps the whole stack (App)

    app.mount("/static", StaticFiles(directory=resources.static_dir()), name="static")
    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title=f"{app.title} — API",
            swagger_js_url=f"/static/vendor/{SWAGGER}/swagger-ui-bundle.js",
            swagger_css_url=f"/static/vendor/{SWAGGER}/swagger-ui.css",
            swagger_favicon_url=f"/static/vendor/{SWAGGER}/favicon-32x32.png",
            swagger_ui_parameters={"validatorUrl": None},
        )
        page.headers["content-security-policy"] = _docs_csp(page.body)
        return page

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        return RedirectResponse("/static/favicon-1.svg", status_code=301)

    concepts.add_concept_route(app)  # ahead of the routers (see there)
    for router in ROUTERS:
        app.include_router(router)
    app.openapi = _openapi_with_data(app)
    return app
