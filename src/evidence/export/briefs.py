"""One-page evidence briefs for policy staff: what the review says about a concept, which studies
it rests on and where they stand, the review's own sentences with their sections, and how to cite.

Rendered from Jinja2 templates (src/evidence/templates/brief.{md,html}.j2) in Danish or English.
The brief restates the review; it adds no judgement of its own. A separate, labelled section quotes
what Cabi's practitioner handbook advises about the concept (data/handbook_advice.csv) with a note
on the review's evidence: practice guidance beside the evidence, never mixed into it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).parent / "templates"

WORDS = {
    "da": {
        "brief": "Vidensnotat",
        "says": "Hvad vidensindsamlingen siger",
        "studies": "Studierne og hvor de står",
        "quotes": "Citater fra vidensindsamlingen",
        "cite": "Sådan citeres",
        "section": "afsnit",
        "page": "s.",
        "study": "Studie",
        "year": "År",
        "countries": "Land",
        "stance": "Holdning",
        "findings": "Hovedfund (Bilag 2)",
        "n_studies": "studier",
        "none": "Vidensindsamlingen citerer ingen studier for dette begreb.",
        "summary_only": "Den nævner det kun i sine sammenfatninger, som ikke henviser til studier:",
        "caveat": "Notatet gengiver, hvad vidensindsamlingen skriver og citerer; det vurderer ikke studiernes kvalitet.",
        "data": "Data",
        "definition": "Begrebet",
        "handbook": "Hvad Cabis håndbog anbefaler",
        "handbook_caveat": "Fra en praktikerhåndbog (Cabi), ikke evidens fra vidensindsamlingen. Noterne er evidens' egen "
        "læsning af, hvad vidensindsamlingens studier siger om rådet.",
        "note": "Note",
    },
    "en": {
        "brief": "Evidence brief",
        "says": "What the review says",
        "studies": "The studies and where they stand",
        "quotes": "The review's own words",
        "cite": "How to cite",
        "section": "section",
        "page": "p.",
        "study": "Study",
        "year": "Year",
        "countries": "Country",
        "stance": "Stance",
        "findings": "Main findings (Bilag 2)",
        "n_studies": "studies",
        "none": "The review cites no studies for this concept.",
        "summary_only": "It names it only in its summaries, which cite no study:",
        "caveat": "This brief restates what the review writes and cites; it does not appraise the studies' quality.",
        "data": "Data",
        "definition": "The concept",
        "handbook": "What the Cabi handbook advises",
        "handbook_caveat": "From a practitioner handbook (Cabi), not evidence from the review. The notes are evidens' own "
        "reading of what the review's studies say about the advice.",
        "note": "Note",
    },
}
STANCES = {
    "da": {
        "supports": "understøtter",
        "contradicts": "modsiger",
        "mixed": "blandet",
        "mentions": "nævner",
    },
    "en": {
        "supports": "supports",
        "contradicts": "contradicts",
        "mixed": "mixed",
        "mentions": "mentions",
    },
}


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def quotes(profile: dict) -> list[dict]:
    """The review's sentences on the concept, once each, in the review's order, with their claims
    and studies: one sentence with three citation groups is three claims (2.2-08, 2.2-09, 2.2-10)
    but one quote (`claim_ids`)."""
    by_sentence: dict[tuple[str, str], dict] = {}
    for s in profile["studies"]:
        for ev in s["evidence"]:
            key = (ev["section"], ev["quote_da"])
            q = by_sentence.setdefault(key, {**ev, "claim_ids": [], "refs": []})
            if ev["claim_id"] not in q["claim_ids"]:
                q["claim_ids"].append(ev["claim_id"])
            if s["ref"] not in q["refs"]:
                q["refs"].append(s["ref"])
    for q in by_sentence.values():
        q["claim_ids"].sort(key=_order)
        q["claim_id"] = q["claim_ids"][0]
    return sorted(by_sentence.values(), key=lambda q: _order(q["claim_id"]))


def _order(claim_id: str) -> tuple:
    section, _, seq = claim_id.partition("-")
    return (*(int(p) for p in section.split(".")), int(seq or 0))


def render_brief(
    profile: dict,
    review: dict,
    sections: dict[str, dict],
    fmt: str = "md",
    lang: str = "da",
    url: str = "",
    countries: dict[str, str] | None = None,
) -> str:
    """The brief for a concept profile (evidence.read.documents.concept_profile) as Markdown or HTML;
    `countries` names the country codes (evidence.read.documents.country_labels)."""
    template = environment().get_template(f"brief.{'html' if fmt == 'html' else 'md'}.j2")
    en = lang == "en"
    return template.render(
        c=profile,
        lang=lang,
        w=WORDS[lang],
        stance=STANCES[lang],
        quotes=quotes(profile),
        sections=sections,
        label=profile["label_en" if en else "label_da"],
        definition=profile["definition_en" if en else "definition_da"],
        citation=review.get("citation_en" if en else "citation_da", ""),
        review=review,
        url=url,
        country=lambda code: (countries or {}).get(code, code),
    )
