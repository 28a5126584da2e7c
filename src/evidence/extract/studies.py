"""The 55 included studies of Bilag 2 and their main findings, split into single findings."""

from __future__ import annotations

import re

from evidence.extract.citations import sentence_bounds
from evidence.extract.source import Review

AUTHOR_YEAR = re.compile(r"^(?P<authors>.*?)\s*\((?P<year>\d{4})\)\.?\s*$")
DIMENSION_LABEL = re.compile(r"\b(Rammer og mål|Roller og viden|Virkninger|Virksomheder)\s*:\s*")
DIMENSIONS = {
    "Rammer og mål": "rammer_og_maal",
    "Roller og viden": "roller_og_viden",
    "Virkninger": "virkninger",
}


def bilag2_rows(review: Review) -> list[tuple[int, list[str]]]:
    """(source line, five raw cells) for every study row of Bilagstabel 2.1."""
    part = review.part("Bilag 2")
    rows = []
    for para in part.paragraphs:
        cells = para.text.split("\t")
        if cells[0].strip().isdigit():
            cells = [c.strip() for c in cells] + [""] * (5 - len(cells))
            rows.append((para.line, cells[:5]))
    return rows


def split_findings(cell: str) -> list[tuple[str, str]]:
    """'Rammer og mål: A. B. Virkninger: C.' -> [(label, 'A.'), (label, 'B.'), (label2, 'C.')]."""
    out = []
    marks = list(DIMENSION_LABEL.finditer(cell))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(cell)
        segment = cell[m.end() : end].strip()
        for a, b in sentence_bounds(segment):
            sentence = segment[a:b].strip()
            if sentence:
                out.append((m.group(1), sentence))
    return out


def extract_studies(review: Review) -> tuple[list[dict], list[dict]]:
    studies, findings = [], []
    for line, (ref, authors_year, country_area, method, main) in bilag2_rows(review):
        m = AUTHOR_YEAR.match(authors_year)
        studies.append(
            {
                "ref": int(ref),
                "authors": m.group("authors").rstrip(" ,") if m else authors_year,
                "year": int(m.group("year")) if m else None,
                "source_line": line,
                "bilag2_authors_year": authors_year,
                "bilag2_country_area": country_area,
                "bilag2_method": method,
                "bilag2_findings": main,
            }
        )
        for n, (label, text) in enumerate(split_findings(main), start=1):
            findings.append(
                {
                    "finding_id": f"{ref}-{n:02d}",
                    "ref": int(ref),
                    "seq": n,
                    "dimension": DIMENSIONS.get(label, ""),
                    "dimension_label": label,
                    "text_da": text,
                }
            )
    return studies, findings
