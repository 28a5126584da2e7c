"""The evidens JSON API: FastAPI over the built database, read-only.

    uvicorn evidence.api.main:app   # or: evidence serve (the API and the Datasette site together)

Every GET answers with an ETag (the dataset version, the code version and the URL) and
Cache-Control; a matching If-None-Match gets 304. Errors are JSON with `detail` (404s for unknown
ids add `suggestions`). Routes live in api/routes/, the work in src/evidence/.
"""

from __future__ import annotations

import gc
import hashlib
import logging
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi_offline import FastAPIOffline
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from evidence.read.database import Database, DatabaseMissing
from evidence.read.lists import InvalidFilter, NotFound
from evidence.settings import ROOT, settings

from .public import BoundedParameters, PublicRedirects
from .routes import Responses, ask, claims, concepts, handbook, references, review, studies
from .strict import (
    INVALID_RESPONSE,
    HeadAsGet,
    InvalidParameter,
    invalid_response,
    strict_query,
    validation_message,
)

log = logging.getLogger("evidence.api")
CACHE_CONTROL = "public, max-age=60"
try:
    CODE_VERSION = version("evidens")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    CODE_VERSION = "0"

DESCRIPTION = """
Every study, finding, claim and citation of VIVE's 2024 review *Tværfagligt samarbejde om en
helhedsorienteret indsats* (55 Nordic studies), as JSON and as files for spreadsheets and
reference managers.

* **Ask** a question in Danish or English: `/api/ask?q=hvilke studier handler om én kontaktperson`.
* **Lists** (`/api/studies`, `/api/claims`, `/api/concepts`, …) take `format=json|csv|csv-excel-da|xlsx`.
* **Briefs**: `/api/concepts/{id}/brief?format=html` — one page for policy staff.
* **Handbook**: `/api/handbook` — a practitioner handbook's advice (Cabi) against the review's evidence.
* **References**: `/api/references.ris`, `.bib`, `.csl.json`.

Cite the review: Hjelmar, U., Ibsen, J. T. & Fischer, R. H. (2024). *Tværfagligt samarbejde om en
helhedsorienteret indsats.* København: VIVE. Data quoted from VIVE with attribution.
"""


DETAIL = {
    "application/json": {"schema": {"type": "object", "properties": {"detail": {"type": "string"}}}}
}
ERROR_RESPONSES: Responses = {
    400: {
        "description": "Too many parameters, one repeated too often, or a query string over "
        "32 KB (evidence.api.public.BoundedParameters).",
        "content": DETAIL,
    },
    503: {"description": "The database has not been built; run `make build`.", "content": DETAIL},
}


def create_app(db_path: Path | None = None) -> FastAPI:
    """The API over the database at db_path (default: settings.db_path)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        database = Database(Path(db_path or settings.db_path), after_load=freeze_heap)
        app.state.database = database
        try:
            ask.warm(database)
            log.info("serving %s (dataset %s)", database.path, database.dataset_version()[:12])
        except DatabaseMissing as e:
            log.warning("%s; every request will answer 503 until it is built", e)
        yield

    # /docs and /redoc from the assets of an installed package (fastapi-offline), not a CDN
    app = FastAPIOffline(
        title="evidens API",
        version=CODE_VERSION,
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_tags=[{"name": t, "description": d} for t, d in TAGS.items()],
    )
    add_middleware(app)
    add_error_handlers(app)
    app.state.landing = "/docs"

    @app.get("/", include_in_schema=False)
    def landing(request: Request):
        """The root leads to the site when it is mounted (evidence serve), else to the API's docs."""
        return RedirectResponse(request.app.state.landing, status_code=307)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        """The site's icon (static/favicon.ico), so a browser's request for it is not a 404."""
        return Response(
            (ROOT / "static" / "favicon.ico").read_bytes(),
            media_type="image/x-icon",
            headers={"cache-control": "max-age=86400, public"},
        )

    for module in (ask, studies, concepts, claims, review, handbook, references):
        app.include_router(
            module.router,
            prefix="/api",
            responses={**ERROR_RESPONSES, **INVALID_RESPONSE},
            dependencies=[Depends(strict_query)],
        )
    return app


def add_middleware(app: FastAPI) -> None:
    """CORS for GET and HEAD, ETags, HEAD as GET, public redirects, bounded parameters (the last
    added runs first)."""
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD"],
        allow_headers=["*"],
        expose_headers=[
            "ETag",
            "Content-Disposition",
            "Link",
            "X-Evidence-Dataset-Version",
            "X-Evidence-Filter",
            "X-Evidence-Citation",
        ],
    )
    app.add_middleware(ETagMiddleware)
    app.add_middleware(HeadAsGet)
    app.add_middleware(PublicRedirects)
    app.add_middleware(BoundedParameters)


def freeze_heap() -> None:
    """Keep what the database's cache just loaded out of the garbage collector's full passes.

    The concept index is millions of objects that live until the next build (at 100× the review)
    and hold no reference cycles. Left to the cyclic garbage collector, each of its full passes
    walks them all: half a second in the middle of a request. Frozen, it walks only what requests
    leave. A process-wide setting, so the server makes it, not the library."""
    gc.collect()
    gc.freeze()


TAGS = {
    "ask": "Questions in Danish or English, answered from the review's citations.",
    "studies": "The 55 included studies (Bilag 2).",
    "concepts": "The bilingual thesaurus and each concept's evidence profile and brief.",
    "review": "The review's claims, sections, outcomes, record, audit and gap map.",
    "handbook": "Cabi's practitioner handbook's advice held against the review's evidence (guidance, not evidence).",
    "references": "The included studies for reference managers.",
}


def etag_for(request: Request, dataset_version: str) -> str:
    url = request.url.path + ("?" + request.url.query if request.url.query else "")
    digest = hashlib.sha256(f"{dataset_version}\0{CODE_VERSION}\0{url}".encode()).hexdigest()[:20]
    return f'W/"{dataset_version[:12]}-{digest}"'


class ETagMiddleware:
    """ETag and Cache-Control on every successful GET; 304 when If-None-Match already has it.

    Plain ASGI rather than `@app.middleware("http")`, whose wrapping of every response in a stream
    costs a quarter of a millisecond per request: as much as reading a study."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        if request.method not in ("GET", "HEAD") or request.url.path.startswith("/browse"):
            return await self.app(scope, receive, send)  # the mounted Datasette site caches itself
        try:
            etag = etag_for(request, request.app.state.database.dataset_version())
        except (DatabaseMissing, AttributeError):
            return await self.app(scope, receive, send)
        sent = {t.strip() for t in request.headers.get("if-none-match", "").split(",")}
        if etag in sent or "*" in sent:
            headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
            return await Response(status_code=304, headers=headers)(scope, receive, send)

        async def send_with_etag(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = MutableHeaders(scope=message)
                headers["ETag"] = etag
                headers["Cache-Control"] = CACHE_CONTROL
            await send(message)

        await self.app(scope, receive, send_with_etag)


def add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return JSONResponse({"detail": str(exc), "suggestions": exc.suggestions}, status_code=404)

    @app.exception_handler(InvalidFilter)
    async def invalid(request: Request, exc: InvalidFilter):
        return invalid_response(getattr(exc, "parameter", None), str(exc))

    @app.exception_handler(InvalidParameter)
    async def invalid_parameter(request: Request, exc: InvalidParameter):
        return invalid_response(exc.parameter, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        return invalid_response(*validation_message(request, exc))

    @app.exception_handler(DatabaseMissing)
    async def missing(request: Request, exc: DatabaseMissing):
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s", request.url)
        return JSONResponse(
            {
                "detail": "Internal error; the request was logged. Try again, or report it with the URL."
            },
            status_code=500,
        )


app = create_app()
