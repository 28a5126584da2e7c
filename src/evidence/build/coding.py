"""The double coding in the database: `coding_agreement` (the agreement figures before
reconciliation) and `coding_reconciliation` (every disagreement, both coders' values, the final
decision and its reason), from data/curation/coding/ (evidence.dataset.coding)."""

from __future__ import annotations

import csv
from pathlib import Path

import sqlite_utils

from evidence.build.dictionary import described
from evidence.dataset.coding import CODING_FILES, coding_report

AGREEMENT_COLUMNS = {
    "units": "What was coded: claims (synthesis sentences: concepts, and stance per cited study) or findings (Bilag 2).",
    "n_units": "Units both coders coded.",
    "sets_equal": "Share of units whose concept sets the two coders chose identically.",
    "jaccard": "Mean overlap of the two concept sets per unit (|A ∩ B| / |A ∪ B|).",
    "kappa_concepts": "Cohen's κ on concept presence over every unit × every concept.",
    "stance_pairs": "(unit, concept[, study]) pairs both coders coded.",
    "stance_observed": "Share of those pairs with the same stance.",
    "kappa_stance": "Cohen's κ on stance over those pairs.",
    "disputed": "Rows the third reviewer reconciled (a stance, or a concept one coder did not assign).",
}
RECONCILIATION_COLUMNS = {
    "units": "claims or findings.",
    "unit_id": "The claim_id or finding_id.",
    "concept_id": "The concept.",
    "ref": "The cited study (claims); empty for findings.",
    "coder_a": "Coder A's stance, or 'not coded'.",
    "coder_b": "Coder B's stance, or 'not coded'.",
    "final": "The decision: a stance, or 'not coded'.",
    "reason": "Why, citing docs/coding-manual.md.",
}


def create_coding_tables(db: sqlite_utils.Database, data_dir: Path) -> list[dict]:
    """Write both tables; their data_dictionary rows."""
    report = coding_report(data_dir, [r[0] for r in db.execute("select id from concepts")])
    figures = [  # Agreement.units is the count; the table names the kind of unit `units`
        {**a.as_dict(), "units": units, "n_units": a.units} for units, a in report.items()
    ]
    db.table("coding_agreement").insert_all(figures, pk="units")
    rows = []
    for units, (unit, *_files, reconciled) in CODING_FILES.items():
        path = Path(data_dir) / "curation" / "coding" / reconciled
        with open(path, newline="", encoding="utf-8-sig") as f:
            for r in csv.DictReader(f):
                rows.append(
                    {
                        "units": units,
                        "unit_id": r[unit],
                        "concept_id": r["concept_id"],
                        "ref": int(r["ref"]) if r.get("ref") else None,
                        **{k: r[k] for k in ("coder_a", "coder_b", "final", "reason")},
                    }
                )
    db.table("coding_reconciliation").insert_all(rows, columns={"ref": int})
    source = "data/curation/coding/"
    return described(
        "coding_agreement",
        "Agreement of two independent codings before reconciliation (coder A: the first coding; "
        "coder B: only docs/coding-manual.md and the review).",
        AGREEMENT_COLUMNS,
        source=source,
    ) + described(
        "coding_reconciliation",
        "Every unit on which the two coders differed, both values, the third reviewer's final "
        "decision and its reason.",
        RECONCILIATION_COLUMNS,
        source=source,
    )
