"""Full-text search in Danish and English, as Datasette's own search box uses it.

Each searchable table gets an FTS5 index `{table}_fts` declared with `content="{table}"`, so
Datasette and datasette-search-all find it, and the tokenizer `unicode61 remove_diacritics 0`,
so æ, ø and å stay letters ("rød" is not "rod"). The index of a Danish column holds its text
followed by the text's Danish stems (evidence.search_text.stem_da), that of an English column
its text followed by its English stems: the stemmed copies live only in the index, so the
tables keep exactly the columns data/schema.yml declares, and a query stemmed the same way by
`fts_query` (which the Datasette plugin installs as the search box's `escape_fts`) matches
"kontaktperson" when a person types "kontaktpersoner".

A Bilag 2 finding's index, and its study's, also holds the one-word terms of the concepts the
finding is coded with (data/finding_concepts.csv, double-coded and reconciled): each concept's
label and curated synonyms that are one word (data/concepts.csv), Danish with Danish stems,
English with English stems. So the variants of one term meet: the review writes both
"samlokalisering" (712) and "samlokation" (1002) for co-location (§2.2), and either word finds
both studies, as the thesaurus has them. The claims' index is left as the review wrote them: it
is the plain BM25 the benchmark compares /api/ask with (bench/quality.py).

Because the index holds more than its content table, FTS5's 'rebuild' command would drop the
stems: rebuild the database with `evidence build` instead.
"""

from __future__ import annotations

import re

import sqlite_utils

from evidence.build.dictionary import described
from evidence.search_text import TOKENIZER, stem_da, stem_en

# table → column → language of its text ("da", "en", or None for names and numbers).
SEARCHABLE: dict[str, dict[str, str | None]] = {
    "studies": {
        "authors": None,
        "title": "da",
        "title_en": "en",
        "venue": None,
        "bilag2_country_area": "da",
        "bilag2_method": "da",
        "bilag2_findings": "da",
    },
    "findings": {"text_da": "da", "text_en": "en", "dimension_label": "da"},
    "claims": {"sentence_da": "da", "text_en": "en", "bold_terms": "da"},
    "concepts": {
        "label_da": "da",
        "label_en": "en",
        "synonyms_da": "da",
        "synonyms_en": "en",
        "definition_da": "da",
        "definition_en": "en",
    },
    "references": {"authors": None, "title": "da", "venue": None},
    "sections": {"title_da": "da", "title_en": "en", "key_findings_da": "da"},
    "outcomes": {"measure_da": "da", "measure_en": "en", "population": "en", "quote_da": "da"},
}

KEYS = {
    "studies": "ref",
    "findings": "finding_id",
    "claims": "claim_id",
    "concepts": "id",
    "references": "reference_id",
    "sections": "section",
    "outcomes": "outcome_id",
}

# Titles are in Danish, Swedish, Norwegian or English; both stemmers see them.
BOTH = {("studies", "title"), ("references", "title")}
# A study's Bilag 2 findings are indexed with it in both languages: behind `bilag2_findings` (the
# Danish cell as printed) the index holds the findings' English renderings (findings.text_en) and
# their English stems, so the studies table's search box finds a study by its findings in English
# ("co-location"), as /api/studies?q= does: both search this one index.
FINDINGS_EN = ("studies", "bilag2_findings")
INDEXED_TOO = {  # what an index holds beyond its table's columns, as its description says
    "studies": ", and the English of each study's findings and the one-word terms of the "
    "concepts they are coded with",
    "findings": ", and the one-word terms of the concepts each finding is coded with",
}
ONE_WORD = re.compile(r"\w+")  # one token of the index's tokenizer (a hyphen splits)


def index_text(table: str, column: str, value) -> str:
    """What the index holds for one cell: the text, then its stems in the column's language."""
    text = " ".join(value) if isinstance(value, list) else ("" if value is None else str(value))
    language = SEARCHABLE[table][column]
    if (table, column) in BOTH:
        return f"{text} {stem_da(text)} {stem_en(text)}"
    if language == "da":
        return f"{text} {stem_da(text)}"
    if language == "en":
        return f"{text} {stem_en(text)}"
    return text


def findings_en(findings: list[dict]) -> dict[int, str]:
    """ref → the English renderings of its Bilag 2 findings, in order."""
    by_ref: dict[int, list[str]] = {}
    for f in findings:
        by_ref.setdefault(f["ref"], []).append(f.get("text_en") or "")
    return {ref: " ".join(texts) for ref, texts in by_ref.items()}


def concept_terms(concept: dict, lang: str) -> str:
    """A concept's one-word terms in `lang` (its label and curated synonyms that are one word:
    "samlokalisering", "samlokation", "tovholder"), with their stems in that language. A term of
    several words is left out: the index matches each word of a search anywhere in the row, so
    "informal contact" and "person-dependent collaboration" would have answered "contact person"."""
    terms = [concept[f"label_{lang}"] or "", *(concept[f"synonyms_{lang}"] or [])]
    text = " ".join(t for t in terms if ONE_WORD.fullmatch(t))
    return f"{text} {stem_da(text) if lang == 'da' else stem_en(text)}" if text else ""


def coded_terms(tables: dict[str, list[dict]]) -> dict[tuple[str, str], dict]:
    """(table, column) → key → what the index holds beside the cell: a finding's coded concepts'
    terms (Danish behind text_da, English behind text_en), and behind a study's Bilag 2 findings
    its findings' English (FINDINGS_EN) and the terms of every concept its findings are coded
    with, each concept once."""
    concepts = {c["id"]: c for c in tables["concepts"]}
    coded: dict[str, list[str]] = {}
    for row in tables["finding_concepts"]:
        coded.setdefault(row["finding_id"], []).append(row["concept_id"])
    by_study: dict[int, list[str]] = {}
    for f in tables["findings"]:
        by_study.setdefault(f["ref"], []).extend(coded.get(f["finding_id"], []))

    def terms(ids: list[str], langs: tuple[str, ...]) -> str:
        unique = dict.fromkeys(i for i in ids if i in concepts)
        found = (concept_terms(concepts[i], lang) for lang in langs for i in unique)
        return " ".join(t for t in found if t)

    english = findings_en(tables["findings"])
    study_terms = {ref: terms(ids, ("da", "en")) for ref, ids in by_study.items()}
    return {
        ("findings", "text_da"): {k: terms(ids, ("da",)) for k, ids in coded.items()},
        ("findings", "text_en"): {k: terms(ids, ("en",)) for k, ids in coded.items()},
        FINDINGS_EN: {
            ref: f"{english.get(ref, '')} {stem_en(english.get(ref, ''))} {study_terms.get(ref, '')}"
            for ref in english.keys() | study_terms.keys()
        },
    }


def row_text(table: str, column: str, row: dict, extra: dict[tuple[str, str], dict]) -> str:
    """What the index holds for one cell of `row` (index_text), and what `extra` (coded_terms)
    puts behind it."""
    text = index_text(table, column, row[column])
    behind = extra.get((table, column), {}).get(row[KEYS[table]], "").strip()
    return f"{text} {behind}" if behind else text


def create_search_indexes(db: sqlite_utils.Database, tables: dict[str, list[dict]]) -> list[dict]:
    dictionary_rows = []
    extra = coded_terms(tables)
    for table, columns in SEARCHABLE.items():
        fts = f"{table}_fts"
        cols = ", ".join(f"[{c}]" for c in columns)
        db.execute(
            f"CREATE VIRTUAL TABLE [{fts}] USING fts5({cols}, tokenize='{TOKENIZER}', content=\"{table}\")"
        )
        key = KEYS[table]
        rowids = dict(db.execute(f"SELECT [{key}], rowid FROM [{table}]").fetchall())
        placeholders = ", ".join("?" for _ in range(len(columns) + 1))
        db.conn.executemany(
            f"INSERT INTO [{fts}] (rowid, {cols}) VALUES ({placeholders})",
            [
                [rowids[row[key]], *(row_text(table, c, row, extra) for c in columns)]
                for row in tables[table]
            ],
        )
        dictionary_rows += described(
            fts,
            f"Full-text index of {table} ({', '.join(columns)}{INDEXED_TOO.get(table, '')}), "
            "with Danish and English stems; hidden in the site, used by its search box.",
            {},
        )
    return dictionary_rows
