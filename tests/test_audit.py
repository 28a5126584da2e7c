"""`evidence audit`: the review's own inconsistencies, computed from the data."""

from __future__ import annotations

import json

from evidence.cli import main
from evidence.dataset.audit import audit_review


def by_kind(data_dir):
    out = {}
    for f in audit_review(data_dir):
        out.setdefault(f.kind, []).append(f)
    return out


def test_every_category_that_occurs_in_this_review(data_dir):
    kinds = by_kind(data_dir)
    assert [f.stated for f in kinds["cited_not_included"]] == [
        "study 908 cited (314, 632, 699, 724, 876, 908)"
    ]
    assert {f.location for f in kinds["bilag2_vs_bibliography"]} >= {
        "Bilag 2, study 729",
        "Bilag 2, study 739",
        "Bilag 2, study 5",
    }
    assert len(kinds["duplicate_bibliography_entry"]) == 1
    assert kinds["duplicate_bilag2_author_year"][0].location == "Bilag 2, studies 5, 79"
    assert kinds["screening_arithmetic"][0].observed == "499 − 319 − 124 = 56"
    assert len(kinds["unexpected_dimension_label"]) == 12
    assert {f.stated for f in kinds["unexpected_dimension_label"]} == {"Virksomheder"}
    assert sorted(f.location for f in kinds["empty_bilag2_cell"]) == [
        f"Bilag 2, study {r}" for r in (506, 507, 631, 712, 751, 852)
    ]


def test_chapter_counts_against_citations(data_dir):
    counts = {(f.location, f.stated): f.observed for f in by_kind(data_dir)["chapter_study_count"]}
    assert counts[("chapter 3", "17 studies")] == "25 studies cited"
    assert counts[("chapter 2", "21 studies")] == "22 studies cited"
    assert (
        "chapter 4",
        "32 studies",
    ) not in counts  # chapter 4's 32 (17 Danish) agree with its citations


def test_sentences_whose_count_disagrees_with_their_citations(data_dir):
    found = {f.location: f.stated for f in by_kind(data_dir)["count_vs_citations"]}
    assert found["section 7.2, claim 7.2-04"] == "'flere studier'"


def test_json_output(data_dir, capsys):
    assert main(["--data", str(data_dir), "audit", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert set(items[0]) == {"kind", "location", "stated", "observed", "detail"}
    assert len(items) == len(audit_review(data_dir))
