"""A broken data/ never replaces the last good database, and says what to fix.

Each variant breaks one file of a copy of data/ the way hands and spreadsheets break CSVs. The
build must raise DataError (and `evidence build` exit 1) with a message naming the file, the
row and the column and saying what to do, and leave the database that was there byte for byte
as it was. What Excel adds without meaning anything (a byte-order mark, CRLF line endings,
trailing blank lines) must build exactly as if it were not there.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from evidence.build.database import build_database
from evidence.cli import main
from evidence.dataset.csvio import DataError

# --- editing a copy of data/ ---------------------------------------------------------------


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write_csv(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def line_of(path: Path, index: int) -> int:
    """The line number csv reports for data row `index` (0 = the first row after the header)."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for i, _ in enumerate(reader):
            if i == index:
                return reader.line_num
    raise IndexError(index)


def set_cell(path: Path, column: str, value: str, index: int = 0) -> int:
    """Set one cell; returns the line the row is on."""
    rows = read_csv(path)
    rows[index + 1][rows[0].index(column)] = value
    write_csv(path, rows)
    return line_of(path, index)


def find_row(path: Path, column: str, value: str) -> int:
    rows = read_csv(path)
    col = rows[0].index(column)
    return next(i for i, r in enumerate(rows[1:]) if r[col] == value)


def header_only(path: Path) -> None:
    write_csv(path, read_csv(path)[:1])


# --- the broken variants -------------------------------------------------------------------
# Each edits data_dir and returns the messages (substrings) the failure must contain.

Variant = Callable[[Path], list[str]]


def missing_column(d: Path) -> list[str]:
    rows = read_csv(d / "studies.csv")
    col = rows[0].index("year")
    write_csv(d / "studies.csv", [r[:col] + r[col + 1 :] for r in rows])
    return ["data/studies.csv:1 column 'year': is missing; add it (see data/schema.yml)"]


def extra_column(d: Path) -> list[str]:
    rows = read_csv(d / "findings.csv")
    write_csv(d / "findings.csv", [rows[0] + ["comment"]] + [r + ["x"] for r in rows[1:]])
    return [
        "data/findings.csv:1 column 'comment': is not in data/schema.yml; remove it or document it there"
    ]


def duplicate_key(d: Path) -> list[str]:
    rows = read_csv(d / "concepts.csv")
    write_csv(d / "concepts.csv", rows + [rows[1]])
    return [
        f"data/concepts.csv:{len(rows) + 1} id={rows[1][0]}: duplicates the key of line 2; keys must be unique"
    ]


def duplicate_compound_key(d: Path) -> list[str]:
    rows = read_csv(d / "claim_concepts.csv")
    write_csv(d / "claim_concepts.csv", rows + [rows[3]])
    key = f"claim_id={rows[3][0]} concept_id={rows[3][1]}"
    return [f"data/claim_concepts.csv:{len(rows) + 1} {key}: duplicates the key of line 4"]


def unknown_study(d: Path) -> list[str]:
    line = set_cell(
        d / "citations.csv", "ref", "9999", find_row(d / "citations.csv", "claim_id", "2.1-02")
    )
    return [f"data/citations.csv:{line} ref=9999: not an included study (see data/studies.csv)"]


def unknown_concept(d: Path) -> list[str]:
    line = set_cell(d / "claim_concepts.csv", "concept_id", "no-such-concept", 4)
    return [
        f"data/claim_concepts.csv:{line} concept_id=no-such-concept: not a known id of concepts (see data/concepts.csv)"
    ]


def unknown_broader(d: Path) -> list[str]:
    line = set_cell(d / "concepts.csv", "broader", "nowhere", 2)
    return [f"data/concepts.csv:{line} broader=nowhere: not a known id of concepts"]


def unknown_section(d: Path) -> list[str]:
    line = set_cell(d / "outcomes.csv", "section", "9.9", 0)
    return [
        f"data/outcomes.csv:{line} section=9.9: not a known section of sections (see data/sections.csv)"
    ]


def bad_year(d: Path) -> list[str]:
    line = set_cell(d / "studies.csv", "year", "20x2", 3)
    return [f"data/studies.csv:{line} year='20x2': '20x2' is not a whole number"]


def year_out_of_range(d: Path) -> list[str]:
    line = set_cell(d / "references.csv", "year", "1066", 5)
    return [f"data/references.csv:{line} year=1066: is outside 1900–2100"]


def decimal_comma_number(d: Path) -> list[str]:
    line = set_cell(d / "studies.csv", "link_score", "92,9", 0)  # a Danish Excel's decimal comma
    return [f"data/studies.csv:{line} link_score='92,9': '92,9' is not a number; write a number"]


def bad_boolean(d: Path) -> list[str]:
    line = set_cell(d / "studies.csv", "is_danish", "ja", 2)
    return [f"data/studies.csv:{line} is_danish='ja': 'ja' is not true or false"]


def bad_list_item(d: Path) -> list[str]:
    line = set_cell(d / "claims.csv", "cited_refs", "129|abc", 0)
    return [f"data/claims.csv:{line} cited_refs='129|abc': 'abc' is not a whole number"]


def wrong_vocabulary(d: Path) -> list[str]:
    line = set_cell(d / "findings.csv", "dimension", "effects", 1)
    return [
        f"data/findings.csv:{line} dimension=effects: is not an allowed value (see data/vocabularies.yml 'dimensions'"
    ]


def wrong_list_vocabulary(d: Path) -> list[str]:
    line = set_cell(d / "studies.csv", "countries", "DK|Danmark", 1)
    return [
        f"data/studies.csv:{line} countries=Danmark: is not an allowed value (see data/vocabularies.yml 'countries'"
    ]


def wrong_allowed_value(d: Path) -> list[str]:
    line = set_cell(d / "studies.csv", "language", "dansk", 4)
    return [
        f"data/studies.csv:{line} language=dansk: is not an allowed value (see data/schema.yml: da, en, no, sv)"
    ]


def blank_required(d: Path) -> list[str]:
    line = set_cell(d / "claims.csv", "sentence_da", "   ", 7)
    return [f"data/claims.csv:{line} column 'sentence_da': is required but empty; fill it in"]


def blank_key(d: Path) -> list[str]:
    line = set_cell(d / "findings.csv", "finding_id", "", 9)
    return [f"data/findings.csv:{line} column 'finding_id': is required but empty"]


def cp1252(d: Path) -> list[str]:
    text = (d / "studies.csv").read_text(encoding="utf-8")
    raw = text.encode("cp1252", errors="replace")
    (d / "studies.csv").write_bytes(raw)
    first = next(
        i for i, line in enumerate(raw.split(b"\n"), start=1) if any(b > 127 for b in line)
    )
    return [f"data/studies.csv:{first}: not UTF-8", "save the file as 'CSV UTF-8'"]


def utf16(d: Path) -> list[str]:
    text = (d / "sections.csv").read_text(encoding="utf-8")  # Excel's "Unicode Text"
    (d / "sections.csv").write_bytes(text.encode("utf-16"))
    return ["data/sections.csv:1: not UTF-8", "save the file as 'CSV UTF-8'"]


def xlsx_saved_as_csv(d: Path) -> list[str]:
    from openpyxl import Workbook

    wb = Workbook()
    for row in read_csv(d / "outcomes.csv"):
        wb.active.append(row)
    wb.save(d / "outcomes.csv")
    return ["data/outcomes.csv:", "not UTF-8"]


def semicolons(d: Path) -> list[str]:
    rows = read_csv(d / "citation_stances.csv")  # a Danish Excel's "CSV (semikolonsepareret)"
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows)
    (d / "citation_stances.csv").write_text(buf.getvalue(), encoding="utf-8")
    return ["data/citation_stances.csv:1 column 'claim_id': is missing; add it"]


def stray_comma(d: Path) -> list[str]:
    lines = (d / "findings.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].rstrip("\n") + ",\n"
    (d / "findings.csv").write_text("".join(lines), encoding="utf-8")
    return ["data/findings.csv:5: has 8 fields, the header has 7; check for a stray comma or quote"]


def stray_quote(d: Path) -> list[str]:
    lines = (d / "concepts.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    # closed by the next quote in the file, which is then followed by text
    lines[6] = '"' + lines[6]
    (d / "concepts.csv").write_text("".join(lines), encoding="utf-8")
    return ["data/concepts.csv:7: cannot be parsed as CSV", "check for an unbalanced quote"]


def unclosed_quote(d: Path) -> list[str]:
    lines = (d / "citations.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    assert '"' not in "".join(lines)
    lines[6] = '"' + lines[6]  # a quote that never closes swallows the rest of the file
    (d / "citations.csv").write_text("".join(lines), encoding="utf-8")
    return ["data/citations.csv:", "cannot be parsed as CSV", "check for an unbalanced quote"]


def empty_file(d: Path) -> list[str]:
    (d / "outcomes.csv").write_bytes(b"")
    return ["data/outcomes.csv: file is empty; it needs at least a header row"]


def missing_file(d: Path) -> list[str]:
    (d / "references.csv").unlink()
    return [
        "data/references.csv: file is missing; run `evidence extract` to regenerate it or restore it from git"
    ]


def header_only_studies(d: Path) -> list[str]:
    """No studies at all: every row that names one must fail on its foreign key."""
    first_citation = read_csv(d / "citations.csv")[1]
    first_finding = read_csv(d / "findings.csv")[1]
    header_only(d / "studies.csv")
    return [
        f"data/citations.csv:2 ref={first_citation[2]}: not an included study (see data/studies.csv)",
        f"data/findings.csv:2 ref={first_finding[1]}: not an included study (see data/studies.csv)",
    ]


def header_only_claims(d: Path) -> list[str]:
    first = read_csv(d / "citations.csv")[1]
    header_only(d / "claims.csv")
    first_mapping = read_csv(d / "claim_concepts.csv")[1]
    return [
        f"data/citations.csv:2 claim_id={first[0]}: not a known claim_id of claims (see data/claims.csv)",
        f"data/claim_concepts.csv:2 claim_id={first_mapping[0]}: not a known claim_id of claims",
    ]


def header_only_concepts(d: Path) -> list[str]:
    first = read_csv(d / "claim_concepts.csv")[1]
    header_only(d / "concepts.csv")
    return [
        f"data/claim_concepts.csv:2 concept_id={first[1]}: not a known id of concepts (see data/concepts.csv)"
    ]


def uncited_study(d: Path) -> list[str]:
    rows = read_csv(d / "studies.csv")
    new = list(rows[1])
    new[rows[0].index("ref")] = "4242"
    new[rows[0].index("reference_id")] = ""
    write_csv(d / "studies.csv", rows + [new])
    return [
        f"data/studies.csv:{len(rows) + 1} ref=4242: is an included study that no claim cites (see data/citations.csv)"
    ]


def claim_without_concept(d: Path) -> list[str]:
    rows = read_csv(d / "claim_concepts.csv")
    write_csv(d / "claim_concepts.csv", [r for r in rows if r[0] != "2.1-02"])
    line = line_of(d / "claims.csv", find_row(d / "claims.csv", "claim_id", "2.1-02"))
    return [
        f"data/claims.csv:{line} claim_id=2.1-02: has no concept; map it in data/curation/claim_concepts.csv"
    ]


VARIANTS: list[Variant] = [
    missing_column,
    extra_column,
    duplicate_key,
    duplicate_compound_key,
    unknown_study,
    unknown_concept,
    unknown_broader,
    unknown_section,
    bad_year,
    year_out_of_range,
    decimal_comma_number,
    bad_boolean,
    bad_list_item,
    wrong_vocabulary,
    wrong_list_vocabulary,
    wrong_allowed_value,
    blank_required,
    blank_key,
    cp1252,
    utf16,
    xlsx_saved_as_csv,
    semicolons,
    stray_comma,
    stray_quote,
    unclosed_quote,
    empty_file,
    missing_file,
    header_only_studies,
    header_only_claims,
    header_only_concepts,
    uncited_study,
    claim_without_concept,
]


# --- fixtures ------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def good_db(tmp_path_factory, data_dir) -> Path:
    """The database built from the real data/, once for this module."""
    return build_database(data_dir, tmp_path_factory.mktemp("good") / "evidence.db")


@pytest.fixture
def last_good(tmp_path, good_db) -> Path:
    """A copy of the good database in a directory of its own, where a broken build would write."""
    target = tmp_path / "build" / "evidence.db"
    target.parent.mkdir()
    shutil.copy2(good_db, target)
    return target


# --- broken data: fail, say where and what to do, keep the old database ---------------------


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.__name__)
def test_broken_data_fails_and_keeps_the_last_good_database(variant, data_copy, last_good, capsys):
    expected = variant(data_copy)
    before, listing = sha256(last_good), sorted(last_good.parent.iterdir())

    with pytest.raises(DataError) as raised:
        build_database(data_copy, last_good)
    messages = "\n".join(str(p) for p in raised.value.problems)
    for text in expected:
        assert text in messages, messages

    assert main(["--data", str(data_copy), "build", "--db", str(last_good)]) == 1
    err = capsys.readouterr().err
    assert all(text in err for text in expected), err
    assert (
        f"Build failed with {len(raised.value.problems)} problem(s); {last_good} is unchanged."
        in err
    )

    assert sha256(last_good) == before
    assert sorted(last_good.parent.iterdir()) == listing  # no temporary file left behind


def test_duplicate_column_name_is_refused(data_copy, last_good):
    rows = read_csv(data_copy / "outcomes.csv")
    write_csv(data_copy / "outcomes.csv", [rows[0] + ["unit"]] + [r + ["bogus"] for r in rows[1:]])
    before = sha256(last_good)
    with pytest.raises(DataError, match=r"data/outcomes.csv:1 column 'unit'"):
        build_database(data_copy, last_good)
    assert sha256(last_good) == before


def test_unclosed_quote_names_the_row_where_it_opens(data_copy, last_good):
    unclosed_quote(data_copy)
    with pytest.raises(DataError) as raised:
        build_database(data_copy, last_good)
    assert str(raised.value.problems[0]).startswith("data/citations.csv:7:"), raised.value.problems


def test_the_command_exits_1_and_names_the_problem(data_copy, last_good):
    expected = bad_year(data_copy)
    before = sha256(last_good)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "evidence.cli",
            "--data",
            str(data_copy),
            "build",
            "--db",
            str(last_good),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert expected[0] in done.stderr
    assert "is unchanged" in done.stderr
    assert sha256(last_good) == before


# --- harmless spreadsheet habits: the same database ----------------------------------------

# When it was built, a hash of the files' bytes, and the git commit of the repository data/ is in.
VOLATILE_META = {"built_at", "dataset_version", "git_commit"}


def contents(db_path: Path) -> dict[str, list[tuple]]:
    """Every table's rows, in primary-key order, minus the build's timestamp and byte hash."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name"
            )
        ]
        out = {}
        for name in names:
            order = ", ".join(str(i) for i in range(1, _ncols(conn, name) + 1))
            rows = conn.execute(f'select * from "{name}" order by {order}').fetchall()
            out[name] = [r for r in rows if not (name == "meta" and r[0] in VOLATILE_META)]
        return out
    finally:
        conn.close()


def _ncols(conn: sqlite3.Connection, name: str) -> int:
    return len(conn.execute(f'select * from "{name}" limit 0').description)


def excel_csv(path: Path, terminator: str = "\n") -> str:
    """The file as a spreadsheet writes it: records end with `terminator`, line breaks in cells stay LF."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator=terminator).writerows(read_csv(path))
    return buf.getvalue()


def bom(path: Path) -> bytes:
    return b"\xef\xbb\xbf" + excel_csv(path).encode("utf-8")


def crlf(path: Path) -> bytes:
    return excel_csv(path, "\r\n").encode("utf-8")


def trailing_blank_lines(path: Path) -> bytes:
    return (excel_csv(path) + "\n\n,,,\n\n").encode("utf-8")


def all_three(path: Path) -> bytes:
    return b"\xef\xbb\xbf" + (excel_csv(path, "\r\n") + "\r\n,,,\r\n\r\n").encode("utf-8")


@pytest.mark.parametrize(
    "habit", [bom, crlf, trailing_blank_lines, all_three], ids=lambda h: h.__name__
)
def test_excel_habits_build_the_same_database(habit, data_copy, good_db, tmp_path):
    for path in data_copy.glob("*.csv"):
        path.write_bytes(habit(path))
    built = build_database(data_copy, tmp_path / "evidence.db")
    assert contents(built) == contents(good_db)
