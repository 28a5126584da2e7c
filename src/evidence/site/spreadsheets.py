"""Every row for the site's files: a table's or view's pages followed, a cut query refused.

Datasette hands an output renderer one page of rows, at most `max_returned_rows` (2,000) even with
`_size=max`. Its own CSV streams a table or view whole (`_stream=1`: page after page through
`_next`); the spreadsheets (`.xlsx`, `.excelcsv`) stopped at the first 2,000 rows (claim_expansions
has 2,060) while their provenance said "none (all rows)". Here a table's or view's spreadsheet
follows `next` as that stream does, each page read through Datasette's own JSON of the same address
(the same filters, sort and `_labels`), within the size the site allows one answer
(evidence.site.limits.MAX_ANSWER_BYTES: a file over it is refused with what to do).

A query (canned or `?sql=`) has no next page: Datasette cuts it at `max_returned_rows` and says so
only in its JSON (`truncated`). A file of a cut query, `.csv` included, is refused with our 400
page saying how to get every row (the table's own file, or the query split with limit and offset),
never sent as if complete.
"""

from __future__ import annotations

import urllib.parse

from datasette.views.base import DatasetteError

from evidence.site.limits import MAX_ANSWER_BYTES
from evidence.site.params import PageError

PAGING = ("_next", "_size", "_stream", "_dl", "_shape", "_nofacet", "_nocount")  # set per page


def cell_size(value) -> int:
    if isinstance(value, dict):  # a foreign key with its label (`_labels=on`)
        return sum(cell_size(v) for v in value.values())
    return len(value) if isinstance(value, str | bytes) else 8


def rows_size(rows) -> int:
    return sum(cell_size(v) for row in rows for v in row)


def too_big(size: int) -> PageError:
    mb = 2**20
    values = {"max": MAX_ANSWER_BYTES // mb, "reached": size // mb}
    return PageError(400, "file_too_big", values, [], both_languages=True)


def cut_query(datasette, scope) -> PageError:
    """Our 400 for a file of a query Datasette cut at max_returned_rows, linking its page
    (`scope`: the file's request's, or the request)."""
    scope = getattr(scope, "scope", scope)
    limit = datasette.setting("max_returned_rows")
    given = urllib.parse.parse_qsl(
        scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True
    )
    query = urllib.parse.urlencode([(k, v) for k, v in given if k not in (*PAGING, "about")])
    page = scope["path"].rsplit(".", 1)[0] + (f"?{query}" if query else "")
    return PageError(400, "cut_query", {"max": limit}, [(page, page)], both_languages=True)


async def was_cut(datasette, request, n_rows: int) -> bool:
    """Whether the query of `request` (a `.csv` of n_rows rows) was cut at max_returned_rows:
    only a file of exactly that many rows may have been, and Datasette's JSON says."""
    if n_rows != datasette.setting("max_returned_rows"):
        return False
    path = request.path.rsplit(".", 1)[0] + ".json"
    answer = await datasette.client.get(
        path + (f"?{request.query_string}" if request.query_string else "")
    )
    return answer.status_code == 200 and bool(answer.json().get("truncated"))


async def every_row(datasette, request, data: dict, columns: list[str], rows: list) -> list:
    """`rows` (Datasette's first page) and every page after it, for a table or view; our 400 for a
    query Datasette cut. A page the user asked for (`_next=`) stays that page."""
    if data.get("truncated"):
        raise cut_query(datasette, request.scope)
    rows, token = list(rows), data.get("next")
    if not token or request.args.get("_next"):
        return rows
    size = rows_size(rows)
    path = request.path.rsplit(".", 1)[0] + ".json"
    kept = [
        (k, v)
        for k, v in urllib.parse.parse_qsl(request.query_string, keep_blank_values=True)
        if k not in PAGING
    ]
    fixed = [("_size", "max"), ("_shape", "arrays"), ("_nofacet", "1"), ("_nocount", "1")]
    while token:
        answer = await datasette.client.get(path, params=[*kept, *fixed, ("_next", token)])
        if answer.status_code != 200:  # the time limit, say: no file rather than a part of one
            raise DatasetteError(answer.json().get("error", "A page failed."), status=400)
        page = answer.json()
        # with `_labels=on` Datasette's JSON gives each row as an object, a label in each key
        more = [[r[c] for c in columns] if isinstance(r, dict) else r for r in page["rows"]]
        size += rows_size(more)
        if size > MAX_ANSWER_BYTES:
            raise too_big(size)
        rows += more
        token = page.get("next")
    return rows
