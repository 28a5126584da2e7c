"""Find the review's citation groups, e.g. "(631 – kap. 5,6,7; 751, 924)" or "(712, s. 93)".

A group is one claim; each study number in it is one citation. Anthology chapters ("kap.") and
page locators ("s.") stay with the study they follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

GROUP = re.compile(r"\(([^()]*\d[^()]*)\)")
TOKEN = re.compile(r"\d+|[Kk]ap\.|s\.|og|[,;–-]")
MAX_CHAPTER = 15  # the anthology (631) has fewer chapters than this; study numbers are larger
ABBREVIATIONS = {
    "fx",
    "bl.a",
    "m.fl",
    "kap",
    "s",
    "ca",
    "evt",
    "m.m",
    "dvs",
    "mv",
    "jf",
    "nr",
    "f.eks",
    "pct",
    "osv",
    "inkl",
    "vedr",
    "ift",
    "mht",
    "el",
    "hhv",
}
BOUNDARY = re.compile(r"[.!?][\"”»)]*\s+(?=[A-ZÆØÅ0-9\"“«(])")


@dataclass
class Cite:
    ref: int
    chapters: list[int] = field(default_factory=list)
    page: str = ""


def _next_chapter(cite: Cite, n: int) -> bool:
    return n <= MAX_CHAPTER and (not cite.chapters or n > cite.chapters[-1])


def parse_group(content: str) -> list[Cite] | None:
    """Parse the inside of a parenthesis; None when it is not a citation group."""
    s = content.strip().rstrip(".").strip()
    if TOKEN.sub("", s).strip():
        return None  # words other than kap./s./og: a remark, not a citation
    cites: list[Cite] = []
    mode = "ref"  # ref | dash | chapters | page
    for tok in TOKEN.findall(s):
        if tok.isdigit():
            n_str = tok
            n = int(tok)
            if mode == "page" and cites:
                cites[-1].page = n_str
                mode = "ref"
            elif mode == "chapters" and _next_chapter(cites[-1], n):
                cites[-1].chapters.append(n)
            elif mode == "dash":
                return None  # "2016-2020": a period of years, not a study
            else:
                if n >= 1900:
                    return None
                cites.append(Cite(n))
                mode = "ref"
        elif tok in {"–", "-"}:
            if not cites or mode != "ref":
                return None
            mode = "dash"
        elif tok.lower() == "kap.":
            if mode != "dash":
                return None
            mode = "chapters"
        elif tok == "s.":
            mode = "page"
        elif tok == ";" or tok in {",", "og"} and mode not in {"chapters"}:
            mode = "ref"
    if mode in {"dash", "page"} or not cites:
        return None
    return cites


def _is_abbreviation(text: str, end: int) -> bool:
    """Is the period at text[end] the end of an abbreviation such as "fx." or "bl.a."?"""
    word = re.search(r"(\S+)$", text[:end])
    if not word:
        return False
    w = word.group(1).lstrip('("“').lower()
    return w in ABBREVIATIONS


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of each sentence of a paragraph."""
    bounds, start = [], 0
    for m in BOUNDARY.finditer(text):
        if text[m.start()] == "." and _is_abbreviation(text, m.start()):
            continue
        bounds.append((start, m.end()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence(s) spanning text[start:end]."""
    spans = sentence_bounds(text)
    s = next(a for a, b in spans if a <= start < b)
    e = next(b for a, b in spans if a < end <= b)
    return text[s:e].strip()
