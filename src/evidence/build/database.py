"""`evidence build`: the SQLite database, from data/ alone, offline, atomically.

1. Validate data/ (evidence.dataset.validate); any problem stops the build before a file is touched.
2. Read every table of data/schema.yml through evidence.dataset.csvio with its declared types:
   integer → INTEGER, number → REAL, boolean → INTEGER 0/1, string → TEXT, list[...] → TEXT
   holding a JSON array (so Datasette's `_facet_array` works). Primary keys from `key`, foreign
   keys from `references` and from every vocabulary column to its lookup table.
3. Add what the site and the API need on top: lookup and join tables (build/lookups.py), the
   review's record, screening numbers and audit (build/review.py), views (build/views.py), full-text
   search (build/search.py), the API's study records and gap maps as JSON (build/documents.py),
   `meta` and `data_dictionary` (build/dictionary.py).
4. Write it all to a temporary file beside the target and `os.replace()` it into place, so a
   failed build leaves the previous database byte for byte as it was (and no temporary file:
   evidence.build.atomic).

One change to the source data: a citation of a number that is not an included study (908 in
section 3.1, recorded in data/curation/errata.csv) is kept out of `citations`, whose `ref` is a
foreign key to `studies`, and stored in `unresolved_citations` with the erratum's note.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from evidence.build.atomic import stop_on_sigterm, temporary_file
from evidence.build.coding import create_coding_tables
from evidence.build.concept_studies import create_concept_studies
from evidence.build.dictionary import create_data_dictionary, describe_table, described
from evidence.build.documents import create_documents
from evidence.build.lookups import create_join_tables, create_lookup_tables
from evidence.build.review import (
    create_audit_table,
    create_review_tables,
    create_unresolved_citations,
)
from evidence.build.search import create_search_indexes
from evidence.build.views import create_views
from evidence.dataset.csvio import DataError, Problem
from evidence.dataset.schema import Table, load_schema, load_yaml
from evidence.dataset.validate import checked_dataset
from evidence.settings import settings

SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "string": "TEXT"}

# Data tables in an order where every foreign key points at a table already created.
TABLE_ORDER = [
    "studies",
    "references",
    "sections",
    "concepts",
    "claims",
    "citations",
    "findings",
    "claim_concepts",
    "citation_stances",
    "claim_expansions",
    "finding_expansions",
    "concept_expansions",
    "finding_concepts",
    "outcomes",
    "handbook_advice",
]

# Columns the site and the API filter, join or sort on, beyond primary and foreign keys.
EXTRA_INDEXES = {
    "studies": ["year", "language", "is_danish", "link_status"],
    "references": ["year", "role"],
    "sections": ["chapter", "dimension"],
    "claims": ["chapter", "stance"],
    "findings": ["dimension"],
    "claim_concepts": ["concept_id", "stance"],
    "citation_stances": ["ref", "concept_id"],
    "claim_expansions": ["claim_id"],
    "finding_expansions": ["finding_id"],
    "concept_expansions": ["concept_id"],
    "finding_concepts": ["concept_id", "stance"],
    "concepts": ["dimension", "factor"],
    "outcomes": ["direction"],
    "handbook_advice": ["topic"],
}

META_DESCRIPTION = (
    "Facts about this build: dataset version, build time, git commit, how to cite the review."
)


def build_database(data_dir: Path, db_path: Path) -> Path:
    """Validate data/ and build the database at db_path; raise DataError and leave it untouched on failure."""
    data_dir, db_path = Path(data_dir), Path(db_path)
    tables, problems = checked_dataset(data_dir)  # the CSVs, read and decoded once
    if problems:
        raise DataError(problems)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_file(db_path)
    with stop_on_sigterm():
        _write(tmp, data_dir, db_path, tables)
    return db_path


def _write(tmp: Path, data_dir: Path, db_path: Path, tables: dict[str, list[dict]]) -> None:
    try:
        conn = sqlite3.connect(tmp)
        try:
            populate(sqlite_utils.Database(conn), data_dir, tables)
        finally:
            conn.close()
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)


def populate(db: sqlite_utils.Database, data_dir: Path, rows: dict[str, list[dict]]) -> None:
    """Every table, view and index of the database, in an empty sqlite_utils.Database, from the
    typed rows of data/ (evidence.dataset.validate.checked_dataset)."""
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    schema = load_schema(data_dir)
    dictionary: list[dict] = []
    with db.conn:
        dictionary += create_lookup_tables(db, data_dir)
        cited, unresolved = split_unresolved(rows["citations"], rows["studies"])
        stored = {**rows, "citations": cited}  # the audit reads every citation, 908 too
        create_data_tables(db, schema, stored)
        dictionary += [d for name in TABLE_ORDER for d in describe_table(schema[name])]
        dictionary += create_unresolved_citations(db, unresolved, data_dir)
        dictionary += create_join_tables(db, stored["studies"], data_dir)
        dictionary += create_review_tables(db, data_dir)
        dictionary += create_audit_table(db, data_dir, rows)
        dictionary += create_search_indexes(db, stored)
        dictionary += create_views(db)  # concept_evidence reads concept_studies, written next
        dictionary += create_concept_studies(db)  # reads the concept_citations view
        dictionary += create_coding_tables(db, data_dir)
        dictionary += create_documents(db, data_dir)
        dictionary += create_meta(db, data_dir)
        create_data_dictionary(db, dictionary)
    check_foreign_keys(db)
    db.execute("ANALYZE")


def split_unresolved(citations: list[dict], studies: list[dict]) -> tuple[list[dict], list[dict]]:
    """Citations of included studies, and those of numbers that are not one (see errata.csv)."""
    included = {s["ref"] for s in studies}
    return [c for c in citations if c["ref"] in included], [
        c for c in citations if c["ref"] not in included
    ]


def sql_type(column) -> str:
    return "TEXT" if column.is_list else SQL_TYPES[column.type]


def to_sql(value):
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def foreign_keys(table: Table) -> list[tuple[str, str, str]]:
    fks = []
    for col in table.columns:
        if col.references and not col.is_list:
            other, other_col = col.references.split(".")
            fks.append((col.name, other, other_col))
        elif col.vocabulary and not col.is_list:
            fks.append((col.name, col.vocabulary, "code"))
    return fks


def create_data_tables(
    db: sqlite_utils.Database, schema: dict[str, Table], rows: dict[str, list[dict]]
) -> None:
    """Create, fill and index the data tables; keys that point forward (or at their own table) are added last."""
    deferred = []
    for name in TABLE_ORDER:
        table = schema[name]
        fks = foreign_keys(table)
        ready = [fk for fk in fks if fk[1] in db.table_names()]
        deferred += [(name, *fk) for fk in fks if fk not in ready]
        pk = table.key[0] if len(table.key) == 1 else tuple(table.key)
        db.table(name).create(
            {c.name: sql_type(c) for c in table.columns},
            pk=pk,
            foreign_keys=ready,
            not_null=[c.name for c in table.columns if c.name in table.key],
        )
    db.add_foreign_keys(deferred)
    for name in TABLE_ORDER:
        table = schema[name]
        db.table(name).insert_all(
            ({k: to_sql(v) for k, v in r.items()} for r in rows[name]), batch_size=1000
        )
        indexed = {fk[0] for fk in foreign_keys(table)} | set(EXTRA_INDEXES.get(name, []))
        for column in sorted(indexed - {table.key[0]}):
            db.table(name).create_index([column], find_unique_name=True)


def dataset_version(data_dir: Path) -> str:
    """sha256 over every file under data/ (relative path and bytes, sorted by path); no timestamps."""
    data_dir = Path(data_dir)
    h = hashlib.sha256()
    for path in sorted(
        p for p in data_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    ):
        h.update(path.relative_to(data_dir).as_posix().encode("utf-8") + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def git_commit(root: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def create_meta(db: sqlite_utils.Database, data_dir: Path) -> list[dict]:
    review = load_yaml(data_dir, "review.yml")
    source = settings.source
    meta = {
        "dataset_version": dataset_version(data_dir),
        "built_at": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "git_commit": git_commit(Path(data_dir).resolve().parent),
        "review_citation": review.get("citation_da", ""),
        "review_citation_en": review.get("citation_en", ""),
        "review_licence": review.get("licence_note", ""),
        "source_sha256": hashlib.sha256(source.read_bytes()).hexdigest()
        if source.is_file()
        else "",
    }
    db.table("meta").create({"key": "TEXT", "value": "TEXT"}, pk="key")
    db.table("meta").insert_all({"key": k, "value": v} for k, v in meta.items())
    return described(
        "meta",
        META_DESCRIPTION,
        {
            "key": "dataset_version (sha256 over data/), built_at (UTC), git_commit, review_citation(_en), review_licence, source_sha256 (of the review's text, when present).",
            "value": "The value.",
        },
        types={"key": "string", "value": "string"},
    )


def check_foreign_keys(db: sqlite_utils.Database) -> None:
    broken = db.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise DataError(
            [
                Problem(
                    f"table {t}",
                    None,
                    f"rowid={rowid}",
                    f"has a foreign key into {parent} that matches no row; run `evidence validate`",
                )
                for t, rowid, parent, _ in broken
            ]
        )
