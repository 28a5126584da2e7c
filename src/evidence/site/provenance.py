"""What the site's downloads say about themselves: which query parameters are their filter, their
About (the API's, evidence.export.files), and Datasette's own CSV with the headers and companion
every export has.

**The filter.** Datasette reads every parameter that does not start with "_" as a column filter:
`utm_source=newsletter`, `fbclid=…` or `about=1` on a table filtered every row away (SQLite reads
a quoted name that is no column as a string) and named the file
(`…-utm_source-newsletter-fbclid-abc-….csv`). The rule, for a table, view or query of the site:

- a table's or view's filter is a parameter that names one of its columns, bare (`ref=924`) or
  with one of Datasette's operators (`countries__contains`, `year__gte`), and the underscore
  parameters that change which rows come: `_search`, `_search_<column>`, `_searchmode`,
  `_where`, `_through`;
- a canned query's filter is its named parameters (`:concept`); `?sql=`'s is `sql` and those of
  its SQL;
- Datasette's other underscore parameters (`_size`, `_sort`, `_labels`, `_dl`, …) shape the
  answer, not its rows: they stay in the URL, never in the filter;
- anything else (`about`, `utm_*`, `fbclid`, a name that is no column) is taken out of the query
  before Datasette reads it, on every page of the table, so it neither empties the rows nor
  names the file, and the page and its downloads agree.

The filter is what `X-Evidence-Filter`, the file name and the "about" sheet give.

**Datasette's CSV** (`/<db>/<table>.csv`, the first download of a table page) keeps its body:
plain UTF-8 without a byte-order mark, for pandas and R (`.excelcsv` and `.xlsx` are the
spreadsheet files). It gets the headers every export sends (evidence.export.files.download_headers:
dataset version, filter, citation, `Referrer-Policy`, `Link: <…&about=1>; rel="describedby"`;
for a download, `_dl=1`, the file name of the one rule,
`evidens-studies-countries__contains-DK-<version>.csv`), and `Cache-Control` as Datasette gives
its other answers (`_ttl`, else `default_cache_ttl`).

**Every row.** A table's or view's `.csv` gives every row (Datasette's `_stream=1` is added),
as `.excelcsv` and `.xlsx` do (they go to `_size=max`); a page the user asks for (`_size=5`,
`_next=…`) stays a page, and its filter text, file name (`…-page_size-5-…`) and about file say
so ("none; one page only (_size=5), not all rows").

**The companion.** `about=1` on a `.csv` or an `.excelcsv` answers with the About of the file the
same URL without it gives (key,value, in that file's dialect; `rows` counted in that file), as
the API does. An `.xlsx` has it inside, on its sheet "about". `about` takes what the API's takes
(1, true, yes, on; 0, false, no, off), once: another value on a file (`about=2`) is our 400 naming
it, as on a study's RIS and BibTeX (evidence.site.pages).
"""

from __future__ import annotations

import csv
import io
import re
import urllib.parse
from dataclasses import dataclass

from datasette.filters import Filters
from datasette.utils import tilde_decode
from datasette.utils.asgi import Request

from evidence.export.files import About, about_csv, download_headers, keep_parameters
from evidence.site import pagedata
from evidence.site.guard import our_page
from evidence.site.notes import SCOPE_KEY
from evidence.site.params import PageError, bad_value
from evidence.site.rebuilds import per_build
from evidence.site.spreadsheets import cut_query, was_cut

OPERATORS = frozenset(f.key for f in Filters._filters)  # exact, contains, gte, isnull, …
ROWS = ("_search", "_where", "_through")  # underscore parameters that change the rows (prefixes)
NAMED = re.compile(r":([a-zA-Z0-9_]+)")  # a named parameter of SQL, as Datasette finds them
PATH = re.compile(r"^/([^/.]+)(?:/([^/.]+))?(?:\.(\w+))?$")  # /<db>[/<name>][.<ext>]
YES = ("1", "true", "yes", "on")
ABOUT = (*YES, "0", "false", "no", "off")  # what the API reads as a boolean `about` (else 422)
FILES = ("csv", "excelcsv", "xlsx")  # the files of a table, view or query that take `about`


@dataclass(frozen=True)
class Rule:
    """Which parameters filter one table, view or query: `columns` (a table's or view's) or
    `named` (a query's parameters, `sql` included for ?sql=)."""

    columns: frozenset[str] = frozenset()
    named: frozenset[str] = frozenset()

    def is_filter(self, key: str) -> bool:
        if self.named:
            return key in self.named
        column, _, op = key.rpartition("__")
        return (
            key in self.columns
            or (column in self.columns and op in OPERATORS)
            or key.startswith(ROWS)
        )

    def keeps(self, key: str) -> bool:
        """In the query Datasette sees: a filter, or one of Datasette's own parameters."""
        return self.is_filter(key) or (key.startswith("_") and "__" not in key)


async def rule_for(datasette, database: str, name: str | None, query: str) -> Rule | None:
    """The Rule of table, view or canned query `name` of `database` (None: `?sql=` on the
    database), or None when the path is none of those (the database's own page, a row, …)."""
    db = datasette.databases.get(database)
    if db is None:
        return None
    if name is None:
        sql = dict(urllib.parse.parse_qsl(query)).get("sql")
        return Rule(named=frozenset(["sql", *NAMED.findall(sql)])) if sql else None
    name = tilde_decode(name)
    canned = await datasette.get_canned_query(database, name, None)
    if canned:
        return Rule(named=frozenset([*NAMED.findall(canned["sql"]), *(canned.get("params") or [])]))
    columns = (await per_build(db, "columns", _columns)).get(name)
    return Rule(columns=columns) if columns else None


async def _columns(db) -> dict[str, frozenset[str]]:
    """Table or view → its columns, for every table and view of the database."""
    result = await db.execute(
        "select m.name, p.name from sqlite_master m join pragma_table_info(m.name) p "
        "where m.type in ('table', 'view')"
    )
    out: dict[str, set[str]] = {}
    for table, column in result.rows:
        out.setdefault(table, set()).add(column)
    return {k: frozenset(v) for k, v in out.items()}


async def about_of(datasette, request, database: str, name: str | None) -> tuple[About, dict]:
    """What made a download of table or query `name` (None: ?sql=), as the API's About, and the
    data dictionary's boolean and list columns (column → type), to type cells as the API does."""
    meta, types = {}, {}
    db = datasette.get_database(database)
    try:
        meta = {r["key"]: r["value"] for r in (await db.execute("select * from meta")).rows}
        result = await db.execute(
            "select column_name, type from data_dictionary "
            "where type = 'boolean' or type like 'list%' group by column_name"
        )
        types = {r["column_name"]: r["type"] for r in result.rows}
    except Exception:  # a database without our meta and data_dictionary tables
        pass
    rule = await rule_for(datasette, database, name, request.query_string) or Rule()
    pairs = urllib.parse.parse_qsl(request.query_string)
    filters = {k: v for k, v in pairs if rule.is_filter(k)}
    # the URL as the user wrote it: without the `_stream=1` of `all_rows` (the same file)
    query = keep_parameters(request.query_string, lambda k: k != "_stream")
    url = datasette.absolute_url(request, request.path + (f"?{query}" if query else ""))
    about = About.of_build(meta, name or database, url, filters)
    about.page = paging(request.args)
    return about, types


def paging(args) -> dict[str, str]:
    """The paging a user asked for (`_size` other than max, `_next`): the file is one page."""
    return {k: args[k] for k in ("_size", "_next") if args.get(k) not in (None, "", "max")}


def all_rows(query: str) -> str:
    """A table's or view's `.csv` query that gives every row: Datasette's `_stream=1` added
    unless the user pages (`paging`) or streams already. Datasette's CSV stopped at one page
    (50 rows) while its provenance said "none (all rows)"."""
    args = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
    if paging(args) or "_stream" in args:
        return query
    return f"{query}&_stream=1" if query else "_stream=1"


def match_path(scope) -> re.Match | None:
    """PATH matched on the path Datasette sees (mounted at /browse, without the mount)."""
    path = scope.get("path", "") if scope["type"] == "http" else ""
    root = scope.get("root_path", "")
    return PATH.match(path[len(root) :] if root and path.startswith(root) else path)


def csv_provenance(app, datasette):
    """ASGI: `app` (the site) with the query of its tables, views and queries cleared of what
    is no filter (the module's rule), and Datasette's `.csv` answers with the provenance
    headers; `about=1` on a `.csv` or `.excelcsv` answers with its companion."""

    async def wrapped(scope, receive, send):
        match = match_path(scope)
        if not match:
            return await app(scope, receive, send)
        database, name, ext = match.groups()
        query = scope.get("query_string", b"").decode("latin-1")
        rule = await rule_for(datasette, database, name, query)
        if rule is None:
            return await app(scope, receive, send)
        kept = keep_parameters(query, rule.keeps)
        if ext == "csv" and rule.columns:
            kept = all_rows(kept)
        ignored = [(k, v) for k, v in urllib.parse.parse_qsl(query) if not rule.keeps(k)]
        # the page says what it did not read (evidence.site.notes)
        scope = {**scope, "query_string": kept.encode("latin-1"), SCOPE_KEY: ignored}
        try:
            companion = ext in FILES and about_asked(query) and ext != "xlsx"
        except PageError as error:
            return await our_page(datasette, scope, receive, send, error)
        if companion:
            return await _companion(app, datasette, scope, receive, send, database, name, ext)
        if ext != "csv":
            return await app(scope, receive, send)
        request = Request(scope, receive)
        about, _ = await about_of(datasette, request, database, name)
        sending = _with_headers(send, datasette, request, about)
        if rule.columns or request.args.get("_header") == "off":
            return await app(scope, receive, sending)
        await _query_csv(app, datasette, scope, receive, sending)

    return wrapped


FAILED_QUERY = (
    b"The query failed, so there is no CSV to give. Open it as a page (the same address "
    b"without .csv) to see Datasette's error message.\n"
)


async def _query_csv(app, datasette, scope, receive, sending) -> None:
    """A query's `.csv`, or a 400 when the query failed: Datasette keeps a failing query's error
    in its page data and its CSV writer answers 200 with an empty body (not even the header
    row a query that ran always has), which read as a download of no rows; and our 400 when
    Datasette cut the query at max_returned_rows (evidence.site.spreadsheets)."""
    status, headers, body = await run_whole(app, scope, receive)
    if status == 200 and await _cut(datasette, scope, receive, body, False):
        return await our_page(datasette, scope, receive, sending, cut_query(datasette, scope))
    if status == 200 and not body.strip():
        status, body = 400, FAILED_QUERY
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
        ]
    await sending({"type": "http.response.start", "status": status, "headers": headers})
    await sending({"type": "http.response.body", "body": body})


def about_asked(query: str) -> bool:
    """`about=1` (or true, yes, on): the companion, not the file; 0, false, no, off: the file.
    Another value, or `about` twice, is our 400 (PageError), as the API's 422: `about=2` had
    been read as "no" and answered the file."""
    values = [v for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True) if k == "about"]
    if len(values) > 1:
        raise PageError(400, "repeated", {"name": "about", "value": ", ".join(values)})
    if values and values[0].lower() not in ABOUT:
        raise bad_value("about", values[0], ", ".join(ABOUT))
    return bool(values) and values[0].lower() in YES


def cache_control(datasette, request) -> dict[str, str]:
    """{'Cache-Control': …} as Datasette sets it on its other answers (views/base.py: `_ttl`,
    else `default_cache_ttl`), or {} when the site sends no cache headers."""
    if not datasette.cache_headers:
        return {}
    ttl = request.args.get("_ttl")
    ttl = int(ttl) if ttl and ttl.isdigit() else datasette.setting("default_cache_ttl")
    return {"Cache-Control": "no-cache" if ttl == 0 else f"max-age={ttl}"}


async def page_about(datasette, request, db, resource: str, filters: dict) -> About:
    """The About of a file one of the site's own pages sends (a study's RIS, the offline map)
    from database `db`: the build's meta, and the file's own URL (without `about`)."""
    meta = await per_build(db, "meta", pagedata.meta)
    query = keep_parameters(request.query_string, lambda k: k != "about")
    url = datasette.absolute_url(request, request.path + (f"?{query}" if query else ""))
    return About.of_build(meta, resource, url, filters)


def asked_about(request) -> bool:
    """`about=1` (or true, yes, on): the companion, not the file (about_asked)."""
    return about_asked(request.query_string)


def _header_list(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode(), v.encode("latin-1")) for k, v in headers.items()]


def _with_headers(send, datasette, request, about: About):
    """`send` with the provenance headers on a 200 `.csv` answer (a file name for `_dl=1`)."""
    headers = download_headers(about, about.filename("csv"), companion=True)
    if not request.args.get("_dl"):  # shown in the browser as Datasette shows it
        headers.pop("Content-Disposition")

    async def sending(message):
        if message["type"] == "http.response.start" and message.get("status") == 200:
            kept = [
                (k, v)
                for k, v in message.get("headers", [])
                if k.lower() not in (b"content-disposition", b"cache-control")
            ]
            extra = _header_list({**headers, **cache_control(datasette, request)})
            message = {**message, "headers": kept + extra}
        await send(message)

    return sending


async def _companion(app, datasette, scope, receive, send, database, name, ext) -> None:
    """The About of the file `scope` (the URL without `about`) gives, with its rows counted;
    an error or a redirect (a paged `.excelcsv` goes to `_size=max`) is passed on, a redirect
    with `about=1` kept."""
    status, headers, body = await run_whole(app, scope, receive)
    request = Request(scope, receive)
    if status == 200 and await _cut(datasette, scope, receive, body, ext == "excelcsv"):
        return await our_page(datasette, scope, receive, send, cut_query(datasette, scope))
    if status == 200 and not body.strip():  # a query that failed (see _query_csv): no file
        status, body = 400, FAILED_QUERY
        headers = [(b"content-type", b"text/plain; charset=utf-8")]
    if status == 200:
        about, _ = await about_of(datasette, request, database, name)
        excel = ext == "excelcsv"
        about.n_rows = _count(body, excel, request.args.get("_header") != "off")
        fmt = "csv-excel-da" if excel else "csv"
        body = about_csv(about, excel_da=excel)
        extra = download_headers(about, about.filename(fmt, "-about"), companion=False)
        headers = [
            (b"content-type", b"text/csv; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            *_header_list({**extra, **cache_control(datasette, request)}),
        ]
    elif 300 <= status < 400:
        headers = [
            (k, v + (b"&" if b"?" in v else b"?") + b"about=1" if k.lower() == b"location" else v)
            for k, v in headers
        ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def run_whole(app, scope, receive) -> tuple[int, list, bytes]:
    """The status, headers and whole body of `app`'s answer to `scope`."""
    answer: dict = {"status": 500, "headers": []}
    chunks: list[bytes] = []

    async def collect(message):
        if message["type"] == "http.response.start":
            answer.update(status=message["status"], headers=list(message.get("headers", [])))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, collect)
    return answer["status"], answer["headers"], b"".join(chunks)


async def _cut(datasette, scope, receive, body: bytes, excel: bool) -> bool:
    """Whether a query's CSV `body` is the part Datasette cut at max_returned_rows."""
    request = Request(scope, receive)
    header = request.args.get("_header") != "off"
    return await was_cut(datasette, request, _count(body, excel, header))


def _count(body: bytes, excel: bool, header: bool = True) -> int:
    """The records of a CSV body (the header not counted)."""
    text = body.decode("utf-8-sig", errors="replace")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if excel else ","))
    return max(0, len([r for r in records if r]) - (1 if header else 0))
