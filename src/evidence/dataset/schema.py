"""The dataset's schema (data/schema.yml) and vocabularies (data/vocabularies.yml)."""

from __future__ import annotations

from dataclasses import dataclass
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


@cache
def load_schema(data_dir: Path) -> dict[str, Table]:
    raw = yaml.safe_load((Path(data_dir) / "schema.yml").read_text(encoding="utf-8"))
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
    return yaml.safe_load((Path(data_dir) / "vocabularies.yml").read_text(encoding="utf-8"))


def allowed_values(column: Column, vocabularies: dict) -> set | None:
    if column.vocabulary:
        return {str(k) for k in vocabularies[column.vocabulary]}
    if column.allowed:
        return {str(v) for v in column.allowed}
    return None


def list_columns(data_dir: Path) -> set[str]:
    """Names of every column data/schema.yml declares a list (stored as JSON arrays)."""
    return {c.name for t in load_schema(Path(data_dir)).values() for c in t.columns if c.is_list}
