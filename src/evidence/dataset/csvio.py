"""Read and write the dataset's CSVs.

Reading forgives what Excel does to a file and means nothing by: UTF-8 byte-order marks (one or
more), CRLF line endings, trailing blank lines, trailing columns with neither a name nor a value,
and carriage returns inside a cell (`\r\n` and a lone `\r` become `\n`). Everything else is a
`Problem` naming file, row and column and saying what to do: every structural problem of a file,
not only the first (a wrong separator, a row with too many or too few fields, an unbalanced
quote, a cell over MAX_CELL_BYTES, a folder where the file should be). Numbers are written with
ASCII digits only (no `1_0`, `٣` or `２０２２`, which Python would read), finite (no `inf`, `nan`)
and, for whole numbers, within SQLite's 64-bit integers.
Writing is deterministic: UTF-8, LF, columns in schema order, lists joined with `|`.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from evidence.dataset.schema import Column, Table

LIST_SEP = "|"
MAX_CELL_BYTES = 1024 * 1024  # what the site's SQL limits let one value be (evidence.site.limits)
INTEGER = re.compile(r"[+-]?[0-9]+")
NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
INT64 = 2**63
SEPARATORS = {";": "semicolons", "\t": "tabs"}
csv.field_size_limit(4 * MAX_CELL_BYTES)  # read a long cell whole, then say it is too long


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
    """Header and (line number, row) pairs of a CSV; raises DataError with every problem of a
    broken file."""
    label = label or str(path)
    text = _read_text(Path(path), label)
    first = text.split("\n", 1)[0]
    wrong = [sep for sep in SEPARATORS if first.count(sep) > first.count(",")]
    if wrong:
        raise DataError([Problem(label, 1, "", _wrong_separator(wrong[0]))])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[Problem] = []
    rows: list[tuple[int, list[str]]] = []
    start = 1  # line where the record being read begins: where an unclosed quote opens
    header: list[str] = []
    try:
        header = [h.strip() for h in next(reader)]
        while True:
            start = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                break
            if any(v.strip() for v in values):  # else a blank line, e.g. trailing ones Excel leaves
                rows.append((reader.line_num, values))
    except csv.Error as e:
        problems.append(Problem(label, start, "", _parse_error(e)))
    header = _trim_empty_columns(header, rows)
    problems = _header_problems(label, header) + _width_problems(label, header, rows) + problems
    if problems:
        raise DataError(problems)
    return header, [(line, dict(zip(header, _cells(v, header), strict=True))) for line, v in rows]


def _read_text(path: Path, label: str) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(
            [
                Problem(
                    label,
                    None,
                    "",
                    "file is missing; run `evidence extract` to regenerate it or restore it from git",
                )
            ]
        ) from None
    except IsADirectoryError:
        raise DataError(
            [Problem(label, None, "", "is a folder, not a file; put the CSV file here")]
        ) from None
    except OSError as e:
        raise DataError(
            [Problem(label, None, "", f"cannot be read ({e.strerror}); check its permissions")]
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        message = (
            f"not UTF-8 (byte {e.object[e.start]:#x}); save the file as 'CSV UTF-8' and try again"
        )
        raise DataError([Problem(label, line, "", message)]) from None
    text = text.lstrip("\ufeff")  # byte-order marks, even doubled by a second save
    if not text.strip():
        raise DataError([Problem(label, None, "", "file is empty; it needs at least a header row")])
    return text


def _wrong_separator(sep: str) -> str:
    return (
        f"fields are separated by {SEPARATORS[sep]}, not commas; in Excel save it with "
        "'File > Save As > CSV UTF-8 (Comma delimited)', or in LibreOffice tick 'Edit filter "
        "settings' and choose ',' as the field delimiter"
    )


def _parse_error(e: csv.Error) -> str:
    if "field larger than field limit" in str(e):
        return (
            f"a cell is over {4 * MAX_CELL_BYTES // 2**20} MB from this line on; "
            "shorten it (or check for an unbalanced quote)"
        )
    return f"cannot be parsed as CSV ({e}); check for an unbalanced quote from this line on"


def _trim_empty_columns(header: list[str], rows: list[tuple[int, list[str]]]) -> list[str]:
    """Drop trailing header columns with no name and no value in any row (a trailing comma)."""
    while (
        header
        and not header[-1]
        and all(len(v) < len(header) or not v[len(header) - 1].strip() for _, v in rows)
    ):
        header = header[:-1]
    return header


def _header_problems(label: str, header: list[str]) -> list[Problem]:
    twice = sorted({h for h in header if header.count(h) > 1 and h})
    out = [
        Problem(label, 1, f"column '{h}'", "appears more than once in the header; keep one")
        for h in twice
    ]
    out += [
        Problem(label, 1, f"column {i}", "has no name in the header; name it or delete the column")
        for i, h in enumerate(header, start=1)
        if not h
    ]
    return out


def _width_problems(label: str, header: list[str], rows) -> list[Problem]:
    """A row with more or fewer fields than the header: every one, and a hint for the kind."""
    out = []
    for line, values in rows:
        extra = len(values) - len(header)
        if extra and not (extra > 0 and not any(v.strip() for v in values[len(header) :])):
            hint = (
                "a stray comma or a cell with a comma but no quotes"
                if extra > 0
                else "a missing comma"
            )
            out.append(
                Problem(
                    label,
                    line,
                    "",
                    f"has {len(values)} fields, the header has {len(header)}; check for {hint}",
                )
            )
    return out


def _cells(values: list[str], header: list[str]) -> list[str]:
    """The row's cells, one per header column, with carriage returns made line feeds."""
    return [v.replace("\r\n", "\n").replace("\r", "\n") for v in values[: len(header)]]


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
        if not INTEGER.fullmatch(raw):
            raise ValueError(f"{raw!r} is not a whole number")
        if not -INT64 <= int(raw) < INT64:
            raise ValueError(f"{raw!r} is too large for a whole number (at most 18 digits)")
        return int(raw)
    if type_ == "number":
        if not NUMBER.fullmatch(raw) or not math.isfinite(float(raw)):
            raise ValueError(f"{raw!r} is not a number")
        return float(raw)
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
