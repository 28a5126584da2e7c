"""What Datasette's table and query pages say about a parameter that names nothing.

**A canned query's parameter.** A canned query runs whatever its parameters hold:
`studies_for_concept?concept=nope` was an empty table with no word why, while `/concept/nope` is our
404 with the nearest concepts. Datasette's canned queries have no check of their parameters, and an
empty answer is an answer (the JSON, CSV and spreadsheets stay so: "no row matches" is what they
say, and the file is named by its filter). The page says more: a note above the query's form names
the parameter, the value and what it takes, with links to the same query for the nearest concepts
or studies, so the form stays there to correct it. The parameters of the site's canned queries
that name something are in `NAMES`; an empty one means "no filter", as the queries say.

**A table's parameter that is no column.** Datasette reads every parameter as a column filter, and
the site takes out of the query what is none (evidence.site.provenance: `utm_source`, `about`, a
typo), so it neither empties the rows nor names a file. That stays: Datasette documents its
filters as column names, and the table is not the API. But `studies?country=DK` (the API's name)
then showed all 55 studies with no hint; the page now says which parameters it did not read and,
for the API's names, which form it reads (`countries__arraycontains=DK`, as the facet filters,
`year__gte=`, `_search=`, the query studies_for_concept for `concept=`).
"""

from __future__ import annotations

import asyncio
import urllib.parse

from evidence.site import pagedata
from evidence.site.rebuilds import per_build

NAMES = {  # canned query → parameter → what it names
    "studies_for_concept": {"concept": "concept"},
    "study": {"ref": "study"},
    "gap_map": {"dimension": "dimension"},
    "audit": {"kind": "audit_kind"},
    "studies_by": {
        "country": "country",
        "service_area": "service_area",
        "method": "method",
        "year_from": "year",
        "year_to": "year",
    },
}
API_NAMES = {
    "year_from": "year__gte",
    "year_to": "year__lte",
    "q": "_search",
}  # the API's → table's
SCOPE_KEY = "evidence_ignored"  # the parameters evidence.site.provenance took out of the query


async def known_values(db) -> dict[str, dict[str, str]]:
    """kind → code → label, for the kinds of NAMES (concepts by id and both labels)."""

    async def compute(db) -> dict:
        vocab = await pagedata.vocabulary(db)
        kinds = ("country", "service_area", "method", "dimension")
        out = {k: {code: labels["en"] for code, labels in vocab[k].items()} for k in kinds}
        concepts = await pagedata.rows(db, "select id, label_da, label_en from concepts")
        out["concept"] = {
            name: c["id"] for c in concepts for name in (c["id"], c["label_da"], c["label_en"])
        }
        studies = await pagedata.rows(db, "select ref, bilag2_authors_year from studies")
        out["study"] = {str(s["ref"]): s["bilag2_authors_year"] for s in studies}
        audit = await pagedata.rows(db, "select distinct kind from audit_findings order by kind")
        out["audit_kind"] = {a["kind"]: a["kind"] for a in audit}
        return out

    return await per_build(db, "query_values", compute)


def query_link(datasette, database: str, query: str, args: list, name: str, value: str) -> str:
    """The same query with `name` set to `value`, its other parameters kept (`args`: pairs)."""
    given = [(k, v) for k, v in args if k != name]
    url = datasette.urls.table(database, query)
    return url + "?" + urllib.parse.urlencode([*given, (name, value)])


async def nearest(datasette, db, kind: str, value: str) -> list[tuple[str, str]]:
    """(value, text) of the concepts or studies nearest to a value that names none."""
    from evidence.site.pages import reader  # pages imports the plugin's modules

    if kind == "concept":
        from evidence.answer.ask import suggest

        found = await asyncio.to_thread(suggest, reader(db), value)
        return [(c["id"], f"{c['id']} ({c['label_en']})") for c in found]
    if kind == "study" and value.isascii() and value.isdigit() and len(value) < 12:
        from evidence.read.documents import nearest_refs

        with reader(db).connection() as conn:
            found = nearest_refs(conn, int(value))
        return [(str(s["ref"]), f"{s['ref']}: {s['authors']} ({s['year']})") for s in found]
    return []


async def query_notes(datasette, database: str, query: str, args: list) -> list[dict]:
    """A note for each parameter of canned query `query` that names nothing (module doc); `args`:
    the page's parameters, as pairs."""
    checked = NAMES.get(query, {})
    if not checked or database not in datasette.databases:
        return []
    db = datasette.get_database(database)
    known, notes = await known_values(db), []
    for name, kind in checked.items():
        value = next((v for k, v in args if k == name), "").strip()
        if not value or (kind == "year" and value.isascii() and value.isdigit()):
            continue
        if kind != "year" and value in known[kind]:
            continue
        notes.append(
            {
                "message": unknown_message(name, value, kind, known),
                "links": [
                    (query_link(datasette, database, query, args, name, v), text)
                    for v, text in await nearest(datasette, db, kind, value)
                ],
            }
        )
    return notes


def unknown_message(name: str, value: str, kind: str, known: dict) -> str:
    if kind == "year":
        return f"«{name}» is «{value}», which is no year (e.g. 2015), so no row is filtered by it."
    if kind == "concept":
        what = "No concept has the id or label"
    elif kind == "study":
        what = "The review has no included study"
    else:
        codes = ", ".join(f"{c} ({label})" if label != c else c for c, label in known[kind].items())
        return f"«{name}» is «{value}», which is none of its codes, so no row matches: {codes}."
    return f"{what} «{value}» («{name}»), so no row matches."


def table_notes(datasette, where: tuple, ignored: list, kept: list, columns) -> list[dict]:
    """A note naming the parameters the table's page did not read (`where`: database and table;
    `kept`: the parameters it read, as pairs), with a link to the page with the form it reads."""
    if not ignored:
        return []
    database, table = where
    forms, links = [], []
    for name, value in ignored:
        plural = name[:-1] + "ies" if name.endswith("y") else name + "s"  # country → countries
        # a list column's element, as its facet filters (`__contains` would match "social" in
        # any longer code holding it)
        form = API_NAMES.get(name) or (f"{plural}__arraycontains" if plural in columns else None)
        if form and (form.startswith("_") or form.split("__")[0] in columns):
            forms.append((form, value))
        elif name == "concept" and table == "studies":
            query = datasette.urls.table(database, "studies_for_concept")
            text = f"studies_for_concept?concept={value}"
            links.append((f"{query}?{urllib.parse.urlencode({name: value})}", text))
    if forms:
        query = urllib.parse.urlencode([*kept, *forms])
        text = "&".join(f"{k}={v}" for k, v in forms)
        links.insert(0, (f"{datasette.urls.table(database, table)}?{query}", f"{table}?{text}"))
    given = ", ".join(f"{k}={v}" for k, v in ignored)
    message = (
        f"Not read, as it names no column of {table} (Datasette filters by column names): "
        f"{given}. The rows below are not filtered by it."
    )
    return [{"message": message, "links": links}]
