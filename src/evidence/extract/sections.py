"""Chapters and sections 1–8: titles, pages (from the table of contents), the "Centrale fund"
box of each chapter and the study counts each chapter says it builds on."""

from __future__ import annotations

import re

from evidence.extract.claims import strip_markup
from evidence.extract.source import BOX, NUMBERED, Review

STATED = re.compile(r"Afsnittet bygger på (?P<n>\d+) studier,? (?:heraf|hvoraf) (?P<dk>\d+)\b")
CHAPTER_DIMENSION = {
    2: "rammer",
    3: "maal",
    4: "roller",
    5: "viden",
    6: "virkninger_borgere",
    7: "virkninger_medarbejdere",
}


def toc_pages(review: Review) -> dict[str, int]:
    """Section id -> page, read from the table of contents."""
    pages = {}
    for para in review.part("Indholdsfortegnelse").paragraphs:
        cells = [c.strip() for c in para.text.split("\t")]
        if len(cells) == 3 and cells[2].isdigit() and re.fullmatch(r"\d+(\.\d+)?", cells[0]):
            pages[cells[0]] = int(cells[2])
    return pages


def extract_sections(review: Review) -> list[dict]:
    pages = toc_pages(review)
    rows: list[dict] = []
    boxes: dict = {}
    for part in review.parts:
        box = BOX.match(part.heading)
        if box:
            boxes[int(box.group(1))] = part
    for part in review.parts:
        m = NUMBERED.match(part.heading)
        if not m or part.level > 3 or part.line < 180 or int(m.group(1)) > 8:
            continue
        section, chapter = part.number or "", int(m.group(1))
        row = {
            "section": section,
            "chapter": chapter,
            "level": 1 if "." not in section else 2,
            "title_da": strip_markup(part.title),
            "dimension": CHAPTER_DIMENSION.get(chapter, ""),
            "page": pages.get(section),
            "source_line": part.line,
            "key_findings_da": "",
            "stated_n_studies": None,
            "stated_n_danish": None,
            "stated_text": "",
        }
        if row["level"] == 1 and chapter in boxes:
            row.update(_box(boxes[chapter]))
        rows.append(row)
    return rows


def _box(part) -> dict:
    lines, stated = [], {}
    for para in part.paragraphs:
        m = STATED.search(para.text)
        if m:
            stated = {
                "stated_n_studies": int(m.group("n")),
                "stated_n_danish": int(m.group("dk")),
                "stated_text": para.text,
            }
        else:
            lines.append(strip_markup(para.text))
    return {"key_findings_da": "\n".join(lines), **stated}
