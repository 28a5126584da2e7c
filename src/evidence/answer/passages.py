"""The passages an answer stands on, read from the built database.

Three kinds, each with where the review says it:
- `claim`: a sentence of chapters 2–7 with its citation group (claims), Danish verbatim and in
  English; indexed together with the uncited sentences that follow it in its paragraph
  (claims.context_da: the review going on about the same study), its section's title (Danish and English: "Kvantitative
  resultater i forhold til borgerne"), its curated expansions (claim_expansions: plain-language
  paraphrases and questions it answers, Danish and English, as doc2query does but written and
  reviewed by people) and the labels and synonyms of the concepts it is coded to (claim_concepts,
  concepts). Its studies are the included studies it cites (citations).
- `finding`: one Bilag 2 main finding of one study (findings), Danish verbatim and in English,
  indexed with its curated expansions (finding_expansions) and the labels and synonyms of the
  concepts it is coded to (finding_concepts). Its study is the one whose row it is.
- `box`: one bullet of a chapter's "Centrale fund" box (sections.key_findings_da); the review's
  own summary, which cites no study.

`quote_da` / `text_en` are what an answer shows; `indexed` is what retrieval reads.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass

KINDS = ("claim", "finding", "box")


@dataclass(frozen=True)
class Passage:
    """One retrievable passage. `refs`: the included studies it speaks for (a box: none)."""

    passage_id: str  # claim_id, finding_id, or "box:<section>-<n>"
    kind: str  # one of KINDS
    refs: tuple[int, ...]
    section: str
    page: int | None
    quote_da: str
    text_en: str
    indexed: str
    concepts: frozenset[str] = frozenset()
    direction: int = (
        0  # +1 the passage finds what helps, −1 what hinders, 0 neither (`_directions`)
    )


def load_passages(conn: sqlite3.Connection) -> list[Passage]:
    """Every claim, Bilag 2 finding and box bullet of the build, in the review's order."""
    return _claims(conn) + _findings(conn) + _boxes(conn)


def _claims(conn: sqlite3.Connection) -> list[Passage]:
    cites: dict[str, list[int]] = defaultdict(list)
    for r in conn.execute(
        "select ci.claim_id, ci.ref from citations ci join studies s on s.ref = ci.ref "
        "order by ci.claim_id, ci.position"
    ):
        cites[r["claim_id"]].append(r["ref"])
    indexed, coded = _indexer(conn, "claim")
    directions = _directions(conn, "claim")
    titles = {
        r["section"]: f"{r['title_da']} {r['title_en']}"
        for r in conn.execute("select section, title_da, title_en from sections")
    }
    return [
        Passage(
            r["claim_id"],
            "claim",
            tuple(cites[r["claim_id"]]),
            r["section"],
            r["page"],
            r["sentence_da"],
            r["text_en"],
            indexed(
                r["claim_id"],
                r["sentence_da"],
                r["text_en"],
                r["context_da"] or "",
                titles.get(r["section"], ""),
            ),
            frozenset(coded[r["claim_id"]]),
            directions.get(r["claim_id"], 0),
        )
        for r in conn.execute(
            "select claim_id, section, page, sentence_da, text_en, context_da from claims "
            "order by chapter, source_line, claim_id"
        )
    ]


def _indexer(conn: sqlite3.Connection, kind: str):
    """(indexed(id, *texts) → what retrieval reads of a claim or finding: its texts, its curated
    expansions and its coded concepts' labels and synonyms; id → its coded concept ids)."""
    expansions = _texts(conn, f"select {kind}_id as id, text from {kind}_expansions order by rowid")
    coded = _texts(conn, f"select {kind}_id as id, concept_id as text from {kind}_concepts")
    terms = _concept_terms(conn)

    def indexed(key: str, *texts: str) -> str:
        return " ".join([*texts, *expansions[key], *(terms[c] for c in coded[key])])

    return indexed, coded


def _directions(conn: sqlite3.Connection, kind: str) -> dict[str, int]:
    """claim or finding id → +1 when its coding says it finds what helps, −1 what hinders, 0
    neither: the sign of its stances' sum, each +1 ("supports") or −1 ("contradicts") on a concept
    of positive polarity, the other way round on a concept that names a problem (polarity
    "negative": supporting "professional insecurity" finds a harm); "mentions" counts 0."""
    sign = {"supports": 1, "contradicts": -1}
    total: dict[str, int] = defaultdict(int)
    for r in conn.execute(
        f"select x.{kind}_id as id, x.stance, k.polarity from {kind}_concepts x "
        "join concepts k on k.id = x.concept_id"
    ):
        flip = -1 if r["polarity"] == "negative" else 1
        total[r["id"]] += sign.get(r["stance"], 0) * flip
    return {key: (v > 0) - (v < 0) for key, v in total.items()}


def _concept_terms(conn: sqlite3.Connection) -> dict[str, str]:
    """concept id → its labels, synonyms and everyday words (concept_expansions), Danish and
    English, as one text."""
    everyday = _texts(conn, "select concept_id as id, terms as text from concept_expansions")
    out = {}
    for c in conn.execute("select id, label_da, label_en, synonyms_da, synonyms_en from concepts"):
        synonyms = [s for col in ("synonyms_da", "synonyms_en") for s in _list(c[col])]
        words = [w for text in everyday[c["id"]] for w in _list(text)]
        out[c["id"]] = " ".join([c["label_da"], c["label_en"], *synonyms, *words])
    return out


def _list(value) -> list[str]:
    if isinstance(value, list):
        return value
    return json.loads(value) if value else []


def _findings(conn: sqlite3.Connection) -> list[Passage]:
    indexed, coded = _indexer(conn, "finding")
    directions = _directions(conn, "finding")
    return [
        Passage(
            r["finding_id"],
            "finding",
            (r["ref"],),
            "Bilag 2",
            None,
            r["text_da"],
            r["text_en"],
            indexed(r["finding_id"], r["text_da"], r["text_en"]),
            frozenset(coded[r["finding_id"]]),
            directions.get(r["finding_id"], 0),
        )
        for r in conn.execute(
            "select finding_id, ref, text_da, text_en from findings order by ref, seq"
        )
    ]


def _texts(conn: sqlite3.Connection, sql: str) -> dict[str, list[str]]:
    """id → its texts, for a query of (id, text) rows."""
    out: dict[str, list[str]] = defaultdict(list)
    for r in conn.execute(sql):
        out[r["id"]].append(r["text"])
    return out


def _boxes(conn: sqlite3.Connection) -> list[Passage]:
    out = []
    for r in conn.execute(
        "select section, page, key_findings_da from sections "
        "where coalesce(key_findings_da, '') != '' order by chapter, source_line"
    ):
        bullets = [b.strip(" -\t") for b in r["key_findings_da"].splitlines() if b.strip(" -\t")]
        for n, text in enumerate(bullets, 1):
            out.append(
                Passage(
                    f"box:{r['section']}-{n}", "box", (), r["section"], r["page"], text, "", text
                )
            )
    return out
