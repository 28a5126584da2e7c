"""Lookup tables from data/vocabularies.yml, and join tables for the studies' list columns.

Lookup tables (countries, service_areas, methods, publication_types, dimensions,
section_dimensions, stances) are keyed by `code`; every vocabulary column of a data table is a
foreign key to one, so Datasette shows labels and links. Join tables (study_countries,
study_service_areas, study_methods) hold one row per (study, code) with both labels, for
faceting and for the gap maps.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

from evidence.build.dictionary import described
from evidence.dataset.schema import load_vocabularies

LOOKUPS = {
    "countries": "Countries the studies cover (codes as in studies.countries).",
    "service_areas": "Service areas (velfærdsområder) the studies cover.",
    "methods": "Research methods, normalised from Bilag 2's 'Metode' cells.",
    "publication_types": "Forms of publication.",
    "dimensions": "The three labels Bilag 2 sorts main findings under (findings.dimension).",
    "section_dimensions": "The dimensions of chapters 2–7 (sections.dimension, concepts.dimension).",
    "stances": "Stances a claim or study takes toward a concept.",
}

LOOKUP_COLUMNS = {
    "code": "The code used in the data tables.",
    "label_da": "Danish label.",
    "label_en": "English label.",
    "sort_order": "Position in data/vocabularies.yml (for ordering).",
    "bilag2_phrases": "The phrases of Bilag 2 (lower-cased) this code absorbs, as a JSON array.",
    "nordic": "1 for a Nordic country.",
}

JOINS = {
    "countries": "study_countries",
    "service_areas": "study_service_areas",
    "methods": "study_methods",
}


def create_lookup_tables(db: sqlite_utils.Database, data_dir: Path) -> list[dict]:
    vocab = load_vocabularies(Path(data_dir))
    described = []
    for name, description in LOOKUPS.items():
        rows = [
            _lookup_row(code, term, i)
            for i, (code, term) in enumerate(vocab[name].items(), start=1)
        ]
        columns = {"code": "TEXT", "label_da": "TEXT", "label_en": "TEXT", "sort_order": "INTEGER"}
        if any("bilag2_phrases" in r for r in rows):
            columns["bilag2_phrases"] = "TEXT"
        if name == "countries":
            columns["nordic"] = "INTEGER"
        db.table(name).create(columns, pk="code", not_null=["code"])
        db.table(name).insert_all(rows)
        described += _describe(name, description, columns, "data/vocabularies.yml")
    return described


def _lookup_row(code, term: dict, position: int) -> dict:
    row = {
        "code": str(code),
        "label_da": term["da"],
        "label_en": term["en"],
        "sort_order": position,
    }
    if "raw" in term:
        row["bilag2_phrases"] = json.dumps(term["raw"], ensure_ascii=False)
    if "nordic" in term:
        row["nordic"] = int(term["nordic"])
    return row


def create_join_tables(
    db: sqlite_utils.Database, studies: list[dict], data_dir: Path
) -> list[dict]:
    vocab = load_vocabularies(Path(data_dir))
    described = []
    for column, table in JOINS.items():
        db.table(table).create(
            {"ref": "INTEGER", "code": "TEXT", "label_da": "TEXT", "label_en": "TEXT"},
            pk=("ref", "code"),
            foreign_keys=[("ref", "studies", "ref"), ("code", column, "code")],
            not_null=["ref", "code"],
        )
        rows = [
            {
                "ref": s["ref"],
                "code": code,
                "label_da": vocab[column][code]["da"],
                "label_en": vocab[column][code]["en"],
            }
            for s in studies
            for code in s[column]
        ]
        db.table(table).insert_all(rows)
        db.table(table).create_index(["code"])
        description = f"One row per (study, {column[:-1]}): studies.{column} unnested, with labels; for faceting and gap maps."
        described += _describe(
            table,
            description,
            {"ref": 0, "code": 0, "label_da": 0, "label_en": 0},
            "build",
            {"ref": "The study.", "code": f"The code (see {column})."},
        )
    return described


def _describe(
    table: str, description: str, columns, source: str, own: dict | None = None
) -> list[dict]:
    types = {
        "sort_order": "integer",
        "nordic": "boolean",
        "ref": "integer",
        "bilag2_phrases": "list[string]",
    }
    return described(
        table,
        description,
        {c: (own or {}).get(c) or LOOKUP_COLUMNS[c] for c in columns},
        source,
        types={c: types.get(c, "string") for c in columns},
    )
