"""Search all tables (`/-/search`, datasette-search-all's page, where the landing page's search box
leads) with each table's first matches rendered as its table page renders them.

datasette-search-all's template fetched each table's JSON in the browser and printed the raw
values: `["DK"]`, `[]`, `included_study`, Markdown's `*…*`. Here the page is rendered on the
server: each searchable table is searched through Datasette's own table JSON (the same search,
sort and foreign-key labels as its page), and its rows go through Datasette's own cell rendering
(`display_columns_and_rows`: our `render_cell`, evidence.site.labels, with labels for the
vocabularies' codes and lists for JSON arrays; datasette-render-markdown for `references.raw`;
links for foreign keys), then into Datasette's `_table.html`. Our `templates/search_all.html`
replaces the plugin's, and our route (`search_page`, registered before the plugin's) answers the
page as our other pages are answered: Danish by default, `?lang=en`, its parameters (`q`, `lang`)
checked; the tables are Datasette's, English as its table pages are, with a cell of Danish (or
Swedish, Norwegian) text marked `lang="da"` (`sv`, `no`).
"""

from __future__ import annotations

from datasette.utils.asgi import Response
from datasette_search_all.utils import get_searchable_tables
from markupsafe import Markup

from evidence.site.i18n import lang_of, texts

NUM_RESULTS = 5  # rows shown per table, as datasette-search-all shows
PARAMS = ("q", "lang")
# columns of Bilag 2's or the review's Danish text beside the `*_da` ones
DANISH_COLUMNS = {"dimension_label", "bold_terms", "stated_text", "citation_text"}
DANISH_LABELS = {("claims", "section"), ("outcomes", "section")}  # a section's Danish title
# in the language of the study (its `language`: da, sv, no, en), a bibliography entry's of its study's
IN_OWN_LANGUAGE = {
    ("studies", "title"),
    ("studies", "venue"),
    ("studies", "reference_id"),  # labelled by its entry's title
    ("references", "title"),
    ("references", "venue"),
    ("references", "raw"),
}


def cell_language(table: str, column: str, language: str | None) -> str | None:
    """The language of a cell's text other than English, when its column says (None: English, as
    the table around it is and as the vocabularies' labels are, or a number, a name, an id)."""
    if column.endswith("_da") or column.startswith("bilag2_") or column in DANISH_COLUMNS:
        return "da"
    if (table, column) in DANISH_LABELS:
        return "da"
    if (table, column) in IN_OWN_LANGUAGE and language:
        return None if language == "en" else language
    return None


async def study_languages(datasette, database: str) -> dict:
    rows = await datasette.get_database(database).execute("select ref, language from studies")
    return {r["ref"]: r["language"] for r in rows}


def mark_languages(table: str, rows: list, languages: dict) -> None:
    """Wrap each cell whose language is known in an element saying it."""
    for row in rows:
        raw = {cell["column"]: cell["raw"] for cell in row.cells}
        language = raw.get("language") if table == "studies" else languages.get(raw.get("ref"))
        for cell in row.cells:
            lang = cell_language(table, cell["column"], language)
            if lang and cell["raw"] not in (None, "", "[]"):
                cell["value"] = Markup('<span lang="{}">{}</span>').format(lang, cell["value"])


class JsonRow:
    """A row of Datasette's table JSON (an object with `_labels=on`) as its cell rendering reads a
    row: iterated for its values in the columns' order, indexed by column name (the key's link)."""

    def __init__(self, columns: list[str], row: dict):
        self.columns, self.values = columns, [row[c] for c in columns]

    def __iter__(self):
        return iter(self.values)

    def __getitem__(self, key):
        return self.values[key if isinstance(key, int) else self.columns.index(key)]

    def keys(self) -> list[str]:
        return list(self.columns)


async def table_matches(datasette, database: str, table: str, q: str) -> dict:
    """One table's matches for `q`: how many, and the first NUM_RESULTS rendered as its page does."""
    # imported here: datasette.views imports the plugins, this module among them
    from datasette.views.table import display_columns_and_rows

    url = datasette.urls.table(database, table)
    params = {"_search": q, "_size": str(NUM_RESULTS), "_labels": "on", "_nofacet": "1"}
    response = await datasette.client.get(
        datasette.urls.table(database, table, "json"), params=params
    )
    found = {
        "database": database,
        "table": table,
        "url": url,
        "count": 0,
        "columns": [],
        "rows": [],
    }
    if response.status_code != 200:  # the 1 s time limit, say: named, not hidden
        return {**found, "error": response.json().get("error", "")}
    data = response.json()
    columns = data["columns"]
    found["columns"], found["rows"] = await display_columns_and_rows(
        datasette,
        database,
        table,
        [(c,) for c in columns],
        [JsonRow(columns, row) for row in data["rows"]],
        link_column=not data.get("is_view"),
        truncate_cells=datasette.setting("truncate_cells_html"),
    )
    mark_languages(table, found["rows"], await study_languages(datasette, database))
    for column in found["columns"]:
        column["sortable"] = False  # the table's own page sorts; these rows are a preview
    found["count"] = data.get("filtered_table_rows_count") or len(data["rows"])
    return found


async def search_all(datasette, request) -> list[dict]:
    """Every searchable table's matches for the request's `q` (none without one)."""
    q = (request.args.get("q") or "").strip() if request is not None else ""
    if not q:
        return []
    tables = await get_searchable_tables(datasette, request)
    return [await table_matches(datasette, db, table, q) for db, table in tables]


async def search_page(datasette, request) -> Response:
    """The /-/search page in the request's language (its parameters checked by pages.page)."""
    from evidence.site.pages import switch_url

    lang = lang_of(request)
    tables = await get_searchable_tables(datasette, request)
    context = {
        "q": (request.args.get("q") or ""),
        "searchable_tables": [{"database": d, "table": t} for d, t in tables],
        "evidens_matches": await search_all(datasette, request),
        "evidens_lang": lang,
        "t": texts(lang),
        "switch_url": switch_url(request, lang),
    }
    html = await datasette.render_template("search_all.html", context, request=request)
    return Response.html(html)
