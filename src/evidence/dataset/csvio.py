"""Read and write the dataset's CSVs.

Reading forgives what Excel does to a file (a UTF-8 byte-order mark, CRLF line endings,
trailing blank lines) and reports everything else as a `Problem` naming file, row and column.
Writing is deterministic: UTF-8, LF, columns in schema order, lists joined with `|`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from evidence.dataset.schema import Column, Table

LIST_SEP = "|"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located and with a next step."""

    file: str
    row: int | None  # line number in the file (header = 1)
    where: str  # e.g. "ref=9999" or "column 'year'"
    message: str

    def __str__(self) -> str:
        loc = f"{self.file}:{self.row}" if self.row else self.file
        return f"{loc} {self.where}: {self.message}" if self.where else f"{loc}: {self.message}"


class DataError(Exception):
    """Raised with every problem found, never just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def read_rows(path: Path, label: str | None = None) -> tuple[list[str], list[tuple[int, dict]]]:
    """Header and (line number, row) pairs of a CSV; raises DataError on a broken file."""
    label = label or str(path)
    text = _read_text(Path(path), label)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1  # line where the record being read begins: where an unclosed quote opens
    try:
        header = _header(next(reader), label)
        rows = []
        while True:
            start = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                break
            if any(v.strip() for v in values):  # skip blank lines, e.g. trailing ones Excel leaves
                rows.append((reader.line_num, _row(header, values, label, reader.line_num)))
    except csv.Error as e:
        raise _problem(
            label,
            start,
            f"cannot be parsed as CSV ({e}); check for an unbalanced quote from this line on",
        ) from None
    return header, rows


def _problem(label: str, line: int | None, message: str) -> DataError:
    return DataError([Problem(label, line, "", message)])


def _read_text(path: Path, label: str) -> str:
    """The file's text (UTF-8, a byte-order mark forgiven); DataError when missing, not UTF-8 or empty."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise _problem(
            label,
            None,
            "file is missing; run `evidence extract` to regenerate it or restore it from git",
        ) from None
    except UnicodeDecodeError as e:
        line = path.read_bytes()[: e.start].count(b"\n") + 1
        raise _problem(
            label,
            line,
            f"not UTF-8 (byte {e.object[e.start]:#x}); save the file as 'CSV UTF-8' and try again",
        ) from None
    if not text.strip():
        raise _problem(label, None, "file is empty; it needs at least a header row")
    return text


def _header(values: list[str], label: str) -> list[str]:
    header = [h.strip() for h in values]
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        raise DataError(
            [
                Problem(label, 1, f"column '{h}'", "appears more than once in the header; keep one")
                for h in twice
            ]
        )
    return header


def _row(header: list[str], values: list[str], label: str, line: int) -> dict:
    if len(values) != len(header):
        raise _problem(
            label,
            line,
            f"has {len(values)} fields, the header has {len(header)}; check for a stray comma or quote",
        )
    return dict(zip(header, values, strict=True))


def encode(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return LIST_SEP.join(encode(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def decode(raw: str, column: Column):
    """Typed value of a cell; raises ValueError with a readable reason."""
    raw = raw.strip()
    if column.is_list:
        items = [s.strip() for s in raw.split(LIST_SEP)] if raw else []
        return [_scalar(s, column.item_type) for s in items]
    return None if raw == "" else _scalar(raw, column.type)


def _scalar(raw: str, type_: str):
    if type_ == "integer":
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{raw!r} is not a whole number") from None
    if type_ == "number":
        try:
            return float(raw)
        except ValueError:
            raise ValueError(f"{raw!r} is not a number") from None
    if type_ == "boolean":
        if raw.lower() in {"true", "1", "yes"}:
            return True
        if raw.lower() in {"false", "0", "no"}:
            return False
        raise ValueError(f"{raw!r} is not true or false")
    return raw


def write_table(path: Path, table: Table, rows: list[dict]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table.names)
    for row in rows:
        writer.writerow([encode(row.get(c)) for c in table.names])
    Path(path).write_text(buf.getvalue(), encoding="utf-8")
