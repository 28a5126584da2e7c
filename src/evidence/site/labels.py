"""Labels for the codes of the project's vocabularies on Datasette's own pages (English, as those
pages are): table and query cells (`render_cell`) and facets (`templates/_facet_results.html`).

A cell or a facet value that is a code of a vocabulary (countries, service areas, methods,
publication types, dimensions, stances, the publications' languages, a bibliography entry's role
and a study's link status) shows its label with the
code as its title (`<span title="GB-ENG">England</span>`); a link to a facet keeps the code. A cell
holding a JSON array shows its items as a list, labelled the same way, with concept ids linked to
the concept pages and study numbers to the study pages (an included study's only: 908, cited
but not included, is plain text). A foreign key to a vocabulary's table (`findings.dimension`,
`studies.publication_type`, a stance) is its label linked to the code's row, the code as its
title, as the other codes are: Datasette wrote the label and then the code, "Effects *virkninger*"
(on the table pages and the search page). Other foreign keys (a study, a claim, a section, a
concept) are left to Datasette: its label and the id, which is the review's own number.
"""

from __future__ import annotations

import json

from datasette.utils import tilde_encode, value_as_boolean
from markupsafe import Markup, escape

from evidence.site.i18n import TEXT
from evidence.site.pagedata import VOCABULARIES, vocabulary
from evidence.site.rebuilds import per_build

VOCABULARY_OF_COLUMN = {  # column → vocabulary (evidence.site.pagedata.VOCABULARIES, or language)
    "countries": "country",
    "country": "country",
    "service_areas": "service_area",
    "service_area": "service_area",
    "methods": "method",
    "method": "method",
    "publication_type": "publication_type",
    "dimension": "dimension",  # the chapters' dimensions …
    "stance": "stance",
    "claim_stance": "stance",
    "finding_stance": "stance",
    "language": "language",
}
VOCABULARY_OF_TABLE_COLUMN = {
    ("findings", "dimension"): "finding_dimension",  # … but Bilag 2's own in findings
    ("study_countries", "code"): "country",
    ("study_service_areas", "code"): "service_area",
    ("study_methods", "code"): "method",
    ("references", "role"): "role",
    ("studies", "link_status"): "link_status",
}
STATUS_LABELS = {  # the codes of data/schema.yml's two status columns, which have no vocabulary table
    "role": {
        "included_study": "Included study",
        "background": "Background literature",
        "duplicate": "Duplicate entry",
    },
    "link_status": {
        "linked": "Linked",
        "linked_with_disagreement": "Linked; Bilag 2 and the bibliography disagree",
        "no_entry": "No bibliography entry",
    },
}
NO_PAGE = {
    "study/": "Cited in the review's text, but not an included study: no study page",
    "concept/": "No such concept",
}
VOCABULARY_TABLES = frozenset(VOCABULARIES.values())  # countries, dimensions, stances, …
LINKED_LISTS = {"concept_ids": "concept/", "via_concepts": "concept/", "cited_refs": "study/"}


async def labels(db) -> dict:
    """What labelling needs from one build: code → English label per vocabulary, and the
    foreign keys, (table, column) → the table they point to."""

    async def compute(db) -> dict:
        vocab = {
            kind: {code: names["en"] for code, names in codes.items()}
            for kind, codes in (await vocabulary(db)).items()
        }
        vocab["language"] = {
            key.removeprefix("language_"): pair[1]
            for key, pair in TEXT.items()
            if key.startswith("language_")
        }
        vocab.update(STATUS_LABELS)
        rows = await db.execute(
            "select m.name, f.[from], f.[table] from sqlite_master m, "
            "pragma_foreign_key_list(m.name) f where m.type = 'table'"
        )
        pages = {
            "study/": {str(r[0]) for r in await db.execute("select ref from studies")},
            "concept/": {r[0] for r in await db.execute("select id from concepts")},
        }
        keys = {(r[0], r[1]): r[2] for r in rows}
        return {"vocab": vocab, "foreign_keys": keys, "pages": pages}

    return await per_build(db, "labels", compute)


def vocabulary_of(table: str | None, column: str) -> str | None:
    return VOCABULARY_OF_TABLE_COLUMN.get((table or "", column)) or VOCABULARY_OF_COLUMN.get(column)


def name_of(known: dict, table: str | None, column: str, value) -> str | None:
    """A vocabulary code's label, or None when the value is not one."""
    kind = vocabulary_of(table, column)
    if kind is None or not isinstance(value, str):
        return None
    return known["vocab"].get(kind, {}).get(value)


def label_text(known: dict, table: str | None, column: str, value) -> str | None:
    """What a page shows for a cell of a vocabulary's column, as text: the code's label, a JSON
    array's items' labels joined with ", " (an item with no label as it is); None for a column of
    no vocabulary or an empty cell."""
    if value in (None, "") or vocabulary_of(table, column) is None:
        return None
    items = json_list(value)
    if items is None:
        return name_of(known, table, column, value) or str(value)
    return ", ".join(name_of(known, table, column, i) or str(i) for i in items)


def labelled_columns(known: dict, table: str | None, columns, args) -> list[str]:
    """The columns of a vocabulary an export labels, as Datasette's own switches ask for its
    foreign keys' labels: every one with `_labels=on`, those named with `_label=`, none
    otherwise. Foreign keys are left to Datasette, which labels them itself."""
    if "_label" in args:
        asked = set(args.getlist("_label"))
    else:
        try:
            asked = set(columns) if value_as_boolean(args.get("_labels") or "") else set()
        except ValueError:
            asked = set()
    return [
        c
        for c in columns
        if c in asked and vocabulary_of(table, c) and (table, c) not in known["foreign_keys"]
    ]


def with_labels(known: dict, table: str | None, columns: list[str], rows, labelled) -> list[list]:
    """Datasette's rows with each cell of a `labelled` column as {'value', 'label'}, as Datasette
    gives a foreign key's with `_labels=on` (evidence.export.excel then adds a label column)."""
    at = [i for i, c in enumerate(columns) if c in labelled]
    out = []
    for row in rows:
        cells = list(row)
        for i in at:
            cells[i] = {"value": cells[i], "label": label_text(known, table, columns[i], cells[i])}
        out.append(cells)
    return out


def label(known: dict, table: str | None, column: str, value) -> Markup | None:
    """A vocabulary code as its label with the code as its title, or None."""
    name = name_of(known, table, column, value)
    return Markup('<span title="{}">{}</span>').format(value, name) if name else None


def json_list(value) -> list | None:
    """The items of a cell holding a JSON array of plain values, else None."""
    if not (isinstance(value, str) and value.startswith("[") and value.endswith("]")):
        return None
    try:
        items = json.loads(value)
    except ValueError:
        return None
    if not isinstance(items, list) or not all(isinstance(i, str | int | float) for i in items):
        return None
    return items


def render(datasette, known: dict, where: tuple, column: str, value) -> Markup | None:
    """The cell's HTML (`where`: its database and table), or None to leave it to Datasette."""
    table = where[1]
    if table and (table, column) in known["foreign_keys"]:
        return code_link(datasette, known, where, column, value)
    items = json_list(value)
    if items is None:
        return label(known, table, column, value)
    if column in LINKED_LISTS:
        prefix = LINKED_LISTS[column]
        shown = [page_link(datasette, known, prefix, i) for i in items]
    else:
        shown = [label(known, table, column, i) or escape(i) for i in items]
    return Markup(", ").join(shown) if shown else Markup("&nbsp;")


def code_link(datasette, known: dict, where: tuple, column: str, value) -> Markup | None:
    """A foreign key to a vocabulary's table as its label linked to the code's row, the code as
    its title; None (Datasette's label and id) for a key to any other table."""
    database, table = where
    other = known["foreign_keys"][(table, column)]
    if other not in VOCABULARY_TABLES or value in (None, ""):
        return None
    code, label = (value["value"], value["label"]) if isinstance(value, dict) else (value, None)
    name = name_of(known, table, column, code) or label or code  # ours: "Supports", not "supports"
    href = datasette.urls.table(database, other) + "/" + tilde_encode(str(code))
    return Markup('<a href="{}" title="{}">{}</a>').format(href, code, name)


def page_link(datasette, known: dict, prefix: str, item) -> Markup:
    """A link to the page of a study or concept, or the plain number or id when it has none
    (section 3.1 cites 908, which is no included study)."""
    if str(item) not in known["pages"][prefix]:
        return Markup('<span title="{}">{}</span>').format(NO_PAGE[prefix], item)
    return Markup('<a href="{}">{}</a>').format(datasette.urls.path(f"{prefix}{item}"), item)


def facet_labeller(known: dict, table: str | None):
    """facet_label(column, value): a facet value's label, or the value as Datasette shows it."""

    def facet_label(column: str, value):
        if table and (table, column) in known["foreign_keys"]:
            return value
        return name_of(known, table, column, value) or value

    return facet_label
