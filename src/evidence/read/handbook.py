"""The Cabi handbook's advice (data/handbook_advice.csv) held against the review's evidence.

Each piece of advice names the concepts it is about. Per concept, its evidence is the row of the
`handbook_vs_evidence` view (the studies the review cites for the concept, counted by stance as
`concept_summary` does). Over all its concepts together, each study counts once, with its stances
on them aggregated as /api/ask aggregates them (evidence.read.stances.aggregate_stance). The handbook is
practice guidance, not one of the review's studies: the API and the briefs say so wherever they
show it.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict

from evidence.read.lists import _check, page, select_where
from evidence.read.stances import STANCE_ORDER, aggregate_stance

PROFILE_FIELDS = (
    "advice_id",
    "topic",
    "handbook_section",
    "quote_da",
    "advice_en",
    "evidence_note",
    "evidence_note_da",
)
CONCEPT_FIELDS = ("concept_id", "concept_label_da", "concept_label_en", "n_studies")
STANCE_COUNTS = tuple(f"n_{s}" for s in STANCE_ORDER)


def list_handbook(
    conn: sqlite3.Connection, topic=None, concept=None, limit=None, offset=0
) -> tuple[list[dict], int]:
    """The advice in the handbook file's order, each with the review's evidence for its concepts."""
    _check("topic", topic, {r["topic"] for r in conn.execute("select topic from handbook_advice")})
    _check("concept", concept, {r["id"] for r in conn.execute("select id from concepts")})
    where, params = [], []
    if topic is not None:
        where.append("topic = ?")
        params.append(topic)
    if concept is not None:
        where.append("exists (select 1 from json_each(concept_ids) j where j.value = ?)")
        params.append(concept)
    rows = select_where(conn, "select * from handbook_advice", where, params, "rowid")
    shown, count = page(rows, limit, offset)
    per_concept = _concept_rows(conn, [r["advice_id"] for r in shown])
    stances = _study_stances(conn, sorted({c for r in shown for c in r["concept_ids"]}))
    return [with_evidence(r, per_concept[r["advice_id"]], stances) for r in shown], count


def _concept_rows(conn: sqlite3.Connection, advice_ids: list[str]) -> dict[str, list[dict]]:
    """advice_id → its rows of handbook_vs_evidence, in the advice's concept order."""
    out: dict[str, list[dict]] = defaultdict(list)
    marks = ", ".join("?" for _ in advice_ids) or "null"
    for r in conn.execute(
        f"select * from handbook_vs_evidence where advice_id in ({marks})", advice_ids
    ):
        out[r["advice_id"]].append(
            {
                **{k: r[k] for k in CONCEPT_FIELDS + STANCE_COUNTS},
                "refs": json.loads(r["refs"] or "[]"),
            }
        )
    return out


def _study_stances(conn: sqlite3.Connection, concept_ids: list[str]) -> dict[str, dict[int, str]]:
    """concept_id → {ref: the study's stance on it} (concept_evidence)."""
    out: dict[str, dict[int, str]] = defaultdict(dict)
    marks = ", ".join("?" for _ in concept_ids) or "null"
    for r in conn.execute(
        f"select concept_id, ref, stance from concept_evidence where concept_id in ({marks})",
        concept_ids,
    ):
        out[r["concept_id"]][r["ref"]] = r["stance"]
    return out


def with_evidence(advice: dict, concepts: list[dict], stances: dict[str, dict[int, str]]) -> dict:
    """The advice with n_studies, by_stance and refs over all its concepts, and its concept rows."""
    per_ref: dict[int, list[str]] = defaultdict(list)
    for concept_id in advice["concept_ids"]:
        for ref, stance in stances.get(concept_id, {}).items():
            per_ref[ref].append(stance)
    counted = Counter(aggregate_stance(s) for s in per_ref.values())
    return {
        **advice,
        "n_studies": len(per_ref),
        "by_stance": {k: counted[k] for k in STANCE_ORDER if counted[k]},
        "refs": sorted(per_ref),
        "concepts": concepts,
    }


def flatten(advice: dict) -> dict:
    """One advice as a flat row for the file formats: by_stance as n_supports … n_mentions."""
    return {**advice, **{f"n_{k}": advice["by_stance"].get(k, 0) for k in STANCE_ORDER}}


def handbook_for_concept(conn: sqlite3.Connection, concept_id: str) -> list[dict]:
    """The advice that names a concept, for its evidence profile and brief (file order)."""
    rows = conn.execute(
        "select * from handbook_advice where exists "
        "(select 1 from json_each(concept_ids) j where j.value = ?) order by rowid",
        [concept_id],
    ).fetchall()
    return [{k: r[k] for k in PROFILE_FIELDS} for r in rows]
