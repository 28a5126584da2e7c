"""`evidence validate`: passes on the data, fails with file:row and a next step on broken copies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from evidence.cli import main
from evidence.dataset.csvio import DataError
from evidence.dataset.schema import COLUMN_KEYS, load_schema
from evidence.dataset.validate import validate_dataset


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def messages(data_dir):
    return [str(p) for p in validate_dataset(data_dir)]


def test_real_data_is_valid(data_dir, capsys):
    assert messages(data_dir) == []
    assert main(["--data", str(data_dir), "validate"]) == 0


def test_unknown_study_in_citations(data_copy, capsys):
    lines = (data_copy / "citations.csv").read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines, start=1) if line.startswith("2.1-02,"))
    lines[n - 1] = lines[n - 1].replace(",129,", ",9999,")
    (data_copy / "citations.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert messages(data_copy) == [
        f"data/citations.csv:{n} ref=9999: not an included study (see data/studies.csv)"
    ]
    assert main(["--data", str(data_copy), "validate"]) == 1
    err = capsys.readouterr().err
    assert f"data/citations.csv:{n} ref=9999: not an included study" in err
    assert "fix them and run `evidence validate` again" in err


def test_bad_year_and_unknown_vocabulary_are_both_reported(data_copy):
    edit(data_copy / "studies.csv", ",2022,", ",20x2,")
    edit(data_copy / "findings.csv", ",virkninger,", ",effects,")
    found = messages(data_copy)
    assert any(
        m.startswith("data/studies.csv:2 year='20x2': '20x2' is not a whole number") for m in found
    )
    assert any(
        "data/findings.csv:" in m and "dimension=effects: is not an allowed value" in m
        for m in found
    )


def test_duplicate_key(data_copy):
    lines = (data_copy / "concepts.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (data_copy / "concepts.csv").write_text("".join(lines + [lines[1]]), encoding="utf-8")
    found = messages(data_copy)
    key = lines[1].split(",")[0]
    assert (
        f"data/concepts.csv:{len(lines) + 1} id={key}: duplicates the key of line 2; keys must be unique"
        in found
    )


def test_missing_column(data_copy):
    text = (data_copy / "sections.csv").read_text(encoding="utf-8")
    (data_copy / "sections.csv").write_text(
        text.replace("title_en,", "title_english,", 1), encoding="utf-8"
    )
    found = messages(data_copy)
    assert (
        "data/sections.csv:1 column 'title_en': is missing; add it (see data/schema.yml)" in found
    )
    assert (
        "data/sections.csv:1 column 'title_english': is not in data/schema.yml; remove it or document it there"
        in found
    )


def test_claim_without_concept(data_copy):
    lines = (data_copy / "claim_concepts.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("2.1-02,")]
    (data_copy / "claim_concepts.csv").write_text("".join(kept), encoding="utf-8")
    assert any(
        "claim_id=2.1-02: has no concept; map it in data/curation/claim_concepts.csv" in m
        for m in messages(data_copy)
    )


@pytest.mark.parametrize(
    "content,expected",
    [
        (b"", "data/outcomes.csv: file is empty; it needs at least a header row"),
        (b"outcome_id,ref\nx,1\n", "data/outcomes.csv:1 column 'section': is missing"),
        (
            "outcome_id,ref,section,measure_da,measure_en,population,value_before,value_after,value,unit,period,direction,quote_da,note\nø,1\n".encode(
                "cp1252"
            ),
            "data/outcomes.csv:2: not UTF-8",
        ),
    ],
)
def test_broken_files(data_copy, content, expected):
    (data_copy / "outcomes.csv").write_bytes(content)
    assert any(m.startswith(expected) for m in messages(data_copy)), messages(data_copy)


def test_excel_artefacts_are_harmless(data_copy, data_dir):
    text = (data_copy / "outcomes.csv").read_text(encoding="utf-8")
    (data_copy / "outcomes.csv").write_bytes(
        b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode() + b"\r\n\r\n"
    )
    assert messages(data_copy) == []


def raw_descriptions(data_dir) -> dict[str, str]:
    """table.column → the text after `description: ` on the column's line of schema.yml, up to
    the next key of the column or the closing brace, unquoted as YAML reads a whole value."""
    keys = "|".join(sorted(COLUMN_KEYS))
    value = re.compile(rf"description: (.*?)(?:, (?:{keys}): |\}}\s*$)")
    table, found = None, {}
    for line in (data_dir / "schema.yml").read_text(encoding="utf-8").splitlines():
        if re.match(r"^  \w+:\s*$", line):
            table = line.strip()[:-1]
        column = re.match(r"^      (\w+): \{", line)
        if column and "description: " in line:
            text = value.search(line).group(1)
            found[f"{table}.{column.group(1)}"] = (
                yaml.safe_load(text) if text[:1] in "\"'" else text
            )
    return found


def test_no_column_description_is_cut(data_dir):
    """An unquoted comma in `{…}` ends a value: `level`'s description was "1 for a chapter"."""
    raw = raw_descriptions(data_dir)
    parsed = {
        f"{t.name}.{c.name}": c.description
        for t in load_schema(data_dir).values()
        for c in t.columns
    }
    assert len(raw) > 100 and raw.keys() <= parsed.keys()
    assert {k: v for k, v in raw.items() if parsed[k] != v} == {}
    assert parsed["sections.level"] == "1 for a chapter, 2 for a section."


def test_a_cut_value_is_refused_with_what_to_do(data_copy):
    edit(
        data_copy / "schema.yml",
        'description: "1 for a chapter, 2 for a section."',
        "description: 1 for a chapter, 2 for a section.",
    )
    with pytest.raises(DataError) as error:
        load_schema(data_copy)
    assert [str(p) for p in error.value.problems] == [
        "data/schema.yml sections.level: unknown key '2 for a section.': a comma ends an unquoted "
        'value in {…}; put the value in double quotes ("…")'
    ]


def test_validate_prints_the_row_counts_the_readme_gives(data_dir, capsys):
    """`evidence validate` is the read-only way to the row counts (`extract` rewrites the CSVs)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "Row counts: `uv run --frozen evidence validate` prints them" in readme
    stated = {
        name: int(n.replace(",", ""))
        for name, n in re.findall(r"^\| `data/(\w+)\.csv` \| ([\d,]+) \|", readme, re.M)
    }
    assert main(["--data", str(data_dir), "validate"]) == 0
    printed = dict(re.findall(r"^  (\w+): (\d+) rows$", capsys.readouterr().out, re.M))
    assert len(stated) >= 14 and {k: int(v) for k, v in printed.items()} == stated
