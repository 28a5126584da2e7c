"""`evidence extract`: regenerate the machine-extractable data from the review's text, then join
the curation (data/curation/) onto it by stable ids and write data/*.csv."""

from __future__ import annotations

import re
from pathlib import Path

from evidence.dataset.csvio import write_table
from evidence.dataset.schema import load_schema, load_vocabularies
from evidence.extract.claims import extract_claims
from evidence.extract.curation import keyed, map_vocabulary, read_curation
from evidence.extract.references import (
    ascii_fold,
    extract_references,
    link_references,
    link_score,
    split_title,
    surnames,
)
from evidence.extract.sections import extract_sections
from evidence.extract.source import Review
from evidence.extract.studies import extract_studies

LINK_THRESHOLD = 80.0
WRITTEN = [
    "studies",
    "references",
    "findings",
    "sections",
    "claims",
    "citations",
    "claim_concepts",
    "citation_stances",
    "claim_expansions",
    "finding_expansions",
    "concept_expansions",
    "finding_concepts",
]


def _chosen_link(ref: int, candidates: list, decisions: dict) -> tuple[str, str, str]:
    """(reference_id or '', decision, reason) for a study."""
    d = decisions.get(str(ref))
    if d:
        return d["reference_id"].strip(), d["decision"].strip(), d["reason"].strip()
    if candidates and candidates[0][0] >= LINK_THRESHOLD:
        return candidates[0][1], "computed", ""
    return "", "no_entry", "no bibliography entry scores 80 or more; not yet reviewed"


def _initials(authors: str) -> str:
    m = re.match(r"[^,]+,\s*((?:[A-ZÆØÅ](?:\.|\b)[\s-]*)+)", authors)
    return re.sub(r"[\s.-]", "", m.group(1)).upper() if m else ""


def _disagreement(study: dict, reference: dict) -> str:
    """Where Bilag 2 and the bibliography disagree on year, surnames or the first initials."""
    notes = []
    if study["year"] != reference["year"]:
        notes.append(f"year {study['year']} in Bilag 2, {reference['year']} in the bibliography")
    theirs = {ascii_fold(n).lower() for n in surnames(reference["authors"])}
    missing = [n for n in surnames(study["authors"]) if ascii_fold(n).lower() not in theirs]
    if missing:
        notes.append(f"surname(s) {', '.join(missing)} in Bilag 2 not spelt so in the bibliography")
    a, b = _initials(study["authors"]), _initials(reference["authors"])
    if a and b and not (a.startswith(b) or b.startswith(a)):
        notes.append(f"first author's initials {a} in Bilag 2, {b} in the bibliography")
    return "; ".join(notes)


def build_studies(review: Review, data_dir: Path) -> tuple[list, list, list]:
    """Studies, bibliography entries and findings, with vocabularies, curation and links joined on."""
    vocab = load_vocabularies(data_dir)
    studies, findings = extract_studies(review)
    references = extract_references(review)
    by_id = {r["reference_id"]: r for r in references}
    candidates = link_references(studies, references)
    decisions, curated = keyed(data_dir, "reference_links"), keyed(data_dir, "studies")
    for s in studies:
        _map_vocabularies(s, vocab)
        c = curated.get(str(s["ref"]), {})
        s.update({k: c.get(k, "") for k in ("publication_type", "language", "title_en", "note")})
        rid, decision, reason = _chosen_link(s["ref"], candidates[s["ref"]], decisions)
        _link(s, by_id.get(rid) if rid else None, rid, reason)
    _mark_unlinked(references, data_dir)
    en = keyed(data_dir, "findings_en")
    labels = {raw: dim for dim, t in vocab["dimensions"].items() for raw in t["raw"]}
    for f in findings:
        f["dimension"] = labels.get(f["dimension_label"], "")
        f["text_en"] = en.get(f["finding_id"], {}).get("text_en", "")
    return studies, references, findings


def _map_vocabularies(s: dict, vocab: dict) -> None:
    """A study's Bilag 2 country/area and method cells as vocabulary codes."""
    where = f"ref={s['ref']}"
    countries = map_vocabulary(
        s["bilag2_country_area"],
        {k: v for k, v in vocab["countries"].items()} | vocab["service_areas"],
        "country/service area",
        where,
    )
    s["countries"] = [c for c in countries if c in vocab["countries"]]
    s["service_areas"] = [c for c in countries if c in vocab["service_areas"]]
    s["methods"] = (
        map_vocabulary(s["bilag2_method"], vocab["methods"], "method", where)
        if s["bilag2_method"]
        else []
    )
    s["is_danish"] = "DK" in s["countries"]


def _link(s: dict, ref_row: dict | None, rid: str | None, reason: str) -> None:
    """Join a study and its bibliography entry (both in place), or mark it as having none."""
    s["reference_id"] = rid or None
    if ref_row is None:
        s.update(title="", venue="", link_score=None, link_status="no_entry", link_note=reason)
        return
    # the study's title as a title: no trailing comma, no "I: editors (red.)" of the book it is in
    s["title"], s["venue"] = split_title(ref_row["title"])[0], ref_row["venue"]
    s["link_score"] = link_score(s, ref_row)
    disagreement = _disagreement(s, ref_row)
    s["link_status"] = "linked_with_disagreement" if disagreement else "linked"
    s["link_note"] = "; ".join(x for x in (disagreement, reason) if x)
    ref_row.update(
        ref=s["ref"], role="included_study", link_score=s["link_score"], link_note=s["link_note"]
    )


def _mark_unlinked(references: list[dict], data_dir: Path) -> None:
    """Entries no study links to: a duplicate (errata.csv says so) or background literature."""
    duplicates = {
        e["reference_id"].strip(): e
        for e in read_curation(data_dir, "errata")
        if e["kind"].strip() == "duplicate_reference"
    }
    for r in references:
        if "role" not in r:
            dup = duplicates.get(r["reference_id"])
            r.update(
                ref=None,
                role="duplicate" if dup else "background",
                link_score=None,
                link_note=dup["detail"] if dup else "",
            )


def build_claims(
    review: Review, data_dir: Path, sections: list[dict]
) -> tuple[list, list, list, list]:
    claims, citations = extract_claims(review)
    pages = {s["section"]: s["page"] for s in sections}
    en = keyed(data_dir, "claims_en")
    links = read_curation(data_dir, "claim_concepts")
    by_claim: dict[str, list[dict]] = {}
    for row in links:
        by_claim.setdefault(row["claim_id"].strip(), []).append(row)
    for c in claims:
        mine = by_claim.get(c["claim_id"], [])
        stances = {r["stance"].strip() for r in mine}
        c["page"] = pages.get(c["section"])
        c["text_en"] = en.get(c["claim_id"], {}).get("text_en", "")
        c["concept_ids"] = [r["concept_id"].strip() for r in mine]
        c["stance"] = stances.pop() if len(stances) == 1 else ("mixed" if stances else "")
    claim_concepts = [
        {k: r.get(k, "").strip() for k in ("claim_id", "concept_id", "stance", "note")}
        for r in links
    ]
    citation_stances = [
        {k: r.get(k, "").strip() for k in ("claim_id", "ref", "concept_id", "stance", "reason")}
        for r in read_curation(data_dir, "citation_stances")
    ]
    return claims, citations, claim_concepts, citation_stances


def extract_all(review: Review, data_dir: Path) -> dict[str, list[dict]]:
    """Every table `evidence extract` writes, as rows (nothing written yet)."""
    data_dir = Path(data_dir)
    sections = extract_sections(review)
    titles = keyed(data_dir, "sections_en")
    for s in sections:
        s["title_en"] = titles.get(s["section"], {}).get("title_en", "")
    studies, references, findings = build_studies(review, data_dir)
    claims, citations, claim_concepts, stances = build_claims(review, data_dir, sections)
    return {
        "studies": studies,
        "references": references,
        "findings": findings,
        "sections": sections,
        "claims": claims,
        "citations": citations,
        "claim_concepts": claim_concepts,
        "citation_stances": stances,
        "claim_expansions": _curated(
            data_dir, "claim_expansions", ("claim_id", "lang", "kind", "text")
        ),
        "finding_expansions": _curated(
            data_dir, "finding_expansions", ("finding_id", "lang", "kind", "text")
        ),
        "concept_expansions": _curated(
            data_dir, "concept_expansions", ("concept_id", "lang", "terms", "reason")
        ),
        "finding_concepts": _curated(
            data_dir, "finding_concepts", ("finding_id", "concept_id", "stance", "note")
        ),
    }


def _curated(data_dir: Path, name: str, columns: tuple[str, ...]) -> list[dict]:
    """A curation file written through as its data table (validation checks its keys)."""
    return [{k: r.get(k, "").strip() for k in columns} for r in read_curation(data_dir, name)]


def write_all(tables: dict[str, list[dict]], data_dir: Path) -> None:
    schema = load_schema(Path(data_dir))
    for name in WRITTEN:
        write_table(Path(data_dir) / schema[name].file, schema[name], tables[name])
