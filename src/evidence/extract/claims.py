"""Claims and citations: every citation group in the running text of chapters 2–7."""

from __future__ import annotations

import re

from evidence.extract.citations import GROUP, parse_group, sentence_at
from evidence.extract.source import BOX, Review

CLAIM_CHAPTERS = range(2, 8)
BOLD = re.compile(r"\*\*(.+?)\*\*")


def strip_markup(text: str) -> str:
    """Drop the Markdown emphasis the PDF conversion left (** and *); words stay verbatim."""
    return re.sub(r"\*+", "", text)


def _running_text(review: Review, chapter: int):
    """(section id, paragraph) for the running text of a chapter: no boxes, no study counts."""
    for part in review.chapter_parts(chapter):
        if BOX.match(part.heading):
            continue
        section = part.number or str(chapter)
        for para in part.paragraphs:
            if para.text.startswith("Afsnittet bygger på"):
                continue
            yield section, para


def extract_claims(review: Review) -> tuple[list[dict], list[dict]]:
    claims, citations = [], []
    for chapter in CLAIM_CHAPTERS:
        seq: dict[str, int] = {}
        for section, para in _running_text(review, chapter):
            for m in GROUP.finditer(para.text):
                cites = parse_group(m.group(1))
                if cites is None:
                    continue
                seq[section] = seq.get(section, 0) + 1
                claim_id = f"{section}-{seq[section]:02d}"
                sentence = sentence_at(para.text, m.start(), m.end())
                claims.append(
                    {
                        "claim_id": claim_id,
                        "section": section,
                        "chapter": chapter,
                        "source_line": para.line,
                        "sentence_da": strip_markup(sentence),
                        "citation_text": m.group(0),
                        "cited_refs": [c.ref for c in cites],
                        "bold_terms": [strip_markup(b) for b in BOLD.findall(sentence)],
                    }
                )
                for pos, c in enumerate(cites, start=1):
                    citations.append(
                        {
                            "claim_id": claim_id,
                            "ref": c.ref,
                            "position": pos,
                            "chapters": c.chapters,
                            "page": c.page,
                        }
                    )
    return claims, citations
