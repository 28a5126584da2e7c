"""Tables about the review itself: its record, its screening numbers, its audit, its errata.

- `review`: data/review.yml as key/value rows (nested keys joined with '.', lists as JSON).
- `screening_flow`: the screening numbers as printed, plus the remainder they imply (56, where
  the review includes 55), so the discrepancy is visible rather than fixed.
- `audit_findings`: evidence.dataset.audit.audit_review(data/), the review's own inconsistencies,
  worded in English and in Danish.
- `unresolved_citations`: citations of numbers that are no included study, with the erratum.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import sqlite_utils

from evidence.build.dictionary import described
from evidence.dataset.audit import audit_review
from evidence.dataset.csvio import read_rows
from evidence.dataset.schema import load_yaml

STAGES = [
    (
        "identified",
        "Potentielt relevante studier fundet i søgningen",
        "Potentially relevant studies found by the search",
    ),
    (
        "excluded_title_abstract",
        "Frasorteret på baggrund af titel og abstract",
        "Excluded on title and abstract",
    ),
    (
        "excluded_full_text",
        "Frasorteret efter fuldtekstlæsning",
        "Excluded after full-text reading",
    ),
    (
        "remaining_computed",
        "Tilbage efter screening (beregnet)",
        "Remaining after screening (computed)",
    ),
    ("included", "Inkluderet i vidensindsamlingen", "Included in the review"),
]

COLUMN_DESCRIPTIONS = {
    "review": {
        "key": "Key in data/review.yml ('search.period_from' for a nested key).",
        "value": "The value as printed in the review (lists and mappings as JSON).",
    },
    "screening_flow": {
        "seq": "Order of the stage.",
        "stage": "Stage code (keys of data/review.yml 'screening').",
        "label_da": "Stage in Danish.",
        "label_en": "Stage in English.",
        "n": "Number of studies.",
        "kind": "stated (printed in the review) or computed (by this build, from the stated numbers).",
        "note": "Where the number comes from, or why it is computed.",
    },
    "audit_findings": {
        "finding_id": "Position in the audit's output.",
        "kind": "Kind of inconsistency (e.g. cited_not_included, chapter_count).",
        "location": "Where in the review.",
        "stated": "What the review states.",
        "observed": "What the data shows.",
        "detail": "Explanation.",
        "stated_da": "What the review states, worded in Danish (the site's Danish pages show it).",
        "observed_da": "What the data shows, worded in Danish.",
        "detail_da": "Explanation in Danish; empty where the explanation is free text of the data "
        "(a study's link_note, in English), which the Danish pages show as written.",
    },
    "unresolved_citations": {
        "claim_id": "The claim (citation group).",
        "position": "Position of the number in the group.",
        "ref": "The number as printed; no included study has it.",
        "chapters": "Anthology chapters cited, as a JSON array.",
        "page": "Page locator.",
        "note": "The erratum recorded in data/curation/errata.csv, and what was decided.",
    },
}

TABLE_DESCRIPTIONS = {
    "review": "The review's own record (data/review.yml): title, authors, ISBN, search, criteria, screening, as key/value rows.",
    "screening_flow": "The review's screening numbers as printed (499 found, 319 and 124 excluded, 55 included) and the remainder they imply: 56, one more than the review includes.",
    "audit_findings": "The review's own inconsistencies, computed from the data by `evidence audit` (stated vs observed).",
    "unresolved_citations": "Citations in the text of a number that is no included study (908 in section 3.1). Kept here, out of the citations table whose ref is a foreign key to studies, so nothing is lost.",
}


def describe(table: str, source: str) -> list[dict]:
    return described(table, TABLE_DESCRIPTIONS[table], COLUMN_DESCRIPTIONS[table], source)


def flatten(record: dict, prefix: str = "") -> list[dict]:
    rows = []
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows += flatten(value, name + ".")
        elif isinstance(value, list):
            rows.append({"key": name, "value": json.dumps(value, ensure_ascii=False)})
        else:
            rows.append({"key": name, "value": "" if value is None else str(value)})
    return rows


def create_review_tables(db: sqlite_utils.Database, data_dir: Path) -> list[dict]:
    review = load_yaml(data_dir, "review.yml")
    db.table("review").create({"key": "TEXT", "value": "TEXT"}, pk="key")
    db.table("review").insert_all(flatten(review))
    db.table("screening_flow").create(
        {
            "seq": "INTEGER",
            "stage": "TEXT",
            "label_da": "TEXT",
            "label_en": "TEXT",
            "n": "INTEGER",
            "kind": "TEXT",
            "note": "TEXT",
        },
        pk="seq",
    )
    db.table("screening_flow").insert_all(screening_rows(review["screening"]))
    return describe("review", "data/review.yml") + describe("screening_flow", "data/review.yml")


def screening_rows(s: dict) -> list[dict]:
    remainder = s["identified"] - s["excluded_title_abstract"] - s["excluded_full_text"]
    quoted = "Printed in chapter 1 ('Kort om metode') and in 'Fakta om undersøgelsen'."
    n = {**s, "remaining_computed": remainder}
    notes = {
        "remaining_computed": (
            f"{s['identified']} − {s['excluded_title_abstract']} − {s['excluded_full_text']} = {remainder}; "
            f"the review includes {s['included']}. The review's numbers do not add up "
            f"(difference {remainder - s['included']}); recorded as printed, see audit_findings."
        ),
        "included": "Printed in chapter 1 and Bilag 1 ('I alt blev 55 studier vurderet relevante ...'); Bilag 2 lists 55 studies.",
    }
    return [
        {
            "seq": i,
            "stage": stage,
            "label_da": da,
            "label_en": en,
            "n": n[stage],
            "kind": "computed" if stage == "remaining_computed" else "stated",
            "note": notes.get(stage, quoted),
        }
        for i, (stage, da, en) in enumerate(STAGES, start=1)
    ]


DANISH = ("stated", "observed", "detail")  # each worded in Danish too (evidence.dataset.audit)
COLUMNS = ("kind", "location", "stated", "observed", "detail", *(f"{k}_da" for k in DANISH))


def create_audit_table(
    db: sqlite_utils.Database, data_dir: Path, tables: dict[str, list[dict]]
) -> list[dict]:
    db.table("audit_findings").create(
        {
            "finding_id": "INTEGER",
            "kind": "TEXT",
            "location": "TEXT",
            "stated": "TEXT",
            "observed": "TEXT",
            "detail": "TEXT",
            **{f"{k}_da": "TEXT" for k in DANISH},
        },
        pk="finding_id",
    )
    rows = []
    for i, finding in enumerate(audit_review(Path(data_dir), tables), start=1):
        d = asdict(finding)
        rows.append({"finding_id": i, **{k: _text(d.get(k)) for k in COLUMNS}})
    db.table("audit_findings").insert_all(rows)
    db.table("audit_findings").create_index(["kind"])
    return describe("audit_findings", "evidence.dataset.audit")


def _text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def create_unresolved_citations(
    db: sqlite_utils.Database, citations: list[dict], data_dir: Path
) -> list[dict]:
    errata = {}
    path = Path(data_dir) / "curation" / "errata.csv"
    if path.exists():  # validated first (evidence.dataset.validate.errata_refs)
        for _, e in read_rows(path, "data/curation/errata.csv")[1]:
            if e.get("kind") == "cited_not_included" and e.get("ref", "").strip():
                errata[int(e["ref"].strip())] = f"{e['detail']} {e['decision']}".strip()
    db.table("unresolved_citations").create(
        {
            "claim_id": "TEXT",
            "position": "INTEGER",
            "ref": "INTEGER",
            "chapters": "TEXT",
            "page": "TEXT",
            "note": "TEXT",
        },
        pk=("claim_id", "position"),
        foreign_keys=[("claim_id", "claims", "claim_id")],
    )
    db.table("unresolved_citations").insert_all(
        {
            **c,
            "chapters": json.dumps(c["chapters"]),
            "note": errata.get(c["ref"], "Not recorded in data/curation/errata.csv."),
        }
        for c in citations
    )
    return describe("unresolved_citations", "data/citations.csv, data/curation/errata.csv")
