"""An unknown extension on Datasette's database, table, row and query pages is the project's 404.

Datasette renders its HTML page for any extension it has no renderer for: `/evidence/studies.nope`
and `/evidence/studies/631.nope` answered 200 with the page (while `studies.nope.json` was a 404),
as if the extension were part of the address. Before Datasette sees such a request, this layer
matches the path as Datasette's own routes do and, when it names one of the site's databases with an
extension that is none of Datasette's formats, answers 404 with the page our own pages give for
`/study/631.xml` (evidence.site.pages.error_page), naming the forms that do exist. The formats are
Datasette's: its registered renderers (`json`, ours `xlsx` and `excelcsv`, any plugin's), `csv`,
which it streams itself, and a database's `.db` download.

A row whose key holds a dot, typed as it reads (`/evidence/sections/2.1`), looks to those routes
like row `2` with the extension `.1`; Datasette writes that key `2~2E1` (tilde encoding). When the
dotted key names a row of the table (and its last part is none of the formats, so the address has
no other reading), the request is redirected (302, as Datasette redirects a percent-encoded address
to its tilde form; not 301, since it holds while the build has that row) to the row's address.

Datasette's pages under `/-/` (`/-/metadata`, `/-/versions.json`, a plugin's `/-/dashboards`) are
the same: `/-/metadata.xml` was Datasette's "Database not found" (its table route read `-` as a
database); it is our 404 naming the page's forms (the page, and `.json` where it has one). A
database's own page has no file without a query: `/evidence.csv` (a 500 in Datasette),
`/evidence.xlsx` and `/evidence.excelcsv` (empty files) answer our 400 saying to add `?sql=`.
"""

from __future__ import annotations

import re
import urllib.parse
from weakref import WeakKeyDictionary

from datasette.utils import escape_sqlite, tilde_decode, tilde_encode
from datasette.utils.asgi import Response

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
SPECIAL = re.compile(r"^/-/(?P<name>[^/.]+)\.(?P<format>[^/]*)$")  # /-/metadata.xml
DATA_PAGES = ("DatabaseView", "TableView", "RowView")  # Datasette's routes that match any name
FILES = ("csv", "xlsx", "excelcsv")  # a database page's files, each the answer of ?sql=
_routes: WeakKeyDictionary = WeakKeyDictionary()


def formats(datasette, database_page: bool) -> list[str]:
    """The extensions Datasette answers on a page: its renderers' and its own."""
    found = [*datasette.renderers.keys(), *STREAMED]
    return [*found, DOWNLOAD] if database_page else found


def unknown_format(datasette, path: str) -> tuple[str, str, list[str]] | None:
    """(the page, the extension, the page's real forms) for an unknown extension, or None."""
    path = strip_base(datasette, path)
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


def routed(datasette, path: str) -> bool:
    """Whether one of Datasette's routes other than its database, table and row pages (its own
    `/-/` pages, a plugin's, ours) answers `path`."""
    if datasette not in _routes:
        _routes[datasette] = datasette._routes()  # the router's list, built as Datasette builds it
    for regex, view in _routes[datasette]:
        if regex.match(path):
            return getattr(view, "__name__", "") not in DATA_PAGES
    return False


def special_format(datasette, path: str) -> tuple[str, str, list[str]] | None:
    """(the page, the extension, its forms) for an unknown extension on a `/-/` page, or None."""
    found = SPECIAL.match(strip_base(datasette, path))
    if found is None or routed(datasette, found[0]):
        return None
    page = f"-/{found['name']}"
    forms = [f for f in (page, f"{page}.json") if routed(datasette, "/" + f)]
    return (page, found["format"], forms) if forms else None


def needs_query(datasette, path: str, query: bytes) -> PageError | None:
    """Our 400 for a database page's file without a query (`/evidence.csv`), or None."""
    found = PAGE_ROUTES[2].match(strip_base(datasette, path))
    if found is None or found["format"] not in FILES or b"sql=" in query:
        return None
    database = urllib.parse.unquote(found["database"])
    if database not in datasette.databases or database == "_internal":
        return None
    example = (
        datasette.urls.database(database, format=found["format"]) + "?sql=select+*+from+studies"
    )
    table = datasette.urls.table(database, "studies", format=found["format"])
    values = {"value": f"{database}.{found['format']}", "example": example}
    return PageError(400, "file_needs_query", values, [(example, example), (table, table)], True)


def strip_base(datasette, path: str) -> str:
    base = datasette.setting("base_url")
    return "/" + path[len(base) :] if base != "/" and path.startswith(base) else path


async def dotted_row(datasette, path: str) -> str | None:
    """The address Datasette writes for `path` when it is a row whose key holds a dot typed as
    it reads (`evidence/sections/2.1` → `/evidence/sections/2~2E1`), or None."""
    path = strip_base(datasette, path)
    found = PAGE_ROUTES[0].match(path)
    if found is None or found["format"] in formats(datasette, False):
        return None
    database, table = (tilde_decode(urllib.parse.unquote(found[k])) for k in ("database", "table"))
    if database not in datasette.databases or database == "_internal":
        return None
    db = datasette.get_database(database)
    if not await db.table_exists(table):
        return None
    keys = f"{found['pks']}.{found['format']}".split(",")
    pks = await db.primary_keys(table) or ["rowid"]
    if len(keys) != len(pks):
        return None
    where = " and ".join(f"{escape_sqlite(pk)} = ?" for pk in pks)
    row = await db.execute(f"select 1 from {escape_sqlite(table)} where {where} limit 1", keys)
    if not row.rows:
        return None
    return datasette.urls.table(database, table) + "/" + ",".join(map(tilde_encode, keys))


def unknown_formats(app, datasette):
    """Wrap an ASGI app (the site) so an unknown extension on Datasette's pages is our 404, and
    a row's dotted key typed as it reads goes to the row (dotted_row)."""

    async def checked(scope, receive, send):
        if scope["type"] == "http":
            path = scope.get("path", "")
            error = needs_query(datasette, path, scope.get("query_string", b""))
            if error is not None:
                return await our_page(datasette, scope, receive, send, error)
            special = special_format(datasette, path)
            if special is not None:
                return await not_found(datasette, scope, receive, send, *special)
            found = unknown_format(datasette, path)
            if found is not None:
                moved = await dotted_row(datasette, scope.get("path", ""))
                if moved is not None:
                    query = scope.get("query_string", b"").decode("latin-1")
                    location = moved + (f"?{query}" if query else "")
                    return await Response.redirect(location).asgi_send(send)
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
