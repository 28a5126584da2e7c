"""The included studies as reference-manager files: RIS, BibTeX and CSL-JSON.

Each entry is built from the study (Bilag 2) and its bibliography entry (references): authors
split into surname and initials (institutions kept whole), title, year, venue parsed into journal,
volume, issue and pages or place and publisher, and the publication type mapped:

    journal_article → JOUR / @article / article-journal     report → RPRT / @techreport / report
    book → BOOK / @book / book                               phd_thesis → THES / @phdthesis / thesis
    anthology → EDBOOK / @book (editor) / book (editor)      conference_paper → CPAPER / @inproceedings / paper-conference
    book_chapter → CHAP / @incollection / chapter            unknown → GEN / @misc / document

The review's reference number travels with every entry: RIS `N1` and `KW`, BibTeX `note` and
`keywords`, CSL `note` — "VIVE 2024 review, study 924".

Fields split as a reference manager expects them: a chapter's or paper's book ("I: J. Näslund &
S. Jern (red.)") leaves the title for the editors (RIS `A3`, BibTeX `editor`, CSL
`container-author`... `editor`); trailing punctuation leaves titles; an article number is an
article number (RIS `M1`, BibTeX `eid`, CSL `number`), never the issue (BibTeX `number`). A study
the review gives no title for (study 5: no bibliography entry) says so in its note, and is
never exported as a blank, untitled item.
"""

from __future__ import annotations

import json
import re

from evidence.extract.references import split_title

TYPES = {  # publication_type → (RIS, BibTeX, CSL)
    "journal_article": ("JOUR", "article", "article-journal"),
    "report": ("RPRT", "techreport", "report"),
    "book": ("BOOK", "book", "book"),
    "phd_thesis": ("THES", "phdthesis", "thesis"),
    "anthology": ("EDBOOK", "book", "book"),
    "conference_paper": ("CPAPER", "inproceedings", "paper-conference"),
    "book_chapter": ("CHAP", "incollection", "chapter"),
    "unknown": ("GEN", "misc", "document"),
}
INITIALS = re.compile(r"^(?:[A-ZÆØÅÄÖÜ][a-zæøåäöü]?\.?[\s-]*)+$")
PAGES = re.compile(r"^(\d+)\s*[-–]\s*(\d+)$")
VOLUME = re.compile(r"^(\d+)(?:\(([^)]+)\))?$")


NO_TITLE = "the review gives no title for this study (no bibliography entry of its own)"


def note(ref: int) -> str:
    return f"VIVE 2024 review, study {ref}"


def split_authors(text: str) -> list[dict]:
    """'Holm-Petersen, C., Schmidt, A., & Jakobsen, M. L.' → [{family, given}, …]; 'Deloitte' → [{literal}]."""
    text = re.sub(r",?\s*(?:&|\bog\b|\band\b)\s*", ", ", (text or "").strip())
    text = re.sub(r",?\s*m\.?\s?fl\.?$|,?\s*et al\.?$", "", text).strip(" ,")
    if not text:
        return []
    parts = [p.strip() for p in text.split(",") if p.strip()]
    out, i = [], 0
    while i < len(parts):
        name = parts[i]
        if i + 1 < len(parts) and INITIALS.match(parts[i + 1]):
            out.append({"family": name, "given": parts[i + 1]})
            i += 2
            continue
        m = re.match(
            r"^(.+?)\s+((?:[A-ZÆØÅÄÖÜ]\.[\s-]*)+)$", name
        )  # 'Severinsson E.' (comma missing)
        out.append({"family": m.group(1), "given": m.group(2).strip()} if m else {"literal": name})
        i += 1
    return out


def parse_venue(venue: str | None, kind: str) -> dict:
    """Journal, volume, issue, pages — or series, place, publisher — from the printed venue."""
    venue = (venue or "").strip()
    if not venue:
        return {}
    if kind == "journal_article":
        parts = [p.strip() for p in venue.split(",")]
        article: dict = {"container": parts[0]}
        for p in parts[1:]:
            if (m := PAGES.match(p)) and "pages" not in article:
                article["pages"] = (m.group(1), m.group(2))
            elif (m := VOLUME.match(p)) and "volume" not in article and len(m.group(1)) <= 4:
                article["volume"], article["issue"] = m.group(1), m.group(2)
            elif p.isdigit():
                article["number"] = p
        return {k: v for k, v in article.items() if v}
    out: dict = {}
    if kind == "conference_paper" and ". " in venue:
        head, venue = venue.rsplit(". ", 1)
        bits = [b.strip() for b in head.split(",")]
        if pages := PAGES.match(bits[-1]):
            bits.pop()
            out["pages"] = pages.groups()
        out["container"] = ", ".join(bits)
    m = re.match(r"^(?:(?P<series>.+)\.\s+)?(?P<place>[^.:]+):\s*(?P<publisher>.+)$", venue)
    if m:
        out.update({k: v.strip() for k, v in m.groupdict().items() if v})
    else:
        out["publisher"] = venue
    return out


def entry(study: dict, reference: dict | None) -> dict:
    """One study as a neutral record the three writers share."""
    kind = study["publication_type"] if study["publication_type"] in TYPES else "unknown"
    authors = split_authors(reference["authors"] if reference else study["authors"])
    title, editors = split_title((reference or {}).get("title") or study.get("title"))
    return {
        "ref": study["ref"],
        "key": (reference or {}).get("reference_id") or f"study-{study['ref']}",
        "kind": kind,
        "authors": authors,
        "editors": editors,
        "title": title,
        "year": (reference or {}).get("year") or study["year"],
        "venue": parse_venue((reference or {}).get("venue"), kind),
        "language": study.get("language"),
        "note": note(study["ref"]) + ("" if title else f"; {NO_TITLE}"),
    }


def _name(a: dict) -> str:
    return a.get("literal") or f"{a['family']}, {a['given']}"


def to_ris(entries: list[dict]) -> str:
    lines = []
    for e in entries:
        v = e["venue"]
        lines.append(f"TY  - {TYPES[e['kind']][0]}")
        tag = "A2" if e["kind"] == "anthology" else "AU"
        lines += [f"{tag}  - {_name(a)}" for a in e["authors"]]
        lines += [f"A3  - {_name(a)}" for a in e["editors"]]
        lines += [f"TI  - {e['title']}"] if e["title"] else []
        lines.append(f"PY  - {e['year']}")
        fields = [
            ("T2", v.get("container")),
            ("VL", v.get("volume")),
            ("IS", v.get("issue")),
            ("M1", v.get("number")),
            ("SP", v.get("pages", (None, None))[0]),
            ("EP", v.get("pages", (None, None))[1]),
            ("T3", v.get("series")),
            ("CY", v.get("place")),
            ("PB", v.get("publisher")),
            ("LA", e["language"]),
        ]
        lines += [f"{t}  - {x}" for t, x in fields if x]
        lines += [
            f"N1  - {e['note']}",
            f"KW  - VIVE 2024 study {e['ref']}",
            f"ID  - {e['key']}",
            "ER  - ",
            "",
        ]
    return "\r\n".join(lines)


def _bib(text) -> str:
    return re.sub(r"([&%$#_])", r"\\\1", str(text)).replace("{", r"\{").replace("}", r"\}")


def to_bibtex(entries: list[dict]) -> str:
    out = []
    for e in entries:
        v = e["venue"]
        names = " and ".join(
            "{" + _bib(a["literal"]) + "}" if "literal" in a else _bib(_name(a))
            for a in e["authors"]
        )
        fields = [
            ("editor" if e["kind"] == "anthology" else "author", names),
            ("title", "{" + _bib(e["title"]) + "}" if e["title"] else ""),
            ("year", e["year"]),
            ("journal" if e["kind"] == "journal_article" else "booktitle", v.get("container")),
            ("volume", v.get("volume")),
            ("editor", " and ".join(_bib(_name(a)) for a in e["editors"])),
            ("number", v.get("issue")),
            ("eid", v.get("number")),  # an article number (biblatex), not the issue
            ("pages", "--".join(v["pages"]) if "pages" in v else ""),
            ("series", v.get("series")),
            ("address", v.get("place")),
            (
                {"phd_thesis": "school", "report": "institution"}.get(e["kind"], "publisher"),
                v.get("publisher"),
            ),
            ("langid", e["language"]),
            ("note", e["note"]),
            ("keywords", f"VIVE 2024 study {e['ref']}"),
        ]
        body = ",\n".join(
            f"  {k} = {{{x if k in ('author', 'editor', 'title') else _bib(x)}}}"
            for k, x in fields
            if x
        )
        out.append(f"@{TYPES[e['kind']][1]}{{{e['key']},\n{body}\n}}\n")
    return "\n".join(out)


def to_csl(entries: list[dict]) -> list[dict]:
    items = []
    for e in entries:
        v = e["venue"]
        item = {
            "id": e["key"],
            "type": TYPES[e["kind"]][2],
            "title": e["title"] or None,
            "issued": {"date-parts": [[e["year"]]]},
            "editor" if e["kind"] == "anthology" else "author": e["authors"],
            **({"editor": e["editors"]} if e["editors"] else {}),
            "container-title": v.get("container"),
            "volume": v.get("volume"),
            "issue": v.get("issue"),
            "number": v.get("number"),
            "page": "-".join(v["pages"]) if "pages" in v else None,
            "collection-title": v.get("series"),
            "publisher": v.get("publisher"),
            "publisher-place": v.get("place"),
            "language": e["language"],
            "note": e["note"],
            "genre": "PhD thesis" if e["kind"] == "phd_thesis" else None,
        }
        items.append({k: x for k, x in item.items() if x not in (None, "", [])})
    return items


def to_csl_json(entries: list[dict]) -> str:
    return json.dumps(to_csl(entries), ensure_ascii=False, indent=2)
