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
order by c.chapter, c.source_line, c.claim_id, ci.ref
"""
FINDING_SQL = """
select f.finding_id, f.ref, f.text_da, f.text_en, fc.concept_id, fc.stance
from finding_concepts fc join findings f on f.finding_id = fc.finding_id
order by f.ref, f.seq, fc.concept_id
"""


class EvidenceTables:
    """What study documents are made of, read once per build (evidence.answer.ask caches it): a
    question's answer then reads no table. `meta`: ref → studies row; `claims`: claim_id → its
    citation rows (CLAIM_SQL, one per cited study) and its position in the review; `stances`:
    (claim_id, ref) → {concept_id: stance} (the concept_citations view: the per-study override
    where there is one, else the claim's); `findings`: ref → its coded Bilag 2 findings in order."""

    def __init__(self, conn: sqlite3.Connection):
        self.meta = {
            r["ref"]: r
            for r in conn.execute("select ref, authors, year, title, countries from studies")
        }
        self.claims: dict[str, list[dict]] = defaultdict(list)
        self.position: dict[str, int] = {}
        for r in conn.execute(CLAIM_SQL):
            self.position.setdefault(r["claim_id"], len(self.position))
            self.claims[r["claim_id"]].append(r)
        self.stances: dict[tuple, dict[str, str]] = defaultdict(dict)
        for r in conn.execute("select claim_id, ref, concept_id, stance from concept_citations"):
            self.stances[(r["claim_id"], r["ref"])][r["concept_id"]] = r["stance"]
        self.findings: dict[int, list[dict]] = defaultdict(list)
        for r in conn.execute(FINDING_SQL):
            self.findings[r["ref"]].append(r)


def study_documents(
    tables: EvidenceTables,
    refs: list[int],
    claims_of: dict[int, list[str]],
    concepts: list[str],
    lang: str = "da",
) -> list[dict]:
    """One document per study, in the order of `refs`. `claims_of`: ref → the claim ids that are
    its evidence; `concepts`: the answer's concepts (which stances and findings count)."""
    stances = tables.stances
    evidence = _evidence(tables, refs, claims_of, set(concepts), lang)
    findings = _findings(tables, refs, concepts)
    out = []
    for ref in refs:
        m = tables.meta[ref]
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
                "countries": list(m["countries"] or []),
                "stance": aggregate_stance(judged) if judged else None,  # no concept asked
                "evidence": evidence[ref],
                "findings": findings[ref],
            }
        )
    return out


def _evidence(tables, refs, claims_of, concepts, lang) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = defaultdict(list)
    wanted = set(refs)
    claim_ids = sorted({c for cs in claims_of.values() for c in cs}, key=tables.position.get)
    for claim_id in claim_ids:
        for r in tables.claims.get(claim_id, ()):
            if r["ref"] not in wanted or claim_id not in claims_of.get(r["ref"], ()):
                continue
            coded = tables.stances.get((claim_id, r["ref"]), {})
            mine = {k: s for k, s in coded.items() if not concepts or k in concepts}
            out[r["ref"]].append(
                {
                    "claim_id": claim_id,
                    "section": r["section"],
                    "section_title": r["title_en" if lang == "en" else "title_da"],
                    "page": r["page"],
                    "quote_da": r["sentence_da"],
                    "text_en": r["text_en"],
                    "chapters": list(r["chapters"] or []),
                    "stance": aggregate_stance(list(mine.values())),
                    "stance_by_concept": dict(sorted(mine.items())),
                }
            )
    return out


def _findings(tables, refs, concepts) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = defaultdict(list)
    if not concepts:
        return out
    wanted = set(concepts)
    for ref in refs:
        out[ref] = [
            {k: r[k] for k in ("finding_id", "text_da", "text_en", "concept_id", "stance")}
            for r in tables.findings.get(ref, ())
            if r["concept_id"] in wanted
        ]
    return out
