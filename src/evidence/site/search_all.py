"""Search all tables (`/-/search`, datasette-search-all's page, where the landing page's search box
leads) with each table's first matches rendered as its table page renders them.

datasette-search-all's template fetched each table's JSON in the browser and printed the raw
values: `["DK"]`, `[]`, `included_study`, Markdown's `*…*`. Here the page is rendered on the
server: each searchable table is searched through Datasette's own table JSON (the same search,
sort and foreign-key labels as its page), and its rows go through Datasette's own cell rendering
(`display_columns_and_rows`: our `render_cell`, evidence.site.labels, with labels for the
vocabularies' codes and lists for JSON arrays; datasette-render-markdown for `references.raw`;
links for foreign keys), then into Datasette's `_table.html`. Our `templates/search_all.html`
replaces the plugin's; the plugin keeps its route and its menu link.
"""

from __future__ import annotations

from datasette_search_all.utils import get_searchable_tables

NUM_RESULTS = 5  # rows shown per table, as datasette-search-all shows


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
