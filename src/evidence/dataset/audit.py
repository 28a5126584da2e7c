"""`evidence audit`: inconsistencies in the review itself, computed from the data.

Nothing here is typed in: each finding is derived from data/*.csv and data/review.yml, so it
changes when the data does. Curated notes (data/curation/errata.csv) explain some findings;
they do not produce them.

Each finding is worded in English (`stated`, `observed`, `detail`: what `evidence audit` and the
API give) and in Danish (`stated_da`, `observed_da`, `detail_da`: what the site's Danish pages
show), from the same values. One detail is not worded here: a Bilag 2 / bibliography
disagreement's is the study's `link_note`, free text in the data (the extractor's comparison and
a curator's reason from data/curation/reference_links.csv, in English); its `detail_da` is empty
and a Danish page shows the note as written, marked English.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from rapidfuzz import fuzz

from evidence.dataset.schema import load_yaml
from evidence.dataset.validate import load_dataset

NUMBER_WORDS = {"et": 1, "én": 1, "ét": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5}
COUNTED = re.compile(
    r"\b(Et|To|Tre|Fire|Fem|et|to|tre|fire|fem)\s+(?:\w+\s+){0,2}?(studier|studie|undersøgelser|undersøgelse|evalueringer|evaluering)\b"
)
PLURAL = re.compile(
    r"\b(Flere|flere|Mange|mange|[Ee]n række|[Ee]n serie af)\s+(?:\w+\s+){0,2}?(studier|undersøgelser)\b"
)
NATIONALITY = {
    "dansk": "DK",
    "danske": "DK",
    "svensk": "SE",
    "svenske": "SE",
    "norsk": "NO",
    "norske": "NO",
}


ENGLISH = ("kind", "location", "stated", "observed", "detail")


@dataclass
class AuditFinding:
    kind: str
    location: str
    stated: str
    observed: str
    detail: str
    stated_da: str = ""
    observed_da: str = ""
    detail_da: str = ""  # empty: the detail is the data's own (English) note

    def as_dict(self) -> dict:
        """The finding as `evidence audit --json` and the API give it (English)."""
        return {k: v for k, v in asdict(self).items() if k in ENGLISH}


def n_cited_da(n: int, danish: bool = False) -> str:
    """'1 citeret studie', '22 citerede studier', '9 citerede danske studier'."""
    if n == 1:
        return f"1 citeret {'dansk ' if danish else ''}studie"
    return f"{n} citerede {'danske ' if danish else ''}studier"

    def __str__(self) -> str:
        return f"[{self.kind}] {self.location}: stated {self.stated}; observed {self.observed}. {self.detail}"


def _rows(tables: dict[str, list[dict]], name: str) -> list[dict]:
    return tables[name]


def cited_not_included(t) -> list[AuditFinding]:
    included = {s["ref"] for s in _rows(t, "studies")}
    claims = {c["claim_id"]: c for c in _rows(t, "claims")}
    return [
        AuditFinding(
            "cited_not_included",
            f"section {claims[c['claim_id']]['section']}, claim {c['claim_id']}",
            f"study {c['ref']} cited {claims[c['claim_id']]['citation_text']}",
            "no such study in Bilag 2",
            "The text cites a reference number that is not among the 55 included studies.",
            f"studie {c['ref']} citeret {claims[c['claim_id']]['citation_text']}",
            "intet sådant studie i Bilag 2",
            "Teksten henviser til et referencenummer, der ikke er blandt de 55 inkluderede studier.",
        )
        for c in _rows(t, "citations")
        if c["ref"] not in included
    ]


def bibliography_disagreements(t) -> list[AuditFinding]:
    refs = {r["reference_id"]: r for r in _rows(t, "references")}
    out = []
    for s in _rows(t, "studies"):
        if s["link_status"] == "linked":
            continue
        entry = refs.get(s["reference_id"])
        name = f"{entry['authors']} ({entry['year']})" if entry else ""
        out.append(
            AuditFinding(
                "bilag2_vs_bibliography",
                f"Bilag 2, study {s['ref']}",
                s["bilag2_authors_year"],
                name or "no entry of its own",
                s["link_note"],  # free text of the data: no Danish wording of it here
                s["bilag2_authors_year"],
                name or "ingen egen post",
            )
        )
    return out


def duplicate_entries(t) -> list[AuditFinding]:
    out = []
    refs = _rows(t, "references")
    for i, a in enumerate(refs):
        for b in refs[i + 1 :]:
            if a["year"] == b["year"] and fuzz.ratio(a["title"].lower(), b["title"].lower()) >= 95:
                out.append(
                    AuditFinding(
                        "duplicate_bibliography_entry",
                        f"Litteratur, lines {a['source_line']} and {b['source_line']}",
                        f"{a['authors']} ({a['year']})",
                        f"also {b['authors']} ({b['year']})",
                        f"The same publication is listed twice: {a['title']!r}.",
                        f"{a['authors']} ({a['year']})",
                        f"også {b['authors']} ({b['year']})",
                        f"Samme publikation står to gange: {a['title']!r}.",
                    )
                )
    by_author_year = defaultdict(list)
    for s in _rows(t, "studies"):
        by_author_year[s["bilag2_authors_year"].rstrip(". ")].append(s["ref"])
    for key, group in by_author_year.items():
        if len(group) > 1:
            out.append(
                AuditFinding(
                    "duplicate_bilag2_author_year",
                    f"Bilag 2, studies {', '.join(map(str, group))}",
                    key,
                    f"{len(group)} studies with the same authors and year",
                    "Bilag 2 gives identical author/year for different studies; the bibliography cannot tell them apart.",
                    key,
                    f"{len(group)} studier med samme forfattere og år",
                    "Bilag 2 angiver samme forfattere og år for forskellige studier; litteraturlisten kan ikke skelne dem ad.",
                )
            )
    return out


def chapter_counts(t) -> list[AuditFinding]:
    studies = {s["ref"]: s for s in _rows(t, "studies")}
    chapter_of = {c["claim_id"]: c["chapter"] for c in _rows(t, "claims")}
    cited = defaultdict(set)
    for c in _rows(t, "citations"):
        if c["ref"] in studies:
            cited[chapter_of[c["claim_id"]]].add(c["ref"])
    out = []
    for sec in _rows(t, "sections"):
        if sec["stated_n_studies"] is None:
            continue
        refs = cited[sec["chapter"]]
        danish = {r for r in refs if studies[r]["is_danish"]}
        for what, what_da, stated, observed in (
            ("studies", "studier", sec["stated_n_studies"], len(refs)),
            ("Danish studies", "danske studier", sec["stated_n_danish"], len(danish)),
        ):
            if stated != observed:
                out.append(
                    AuditFinding(
                        "chapter_study_count",
                        f"chapter {sec['chapter']}",
                        f"{stated} {what}",
                        f"{observed} {what} cited",
                        f"'{sec['stated_text']}' — the chapter's citations name {observed} distinct included {what}.",
                        f"{stated} {what_da}",
                        n_cited_da(observed, danish=what_da != "studier"),
                        f"'{sec['stated_text']}' — kapitlets henvisninger nævner {observed} forskellige inkluderede {what_da}.",
                    )
                )
    return out


def screening_arithmetic(review: dict) -> list[AuditFinding]:
    s = review.get("screening", {})
    if not s:
        return []
    left = s["identified"] - s["excluded_title_abstract"] - s["excluded_full_text"]
    if left == s["included"]:
        return []
    return [
        AuditFinding(
            "screening_arithmetic",
            "Hovedresultater, chapter 1 and Bilag 1",
            f"{s['included']} included",
            f"{s['identified']} − {s['excluded_title_abstract']} − {s['excluded_full_text']} = {left}",
            "The screening numbers do not add up to the number of included studies.",
            f"{s['included']} inkluderede",
            f"{s['identified']} − {s['excluded_title_abstract']} − {s['excluded_full_text']} = {left}",
            "Screeningstallene stemmer ikke med antallet af inkluderede studier.",
        )
    ]


def dimension_labels(t, vocab_labels: set[str]) -> list[AuditFinding]:
    return [
        AuditFinding(
            "unexpected_dimension_label",
            f"Bilag 2, study {f['ref']} (finding {f['finding_id']})",
            f["dimension_label"],
            f"read as {f['dimension']}",
            "Bilag 2 uses a label other than 'Rammer og mål', 'Roller og viden' or 'Virkninger'.",
            f["dimension_label"],
            f"læst som {f['dimension']}",
            "Bilag 2 bruger en anden betegnelse end 'Rammer og mål', 'Roller og viden' eller 'Virkninger'.",
        )
        for f in _rows(t, "findings")
        if f["dimension_label"] not in vocab_labels
    ]


def empty_cells(t) -> list[AuditFinding]:
    out = []
    for s in _rows(t, "studies"):
        for col, name in (
            ("bilag2_method", "Metode"),
            ("bilag2_country_area", "Land og serviceområde"),
            ("bilag2_findings", "Hovedfund"),
        ):
            if not s[col]:
                out.append(
                    AuditFinding(
                        "empty_bilag2_cell",
                        f"Bilag 2, study {s['ref']}",
                        f"column '{name}'",
                        "empty",
                        "Bilag 2 leaves this cell empty.",
                        f"kolonnen '{name}'",
                        "tom",
                        "Bilag 2 lader cellen stå tom.",
                    )
                )
    return out


def quantifiers(t) -> list[AuditFinding]:
    """Sentences that say how many studies they rest on, against the studies they cite."""
    per_sentence = defaultdict(list)
    for c in _rows(t, "claims"):
        per_sentence[c["sentence_da"]].append(c)
    out = []
    for sentence, claims in per_sentence.items():
        n = len({r for c in claims for r in c["cited_refs"]})
        where = f"section {claims[0]['section']}, claim {', '.join(c['claim_id'] for c in claims)}"
        m = COUNTED.search(sentence)
        if m and m.start() < sentence.find("(") and NUMBER_WORDS[m.group(1).lower()] != n:
            quoted = f"'{m.group(0)}'"
            out.append(
                AuditFinding(
                    "count_vs_citations",
                    where,
                    quoted,
                    f"{n} studies cited",
                    sentence,
                    quoted,
                    n_cited_da(n),
                    sentence,
                )
            )
        p = PLURAL.search(sentence)
        if p and p.start() < sentence.find("(") and n < 2:
            quoted = f"'{p.group(0)}'"
            out.append(
                AuditFinding(
                    "count_vs_citations",
                    where,
                    quoted,
                    f"{n} study cited",
                    sentence,
                    quoted,
                    n_cited_da(n),
                    sentence,
                )
            )
    return out


def nationality(t) -> list[AuditFinding]:
    """'Et dansk studie (…)' citing a study that Bilag 2 does not place in Denmark."""
    countries = {s["ref"]: s["countries"] for s in _rows(t, "studies")}
    out = []
    for c in _rows(t, "claims"):
        m = re.search(
            r"\b(?:[Ee]t|[Ee]n|[Tt]o|[Tt]re|[Ff]lere)\s+(dansk|danske|svensk|svenske|norsk|norske)\s+(?:studier|studie|undersøgelse|evaluering)",
            c["sentence_da"],
        )
        if not m or m.start() > c["sentence_da"].find(c["citation_text"]):
            continue  # the phrase speaks of another citation group in the sentence
        code = NATIONALITY[m.group(1)]
        wrong = [r for r in c["cited_refs"] if r in countries and code not in countries[r]]
        if wrong:
            out.append(
                AuditFinding(
                    "country_vs_bilag2",
                    f"section {c['section']}, claim {c['claim_id']}",
                    f"'{m.group(0)}'",
                    "; ".join(f"study {r}: {', '.join(countries[r])} in Bilag 2" for r in wrong),
                    c["sentence_da"],
                    f"'{m.group(0)}'",
                    "; ".join(f"studie {r}: {', '.join(countries[r])} i Bilag 2" for r in wrong),
                    c["sentence_da"],
                )
            )
    return out


def inclusion_period(t, review: dict) -> list[AuditFinding]:
    search = review.get("search", {})
    lo, hi = search.get("period_from", 2011), search.get("period_to", 2023)
    return [
        AuditFinding(
            "outside_inclusion_period",
            f"Bilag 2, study {s['ref']}",
            f"{lo}–{hi}",
            str(s["year"]),
            "Study year outside the review's search period.",
            f"{lo}–{hi}",
            str(s["year"]),
            "Studiets år ligger uden for rapportens søgeperiode.",
        )
        for s in _rows(t, "studies")
        if not lo <= s["year"] <= hi
    ]


def audit_review(data_dir: Path, tables: dict[str, list[dict]] | None = None) -> list[AuditFinding]:
    """Every finding, from data/ (or from its typed rows, when the caller has already read them)."""
    data_dir = Path(data_dir)
    if tables is None:
        loaded, _ = load_dataset(data_dir)  # the audit reads data that does not validate, too
        tables = {name: [row for _, row in rows] for name, rows in loaded.items()}
    review = load_yaml(data_dir, "review.yml") if (data_dir / "review.yml").exists() else {}
    vocab_labels = {"Rammer og mål", "Roller og viden", "Virkninger"}
    return (
        cited_not_included(tables)
        + bibliography_disagreements(tables)
        + duplicate_entries(tables)
        + chapter_counts(tables)
        + screening_arithmetic(review)
        + dimension_labels(tables, vocab_labels)
        + empty_cells(tables)
        + quantifiers(tables)
        + nationality(tables)
        + inclusion_period(tables, review)
    )
