"""The Datasette plugin of the site: stemmed search, Excel exports, our routes, the API's address.

- Search: the search box of every table sends `?_search=` to SQL as `escape_fts(:search)`.
  This plugin re-registers `escape_fts` (after Datasette's own, hence `trylast`) as
  evidence.search_text.fts_query, so the box searches Danish and English stems and never
  raises an FTS syntax error. It also adds the SQL functions `fts_query`, `stem_da` and
  `stem_en` for canned queries and for anyone writing SQL.
- Exports: `.xlsx` (a workbook with the rows and an "about" sheet saying where they come
  from) and `.excelcsv`, CSV for Danish Excel: UTF-8 with a byte-order mark, `;` between
  fields, CRLF line ends, decimal commas, text quoted. Both export every row of a table or view,
  not just one page (evidence.site.spreadsheets follows its pages), refuse a query Datasette cut
  at max_returned_rows, and are written by the API's exporter (evidence.export.files).
- `extra_template_vars`: `api_url`, the API's address from the site (mounted or alone),
  and `facet_label`;
  `render_cell`: labels for the vocabularies' codes and lists for JSON arrays on Datasette's
  own pages (evidence.site.labels).
- `register_routes`: the site's own pages (evidence.site.pages) and its landing page
  (evidence.site.landing, faster than Datasette's index view).
"""

from __future__ import annotations

import urllib.parse

from datasette import hookimpl
from datasette.utils import tilde_decode
from datasette.utils.asgi import Response
from datasette.views.base import DatasetteError

from evidence.export.excel import excel_csv, xlsx_workbook
from evidence.export.files import About, download_headers
from evidence.search_text import fts_query, stem_da, stem_en
from evidence.settings import public_url
from evidence.site import labels, notes
from evidence.site.csv_labels import labelled_csv
from evidence.site.errors import error_response, replace_default_handler
from evidence.site.formats import unknown_formats
from evidence.site.guard import guard
from evidence.site.i18n import mark_danish
from evidence.site.limits import bound
from evidence.site.provenance import about_of, csv_provenance
from evidence.site.rebuilds import follow_rebuilds
from evidence.site.spreadsheets import every_row

EXCEL_CSV = "excelcsv"
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv-excel-da": "text/csv; charset=utf-8",
}


@hookimpl(trylast=True)
def prepare_connection(conn):
    bound(conn)  # evidence.site.limits: what one query may build, return and see
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    conn.create_function("fts_query", 1, fts_query, deterministic=True)
    conn.create_function("stem_da", 1, stem_da, deterministic=True)
    conn.create_function("stem_en", 1, stem_en, deterministic=True)


def _all_rows_redirect(datasette, request, data) -> Response | None:
    """Send a paginated table export to the same URL with _size=max, so it has every row."""
    if data.get("next") and request.args.get("_size") != "max":
        args = [
            (k, v)
            for k, v in urllib.parse.parse_qsl(request.query_string, keep_blank_values=True)
            if k not in ("_size", "_next")
        ]
        # urls.path adds base_url: the site sees its paths without the /browse prefix
        return Response.redirect(
            datasette.urls.path(request.path)
            + "?"
            + urllib.parse.urlencode([*args, ("_size", "max")])
        )
    return None


async def render_xlsx(datasette, columns, rows, request, data, database, table, query_name):
    def write(about: About, types: dict[str, str], rows: list) -> bytes:
        return xlsx_workbook(columns, rows, about, types)

    where = (database, table, query_name)
    return await _download(datasette, request, data, where, columns, rows, "xlsx", write)


async def render_excel_csv(datasette, request, columns, rows, data, database, table, query_name):
    def write(about: About, types: dict[str, str], rows: list) -> bytes:
        return excel_csv(columns, rows, types)

    where = (database, table, query_name)
    return await _download(datasette, request, data, where, columns, rows, "csv-excel-da", write)


async def _labelled(datasette, request, database, table, columns, rows) -> list:
    """The rows with a label beside each code of a vocabulary when `_labels=on` (or `_label=`)
    asks for them, as the page shows them (evidence.site.labels); a label column follows each
    such column, as one follows each foreign key."""
    if database not in datasette.databases:
        return rows
    known = await labels.labels(datasette.get_database(database))
    labelled = labels.labelled_columns(known, table, columns, request.args)
    return labels.with_labels(known, table, columns, rows, labelled) if labelled else rows


async def _download(datasette, request, data, where, columns, rows, fmt: str, write) -> Response:
    """Every row (a paged table is sent to `_size=max` first, then its pages are followed:
    evidence.site.spreadsheets) as a file named as the API names its files (table or query,
    filter, data version), written by `write(about, types, rows)`, with the headers every export
    sends (evidence.export.files.download_headers; the companion of an `.excelcsv` is
    evidence.site.provenance's). A query that failed (`data["error"]`, which Datasette hands on
    with status 400) raises DatasetteError: the error page, not a file; a query Datasette cut at
    max_returned_rows is our 400 (evidence.site.spreadsheets)."""
    if data.get("error"):
        raise DatasetteError(str(data["error"]), title="Invalid SQL", status=400)
    redirect = _all_rows_redirect(datasette, request, data)
    if redirect:
        return redirect
    database, table, query_name = where
    rows = await every_row(datasette, request, data, columns, rows)
    rows = await _labelled(datasette, request, database, table, columns, rows)
    about, types = await about_of(datasette, request, database, table or query_name)
    name = about.filename(fmt)
    return Response(
        write(about, types, rows),
        content_type=CONTENT_TYPES[fmt],
        headers=download_headers(about, name, companion=fmt != "xlsx"),
    )


@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.filters["mark_danish"] = mark_danish  # evidence.site.i18n


@hookimpl
def startup(datasette):
    replace_default_handler()


@hookimpl
def handle_exception(datasette, request, exception):
    return error_response(datasette, request, exception)


@hookimpl
def register_output_renderer(datasette):
    return [
        {"extension": "xlsx", "render": render_xlsx},
        {"extension": EXCEL_CSV, "render": render_excel_csv},
    ]


def api_linker(datasette):
    """api_url('/docs') → the API's address: the same origin when the site is mounted in it
    (evidence serve, under /browse/), the configured public URL when the site stands alone."""
    mounted = datasette.setting("base_url") != "/"
    return lambda path: path if mounted else public_url(path)


@hookimpl
def extra_template_vars(datasette, database, table, template, request):
    """`api_url` everywhere; on a database's pages `facet_label` (templates/_facet_results.html);
    on a table's or a canned query's page `evidens_notes`: what it did not read, or a parameter
    that names nothing (evidence.site.notes)."""
    extra = {"api_url": api_linker(datasette)}
    if not database or database not in datasette.databases:
        return extra

    async def inner():
        db = datasette.get_database(database)
        known = await labels.labels(db)
        found = {**extra, "facet_label": labels.facet_labeller(known, table)}
        name = tilde_decode((request.url_vars if request else {}).get("table") or "")
        if template == "query.html" and name:
            args = urllib.parse.parse_qsl(request.query_string, keep_blank_values=True)
            found["evidens_notes"] = await notes.query_notes(datasette, database, name, args)
        elif template == "table.html" and table and request is not None:
            ignored = request.scope.get(notes.SCOPE_KEY, [])
            kept = urllib.parse.parse_qsl(request.query_string, keep_blank_values=True)
            columns = await db.table_columns(table)
            where = (database, table)
            found["evidens_notes"] = notes.table_notes(datasette, where, ignored, kept, columns)
        return found

    return inner


@hookimpl
def render_cell(value, column, table, database, datasette):
    """Codes of the vocabularies as labels, JSON arrays as lists (evidence.site.labels)."""
    if database not in datasette.databases or value is None:
        return None

    async def inner():
        known = await labels.labels(datasette.get_database(database))
        return labels.render(datasette, known, (database, table), column, value)

    return inner


@hookimpl
def asgi_wrapper(datasette):
    """Before Datasette: the guard (bounded query strings, no debug pages), our 404 for an unknown
    extension on its pages (evidence.site.formats), follow `evidence
    build` (evidence.site.rebuilds: each request reads the current build), then the query
    cleared of what is no filter and the provenance of Datasette's own CSV
    (evidence.site.provenance), and its labels with `_labels=on` (evidence.site.csv_labels)."""

    def wrap(app):
        inner = csv_provenance(labelled_csv(app, datasette), datasette)

        async def follow(scope, receive, send):
            if scope["type"] == "http":
                follow_rebuilds(datasette)
            await inner(scope, receive, send)

        return guard(unknown_formats(follow, datasette), datasette)

    return wrap


@hookimpl(tryfirst=True)  # before datasette-search-all's /-/search
def register_routes():
    """The site's own pages: the landing page, /-/search (evidence.site.search_all), /study/{ref},
    /concept/{id}, /map, /map.html, /prisma, /about, each with its parameters checked and an
    unknown extension (/study/631.xml, /-/search.json) answered by our 404 page; and our favicon
    in place of Datasette's. Ours come first, so an address that only begins as /-/search or
    /favicon.ico is ours too (evidence.site.pages.elsewhere), not datasette-search-all's or
    Datasette's (their routes match any address that begins so)."""
    from evidence.site.landing import landing_page
    from evidence.site.pages import ROUTES, page

    return [(r"^/$", page(landing_page)), *ROUTES]
