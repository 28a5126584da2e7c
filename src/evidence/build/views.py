"""Views: the evidence per concept and study, each study at a glance, the gap maps, and the Cabi
handbook's advice beside the evidence for its concepts.

A study's stance on a concept is the curated per-study override (citation_stances) where there
is one, else the claim's (claim_concepts.stance), aggregated over the study's claims for the
concept as evidence.read.stances.aggregate_stance does (the Python reads these views, and combines
stances over several concepts by the same rule): one judged stance → that stance; more than
one (or a mixed claim) → mixed; mentions only when nothing else is said.
"""

from __future__ import annotations

import sqlite_utils

from evidence.build.dictionary import described

STANCE_COUNTS = """
  sum({e}.stance = 'supports') AS n_supports, sum({e}.stance = 'contradicts') AS n_contradicts,
  sum({e}.stance = 'mixed') AS n_mixed, sum({e}.stance = 'mentions') AS n_mentions"""

CONCEPT_CITATIONS = """
SELECT cc.concept_id, c.claim_id, c.section, c.chapter, ci.ref, ci.position,
       coalesce(cs.stance, cc.stance) AS stance, cs.stance IS NOT NULL AS stance_overridden,
       c.sentence_da, c.text_en
FROM claim_concepts cc
JOIN claims c ON c.claim_id = cc.claim_id
JOIN citations ci ON ci.claim_id = cc.claim_id
JOIN studies st ON st.ref = ci.ref
LEFT JOIN citation_stances cs
  ON cs.claim_id = cc.claim_id AND cs.ref = ci.ref AND cs.concept_id = cc.concept_id
ORDER BY cc.concept_id, ci.ref, c.chapter, c.source_line, c.claim_id
"""

CONCEPT_EVIDENCE = """
SELECT x.concept_id, k.label_da AS concept_label_da, k.label_en AS concept_label_en, k.dimension,
  x.ref, st.bilag2_authors_year AS study, st.year, x.stance, x.claim_stance, x.finding_stance,
  x.n_claims, x.n_findings, x.direct, x.claim_ids, x.finding_ids, x.via_concepts,
  (SELECT json_group_array(DISTINCT c.section) FROM json_each(x.claim_ids) j
     JOIN claims c ON c.claim_id = j.value) AS sections,
  (SELECT json_group_array(c.sentence_da) FROM json_each(x.claim_ids) j
     JOIN claims c ON c.claim_id = j.value) AS quotes_da,
  (SELECT json_group_array(c.text_en) FROM json_each(x.claim_ids) j
     JOIN claims c ON c.claim_id = j.value) AS quotes_en,
  (SELECT json_group_array(f.text_da) FROM json_each(x.finding_ids) j
     JOIN findings f ON f.finding_id = j.value) AS findings_da
FROM concept_studies x
JOIN concepts k ON k.id = x.concept_id
JOIN studies st ON st.ref = x.ref
ORDER BY x.concept_id, x.ref
"""

CONCEPT_SUMMARY = f"""
WITH e AS MATERIALIZED (SELECT concept_id, ref, stance FROM concept_evidence ORDER BY concept_id, ref)
SELECT k.id AS concept_id, k.label_da, k.label_en, k.dimension, k.broader, k.factor,
  (SELECT count(*) FROM claim_concepts cc WHERE cc.concept_id = k.id) AS n_claims,
  count(e.ref) AS n_studies,{STANCE_COUNTS.format(e="e")},
  (SELECT json_group_array(ref) FROM (SELECT e2.ref FROM e e2 WHERE e2.concept_id = k.id ORDER BY e2.ref)) AS refs
FROM concepts k LEFT JOIN e ON e.concept_id = k.id
GROUP BY k.id
ORDER BY k.dimension, k.id
"""

HANDBOOK_VS_EVIDENCE = """
SELECT h.advice_id, h.topic, h.advice_en, j.value AS concept_id,
  s.label_da AS concept_label_da, s.label_en AS concept_label_en, s.dimension,
  s.n_claims, s.n_studies,
  coalesce(s.n_supports, 0) AS n_supports, coalesce(s.n_contradicts, 0) AS n_contradicts,
  coalesce(s.n_mixed, 0) AS n_mixed, coalesce(s.n_mentions, 0) AS n_mentions,
  s.refs, h.evidence_note, h.evidence_note_da
FROM handbook_advice h, json_each(h.concept_ids) j
JOIN concept_summary s ON s.concept_id = j.value
ORDER BY h.rowid, j.key
"""

# Each cell's refs come from a window over the cells (joined, so SQLite indexes it on the fly),
# not from a subquery per cell, which reads every cell for every cell: minutes at 100× the review.
# A study with no code on the axis (6 studies have no method coded) sits in the column
# 'not_reported', so every gap map accounts for every study the review cites for a concept.
GAP_MAP = """
WITH cell AS MATERIALIZED (
  SELECT e.concept_id, coalesce(j.code, 'not_reported') AS code, e.ref, e.stance
  FROM concept_evidence e LEFT JOIN {join} j ON j.ref = e.ref
),
axis AS (
  SELECT code, label_da, label_en, sort_order FROM {lookup}
  UNION ALL SELECT 'not_reported', 'Ikke oplyst', 'Not reported', 1000000
  -- capitalised as every other label is (Danmark, Denmark) and as the map's heading (site.i18n)
),
cell_refs AS MATERIALIZED (
  SELECT DISTINCT concept_id, code, json_group_array(ref) OVER (
    PARTITION BY concept_id, code ORDER BY ref ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING
  ) AS refs
  FROM cell
)
SELECT k.id AS concept_id, k.label_da AS concept_label_da, k.label_en AS concept_label_en, k.dimension,
  v.code AS {value}, v.label_da AS {value}_label_da, v.label_en AS {value}_label_en,
  count(cell.ref) AS n_studies,
  coalesce(sum(cell.stance = 'supports'), 0) AS n_supports, coalesce(sum(cell.stance = 'contradicts'), 0) AS n_contradicts,
  coalesce(sum(cell.stance = 'mixed'), 0) AS n_mixed, coalesce(sum(cell.stance = 'mentions'), 0) AS n_mentions,
  coalesce(max(r.refs), '[]') AS refs
FROM concepts k CROSS JOIN axis v
LEFT JOIN cell ON cell.concept_id = k.id AND cell.code = v.code
LEFT JOIN cell_refs r ON r.concept_id = k.id AND r.code = v.code
GROUP BY k.id, v.code
ORDER BY k.dimension, k.id, v.sort_order
"""

STANCE_COLUMNS = {
    "n_supports": "Studies (or claims, in concept_evidence) whose stance is supports.",
    "n_contradicts": "… whose stance is contradicts.",
    "n_mixed": "… whose stance is mixed.",
    "n_mentions": "… that only mention it.",
}
CONCEPT_COLUMNS = {
    "concept_id": "The concept (see concepts).",
    "concept_label_da": "Concept, Danish label.",
    "concept_label_en": "Concept, English label.",
    "dimension": "The concept's dimension (section_dimensions).",
}


def study_overview_sql(dimensions: list[str]) -> str:
    per_dimension = ",\n".join(
        f"  (SELECT count(DISTINCT claim_id) FROM cited WHERE cited.ref = st.ref AND cited.dimension = '{d}') AS n_claims_{d}"
        for d in dimensions
    )
    return f"""
WITH cited AS MATERIALIZED (
  SELECT ci.ref, ci.claim_id, s.dimension FROM citations ci
  JOIN claims c ON c.claim_id = ci.claim_id LEFT JOIN sections s ON s.section = CAST(c.chapter AS TEXT)
)
SELECT st.ref, st.bilag2_authors_year AS study, st.year, st.title, st.title_en, st.publication_type, st.language,
  st.countries, st.service_areas, st.methods, st.is_danish,
  (SELECT count(*) FROM findings f WHERE f.ref = st.ref) AS n_findings,
  (SELECT count(DISTINCT claim_id) FROM cited WHERE cited.ref = st.ref) AS n_claims,
{per_dimension},
  (SELECT count(DISTINCT concept_id) FROM concept_citations x WHERE x.ref = st.ref) AS n_concepts,
  (SELECT count(*) FROM outcomes o WHERE o.ref = st.ref) AS n_outcomes
FROM studies st
ORDER BY st.ref
"""


def views(dimensions: list[str]) -> list[tuple[str, str, str, dict]]:
    """(name, sql, description, column descriptions) of every view, in creation order."""
    return [
        *evidence_views(),
        *concept_summary_views(),
        *study_views(dimensions),
        *gap_map_views(),
        *handbook_views(),
    ]


def evidence_views() -> list[tuple[str, str, str, dict]]:
    """The evidence per concept: each citation, and each study."""
    return [
        (
            "concept_citations",
            CONCEPT_CITATIONS,
            "One row per (concept, claim, cited study): the chain claim_concepts → claims → citations, with the stance that applies to that study.",
            {
                "concept_id": "The concept.",
                "claim_id": "The claim.",
                "section": "Section of the claim.",
                "chapter": "Chapter.",
                "ref": "The cited study.",
                "position": "Position of the study in the citation group.",
                "stance": "citation_stances.stance where curated, else claim_concepts.stance.",
                "stance_overridden": "1 when the stance is a per-study override from citation_stances.",
                "sentence_da": "The review's sentence (Danish, verbatim).",
                "text_en": "English rendering.",
            },
        ),
        (
            "concept_evidence",
            CONCEPT_EVIDENCE,
            "Concept × study (concept_studies, readable): every included study the review gives evidence for on a concept "
            "or a narrower one, its stance in the synthesis chapters and in Bilag 2, and the review's own sentences.",
            {
                **CONCEPT_COLUMNS,
                "ref": "The study.",
                "study": "Author(s) and year as in Bilag 2.",
                "year": "Publication year.",
                "stance": "The study's stance (concept_studies.stance).",
                "claim_stance": "Its stance in the synthesis chapters.",
                "finding_stance": "Its stance in its Bilag 2 findings.",
                "n_claims": "Claims citing the study for the concept or a narrower one.",
                "n_findings": "Bilag 2 findings coded to the concept or a narrower one.",
                "direct": "1 when coded to the concept itself, 0 when only to narrower ones.",
                "claim_ids": "The claims, as a JSON array.",
                "finding_ids": "The Bilag 2 findings, as a JSON array.",
                "via_concepts": "The concepts the evidence is coded to, as a JSON array.",
                "sections": "The claims' sections, as a JSON array.",
                "quotes_da": "The review's sentences (Danish, verbatim), as a JSON array.",
                "quotes_en": "Their English renderings, as a JSON array.",
                "findings_da": "The Bilag 2 findings (Danish, verbatim), as a JSON array.",
            },
        ),
    ]


def concept_summary_views() -> list[tuple[str, str, str, dict]]:
    """Each concept, counted."""
    return [
        (
            "concept_summary",
            CONCEPT_SUMMARY,
            "Each concept with the number of claims about it and of studies cited for it, by stance.",
            {
                "concept_id": "The concept.",
                "label_da": "Danish label.",
                "label_en": "English label.",
                "dimension": "Dimension.",
                "broader": "Broader concept.",
                "factor": "promoting or hindering factor (figures 6.1, 7.1, 8.1).",
                "n_claims": "Claims about the concept.",
                "n_studies": "Distinct studies cited for it.",
                **STANCE_COLUMNS,
                "refs": "The studies' reference numbers, as a JSON array.",
            },
        ),
    ]


def study_views(dimensions: list[str]) -> list[tuple[str, str, str, dict]]:
    """Each included study at a glance."""
    return [
        (
            "study_overview",
            study_overview_sql(dimensions),
            "Each included study at a glance: metadata, Bilag 2 findings, and how often the review's chapters cite it, per dimension.",
            {
                "ref": "The study.",
                "study": "Author(s) and year as in Bilag 2.",
                "year": "Publication year.",
                "title": "Title.",
                "title_en": "English title.",
                "publication_type": "Form of publication.",
                "language": "Language.",
                "countries": "Countries (JSON array).",
                "service_areas": "Service areas (JSON array).",
                "methods": "Methods (JSON array).",
                "is_danish": "1 when Denmark is among the countries.",
                "n_findings": "Main findings in Bilag 2.",
                "n_claims": "Claims (citation groups) in chapters 2–7 that cite the study.",
                **{
                    f"n_claims_{d}": f"Claims citing the study in the chapter on '{d}'."
                    for d in dimensions
                },
                "n_concepts": "Distinct concepts the study is cited for.",
                "n_outcomes": "Quantitative results the review reports from it.",
            },
        ),
    ]


def gap_map_views() -> list[tuple[str, str, str, dict]]:
    """Concept × country, service area and method."""
    """(name, sql, description, column descriptions) of every view, in creation order."""
    gap = []
    for value, join, lookup in [
        ("country", "study_countries", "countries"),
        ("service_area", "study_service_areas", "service_areas"),
        ("method", "study_methods", "methods"),
    ]:
        gap.append(
            (
                f"gap_map_{value}",
                GAP_MAP.format(join=join, lookup=lookup, value=value),
                f"Gap map, concept × {value}: how many included studies from each {value} the review cites for each concept "
                f"(0 = a gap), with their stances and reference numbers.",
                {
                    **CONCEPT_COLUMNS,
                    value: f"The {value} code (see {lookup}); not_reported: studies with none coded.",
                    f"{value}_label_da": "Danish label.",
                    f"{value}_label_en": "English label.",
                    "n_studies": "Distinct studies in the cell.",
                    **STANCE_COLUMNS,
                    "refs": "Their reference numbers, as a JSON array.",
                },
            )
        )
    return gap


def handbook_views() -> list[tuple[str, str, str, dict]]:
    """The handbook's advice beside the evidence for its concepts."""
    return [
        (
            "handbook_vs_evidence",
            HANDBOOK_VS_EVIDENCE,
            "The Cabi handbook's advice (handbook_advice) beside the review's evidence: one row per (advice, concept) with "
            "how many included studies the review cites for the concept and where they stand (as in concept_summary). "
            "A stance is toward the concept as the review states it (for a barrier such as overwhelming-meetings, supports "
            "means the studies find the barrier). The handbook is practice guidance, not evidence; read evidence_note.",
            {
                "advice_id": "The advice (see handbook_advice).",
                "topic": "The advice's topic.",
                "advice_en": "The advice in English.",
                **CONCEPT_COLUMNS,
                "n_claims": "Claims of the review about the concept.",
                "n_studies": "Distinct included studies the review cites for the concept (0 = no evidence).",
                **STANCE_COLUMNS,
                "refs": "The studies' reference numbers, as a JSON array.",
                "evidence_note": "Curator's note on what the review's evidence says about the advice.",
                "evidence_note_da": "The same note in Danish.",
            },
        ),
    ]


def create_views(db: sqlite_utils.Database) -> list[dict]:
    dimensions = [
        r[0]
        for r in db.execute("SELECT code FROM section_dimensions ORDER BY sort_order").fetchall()
    ]
    dictionary_rows = []
    for name, sql, description, columns in views(dimensions):
        db.create_view(name, sql.strip())
        dictionary_rows += described(name, description, columns, kind="view")
    return dictionary_rows
