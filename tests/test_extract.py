"""The committed data against the review's text: nothing missed, quotes verbatim, and the
CSVs equal extractor output plus curation."""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest

from evidence.dataset.csvio import encode
from evidence.dataset.schema import load_schema
from evidence.extract.pipeline import WRITTEN, extract_all
from evidence.extract.source import load_review, normalise_space


def read(data_dir, name):
    with open(data_dir / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def source_pairs(text: str) -> Counter:
    """(section, ref) citation pairs of chapters 2–7, parsed independently of the extractor:
    drop page locators and anthology chapter lists, keep the remaining numbers."""
    pairs, section = Counter(), None
    for line in text.splitlines():
        h = re.match(r"^#+\s*(?:Boks\s+)?(\d+)(?:\.(\d+))?\s", line)
        if h:
            section = (
                None
                if "Boks" in line
                else f"{h.group(1)}.{h.group(2)}"
                if h.group(2)
                else h.group(1)
            )
            continue
        if line.startswith("#") or section is None or not 2 <= int(section.split(".")[0]) <= 7:
            continue
        if line.startswith("Afsnittet bygger på"):
            continue
        for group in re.findall(r"\(([\d\s,;.–\-Kkapsog]+)\)", line):
            if re.search(r"\d{4}\s*-\s*\d", group):
                continue  # a period of years
            group = re.sub(r"s\.\s*\d+", "", group)
            group = re.sub(r"[Kk]ap\.\s*\d+(?:\s*(?:,|og)\s*\d{1,2}(?!\d))*", "", group)
            for n in re.findall(r"\d+", group):
                pairs[(section, int(n))] += 1
    return pairs


def test_studies_are_exactly_bilag2(data_dir, source_path):
    text = source_path.read_text(encoding="utf-8")
    bilag2 = text[text.index("## Bilag 2") :]
    expected = {int(m) for m in re.findall(r"^(\d+)\t", bilag2, flags=re.M)}
    refs = [int(r["ref"]) for r in read(data_dir, "studies")]
    assert len(expected) == 55
    assert sorted(refs) == sorted(expected)


def test_every_citation_pair_of_chapters_2_to_7_is_in_citations(data_dir, source_path):
    expected = source_pairs(source_path.read_text(encoding="utf-8"))
    section_of = {c["claim_id"]: c["section"] for c in read(data_dir, "claims")}
    found = Counter((section_of[c["claim_id"]], int(c["ref"])) for c in read(data_dir, "citations"))
    assert sum(expected.values()) == 386
    assert found == expected


def test_claims_count_and_ids(data_dir):
    claims = read(data_dir, "claims")
    assert len(claims) == 191
    assert (
        claims[0]["claim_id"] == "2.1-01"
        and claims[0]["citation_text"] == "(129, 323, 640, 712, 942)"
    )
    single = next(c for c in claims if c["citation_text"] == "(631 – kap. 5,6,7; 751, 924)")
    cites = [c for c in read(data_dir, "citations") if c["claim_id"] == single["claim_id"]]
    assert [(c["ref"], c["chapters"]) for c in cites] == [
        ("631", "5|6|7"),
        ("751", ""),
        ("924", ""),
    ]


def test_quotes_are_verbatim(data_dir, source_path):
    review = load_review(source_path)
    text = normalise_space(review.text.replace("*", ""))
    dehyphenated = re.sub(r"(\w)- (\w)", r"\1\2", text)
    for c in read(data_dir, "claims"):
        s = normalise_space(c["sentence_da"])
        assert s in text or s in dehyphenated, c["claim_id"]
        for sentence in re.split(r"(?<=[.!?]) ", normalise_space(c["context_da"])):
            assert sentence in text or sentence in dehyphenated, c["claim_id"]
    for f in read(data_dir, "findings"):
        assert f["text_da"] in text, f["finding_id"]
    for o in read(data_dir, "outcomes"):
        assert normalise_space(o["quote_da"]) in normalise_space(review.text), o["outcome_id"]


def test_a_claims_context_is_the_uncited_sentences_that_follow_it(data_dir):
    """The review goes on about a study without citing it again: §3.1's 507 ("Studiet finder, at …
    dermatologer og reumatologer") and §4.2's 906 ("prænatal behandling"). Up to three such
    sentences are the claim's `context_da`; a sentence that cites again ends it."""
    from evidence.extract.citations import GROUP, parse_group
    from evidence.extract.claims import CONTEXT_SENTENCES

    claims = {c["claim_id"]: c for c in read(data_dir, "claims")}
    assert "dermatologer og reumatologer" in claims["3.1-05"]["context_da"]
    assert "prænatal behandling" in claims["4.2-07"]["context_da"]
    with_context = [c for c in claims.values() if c["context_da"]]
    assert 60 <= len(with_context) < len(claims)
    for c in with_context:
        assert not any(parse_group(m.group(1)) for m in GROUP.finditer(c["context_da"]))
        assert c["context_da"].count(". ") < CONTEXT_SENTENCES + 2, c["claim_id"]


def test_every_bibliography_entry_parsed_and_every_study_linked_or_flagged(data_dir, source_path):
    text = source_path.read_text(encoding="utf-8")
    lit = text[text.index("# Litteratur") : text.index("# Bilag 1")]
    entries = [e for e in lit.splitlines() if e.startswith("- ") and re.search(r"\(\d{4}\)", e)]
    refs = read(data_dir, "references")
    assert len(refs) == len(entries) == 63
    assert {r["role"] for r in refs} == {"included_study", "background", "duplicate"}
    for s in read(data_dir, "studies"):
        assert s["reference_id"] or (s["link_status"] == "no_entry" and s["link_note"]), s["ref"]
    linked = {r["ref"] for r in refs if r["role"] == "included_study"}
    assert len(linked) == 54  # 55 studies; study 5 has no entry of its own


def test_committed_csvs_equal_extractor_output_plus_curation(data_dir, source_path):
    tables = extract_all(load_review(source_path), data_dir)
    schema = load_schema(data_dir)
    for name in WRITTEN:
        committed = read(data_dir, name)
        regenerated = [{c: encode(row.get(c)) for c in schema[name].names} for row in tables[name]]
        assert committed == regenerated, (
            f"data/{name}.csv differs from `evidence extract`; run it and commit"
        )


def test_vocabularies_normalise_bilag2(data_dir):
    studies = {int(s["ref"]): s for s in read(data_dir, "studies")}
    assert studies[632]["countries"] == "GB-SCT|DE|DK|FI|LT|ES"
    assert studies[942]["countries"] == "DK|NO"
    assert studies[924]["methods"] == "survey|case_studies|qualitative_interviews"
    assert sum(s["is_danish"] == "true" for s in studies.values()) == 21
    assert studies[506]["methods"] == ""  # Bilag 2 leaves the cell empty; the audit says so


@pytest.mark.parametrize(
    "text,expected",
    [
        ("631 – kap. 5,6,7; 751, 924", [(631, [5, 6, 7], ""), (751, [], ""), (924, [], "")]),
        (
            "48, 506, 507, 631 – kap. 5,6,7, 636, 935",
            [
                (48, [], ""),
                (506, [], ""),
                (507, [], ""),
                (631, [5, 6, 7], ""),
                (636, [], ""),
                (935, [], ""),
            ],
        ),
        ("712, s. 93", [(712, [], "93")]),
        ("631 – kap. 6 og 11", [(631, [6, 11], "")]),
        ("507.", [(507, [], "")]),
    ],
)
def test_parse_group(text, expected):
    from evidence.extract.citations import parse_group

    assert [(c.ref, c.chapters, c.page) for c in parse_group(text)] == expected


@pytest.mark.parametrize(
    "text", ["2016-2020", "2014-16", "landstinget", "fx i form af BUM-modeller"]
)
def test_parse_group_rejects_non_citations(text):
    from evidence.extract.citations import parse_group

    assert parse_group(text) is None


def test_study_titles_are_titles(evidence_db):
    # a newcomer found study 1's title ending in a comma and 739's carrying the book it is in
    # ("… I: J. Näslund & S. Jern (red.),"); RIS and BibTeX had them clean, the table did not
    import sqlite3

    with sqlite3.connect(evidence_db) as conn:
        titles = dict(conn.execute("select ref, title from studies"))
    assert titles[1].endswith("Multi-Morbidity")
    assert titles[739].endswith("during treatment conference?")
    assert not [r for r, t in titles.items() if t and (t[-1] in ",;:" or " I: " in t)]
