"""The bibliography ("Litteratur"): every entry parsed, and linked to the study it describes.

The link is computed: rapidfuzz compares the Bilag 2 author string with each entry's authors,
and the years must agree (a year off by one or two scores lower but still counts, so that a
disagreement is found and reported rather than hidden). A person reviews each link in
data/curation/reference_links.csv.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from evidence.extract.source import Review

ENTRY = re.compile(r"^(?P<authors>.+?)\s*\((?P<year>\d{4})\)\.?\s*(?P<rest>.*)$")
ITALIC = re.compile(r"\*(.+?)\*")
LINK_THRESHOLD = 80.0


def ascii_fold(text: str) -> str:
    text = text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "Ae")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")


def surnames(authors: str) -> list[str]:
    """'Andvig, E., Syse, J., & Severinsson E.' -> ['Andvig', 'Syse', 'Severinsson']."""
    authors = re.sub(r"\(red\.\)|m\.fl\.?", "", authors)
    names = []
    for chunk in re.split(r",\s*&\s*|\s+&\s+|,\s+(?=[A-ZÆØÅ][^\s,.]{2,})", authors):
        word = re.match(r"\s*([^\s,.][^,]*?)(?:,|\s+[A-ZÆØÅ]\.|$)", chunk)
        if word:
            names.append(word.group(1).strip())
    return [n for n in names if n]


def parse_title_venue(rest: str) -> tuple[str, str]:
    """Journal article: 'Title. *Journal*, 9(1), 1-9.'; book/report: '*Title*. Place: Publisher.'"""
    rest = rest.strip()
    if rest.startswith("*"):
        m = ITALIC.match(rest)
        title = m.group(1) if m else rest
        venue = rest[m.end() :].strip(" .") if m else ""
        return title.strip(" ."), venue
    m = ITALIC.search(rest)
    if not m:
        return rest.strip(" ."), ""
    title = rest[: m.start()].strip(" .")
    venue = (m.group(1) + rest[m.end() :]).strip(" .")
    return title, venue


def extract_references(review: Review) -> list[dict]:
    part = review.part("Litteratur")
    refs: list[dict] = []
    seen: dict = {}
    for para in part.paragraphs:
        raw = para.text.removeprefix("- ").strip()
        m = ENTRY.match(raw)
        if not m:
            continue
        authors = m.group("authors").strip()
        authors = (
            authors.rstrip(".") if "," not in authors else authors
        )  # "Deloitte." -> "Deloitte"
        title, venue = parse_title_venue(m.group("rest"))
        base = f"{slug(surnames(authors)[0] if surnames(authors) else authors)}-{m.group('year')}"
        seen[base] = seen.get(base, 0) + 1
        reference_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        refs.append(
            {
                "reference_id": reference_id,
                "source_line": para.line,
                "authors": authors,
                "first_author": (surnames(authors) or [authors])[0],
                "year": int(m.group("year")),
                "title": ITALIC.sub(r"\1", title),
                "venue": ITALIC.sub(r"\1", venue),
                "raw": raw,
            }
        )
    return refs


def link_score(study: dict, reference: dict) -> float:
    """0–100: how well a Bilag 2 author/year matches a bibliography entry."""
    a = ascii_fold(study["authors"]).lower()
    b = ascii_fold(reference["authors"]).lower()
    names = fuzz.token_set_ratio(a, b)
    first = fuzz.ratio(
        ascii_fold((surnames(study["authors"]) or [""])[0]).lower(),
        ascii_fold(reference["first_author"]).lower(),
    )
    score = 0.5 * names + 0.5 * first
    gap = abs((study["year"] or 0) - reference["year"])
    return round(score - 10 * min(gap, 3), 1)


def link_references(studies: list[dict], references: list[dict]) -> dict[int, list[tuple]]:
    """For each study ref: candidate (score, reference_id) pairs above the threshold, best first."""
    out = {}
    for s in studies:
        scored = sorted(((link_score(s, r), r["reference_id"]) for r in references), reverse=True)
        out[s["ref"]] = [c for c in scored if c[0] >= LINK_THRESHOLD - 20][:3]
    return out


IN_BOOK = re.compile(
    r"^(?P<title>.+?)[.,]?\s+(?:I|In):\s+(?P<editors>.+?)\s*\((?:red|eds?|Eds?|Hrsg|toim)\.?\)\s*[,.:]?$"
)


def split_title(text: str | None) -> tuple[str, list[dict]]:
    """(title, editors of the book it is in): 'Title? I: J. Näslund & S. Jern (red.),' →
    ('Title?', [{'family': 'Näslund', 'given': 'J.'}, {'family': 'Jern', 'given': 'S.'}])."""
    text = (text or "").strip()
    editors: list[dict] = []
    if m := IN_BOOK.match(text):
        text = m.group("title")
        for name in re.split(r"\s*(?:,|&|\bog\b|\band\b)\s*", m.group("editors")):
            if n := re.match(r"^((?:[A-ZÆØÅÄÖÜ]\.[\s-]*)+)\s*(.+)$", name.strip()):
                editors.append({"family": n.group(2).strip(), "given": n.group(1).strip()})
            elif name.strip():
                editors.append({"literal": name.strip()})
    return text.rstrip(" ,;:"), editors
