"""What a person decided, kept apart from what the extractor finds (data/curation/*.csv).

Each curation file is keyed by the stable ids the extractor makes (ref, finding_id, claim_id,
section), so re-extracting never overwrites a decision. Every override carries its reason.
"""

from __future__ import annotations

import re
from pathlib import Path

from evidence.dataset.csvio import DataError, Problem, read_rows

CURATION_FILES = {
    "studies": "ref",
    "reference_links": "ref",
    "findings_en": "finding_id",
    "claims_en": "claim_id",
    "sections_en": "section",
}


def read_curation(data_dir: Path, name: str) -> list[dict]:
    path = Path(data_dir) / "curation" / f"{name}.csv"
    if not path.exists():
        return []
    _, rows = read_rows(path, f"data/curation/{name}.csv")
    return [r for _, r in rows]


def keyed(data_dir: Path, name: str) -> dict[str, dict]:
    return {r[CURATION_FILES[name]].strip(): r for r in read_curation(data_dir, name)}


def map_vocabulary(cell: str, terms: dict, what: str, where: str) -> list[str]:
    """Map a Bilag 2 cell to vocabulary slugs through each term's `raw` phrases.

    Longest phrases first; anything left over that is not punctuation or "og" is an error, so
    a new spelling in the source is never silently dropped.
    """
    text = " " + cell.lower() + " "
    phrases: dict[str, list[str]] = {}
    for slug, term in terms.items():
        for p in term.get("raw", []):
            phrases.setdefault(p.lower(), []).append(slug)
    found: list[str] = []
    for phrase in sorted(phrases, key=len, reverse=True):  # "kvalitative interviews" first
        pattern = r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])"
        if re.search(pattern, text):
            found += [s for s in phrases[phrase] if s not in found]
            text = re.sub(pattern, " ", text)
    leftover = re.sub(r"\b(og|and)\b|[,.;\s]", "", text)
    if leftover:
        raise DataError(
            [
                Problem(
                    "data/vocabularies.yml",
                    None,
                    where,
                    f"{what} phrase {leftover!r} in {cell!r} is in no term's raw list; add it to one",
                )
            ]
        )
    return found
