"""Full-text search in Danish and English, as Datasette's own search box uses it.

Each searchable table gets an FTS5 index `{table}_fts` declared with `content="{table}"`, so
Datasette and datasette-search-all find it, and the tokenizer `unicode61 remove_diacritics 0`,
so æ, ø and å stay letters ("rød" is not "rod"). The index of a Danish column holds its text
followed by the text's Danish stems (evidence.search_text.stem_da), that of an English column
its text followed by its English stems: the stemmed copies live only in the index, so the
tables keep exactly the columns data/schema.yml declares, and a query stemmed the same way by
`fts_query` (which the Datasette plugin installs as the search box's `escape_fts`) matches
"kontaktperson" when a person types "kontaktpersoner".

Because the index holds more than its content table, FTS5's 'rebuild' command would drop the
stems: rebuild the database with `evidence build` instead.
"""

from __future__ import annotations

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


def row_text(table: str, column: str, row: dict, english: dict[int, str]) -> str:
    """What the index holds for one cell of `row` (index_text), with a study's English findings
    behind its Danish ones (FINDINGS_EN)."""
    text = index_text(table, column, row[column])
    if (table, column) == FINDINGS_EN and english.get(row["ref"]):
        text += f" {english[row['ref']]} {stem_en(english[row['ref']])}"
    return text


def create_search_indexes(db: sqlite_utils.Database, tables: dict[str, list[dict]]) -> list[dict]:
    dictionary_rows = []
    english = findings_en(tables["findings"])
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
                [rowids[row[key]], *(row_text(table, c, row, english) for c in columns)]
                for row in tables[table]
            ],
        )
        dictionary_rows += described(
            fts,
            f"Full-text index of {table} ({', '.join(columns)}"
            + (", and the English of each study's findings" if table == "studies" else "")
            + "), with Danish and English stems; hidden in the site, used by its search box.",
            {},
        )
    return dictionary_rows
