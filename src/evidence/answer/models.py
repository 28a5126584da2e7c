"""The shape of /api/ask's answers (SQLModel, as the API's other model families): a question's
studies with their stance, synthesis sentences, Bilag 2 findings and matched passages, and how the
question was read."""

from __future__ import annotations

from typing import Literal

from sqlmodel import Field, SQLModel

from evidence.answer import coverage

Stance = Literal["supports", "contradicts", "mixed", "mentions"]


class ConceptMatch(SQLModel):
    id: str
    label_da: str
    label_en: str
    score: float = Field(
        description="0–100: how well the question's words match the concept's thesaurus terms "
        "(0 when the concept comes only from the passages that answer the question)."
    )
    matched: str = Field(
        default="",
        description="Why the concept is in the answer: the thesaurus match (e.g. 'synonym_da "
        '"tovholder" ~ "tovholdr" (fuzzy 92)\'), or "coded to the passages that answer the question".',
    )


class Suggestion(SQLModel):
    id: str
    label_da: str
    label_en: str
    score: float


class Evidence(SQLModel):
    """A synthesis sentence of chapters 2–7 that cites the study."""

    claim_id: str
    section: str
    section_title: str
    page: int | None = Field(default=None, description="The section's first page in the PDF.")
    quote_da: str = Field(description="The review's sentence, verbatim.")
    text_en: str
    chapters: list[int] = Field(default_factory=list)
    stance: str | None = Field(default=None, description="The sentence's stance for this study.")
    stance_by_concept: dict[str, Stance] = Field(
        default_factory=dict,
        description="concept_id → the sentence's stance for this study on that concept, for the "
        "answer's concepts it is coded to (concept_citations); `stance` aggregates them.",
    )


class FindingEvidence(SQLModel):
    """One of the study's Bilag 2 findings coded to the answer's concept(s) (finding_concepts)."""

    finding_id: str
    text_da: str = Field(description="Bilag 2's words, verbatim.")
    text_en: str
    concept_id: str
    stance: Stance


class PassageMatch(SQLModel):
    """A passage that matched the question: a claim sentence, a Bilag 2 finding or a box bullet."""

    kind: Literal["claim", "finding", "box"]
    id: str = Field(description="claim_id, finding_id, or box:<section>-<n>.")
    section: str = Field(description='The section ("Bilag 2" for a finding).')
    page: int | None = None
    quote_da: str = Field(description="The review's words, verbatim.")
    text_en: str
    score: float = Field(description="BM25 score of the passage for the question.")


class StudyAnswer(SQLModel):
    ref: int
    authors: str
    year: int
    title: str | None = None
    countries: list[str]
    stance: Stance | None = Field(
        description="The study's stance on the answer's concept(s), over both sources; null when "
        "the question asked no topic, only facets ('which studies are from Norway')."
    )
    evidence: list[Evidence] = Field(description="What the synthesis chapters say (claims).")
    findings: list[FindingEvidence] = Field(
        description="What the study's Bilag 2 row says, coded to the answer's concept(s)."
    )
    score: float | None = Field(
        default=None, description="Retrieval score (the best passage's); none for concept=."
    )
    passages: list[PassageMatch] = Field(
        default_factory=list, description="The passages that matched the question."
    )


class Summary(SQLModel):
    n_studies: int
    by_stance: dict[str, int]
    by_country: dict[str, int]


class QueryWord(SQLModel):
    word: str
    terms: list[str] = Field(description="The index terms it matched (stems, compound parts).")
    weight: float = Field(description="Its weight in the coverage test (idf units).")
    how: str = Field(
        description='"" as typed, "typo of …", "part of …" (the head of a compound the review '
        'uses), "compound a+b", "relation", or "unknown".'
    )


class Understanding(SQLModel):
    """How the question was read."""

    concepts: list[ConceptMatch] = Field(default_factory=list)
    words: list[QueryWord] = Field(default_factory=list)
    filters_applied: dict = Field(default_factory=dict)
    direction: Literal["positive", "negative"] | None = None
    cover: float | None = Field(
        default=None, description="0–1: the share of the question's weight the best passage holds."
    )
    signals: dict[str, float] = Field(
        default_factory=dict,
        description="The coverage decision's signals, each 0–1: cover (as above), unknown (the share "
        "of the weight on words the review never uses), anchor (the heaviest word some passage holds is "
        "in the three best passages), compound (the share of the weight on compounds no passage holds whole, "
        "read through their parts), absent (the share of the question's words no passage holds, counted).",
    )
    areas_as_topic: bool = Field(
        default=False,
        description="A question of nothing but facets also read its service-area words as a topic: "
        "the passages that use them speak for the studies they cite (the review's text may speak of "
        "a study's area where Bilag 2 files it elsewhere: those studies are in beyond_filters).",
    )
    probability: float | None = Field(
        default=None,
        description="0–1: how likely the review speaks to the question (a logistic regression on the "
        f"signals, fitted on the benchmark's dev split); below {coverage.THRESHOLD} the answer is "
        "not_covered.",
    )


class Answer(SQLModel):
    query: str
    coverage: Literal["covered", "not_covered", "facets_only", "concept"] = Field(
        description="covered: passages answer it; not_covered: the review does not speak to it, or no "
        "study has the question's facets (no studies; see suggestions and filters_applied); facets_only: only a facet was asked (e.g. a country); "
        "concept: a concept id was given."
    )
    concepts: list[ConceptMatch]
    filters_applied: dict = Field(
        default_factory=dict,
        description="Facets read from the question and applied (country, service_area, method, "
        "design, year_from, year_to).",
    )
    understood: Understanding
    studies: list[StudyAnswer]
    summary: Summary
    review_summary: list[PassageMatch] = Field(
        default_factory=list,
        description='Matching bullets of the chapters\' "Centrale fund" boxes.',
    )
    suggestions: list[Suggestion] = Field(
        default_factory=list, description="The nearest topics, when the question is not covered."
    )
    beyond_filters: list[StudyAnswer] = Field(
        default_factory=list,
        description="facets_only: studies the passages on the question's area words cite whose "
        'Bilag 2 service area is another ("psykiatri": 712, 907, which Bilag 2 files under other '
        "areas). Kept apart: `studies` and `summary` are exactly the studies with the facets of "
        "filters_applied, as /api/studies gives them; not in the file formats.",
    )
