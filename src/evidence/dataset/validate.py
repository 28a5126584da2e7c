"""`evidence validate`: check data/*.csv against data/schema.yml, collecting every problem.

Types, required cells, controlled vocabularies, unique keys, foreign keys, and the rules the
evidence base depends on: every claim has a concept, every included study is cited.
"""

from __future__ import annotations

from pathlib import Path

from evidence.dataset.csvio import MAX_CELL_BYTES, DataError, Problem, decode, read_rows
from evidence.dataset.schema import (
    Column,
    Table,
    allowed_values,
    load_schema,
    load_vocabularies,
    load_yaml,
)


def load_table(
    data_dir: Path, table: Table, vocab: dict
) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """Typed rows (with their line numbers) and the problems found in one file."""
    label = f"data/{table.file}"
    try:
        header, raw_rows = read_rows(Path(data_dir) / table.file, label)
    except DataError as e:
        return [], e.problems
    problems = [
        Problem(label, 1, f"column '{c}'", "is missing; add it (see data/schema.yml)")
        for c in table.names
        if c not in header
    ]
    problems += [
        Problem(
            label, 1, f"column '{c}'", "is not in data/schema.yml; remove it or document it there"
        )
        for c in header
        if c not in table.names
    ]
    if problems:
        return [], problems
    if not raw_rows:
        problems.append(Problem(label, 2, "", NO_ROWS))
    rows = []
    for line, raw in raw_rows:
        row, found = _typed_row(label, line, raw, table, vocab)
        problems += found
        rows.append((line, row))
    return rows, problems


def _typed_row(label: str, line: int, raw: dict, table: Table, vocab: dict):
    """One row's typed values, and the problems of its cells."""
    row, problems = {}, []
    for col in table.columns:
        cell = raw[col.name]
        where = f"{col.name}={cell.strip()[:60]!r}" if cell.strip() else f"column '{col.name}'"
        if bad := _bad_text(cell):
            problems.append(Problem(label, line, f"column '{col.name}'", bad))
            continue
        try:
            value = decode(cell, col)
        except ValueError as e:
            what = f"{e}; write {_article(col.type)} {col.type} (see data/schema.yml)"
            problems.append(Problem(label, line, where, what))
            continue
        if col.required and value in (None, [], ""):
            problems.append(Problem(label, line, where, "is required but empty; fill it in"))
        problems += _check_value(label, line, col, value, vocab)
        row[col.name] = value
    return row, problems


NO_ROWS = "has a header but no rows; restore the file from git or run `evidence extract`"


def _bad_text(cell: str) -> str | None:
    """What is wrong with a cell's text whatever its type: a NUL character, or its size."""
    if "\x00" in cell:
        return "contains a NUL character (\\x00), which no text holds; delete it"
    if len(cell.encode("utf-8")) > MAX_CELL_BYTES:
        return f"is over {MAX_CELL_BYTES // 2**20} MB; shorten it (the site cannot show a longer value)"
    return None


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _check_value(label, line, col, value, vocab) -> list[Problem]:
    allowed = allowed_values(col, vocab)
    values = value if isinstance(value, list) else [value]
    out = []
    for v in values:
        if v is None:
            continue
        if allowed is not None and str(v) not in allowed:
            source = (
                f"data/vocabularies.yml '{col.vocabulary}'" if col.vocabulary else "data/schema.yml"
            )
            out.append(
                Problem(
                    label,
                    line,
                    f"{col.name}={v}",
                    f"is not an allowed value (see {source}: {', '.join(sorted(allowed))})",
                )
            )
        if col.min is not None and isinstance(v, int | float) and not col.min <= v <= col.max:
            out.append(Problem(label, line, f"{col.name}={v}", f"is outside {col.min}–{col.max}"))
    return out


def load_dataset(data_dir: Path) -> tuple[dict[str, list[tuple[int, dict]]], list[Problem]]:
    data_dir = Path(data_dir)
    schema, vocab = load_schema(data_dir), load_vocabularies(data_dir)
    tables, problems = {}, []
    for name, table in schema.items():
        rows, found = load_table(data_dir, table, vocab)
        tables[name] = rows
        problems += found
    return tables, problems


def _keys(tables, schema) -> list[Problem]:
    out = []
    for name, table in schema.items():
        seen: dict[tuple, int] = {}
        for line, row in tables[name]:
            key = tuple(row.get(k) for k in table.key)
            where = " ".join(f"{k}={v}" for k, v in zip(table.key, key, strict=True))
            if key in seen:
                out.append(
                    Problem(
                        f"data/{table.file}",
                        line,
                        where,
                        f"duplicates the key of line {seen[key]}; keys must be unique",
                    )
                )
            seen.setdefault(key, line)
    return out


def _foreign_keys(tables, schema, tolerated_refs: set[int]) -> list[Problem]:
    out = []
    for name, table in schema.items():
        for col in table.columns:
            if not col.references:
                continue
            target, target_col = col.references.split(".")
            valid = {row[target_col] for _, row in tables[target]}
            for line, row in tables[name]:
                values = row.get(col.name)
                for v in values if isinstance(values, list) else [values]:
                    if v is None or v in valid:
                        continue
                    if name == "citations" and col.name == "ref" and v in tolerated_refs:
                        continue
                    what = (
                        "an included study"
                        if target == "studies"
                        else f"a known {target_col} of {target}"
                    )
                    out.append(
                        Problem(
                            f"data/{table.file}",
                            line,
                            f"{col.name}={v}",
                            f"not {what} (see data/{schema[target].file})",
                        )
                    )
    return out


def _coverage(tables) -> list[Problem]:
    """Claims without a concept and included studies that no claim cites."""
    mapped = {row["claim_id"] for _, row in tables["claim_concepts"]}
    cited = {row.get("ref") for _, row in tables["citations"]}
    unmapped = (
        "has no concept; map it in data/curation/claim_concepts.csv and run `evidence extract`"
    )
    uncited = "is an included study that no claim cites (see data/citations.csv)"
    return _missing(tables["claims"], "claims.csv", "claim_id", mapped, unmapped) + _missing(
        tables["studies"], "studies.csv", "ref", cited, uncited
    )


def _missing(rows, file: str, key: str, found: set, message: str) -> list[Problem]:
    """A problem for each row whose `key` is not among `found`."""
    return [
        Problem(f"data/{file}", line, f"{key}={row.get(key)}", message)
        for line, row in rows
        if row.get(key) not in found
    ]


ERRATA = "data/curation/errata.csv"


def tolerated_citations(data_dir: Path) -> set[int]:
    """Refs cited in the text but not included, as recorded (with a reason) in errata.csv."""
    return errata_refs(data_dir)[0]


def errata_refs(data_dir: Path) -> tuple[set[int], list[Problem]]:
    """The refs of errata.csv's cited_not_included rows, and the problems of the file."""
    path = Path(data_dir) / "curation" / "errata.csv"
    if not path.exists():
        return set(), []
    try:
        header, rows = read_rows(path, ERRATA)
    except DataError as e:
        return set(), e.problems
    missing = [c for c in ("kind", "ref", "detail", "decision") if c not in header]
    if missing:
        return set(), [Problem(ERRATA, 1, f"column '{c}'", "is missing; add it") for c in missing]
    refs, problems = set(), []
    for line, r in rows:
        if r["kind"].strip() != "cited_not_included" or not r["ref"].strip():
            continue
        try:
            refs.add(decode(r["ref"], Column("ref", "integer", "")))
        except ValueError as e:
            problems.append(
                Problem(
                    ERRATA,
                    line,
                    f"ref={r['ref'].strip()!r}",
                    f"{e}; write the study's number, e.g. 908",
                )
            )
    return refs, problems


def validate_dataset(data_dir: Path) -> list[Problem]:
    """Every problem `evidence build` would meet in data/, located, or [] when it would build."""
    return checked_dataset(data_dir)[1]


def checked_dataset(data_dir: Path) -> tuple[dict[str, list[dict]], list[Problem]]:
    """The typed rows of every table (as the build stores them) and every problem found.

    The CSVs are read and decoded here once: `evidence build` takes these rows when there is no
    problem, rather than decoding the files again."""
    data_dir = Path(data_dir)
    try:
        schema = load_schema(data_dir)
        load_vocabularies(data_dir)
    except DataError as e:
        return {}, e.problems
    tables, problems = load_dataset(data_dir)
    try:
        load_yaml(data_dir, "review.yml")
    except DataError as e:
        problems += e.problems
    tolerated, found = errata_refs(data_dir)
    problems += found
    if not problems:  # keys and references are meaningless on rows that did not load
        problems = (
            _keys(tables, schema) + _foreign_keys(tables, schema, tolerated) + _coverage(tables)
        )
    return {name: [row for _, row in rows] for name, rows in tables.items()}, problems
