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
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from evidence.build.database import build_database
from evidence.cli import main
from evidence.dataset.csvio import DataError
from evidence.dataset.validate import validate_dataset

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
    return [
        "data/citation_stances.csv:1: fields are separated by semicolons, not commas",
        "CSV UTF-8 (Comma delimited)",
    ]


def tabs(d: Path) -> list[str]:
    rows = read_csv(d / "findings.csv")  # Excel's "Text (Tab delimited)"
    buf = io.StringIO()
    csv.writer(buf, delimiter="\t", lineterminator="\n").writerows(rows)
    (d / "findings.csv").write_text(buf.getvalue(), encoding="utf-8")
    return ["data/findings.csv:1: fields are separated by tabs, not commas"]


def stray_comma(d: Path) -> list[str]:
    """A comma typed into two rows' text without quotes: each row is reported, not only the first."""
    lines = (d / "findings.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    for i in (4, 9):
        lines[i] = lines[i].replace(",", ",x,", 1)
    (d / "findings.csv").write_text("".join(lines), encoding="utf-8")
    return [
        "data/findings.csv:5: has 8 fields, the header has 7; check for a stray comma",
        "data/findings.csv:10: has 8 fields, the header has 7; check for a stray comma",
    ]


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


NO_ROWS = "has a header but no rows; restore the file from git or run `evidence extract`"


def header_only_studies(d: Path) -> list[str]:
    header_only(d / "studies.csv")
    return [f"data/studies.csv:2: {NO_ROWS}"]


def header_only_claims(d: Path) -> list[str]:
    header_only(d / "claims.csv")
    return [f"data/claims.csv:2: {NO_ROWS}"]


def header_only_concepts(d: Path) -> list[str]:
    header_only(d / "concepts.csv")
    return [f"data/concepts.csv:2: {NO_ROWS}"]


def header_only_curated(d: Path) -> list[str]:
    """A curated table (here the handbook's advice) emptied to its header row."""
    header_only(d / "handbook_advice.csv")
    return [f"data/handbook_advice.csv:2: {NO_ROWS}"]


# --- issue 11: bad data once accepted silently or reported as a traceback -------------------


def nul_byte(d: Path) -> list[str]:
    line = set_cell(d / "studies.csv", "title", "Et studie\x00 om samarbejde", 2)
    return [f"data/studies.csv:{line} column 'title': contains a NUL character"]


def infinite_number(d: Path) -> list[str]:
    first = set_cell(d / "studies.csv", "link_score", "inf", 0)
    second = set_cell(d / "studies.csv", "link_score", "nan", 1)
    return [
        f"data/studies.csv:{first} link_score='inf': 'inf' is not a number",
        f"data/studies.csv:{second} link_score='nan': 'nan' is not a number",
    ]


def digits_python_reads(d: Path) -> list[str]:
    """Python's int() reads all three; a spreadsheet or SQLite does not."""
    lines = [
        set_cell(d / "studies.csv", "year", v, i) for i, v in enumerate(["1_0", "٣", "２０２２"])
    ]
    return [
        f"data/studies.csv:{line} year='{v}': '{v}' is not a whole number"
        for line, v in zip(lines, ["1_0", "٣", "２０２２"], strict=True)
    ]


def thirty_digits(d: Path) -> list[str]:
    line = set_cell(d / "references.csv", "year", "1" * 30, 1)
    return [f"data/references.csv:{line} year='{'1' * 30}': '{'1' * 30}' is too large"]


def errata_ref_with_decimals(d: Path) -> list[str]:
    path = d / "curation" / "errata.csv"
    index = find_row(path, "ref", "908")
    line = set_cell(path, "ref", "908.0", index)
    return [
        f"data/curation/errata.csv:{line} ref='908.0': '908.0' is not a whole number; write the study's number"
    ]


def broken_yaml(name: str, text: str, lines_after: int, column: int) -> Variant:
    """`text` appended to data/<name>; the error is `lines_after` lines past the old end."""

    def variant(d: Path) -> list[str]:
        path = d / name
        old = path.read_text(encoding="utf-8")
        path.write_text(old + text, encoding="utf-8")
        where = f"{old.count(chr(10)) + lines_after}:{column}"
        return [f"data/{name}:{where}: is not valid YAML", "restore it from git"]

    variant.__name__ = f"broken_{name.replace('.', '_')}"
    return variant


def review_yml_cp1252(d: Path) -> list[str]:
    path = d / "review.yml"
    text = path.read_text(encoding="utf-8")
    assert "æ" in text or "ø" in text or "å" in text
    raw = text.encode("cp1252", errors="replace")
    path.write_bytes(raw)
    first = next(
        i for i, line in enumerate(raw.split(b"\n"), start=1) if any(b > 127 for b in line)
    )
    return [f"data/review.yml:{first}: not UTF-8"]


def folder_for_a_csv(d: Path) -> list[str]:
    (d / "outcomes.csv").unlink()
    (d / "outcomes.csv").mkdir()
    return ["data/outcomes.csv: is a folder, not a file"]


def cell_over_the_limit(d: Path) -> list[str]:
    line = set_cell(d / "claims.csv", "text_en", "x" * (2 * 1024 * 1024), 3)
    return [f"data/claims.csv:{line} column 'text_en': is over 1 MB; shorten it"]


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
    header_only_curated,
    tabs,
    nul_byte,
    infinite_number,
    digits_python_reads,
    thirty_digits,
    errata_ref_with_decimals,
    broken_yaml("schema.yml", "\n  - [unclosed\n", 2, 3),
    broken_yaml("vocabularies.yml", "\nkey: [a, b\n", 3, 1),
    broken_yaml("review.yml", "\n\tbad: tab\n", 2, 1),
    review_yml_cp1252,
    folder_for_a_csv,
    cell_over_the_limit,
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
def last_good(db_copy) -> Path:
    """A good database in a directory of its own, where a broken build would write."""
    return db_copy


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
    # `evidence validate` finds the same problems (everything the build would fail on)
    assert [str(p) for p in validate_dataset(data_copy)] == [str(p) for p in raised.value.problems]

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


def double_bom(path: Path) -> bytes:
    return b"\xef\xbb\xbf" * 2 + excel_csv(path).encode("utf-8")


def trailing_empty_column(path: Path) -> bytes:
    """A trailing comma on every line: a column with neither a name nor a value."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(r + [""] for r in read_csv(path))
    return buf.getvalue().encode("utf-8")


def all_three(path: Path) -> bytes:
    return b"\xef\xbb\xbf" + (excel_csv(path, "\r\n") + "\r\n,,,\r\n\r\n").encode("utf-8")


@pytest.mark.parametrize(
    "habit",
    [bom, crlf, trailing_blank_lines, all_three, double_bom, trailing_empty_column],
    ids=lambda h: h.__name__,
)
def test_excel_habits_build_the_same_database(habit, data_copy, good_db, tmp_path):
    for path in data_copy.glob("*.csv"):
        path.write_bytes(habit(path))
    built = build_database(data_copy, tmp_path / "evidence.db")
    assert contents(built) == contents(good_db)


def test_carriage_returns_in_cells_are_stored_as_line_feeds(data_copy, tmp_path):
    """A documented normalisation: a cell's `\\r\\n` or lone `\\r` (old Mac Excel) becomes `\\n`."""
    path = data_copy / "claims.csv"
    rows = read_csv(path)
    text = rows[1][rows[0].index("text_en")]
    words = text.split(" ")
    rows[1][rows[0].index("text_en")] = (
        words[0] + "\r" + " ".join(words[1:3]) + "\r\n" + " ".join(words[3:])
    )
    write_csv(path, rows)
    db = build_database(data_copy, tmp_path / "evidence.db")
    conn = sqlite3.connect(db)
    stored = conn.execute("select text_en from claims where claim_id = ?", [rows[1][0]]).fetchone()[
        0
    ]
    assert "\r" not in stored and stored.count("\n") == 2
    assert stored.replace("\n", " ") == text


def test_many_problems_are_capped_with_a_count(data_copy, capsys):
    rows = read_csv(data_copy / "citations.csv")
    ref = rows[0].index("ref")
    for r in rows[1:]:
        r[ref] = "x"
    write_csv(data_copy / "citations.csv", rows)
    assert main(["--data", str(data_copy), "validate"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(rows) - 1 > 60
    assert len(err) == 52, err[-3:]
    assert (
        err[-2]
        == f"… and {len(rows) - 1 - 50} more problem(s) of the same kinds (fix these first)."
    )
    assert err[-1].startswith(f"{len(rows) - 1} problem(s) found")


def test_a_long_cell_under_the_limit_builds(data_copy, tmp_path):
    """A cell over 128 KiB (the csv module's default field limit) once read as 'unbalanced quote'."""
    long = "lang tekst " * 20_000  # 220 KB
    set_cell(data_copy / "claims.csv", "text_en", long, 0)
    db = build_database(data_copy, tmp_path / "evidence.db")
    stored = sqlite3.connect(db).execute("select max(length(text_en)) from claims").fetchone()[0]
    assert stored == len(long.strip())


def test_audit_names_a_broken_review_yml(data_copy, capsys):
    path = data_copy / "review.yml"
    old = path.read_text(encoding="utf-8")
    path.write_text(old + "\n\tbad: tab\n", encoding="utf-8")
    assert main(["--data", str(data_copy), "audit"]) == 1
    err = capsys.readouterr().err
    assert f"data/review.yml:{old.count(chr(10)) + 2}:1: is not valid YAML" in err
