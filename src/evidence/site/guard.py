"""A small ASGI guard in front of the site: read-only methods, bounded query strings, no debug pages.

The site only reads: every method but GET and HEAD is answered 405 with `Allow: GET, HEAD`
(Datasette itself answered POST and TRACE to a table or canned query with a 500, and our own
pages answered DELETE or PUT with the page).

Datasette runs every facet a URL asks for (`_facet=` repeated 2,000 times kept a server busy
for minutes) and reads every repeated filter, sort or column parameter. Before Datasette sees a
request, this guard answers 400 with the site's error page (or JSON for a .json URL) when

- the query string is longer than `MAX_QUERY_BYTES` (a long SQL query still fits),
- it has more than `MAX_PARAMETERS` parameters, or one name more than `MAX_REPEATS` times,
- it asks for more than `MAX_FACETS` facets (`_facet`, `_facet_array`, `_facet_date` together),
- one of Datasette's own underscore parameters has a value Datasette cannot read (`DATASETTE_VALUES`:
  `_timelimit=abc`, `_ttl=²` or a 5,000-digit `_size` made Datasette's `int()` raise, a 500;
  `_json_infinity=abc` raised its ValueAsBooleanError; `_facet_size=abc` was silently ignored);

(on our own pages, evidence.site.pages, the limits are answered by our 400 page, in the page's
language; their other parameters the pages check themselves), and answers 404 for Datasette's debug pages that show a visitor what only the server's operator
needs: `/-/databases` (the database's absolute file path) and `/-/threads` (the server's threads
and tasks).
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from urllib.parse import parse_qsl

from datasette.utils.asgi import Request

from evidence.site.i18n import message as text_of
from evidence.site.params import PageError

MAX_QUERY_BYTES = 32 * 1024
MAX_PARAMETERS = 64
MAX_REPEATS = 16
MAX_FACETS = 10
ALLOWED_METHODS = ("GET", "HEAD")
log = logging.getLogger("evidence.site")  # one line per refusal, as evidence.site.errors logs
HIDDEN = re.compile(r"/-/(databases|threads)(\.json)?/?$")
COUNT = r"[0-9]{1,9}"  # ASCII digits: Python's int() also reads '²' and fails on 4,300 digits
BOOLEAN = ("on", "off", "true", "false", "1", "0")  # datasette.utils.value_as_boolean
SHAPES = ("arrays", "objects", "array", "object", "arrayfirst")  # datasette.renderer.json_renderer
# Datasette's parameters that it reads as a number, a boolean or a choice: (pattern, what is
# allowed). An empty value is Datasette's "not given", except for _json_infinity, which it reads.
DATASETTE_VALUES = {
    "_timelimit": (COUNT, "a whole number of milliseconds, 0-999999999"),
    "_ttl": (COUNT, "a whole number of seconds, 0-999999999"),
    "_size": (f"{COUNT}|max", "a whole number of rows, 0-999999999, or max"),
    "_facet_size": (f"{COUNT}|max", "a whole number of facet values, or max"),
    "_shape": ("|".join(SHAPES), ", ".join(SHAPES)),
    **{
        name: ("|".join(BOOLEAN), ", ".join(BOOLEAN))
        for name in ("_json_infinity", "_labels", "_nocount", "_nofacet", "_nosuggest", "_stream")
    },
}


def over_limit(query_string: bytes) -> tuple[str, dict] | None:
    """The limit a query string goes over, as a message of evidence.site.i18n (key, values), or None."""
    if len(query_string) > MAX_QUERY_BYTES:
        return "too_long", {"max": MAX_QUERY_BYTES // 1024}
    if query_string.count(b"&") >= MAX_PARAMETERS:
        return "too_many_parameters", {"max": MAX_PARAMETERS}
    counts = Counter(name for name, _ in parse(query_string))
    name, most = counts.most_common(1)[0] if counts else ("", 0)
    if most > MAX_REPEATS:
        return "repeated_too_often", {"name": name[:40], "count": most, "max": MAX_REPEATS}
    facets = sum(n for k, n in counts.items() if k.startswith("_facet") and k != "_facet_size")
    if facets > MAX_FACETS:
        return "too_many_facets", {"count": facets, "max": MAX_FACETS}
    return None


def parse(query_string: bytes) -> list[tuple[str, str]]:
    return parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)


def refusal(query_string: bytes) -> str | None:
    """Why a query string is refused (in English, as Datasette's pages and the API say it), or None."""
    limit = over_limit(query_string)
    if limit is not None:
        return text_of(limit[0], "en", limit[1])
    return bad_datasette_value(parse(query_string))


def bad_datasette_value(params: list[tuple[str, str]]) -> str | None:
    """Why a value of one of Datasette's underscore parameters (`DATASETTE_VALUES`) is refused,
    naming the parameter, the value and what is allowed; or None."""
    for name, value in params:
        if name in DATASETTE_VALUES:
            pattern, allowed = DATASETTE_VALUES[name]
            if name != "_json_infinity":
                pattern = f"(?:{pattern})?"
            if not re.fullmatch(pattern, value, re.IGNORECASE):
                return f"{name}={value[:40]!r} cannot be used: {name} takes {allowed}."
    return None


def guard(app, datasette=None):
    """Wrap an ASGI app (the site) with the checks above; pages rendered by `datasette` if given."""

    async def guarded(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        path = scope.get("path", "")
        if scope.get("method", "GET") not in ALLOWED_METHODS:
            message = (
                f"{scope.get('method', '')[:20]} is not allowed here: the site is read-only (GET)."
            )
            allow = [(b"allow", ", ".join(ALLOWED_METHODS).encode())]
            return await _answer(send, datasette, path, 405, message, allow)
        if HIDDEN.search(path):
            return await _answer(send, datasette, path, 404, "Not found.")
        query_string = scope.get("query_string", b"")
        limit = over_limit(query_string) if is_ours(datasette, path) else None
        if limit is not None:  # our page's own 400 (its other parameters it checks itself)
            log.info(f"{path[:200]} -> 400 refused: {text_of(limit[0], 'en', limit[1])}")
            return await our_page(datasette, scope, receive, send, PageError(400, *limit))
        reason = None if is_ours(datasette, path) else refusal(query_string)
        if reason:
            return await _answer(send, datasette, path, 400, reason)
        return await app(scope, receive, send)

    return guarded


def is_ours(datasette, path: str) -> bool:
    """Whether the path is one of our pages (evidence.site.pages, /-/search), not Datasette's."""
    if datasette is None:
        return False
    from evidence.site.pages import ROUTES  # pages imports the plugin's modules

    base = datasette.setting("base_url")
    if base != "/" and path.startswith(base):
        path = "/" + path[len(base) :]
    return path == "/" or any(re.match(r, path) for r, _ in ROUTES)


async def our_page(datasette, scope, receive, send, error: PageError) -> None:
    """The error page our pages give (evidence.site.pages.error_page), in the request's language."""
    from evidence.site.pages import error_page

    # before Datasette's CSRF layer, which gives its pages a token: a GET page needs none
    request = Request({**scope, "csrftoken": lambda: ""}, receive)
    response = await error_page(datasette, request, error)
    await response.asgi_send(send)


async def _answer(send, datasette, path: str, status: int, message: str, extra=()) -> None:
    log.info(f"{path[:200]} -> {status} refused: {' '.join(message.split())[:300]}")
    if path.endswith(".json"):
        body = json.dumps({"ok": False, "error": message, "status": status}).encode()
        content_type = b"application/json; charset=utf-8"
    else:
        body = (await _page(datasette, status, message)).encode()
        content_type = b"text/html; charset=utf-8"
    headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _page(datasette, status: int, message: str) -> str:
    if datasette is not None:
        try:
            return await datasette.render_template(
                "error.html", {"ok": False, "error": message, "status": status, "title": None}
            )
        except Exception:  # before startup: the plain page below
            pass
    from html import escape

    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Error {status}</title>"
        f"</head><body><h1>Error {status}</h1><p>{escape(message)}</p></body></html>"
    )
