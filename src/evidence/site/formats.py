"""An unknown extension on Datasette's database, table, row and query pages is the project's 404.

Datasette renders its HTML page for any extension it has no renderer for: `/evidence/studies.nope`
and `/evidence/studies/631.nope` answered 200 with the page (while `studies.nope.json` was a 404),
as if the extension were part of the address. Before Datasette sees such a request, this layer
matches the path as Datasette's own routes do and, when it names one of the site's databases with an
extension that is none of Datasette's formats, answers 404 with the page our own pages give for
`/study/631.xml` (evidence.site.pages.error_page), naming the forms that do exist. The formats are
Datasette's: its registered renderers (`json`, ours `xlsx` and `excelcsv`, any plugin's), `csv`,
which it streams itself, and a database's `.db` download.
"""

from __future__ import annotations

import re
import urllib.parse

from evidence.site.guard import our_page
from evidence.site.params import PageError

# Datasette 0.65's routes of its database, table (and canned query) and row views (datasette.app)
PAGE_ROUTES = (
    re.compile(r"^/(?P<database>[^/.]+)/(?P<table>[^/.]+)/(?P<pks>[^/]+?)\.(?P<format>\w+)$"),
    re.compile(r"^/(?P<database>[^/.]+)/(?P<table>[^/.]+)\.(?P<format>\w+)$"),
    re.compile(r"^/(?P<database>[^/.]+)\.(?P<format>\w+)$"),
)
STREAMED = ("csv",)  # written by Datasette's views themselves, not by a renderer
DOWNLOAD = "db"  # a database's own file (DatabaseDownload)


def formats(datasette, database_page: bool) -> list[str]:
    """The extensions Datasette answers on a page: its renderers' and its own."""
    found = [*datasette.renderers.keys(), *STREAMED]
    return [*found, DOWNLOAD] if database_page else found


def unknown_format(datasette, path: str) -> tuple[str, str, list[str]] | None:
    """(the page, the extension, the page's real forms) for an unknown extension, or None."""
    base = datasette.setting("base_url")
    if base != "/" and path.startswith(base):
        path = "/" + path[len(base) :]
    for route in PAGE_ROUTES:
        found = route.match(path)
        if found is None:
            continue
        database = urllib.parse.unquote(found["database"])
        if database not in datasette.databases or database == "_internal":
            return None
        allowed = formats(datasette, "table" not in found.groupdict())
        if found["format"] in allowed:
            return None
        page = path[1 : -len(found["format"]) - 1]
        return page, found["format"], [page, *(f"{page}.{f}" for f in allowed if f != DOWNLOAD)]
    return None


def unknown_formats(app, datasette):
    """Wrap an ASGI app (the site) so an unknown extension on Datasette's pages is our 404."""

    async def checked(scope, receive, send):
        if scope["type"] == "http":
            found = unknown_format(datasette, scope.get("path", ""))
            if found is not None:
                return await not_found(datasette, scope, receive, send, *found)
        return await app(scope, receive, send)

    return checked


async def not_found(datasette, scope, receive, send, page: str, extension: str, forms: list[str]):
    error = PageError(
        404,
        "unknown_format",
        {"value": page, "format": extension, "allowed": ", ".join(forms)},
        [(datasette.urls.path(form), form) for form in forms],
    )
    await our_page(datasette, scope, receive, send, error)
