"""The dataset's schema (data/schema.yml) and vocabularies (data/vocabularies.yml).

Every YAML file of data/ is read by `load_yaml`: a missing, non-UTF-8 or broken file (or one that
is not a mapping of keys) raises DataError naming file:line:column and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    required: bool = False
    example: object = None
    vocabulary: str | None = None
    allowed: tuple | None = None
    references: str | None = None
    min: int | None = None
    max: int | None = None

    @property
    def is_list(self) -> bool:
        return self.type.startswith("list[")

    @property
    def item_type(self) -> str:
        return self.type[5:-1] if self.is_list else self.type


@dataclass(frozen=True)
class Table:
    name: str
    file: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def load_yaml(data_dir: Path, name: str) -> dict:
    """data/<name> parsed; DataError with file:line:column when it cannot be."""
    from evidence.dataset.csvio import DataError, Problem

    label, path = f"data/{name}", Path(data_dir) / name
    try:
        data = path.read_bytes().decode("utf-8")
        raw = yaml.safe_load(data)
    except OSError as e:
        problem = Problem(label, None, "", f"cannot be read ({e.strerror}); restore it from git")
    except UnicodeDecodeError as e:
        line = data_line(path.read_bytes(), e.start)
        problem = Problem(
            label, line, "", f"not UTF-8 (byte {e.object[e.start]:#x}); save it as UTF-8"
        )
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else None
        what = getattr(e, "problem", None) or str(e).splitlines()[0]
        problem = Problem(
            f"{label}:{where}" if where else label,
            None,
            "",
            f"is not valid YAML ({what}); fix it there or restore it from git",
        )
    else:
        if isinstance(raw, dict):
            return raw
        problem = Problem(
            label, None, "", "is not a mapping of keys to values; restore it from git"
        )
    raise DataError([problem])


def data_line(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


@cache
def load_schema(data_dir: Path) -> dict[str, Table]:
    from evidence.dataset.csvio import DataError, Problem

    raw = load_yaml(data_dir, "schema.yml")
    stray = stray_keys(raw)
    if stray:
        raise DataError(
            [Problem("data/schema.yml", None, where, message) for where, message in stray]
        )
    try:
        return _tables(raw)
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        message = f"a table or column lacks {e} or is malformed; compare it with git (`git diff data/schema.yml`)"
        raise DataError([Problem("data/schema.yml", None, "", message)]) from None


COLUMN_KEYS = {f.name for f in fields(Column)} - {"name"}


def stray_keys(raw: dict) -> list[tuple[str, str]]:
    """(table.column, message) for each key of a column that is no field of Column: most often
    the tail of an unquoted value cut at a comma (`description: 1 for a chapter, 2 for …`)."""
    found = []
    for name, t in (raw.get("tables") or {}).items():
        for c, spec in ((t or {}).get("columns") or {}).items():
            keys = set(map(str, spec)) if isinstance(spec, dict) else set()
            for key in sorted(keys - COLUMN_KEYS):
                found.append(
                    (
                        f"{name}.{c}",
                        f"unknown key {key!r}: a comma ends an unquoted value in {{…}}; "
                        'put the value in double quotes ("…")',
                    )
                )
    return found


def _tables(raw: dict) -> dict[str, Table]:
    tables = {}
    for name, t in raw["tables"].items():
        cols = tuple(
            Column(
                name=c,
                type=spec["type"],
                description=spec["description"],
                required=spec.get("required", False),
                example=spec.get("example"),
                vocabulary=spec.get("vocabulary"),
                allowed=tuple(spec["allowed"]) if "allowed" in spec else None,
                references=spec.get("references"),
                min=spec.get("min"),
                max=spec.get("max"),
            )
            for c, spec in t["columns"].items()
        )
        tables[name] = Table(name, t["file"], t["description"].strip(), tuple(t["key"]), cols)
    return tables


@cache
def load_vocabularies(data_dir: Path) -> dict[str, dict]:
    return load_yaml(data_dir, "vocabularies.yml")


def allowed_values(column: Column, vocabularies: dict) -> set | None:
    if column.vocabulary:
        return {str(k) for k in vocabularies[column.vocabulary]}
    if column.allowed:
        return {str(v) for v in column.allowed}
    return None


def list_columns(data_dir: Path) -> set[str]:
    """Names of every column data/schema.yml declares a list (stored as JSON arrays)."""
    return {c.name for t in load_schema(Path(data_dir)).values() for c in t.columns if c.is_list}
