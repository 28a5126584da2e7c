"""Which studies the review cites for a concept, and where each stands.

The chain claim_concepts → claims → citations → studies, with the curated per-study stance
override (citation_stances) taking the place of the claim's stance, is joined once: in the
database's `concept_citations` view (evidence.build.views). A study's stance on one concept,
aggregated over its claims, is the `concept_evidence` view's. What Python adds is the same
aggregation over several concepts at once (`aggregate_stance`, for a question resolved to more
than one concept and for a handbook advice naming several): one judged stance → that stance;
supports and contradicts (or a mixed claim) → mixed; mentions counts only when nothing else does.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

STANCE_ORDER = {"supports": 0, "contradicts": 1, "mixed": 2, "mentions": 3}

EVIDENCE_SQL = """
select x.concept_id, x.claim_id, x.section, coalesce(s.title_da, '') as section_title,
       c.page, x.sentence_da, x.text_en, c.citation_text, x.ref, ci.chapters, x.stance
from concept_citations x
join claims c on c.claim_id = x.claim_id
join citations ci on ci.claim_id = x.claim_id and ci.position = x.position
left join sections s on s.section = x.section
where x.concept_id in ({marks})
order by c.chapter, c.source_line, c.claim_id, ci.position
"""


def aggregate_stance(stances) -> str:
    """supports+contradicts → mixed; mentions only when nothing else; one stance → itself."""
    found = {s for s in stances if s}
    judged = found - {"mentions"}
    if not judged:
        return "mentions"
    if len(judged) == 1:
        return judged.pop()
    return "mixed"


def evidence_rows(conn: sqlite3.Connection, concept_ids: list[str]) -> list[dict]:
    """One row per (concept, claim, cited included study), in the review's order: the rows of
    `concept_citations` with what the API shows of the claim and the citation."""
    if not concept_ids:
        return []
    sql = EVIDENCE_SQL.format(marks=", ".join("?" for _ in concept_ids))
    return conn.execute(sql, list(concept_ids)).fetchall()


def studies_for_concepts(conn: sqlite3.Connection, concept_ids: list[str]) -> list[dict]:
    """Every included study cited for the concepts, with its stance and evidence, most relevant first.

    Relevance: studies cited for more of the concepts, then for more claims, then judged stances
    before mere mentions, then the review's reference number.
    """
    by_ref: dict[int, dict] = {}
    for row in evidence_rows(conn, concept_ids):
        entry = by_ref.setdefault(
            row["ref"], {"ref": row["ref"], "concepts": set(), "stances": [], "evidence": {}}
        )
        entry["concepts"].add(row["concept_id"])
        entry["stances"].append(row["stance"])
        ev = entry["evidence"].setdefault(row["claim_id"], _evidence(row))
        ev["stance"] = aggregate_stance([ev["stance"], row["stance"]])
    out = []
    for entry in by_ref.values():
        stance = aggregate_stance(entry["stances"])
        out.append(
            {
                "ref": entry["ref"],
                "stance": stance,
                "concepts": sorted(entry["concepts"]),
                "evidence": list(entry["evidence"].values()),
            }
        )
    out.sort(
        key=lambda e: (
            -len(e["concepts"]),
            -len(e["evidence"]),
            e["stance"] == "mentions",
            e["ref"],
        )
    )
    return out


def _evidence(row: dict) -> dict:
    return {
        "claim_id": row["claim_id"],
        "section": row["section"],
        "section_title": row["section_title"],
        "quote_da": row["sentence_da"],
        "text_en": row["text_en"],
        "chapters": row["chapters"] or [],
        "stance": row["stance"],
    }


def study_concept_stances(conn: sqlite3.Connection) -> dict[tuple[int, str], str]:
    """(ref, concept_id) → the study's aggregated stance, for every pair the review makes."""
    rows = conn.execute("select ref, concept_id, stance from concept_evidence")
    return {(r["ref"], r["concept_id"]): r["stance"] for r in rows}


def summarise(studies: list[dict], meta: dict[int, dict]) -> dict:
    """n_studies, by_stance and by_country of an answer's studies (meta: ref → study row)."""
    by_stance = Counter(s["stance"] for s in studies)
    by_country = Counter(c for s in studies for c in meta[s["ref"]]["countries"])
    return {
        "n_studies": len(studies),
        "by_stance": {k: by_stance[k] for k in STANCE_ORDER if by_stance[k]},
        "by_country": dict(sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0]))),
    }
