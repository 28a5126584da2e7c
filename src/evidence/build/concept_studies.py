"""The table `concept_studies`: every (concept, study) the review gives evidence for, with the
study's stance from the synthesis chapters and from Bilag 2, kept apart.

Computed once per build by evidence.read.stances.gather_concept_evidence — the one implementation
of "which studies, with which stance, for a concept" — and read by the views (concept_evidence,
concept_summary, the gap maps, handbook_vs_evidence), the API, the briefs and `/api/ask`.
"""

from __future__ import annotations

import sqlite_utils

from evidence.build.dictionary import described
from evidence.read.stances import EVIDENCE_COLUMNS, gather_concept_evidence

DESCRIPTION = (
    "Concept × study: every included study the review gives evidence for on a concept, its own "
    "or its narrower concepts' (docs/coding-manual.md §4), with the stance from the synthesis "
    "chapters and from the study's Bilag 2 findings kept apart."
)
COLUMNS = {
    "concept_id": "The concept (see concepts).",
    "ref": "The study (see studies).",
    "stance": "The study's stance over both sources (aggregate_stance: supports and contradicts make mixed; mentions only when nothing else).",
    "claim_stance": "The study's stance in the synthesis chapters (its claims, aggregated); empty when no claim cites it for the concept.",
    "finding_stance": "The study's stance in its Bilag 2 findings (finding_concepts, aggregated); empty when none is coded to the concept.",
    "n_claims": "Claims citing the study for the concept or a narrower one.",
    "n_findings": "Bilag 2 findings of the study coded to the concept or a narrower one.",
    "direct": "1 when the evidence includes the concept itself, 0 when it comes only from narrower concepts.",
    "claim_ids": "The claims, as a JSON array.",
    "finding_ids": "The Bilag 2 findings, as a JSON array.",
    "via_concepts": "The concepts (itself and/or narrower ones) the evidence is coded to, as a JSON array.",
}


def create_concept_studies(db: sqlite_utils.Database) -> list[dict]:
    """Write `concept_studies` from the data tables; its data_dictionary rows."""
    rows = gather_concept_evidence(db.conn)
    db.table("concept_studies").create(
        {
            "concept_id": str,
            "ref": int,
            "stance": str,
            "claim_stance": str,
            "finding_stance": str,
            "n_claims": int,
            "n_findings": int,
            "direct": int,
            "claim_ids": str,
            "finding_ids": str,
            "via_concepts": str,
        },
        pk=("concept_id", "ref"),
        foreign_keys=[("concept_id", "concepts", "id"), ("ref", "studies", "ref")],
    )
    db.table("concept_studies").insert_all(
        ({k: r[k] for k in EVIDENCE_COLUMNS} for r in rows), batch_size=1000
    )
    db.table("concept_studies").create_index(["ref"])
    db.table("concept_studies").create_index(["stance"])
    return described("concept_studies", DESCRIPTION, COLUMNS, source="build")
