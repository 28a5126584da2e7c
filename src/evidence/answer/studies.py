"""The studies of an answer as documents: who, where, the stance, and both sources kept apart.

For each study: its metadata (studies), its `stance`, `evidence` — the review's synthesis sentences
that cite it (claims: verbatim Danish, English, section, page, anthology chapters, the stance of
the sentence for this study) — and `findings` — its Bilag 2 findings coded to the answer's
concepts (finding_concepts: verbatim Danish, English, concept, stance). The synthesis chapters and
Bilag 2 are two sources and stay two lists. A question's answer adds `score` and `passages` (what
matched the question, verbatim, with its score).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict

from evidence.read.stances import aggregate_stance

CLAIM_SQL = """
select c.claim_id, c.section, coalesce(s.title_da, '') as title_da,
       coalesce(s.title_en, '') as title_en, c.page, c.sentence_da, c.text_en,
       ci.ref, ci.chapters
from claims c
join citations ci on ci.claim_id = c.claim_id
left join sections s on s.section = c.section
where c.claim_id in ({marks}) and ci.ref in ({refs})
order by c.chapter, c.source_line, c.claim_id
"""


def claim_stances(conn: sqlite3.Connection, claim_ids: list[str]) -> dict[tuple, dict[str, str]]:
    """(claim_id, ref) → {concept_id: stance} for the claims' cited included studies (the
    concept_citations view: the per-study override where there is one, else the claim's)."""
    if not claim_ids:
        return {}
    marks = ", ".join("?" for _ in claim_ids)
    out: dict[tuple, dict[str, str]] = defaultdict(dict)
    for r in conn.execute(
        f"select claim_id, ref, concept_id, stance from concept_citations where claim_id in ({marks})",
        claim_ids,
    ):
        out[(r["claim_id"], r["ref"])][r["concept_id"]] = r["stance"]
    return out


def study_documents(
    conn: sqlite3.Connection,
    refs: list[int],
    claims_of: dict[int, list[str]],
    concepts: list[str],
    lang: str = "da",
) -> list[dict]:
    """One document per study, in the order of `refs`. `claims_of`: ref → the claim ids that are
    its evidence; `concepts`: the answer's concepts (which stances and findings count)."""
    if not refs:
        return []
    marks = ", ".join("?" for _ in refs)
    meta = {
        r["ref"]: r
        for r in conn.execute(
            f"select ref, authors, year, title, countries from studies where ref in ({marks})", refs
        )
    }
    claim_ids = sorted({c for cs in claims_of.values() for c in cs})
    stances = claim_stances(conn, claim_ids)
    evidence = _evidence(conn, refs, claims_of, stances, set(concepts), lang)
    findings = _findings(conn, refs, concepts)
    out = []
    for ref in refs:
        m = meta[ref]
        # a study's Bilag 2 findings count on the concepts its matched sentences are coded to:
        # 751's employment finding is no evidence on the contact person its sentences support
        own = {k for c in claims_of.get(ref, ()) for k in stances.get((c, ref), {})}
        findings[ref] = [f for f in findings[ref] if not own or f["concept_id"] in own]
        judged = [ev["stance"] for ev in evidence[ref]] + [f["stance"] for f in findings[ref]]
        out.append(
            {
                "ref": ref,
                "authors": m["authors"],
                "year": m["year"],
                "title": m["title"],
                "countries": m["countries"],
                "stance": aggregate_stance(judged) if judged else None,  # no concept asked
                "evidence": evidence[ref],
                "findings": findings[ref],
            }
        )
    return out


def _evidence(conn, refs, claims_of, stances, concepts, lang) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = defaultdict(list)
    claim_ids = sorted({c for cs in claims_of.values() for c in cs})
    if not claim_ids:
        return out
    sql = CLAIM_SQL.format(
        marks=", ".join("?" for _ in claim_ids), refs=", ".join("?" for _ in refs)
    )
    for r in conn.execute(sql, [*claim_ids, *refs]):
        if r["claim_id"] not in claims_of.get(r["ref"], ()):
            continue
        coded = stances.get((r["claim_id"], r["ref"]), {})
        mine = {k: s for k, s in coded.items() if not concepts or k in concepts}
        out[r["ref"]].append(
            {
                "claim_id": r["claim_id"],
                "section": r["section"],
                "section_title": r["title_en" if lang == "en" else "title_da"],
                "page": r["page"],
                "quote_da": r["sentence_da"],
                "text_en": r["text_en"],
                "chapters": r["chapters"] or [],
                "stance": aggregate_stance(list(mine.values())),
                "stance_by_concept": dict(sorted(mine.items())),
            }
        )
    return out


def _findings(conn, refs, concepts) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = defaultdict(list)
    if not concepts:
        return out
    sql = (
        "select f.finding_id, f.ref, f.text_da, f.text_en, fc.concept_id, fc.stance "
        "from finding_concepts fc join findings f on f.finding_id = fc.finding_id "
        "where f.ref in ({}) and fc.concept_id in ({}) order by f.ref, f.seq"
    ).format(", ".join("?" for _ in refs), ", ".join("?" for _ in concepts))
    for r in conn.execute(sql, [*refs, *concepts]):
        out[r["ref"]].append(
            {
                "finding_id": r["finding_id"],
                "text_da": r["text_da"],
                "text_en": r["text_en"],
                "concept_id": r["concept_id"],
                "stance": r["stance"],
            }
        )
    return out
