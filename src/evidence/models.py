"""The API's shapes, one model family per entity (as the FastAPI template does).

`XBase` holds the columns the database stores, `XPublic` what the API returns for one, `XsPublic`
a page of them (`data`, `count`). The database is built by sqlite-utils from data/*.csv and read
with plain SQL (lists live in JSON arrays, filtered with json_each), so these are SQLModel models
without `table=True`: validation and the OpenAPI schema, not an ORM mapping.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlmodel import Field, SQLModel

from evidence.answer.models import (  # noqa: F401  (the API imports them from here)
    Answer,
    ConceptMatch,
    Evidence,
    FindingEvidence,
    PassageMatch,
    QueryWord,
    Stance,
    StudyAnswer,
    Suggestion,
    Summary,
    Understanding,
)

# --- studies -----------------------------------------------------------------------------


class StudyBase(SQLModel):
    ref: int = Field(
        description="The review's reference number (Bilag 2).", schema_extra={"examples": [924]}
    )
    authors: str = Field(description="Authors as Bilag 2 gives them.")
    year: int
    title: str | None = Field(default=None, description="Title from the bibliography entry.")
    title_en: str | None = None
    venue: str | None = None
    publication_type: str
    language: str
    countries: list[str] = Field(default_factory=list, description="Country codes (DK, SE, NO, …).")
    service_areas: list[str] = Field(default_factory=list)
    methods: list[str] = Field(default_factory=list)
    is_danish: bool
    reference_id: str | None = None


class StudyPublic(StudyBase):
    link_score: float | None = Field(
        default=None,
        description="How well Bilag 2's author/year matches the bibliography entry (0–100).",
    )
    link_status: str
    bilag2_authors_year: str
    bilag2_country_area: str
    bilag2_method: str | None = None
    bilag2_findings: str


class StudiesPublic(SQLModel):
    data: list[StudyPublic]
    count: int = Field(description="Rows matching the filters, before limit/offset.")


class FindingPublic(SQLModel):
    finding_id: str
    ref: int
    seq: int
    dimension: str
    dimension_label: str
    text_da: str
    text_en: str


class ReferencePublic(SQLModel):
    reference_id: str
    authors: str
    first_author: str
    year: int
    title: str
    venue: str | None = None
    ref: int | None = None
    role: str
    raw: str


class StudyClaim(SQLModel):
    claim_id: str
    section: str
    section_title: str
    page: int | None = None
    quote_da: str
    text_en: str
    citation_text: str
    chapters: list[int] = Field(
        default_factory=list, description="Anthology chapters cited (study 631)."
    )
    concept_ids: list[str] = Field(default_factory=list)
    stance: str | None = None


# --- outcomes, sections, audit ------------------------------------------------------------


class OutcomePublic(SQLModel):
    outcome_id: str
    ref: int
    section: str
    measure_da: str
    measure_en: str
    population: str | None = None
    value_before: float | None = None
    value_after: float | None = None
    value: float | None = None
    unit: str
    period: str | None = None
    direction: str
    quote_da: str
    note: str | None = None


class OutcomesPublic(SQLModel):
    data: list[OutcomePublic]
    count: int


class AuditFindingPublic(SQLModel):
    kind: str
    location: str
    stated: str | None = None
    observed: str | None = None
    detail: str | None = None


class AuditFindingsPublic(SQLModel):
    data: list[AuditFindingPublic]
    count: int


class StudyDetail(StudyPublic):
    citation: str = Field(
        description="The bibliography entry as printed in the review (empty when none)."
    )
    reference: ReferencePublic | None = None
    findings: list[FindingPublic]
    claims: list[StudyClaim] = Field(description="Every sentence of the review citing the study.")
    outcomes: list[OutcomePublic]
    audit: list[AuditFindingPublic] = Field(description="Audit findings that mention the study.")


class SectionPublic(SQLModel):
    section: str
    chapter: int
    level: int
    title_da: str
    title_en: str
    dimension: str | None = None
    page: int | None = None
    key_findings_da: str | None = None
    stated_n_studies: int | None = None
    stated_n_danish: int | None = None
    n_claims: int = 0
    n_studies: int = Field(0, description="Distinct included studies the section's sentences cite.")


class SectionsPublic(SQLModel):
    data: list[SectionPublic]
    count: int


# --- claims ------------------------------------------------------------------------------


class ClaimBase(SQLModel):
    claim_id: str
    section: str
    chapter: int
    page: int | None = None
    source_line: int
    sentence_da: str
    citation_text: str
    cited_refs: list[int]
    bold_terms: list[str] = Field(default_factory=list)
    text_en: str
    concept_ids: list[str] = Field(default_factory=list)
    stance: str | None = None


class ClaimPublic(ClaimBase):
    section_title: str


class ClaimsPublic(SQLModel):
    data: list[ClaimPublic]
    count: int


# --- concepts ----------------------------------------------------------------------------


class ConceptBase(SQLModel):
    id: str = Field(schema_extra={"examples": ["single-contact-person"]})
    label_da: str
    label_en: str
    synonyms_da: list[str] = Field(default_factory=list)
    synonyms_en: list[str] = Field(default_factory=list)
    dimension: str
    broader: str | None = None
    factor: str | None = None
    polarity: Literal["positive", "negative", "grouping"] = Field(
        default="positive",
        description="positive: a practice, goal or outcome; negative: a problem (supports = it "
        "was found); grouping: a container (docs/coding-manual.md §2.1).",
    )
    definition_da: str
    definition_en: str
    summary_only: str | None = Field(
        default=None,
        description="For a concept the review names only in its uncited summaries: that sentence.",
    )


class ConceptPublic(ConceptBase):
    n_claims: int = 0
    n_studies: int = 0


class ConceptsPublic(SQLModel):
    data: list[ConceptPublic]
    count: int


class HandbookNote(SQLModel):
    """A practitioner handbook's advice about a concept: not evidence from the review."""

    advice_id: str = Field(schema_extra={"examples": ["cabi-appoint-coordinator"]})
    topic: str
    handbook_section: str = Field(description="The handbook's heading, as printed.")
    quote_da: str = Field(description="The handbook's words, verbatim.")
    advice_en: str = Field(description="The advice in English.")
    evidence_note: str = Field(
        description="What the review's evidence says about the advice (curator's note, English)."
    )
    evidence_note_da: str = Field(
        description="The same note in Danish (data/handbook_advice.csv, evidence_note_da)."
    )


class ConceptProfile(ConceptPublic):
    broader_label: str | None = None
    narrower: list[str] = Field(default_factory=list)
    studies: list[StudyAnswer]
    summary: Summary
    by_method: dict[str, int]
    handbook: list[HandbookNote] = Field(
        default_factory=list,
        description="What Cabi's practitioner handbook advises about the concept, with a note on the "
        "review's evidence. Practice guidance, not one of the review's studies.",
    )


# --- the Cabi handbook (/api/handbook) -----------------------------------------------------


class HandbookConcept(SQLModel):
    concept_id: str
    concept_label_da: str
    concept_label_en: str
    n_studies: int = Field(description="Included studies the review cites for the concept.")
    n_supports: int = 0
    n_contradicts: int = 0
    n_mixed: int = 0
    n_mentions: int = 0
    refs: list[int] = Field(default_factory=list)


class HandbookAdvicePublic(HandbookNote):
    concept_ids: list[str]
    n_studies: int = Field(
        description="Distinct included studies the review cites for any of the advice's concepts."
    )
    by_stance: dict[str, int] = Field(
        description="Those studies by stance, each counted once (its stances on the concepts aggregated)."
    )
    refs: list[int]
    concepts: list[HandbookConcept] = Field(description="The evidence per concept.")


class HandbookPublic(SQLModel):
    data: list[HandbookAdvicePublic]
    count: int = Field(description="Advice matching the filters, before limit/offset.")


# --- review, gap map ---------------------------------------------------------------------


class ScreeningStage(SQLModel):
    stage: str
    label_da: str
    label_en: str
    n: int
    kind: str = Field(description="stated (printed in the review) or computed.")
    note: str | None = None


class ReviewPublic(SQLModel):
    """data/review.yml as built, plus the screening flow and this build's row counts."""

    model_config = {"extra": "allow"}
    title: str
    subtitle: str | None = None
    publisher: str
    year: int
    isbn: str | None = None
    url: str | None = None
    licence_note: str | None = None
    citation_da: str = Field(description="How to cite the review (Danish).")
    citation_en: str = Field(description="How to cite the review (English).")
    authors: list[dict[str, Any]]
    contributors: list[dict[str, Any]] = Field(default_factory=list)
    research_questions: list[str]
    dimensions: list[dict[str, Any]]
    search: dict[str, Any]
    inclusion_criteria: list[dict[str, Any]] = Field(default_factory=list)
    exclusion_criteria: list[dict[str, Any]] = Field(default_factory=list)
    screening: dict[str, Any] = Field(description="The screening numbers as printed.")
    screening_flow: list[ScreeningStage] = Field(
        description="Identified → excluded → included, with the computed remainder."
    )
    dataset_version: str
    counts: dict[str, int] = Field(description="Rows per table in this build.")


class GapCell(SQLModel):
    row: str = Field(description="Concept id.")
    col: str = Field(description="Country, service area or method code.")
    count: int = Field(
        description="Studies the review cites for the concept in this country/area/method."
    )
    refs: list[int]
    n_supports: int = 0
    n_contradicts: int = 0
    n_mixed: int = 0
    n_mentions: int = 0


class Axis(SQLModel):
    id: str
    label: str


class GapMap(SQLModel):
    rows: list[Axis]
    cols: list[Axis]
    cells: list[GapCell] = Field(description="Every cell, empty ones (the gaps) included.")
