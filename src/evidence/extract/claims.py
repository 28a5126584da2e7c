"""Claims and citations: every citation group in the running text of chapters 2–7.

A claim is the sentence that holds a citation group. The review often goes on about the same study
without citing it again ("Studiet finder, at … dermatologer og reumatologer"); up to
`CONTEXT_SENTENCES` such uncited sentences that follow a claim in its paragraph are kept with it as
`context_da`, verbatim, so that /api/ask can find the claim by them. They are never quoted as the
claim: `sentence_da` is what the review says with the citation.
"""

from __future__ import annotations

import re

from evidence.extract.citations import GROUP, parse_group, sentence_at, sentence_bounds
from evidence.extract.source import BOX, Review

CLAIM_CHAPTERS = range(2, 8)
CONTEXT_SENTENCES = 3  # chosen on the dev split of tests/questions_dev.yml (1, 2, 3, 6, all)
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
                        "context_da": _context(para.text, m.end()),
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


def _cites(text: str) -> bool:
    return any(parse_group(m.group(1)) is not None for m in GROUP.finditer(text))


def _context(text: str, end: int) -> str:
    """The uncited sentences that follow the sentence ending the citation group at `end`, up to
    `CONTEXT_SENTENCES`, until the paragraph ends or a sentence cites again; verbatim."""
    spans = sentence_bounds(text)
    after = next(i for i, (a, b) in enumerate(spans) if a < end <= b) + 1
    out: list[str] = []
    for a, b in spans[after : after + CONTEXT_SENTENCES]:
        if _cites(text[a:b]):
            break
        out.append(strip_markup(text[a:b].strip()))
    return " ".join(s for s in out if s)
