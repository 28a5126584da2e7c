"""Read the review's text: its headings, its paragraphs and the parts between them.

The text was converted from the PDF. Page breaks split paragraphs (and sometimes words), so
paragraphs are re-joined here before anything is extracted. Nothing else is changed: every
quote taken from a `Paragraph` is verbatim but for the joins, which are recorded.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

HEADING = re.compile(r"^(#+)\s*(.*?)\s*$")
NUMBERED = re.compile(r"^(\d+)(?:\.(\d+))?\s+(.+)$")
TERMINAL = re.compile(r"[.!?:\"”»)]\s*$")
BOX = re.compile(r"^Boks (\d+)\.1 Centrale fund$")


def clean_heading(text: str) -> str:
    """'**Fire fokusområder**' -> 'Fire fokusområder'; '*med*' keeps its word."""
    return re.sub(r"\*+", "", text).strip()


@dataclass
class Paragraph:
    text: str
    line: int  # 1-based line of the source where the paragraph starts
    joined_lines: list[int] = field(default_factory=list)  # lines joined across page breaks


@dataclass
class Part:
    """A stretch of the review under one heading (chapter, section, box, appendix)."""

    heading: str
    line: int
    level: int
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def number(self) -> str | None:
        m = NUMBERED.match(self.heading)
        if not m:
            return None
        return m.group(1) + (f".{m.group(2)}" if m.group(2) else "")

    @property
    def title(self) -> str:
        m = NUMBERED.match(self.heading)
        return m.group(3) if m else self.heading


def _is_noise(line: str) -> bool:
    s = line.strip()
    return s in {"", "---", "Kilde: VIVE."} or bool(re.fullmatch(r"-+(\t-+)*", s))


def _join(prev: str, nxt: str) -> str | None:
    """Return prev+nxt when nxt continues prev across a page break, else None."""
    if not prev or TERMINAL.search(prev):
        return None
    first = nxt.lstrip()[:1]
    if prev.endswith("-") and first.islower():
        return prev[:-1] + nxt.lstrip()  # hyphenated word split over pages: "fremhæ-" + "ver"
    if first.islower() or first == "(":
        return prev.rstrip() + " " + nxt.lstrip()
    return None


class Review:
    """The review's text, split into parts by heading."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.text = self.path.read_text(encoding="utf-8")
        self.lines = self.text.splitlines()

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @cached_property
    def parts(self) -> list[Part]:
        parts: list[Part] = [Part("(front matter)", 1, 0)]
        for i, raw in enumerate(self.lines, start=1):
            m = HEADING.match(raw)
            if m:
                parts.append(Part(clean_heading(m.group(2)), i, len(m.group(1))))
                continue
            if _is_noise(raw):
                continue
            text = raw.strip().replace("\u00a0", " ")
            if not text:
                continue
            paras = parts[-1].paragraphs
            if paras and "\t" not in text and (joined := _join(paras[-1].text, text)):
                paras[-1].text = joined
                paras[-1].joined_lines.append(i)
            else:
                paras.append(Paragraph(text, i))
        return parts

    def part(self, heading_prefix: str) -> Part:
        for p in self.parts:
            if p.heading.startswith(heading_prefix):
                return p
        raise LookupError(f"{self.path}: no heading starting with {heading_prefix!r}")

    def parts_between(self, start: str, stop: str) -> list[Part]:
        """The parts from the heading starting with `start` up to (not incl.) `stop`."""
        out, inside = [], False
        for p in self.parts:
            if p.heading.startswith(stop) and inside:
                break
            if p.heading.startswith(start):
                inside = True
            if inside:
                out.append(p)
        if not out:
            raise LookupError(f"{self.path}: no heading starting with {start!r}")
        return out

    def chapter_parts(self, chapter: int) -> list[Part]:
        """All parts of chapter N (its own heading, its box, its sections)."""
        out, current = [], None
        for p in self.parts:
            num = p.number
            box = BOX.match(p.heading)
            if num and "." not in num and p.level <= 2:
                current = int(num)
            elif p.heading in {"Litteratur"} or p.heading.startswith("Bilag"):
                current = None
            if current == chapter or (box and int(box.group(1)) == chapter):
                out.append(p)
        return out

    def normalised(self) -> str:
        """The whole text with whitespace collapsed, for checking that quotes are verbatim."""
        return normalise_space(self.text)


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def load_review(path: Path | str) -> Review:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: the review's text is not there. It ships in ../shared/seeds/ beside the "
            "project; set EVIDENCE_SOURCE to its path."
        )
    return Review(path)
