"""The Datasette plugin of the site: stemmed search, Excel exports, landing-page figures.

- Search: the search box of every table sends `?_search=` to SQL as `escape_fts(:search)`.
  This plugin re-registers `escape_fts` (after Datasette's own, hence `trylast`) as
  evidence.search_text.fts_query, so the box searches Danish and English stems and never
  raises an FTS syntax error. It also adds the SQL functions `fts_query`, `stem_da` and
  `stem_en` for canned queries and for anyone writing SQL.
- Exports: `.xlsx` (a workbook with the rows and a "kilde" sheet saying where they come
  from) and `.excelcsv`, CSV for Danish Excel: UTF-8 with a byte-order mark, `;` between
  fields, CRLF line ends and decimal commas. Both export every row, not just one page.
- `extra_template_vars`: the build's meta table and row counts, for the landing page.
"""

from __future__ import annotations

import urllib.parse

from datasette import hookimpl
from datasette.utils.asgi import Response

from evidence.export.excel import excel_csv, xlsx_workbook
from evidence.search_text import fts_query, stem_da, stem_en
from evidence.site.guard import guard
from evidence.site.limits import bound
from evidence.site.rebuilds import follow_rebuilds

EXCEL_CSV = "excelcsv"


@hookimpl(trylast=True)
def prepare_connection(conn):
    bound(conn)  # evidence.site.limits: what one query may build, return and see
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    conn.create_function("fts_query", 1, fts_query, deterministic=True)
    conn.create_function("stem_da", 1, stem_da, deterministic=True)
    conn.create_function("stem_en", 1, stem_en, deterministic=True)


def _all_rows_redirect(request, data) -> Response | None:
    """Send a paginated table export to the same URL with _size=max, so it has every row."""
    if data.get("next") and request.args.get("_size") != "max":
        args = [
            (k, v)
            for k, v in urllib.parse.parse_qsl(request.query_string, keep_blank_values=True)
            if k not in ("_size", "_next")
        ]
        return Response.redirect(
            request.path + "?" + urllib.parse.urlencode([*args, ("_size", "max")])
        )
    return None


def _name(database, table, query_name) -> str:
    return table or query_name or database or "query"


async def _provenance(datasette, database, request) -> list[tuple[str, str]]:
    rows = [("url", datasette.absolute_url(request, request.full_path) if request else "")]
    try:
        meta = await datasette.get_database(database).execute(
            "select key, value from meta order by key"
        )
        rows += [(r["key"], r["value"]) for r in meta.rows]
    except Exception:  # a database without our meta table
        pass
    return rows


async def render_xlsx(datasette, columns, rows, request, data, database, table, query_name):
    redirect = _all_rows_redirect(request, data)
    if redirect:
        return redirect
    name = _name(database, table, query_name)
    body = xlsx_workbook(name, columns, rows, await _provenance(datasette, database, request))
    return Response(
        body,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"content-disposition": f'attachment; filename="{name}.xlsx"'},
    )


async def render_excel_csv(request, columns, rows, data, database, table, query_name):
    redirect = _all_rows_redirect(request, data)
    if redirect:
        return redirect
    name = _name(database, table, query_name)
    return Response(
        excel_csv(columns, rows),
        content_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}.csv"'},
    )


@hookimpl
def register_output_renderer(datasette):
    return [
        {"extension": "xlsx", "render": render_xlsx},
        {"extension": EXCEL_CSV, "render": render_excel_csv},
    ]


@hookimpl
def extra_template_vars(template, datasette):
    if template not in ("index.html",):
        return None

    async def inner():
        db_name = next(
            (n for n in datasette.databases if n != "_internal" and n != "_memory"), None
        )
        if db_name is None:
            return {}
        db = datasette.get_database(db_name)
        try:
            meta = {
                r["key"]: r["value"] for r in (await db.execute("select key, value from meta")).rows
            }
            counts = {}
            for t in (
                "studies",
                "findings",
                "claims",
                "citations",
                "concepts",
                "references",
                "audit_findings",
            ):
                counts[t] = (await db.execute(f"select count(*) from [{t}]")).first()[0]
        except Exception:
            return {"evidence_db": db_name}
        return {"evidence_db": db_name, "evidence_meta": meta, "evidence_counts": counts}

    return inner


@hookimpl
def asgi_wrapper(datasette):
    """Before Datasette: the guard (bounded query strings, no debug pages), then follow
    `evidence build` (evidence.site.rebuilds: each request reads the current build)."""

    def wrap(app):
        async def follow(scope, receive, send):
            if scope["type"] == "http":
                follow_rebuilds(datasette)
            await app(scope, receive, send)

        return guard(follow, datasette)

    return wrap
