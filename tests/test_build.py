"""`evidence build`: typed tables, keys, views, search index, meta; atomic and deterministic."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence.build import database as build_module
from evidence.build.database import build_database, dataset_version
from evidence.build.dictionary import undocumented
from evidence.build.search import index_text
from evidence.dataset.audit import audit_review
from evidence.dataset.csvio import DataError
from evidence.search_text import TOKENIZER, fts_query, stem_da

DATA = Path(__file__).resolve().parents[1] / "data"


def csv_rows(name: str) -> list[dict]:
    with open(DATA / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def family(concept_id: str) -> set[str]:
    """The concept and every concept below it, from data/concepts.csv's broader column."""
    below = {concept_id}
    rows = csv_rows("concepts")
    while True:
        more = {r["id"] for r in rows if r["broader"] in below} - below
        if not more:
            return below
        below |= more


def expected_concept_refs(concept_id: str) -> set[int]:
    """Refs the review gives evidence for on a concept or a narrower one, straight from the CSVs:
    claim_concepts → citations → studies, and finding_concepts → findings → studies."""
    members = family(concept_id)
    claims = {r["claim_id"] for r in csv_rows("claim_concepts") if r["concept_id"] in members}
    included = {int(r["ref"]) for r in csv_rows("studies")}
    cited = {
        int(r["ref"])
        for r in csv_rows("citations")
        if r["claim_id"] in claims and int(r["ref"]) in included
    }
    found = {r["finding_id"] for r in csv_rows("finding_concepts") if r["concept_id"] in members}
    return cited | {int(r["ref"]) for r in csv_rows("findings") if r["finding_id"] in found}


# --- tables, types and keys -------------------------------------------------------------------


@pytest.mark.parametrize(
    "table",
    [
        "studies",
        "references",
        "findings",
        "sections",
        "claims",
        "claim_concepts",
        "citation_stances",
        "concepts",
        "outcomes",
        "handbook_advice",
    ],
)
def test_every_data_row_is_loaded(db, table):
    assert db.execute(f"select count(*) from [{table}]").fetchone()[0] == len(csv_rows(table))


def test_citations_keep_every_row_between_the_two_tables(db):
    n = db.execute("select count(*) from citations").fetchone()[0]
    unresolved = db.execute(
        "select claim_id, position, ref, note from unresolved_citations"
    ).fetchall()
    assert n + len(unresolved) == len(csv_rows("citations"))
    assert [tuple(r)[:3] for r in unresolved] == [("3.1-03", 6, 908)]
    assert "Bilag 2 has no study 908" in unresolved[0]["note"]


def test_declared_types_not_sniffed(db):
    types = {r["name"]: r["type"] for r in db.execute("pragma table_info(studies)")}
    assert (
        types["ref"] == "INTEGER" and types["year"] == "INTEGER" and types["link_score"] == "REAL"
    )
    assert (
        types["is_danish"] == "INTEGER"
        and types["countries"] == "TEXT"
        and types["bilag2_authors_year"] == "TEXT"
    )
    row = db.execute("select * from studies where ref = 924").fetchone()
    assert row["year"] == 2021 and row["is_danish"] == 1
    assert json.loads(row["countries"]) == ["DK"]
    assert json.loads(
        db.execute("select cited_refs from claims where claim_id = '2.2-04'").fetchone()[0]
    ) == [631, 751, 924]
    assert (
        db.execute("select typeof(link_score) from studies where ref = 1").fetchone()[0] == "real"
    )
    assert {r[0] for r in db.execute("select distinct is_danish from studies")} == {0, 1}


def test_primary_and_foreign_keys(db):
    pk = {r["name"] for r in db.execute("pragma table_info(citations)") if r["pk"]}
    assert pk == {"claim_id", "position"}
    fks = {
        (r["table"], r["from"], r["to"]) for r in db.execute("pragma foreign_key_list(citations)")
    }
    assert fks == {("studies", "ref", "ref"), ("claims", "claim_id", "claim_id")}
    studies_fks = {(r["table"], r["from"]) for r in db.execute("pragma foreign_key_list(studies)")}
    assert studies_fks == {
        ("references", "reference_id"),
        ("publication_types", "publication_type"),
    }
    assert db.execute("pragma foreign_key_check").fetchall() == []


@pytest.mark.parametrize(
    "table, column",
    [
        ("citations", "ref"),
        ("claims", "section"),
        ("claims", "stance"),
        ("claim_concepts", "concept_id"),
        ("findings", "dimension"),
        ("findings", "ref"),
        ("studies", "year"),
        ("study_countries", "code"),
        ("citation_stances", "concept_id"),
        ("outcomes", "ref"),
    ],
)
def test_filter_columns_are_indexed(db, table, column):
    indexed = {
        db.execute(f"pragma index_info([{r['name']}])").fetchone()["name"]
        for r in db.execute(f"pragma index_list([{table}])")
    }
    assert column in indexed


def test_join_and_lookup_tables(db):
    dk = {r[0] for r in db.execute("select ref from study_countries where code = 'DK'")}
    assert dk == {int(r["ref"]) for r in csv_rows("studies") if "DK" in r["countries"].split("|")}
    assert len(dk) == 21
    row = db.execute("select * from study_methods where ref = 924 and code = 'survey'").fetchone()
    assert (row["label_da"], row["label_en"]) == ("Spørgeskema (survey)", "Survey")
    assert (
        db.execute("select label_da from stances where code = 'contradicts'").fetchone()[0]
        == "modsiger"
    )
    assert db.execute("select nordic from countries where code = 'DE'").fetchone()[0] == 0


# --- views --------------------------------------------------------------------------------------


def test_concept_evidence_matches_the_csvs(db):
    for concept in (
        "single-contact-person",
        "legislative-frameworks",
        "quality-goals",
        "co-location",
    ):
        refs = {
            r[0]
            for r in db.execute("select ref from concept_evidence where concept_id = ?", [concept])
        }
        assert refs == expected_concept_refs(concept)
    assert {631, 751, 924} <= expected_concept_refs("single-contact-person")
    row = db.execute(
        "select * from concept_evidence where concept_id = 'single-contact-person' and ref = 924"
    ).fetchone()
    assert "2.2-04" in json.loads(row["claim_ids"])
    assert any("kontaktperson" in q for q in json.loads(row["quotes_da"]))


def test_citation_stance_override_wins(db):
    override = csv_rows("citation_stances")[0]
    row = db.execute(
        "select stance, stance_overridden from concept_citations where claim_id = ? and ref = ? and concept_id = ?",
        [override["claim_id"], int(override["ref"]), override["concept_id"]],
    ).fetchone()
    assert tuple(row) == (override["stance"], 1)


def test_study_overview(db):
    rows = {r["ref"]: r for r in db.execute("select * from study_overview")}
    assert len(rows) == 55
    findings = defaultdict(int)
    for f in csv_rows("findings"):
        findings[int(f["ref"])] += 1
    assert all(rows[ref]["n_findings"] == n for ref, n in findings.items())
    claims_citing = defaultdict(set)
    for c in csv_rows("citations"):
        claims_citing[int(c["ref"])].add(c["claim_id"])
    assert all(rows[ref]["n_claims"] == len(claims_citing[ref]) for ref in rows)
    dims = [k for k in dict(rows[924]) if k.startswith("n_claims_")]
    assert len(dims) == 6 and sum(rows[924][k] for k in dims) >= rows[924]["n_claims"] > 0


def test_every_gap_map_accounts_for_every_study(db):
    """Fault: the method gap map left out the 6 studies with no method coded (49 of 55)."""
    evidence = {}
    for r in db.execute("select concept_id, ref from concept_evidence"):
        evidence.setdefault(r["concept_id"], set()).add(r["ref"])
    for view in ("gap_map_country", "gap_map_service_area", "gap_map_method"):
        mapped = {}
        for r in db.execute(f"select concept_id, refs from {view}"):
            mapped.setdefault(r["concept_id"], set()).update(json.loads(r["refs"]))
        assert mapped == {k: evidence.get(k, set()) for k in mapped}, view
        assert set().union(*mapped.values()) == set().union(*evidence.values()), view
    uncoded = db.execute(
        "select count(*) from studies s where not exists (select 1 from study_methods m where m.ref = s.ref)"
    ).fetchone()[0]
    assert uncoded == 6
    assert (
        db.execute(
            "select count(*) from gap_map_method where method = 'not_reported' and n_studies > 0"
        ).fetchone()[0]
        > 0
    )


def test_gap_map_cells(db):
    assert (
        db.execute("select count(*) from gap_map_country").fetchone()[0]
        == len(csv_rows("concepts")) * (10 + 1)  # ten countries and not_reported
    )
    cell = db.execute(
        "select n_studies, refs from gap_map_country where concept_id = 'single-contact-person' and country = 'DK'"
    ).fetchone()
    dk = {int(r["ref"]) for r in csv_rows("studies") if "DK" in r["countries"].split("|")}
    expected = sorted(expected_concept_refs("single-contact-person") & dk)
    assert (cell["n_studies"], json.loads(cell["refs"])) == (len(expected), expected)
    gaps = db.execute(
        "select count(*) from gap_map_method where n_studies = 0 and refs = '[]'"
    ).fetchone()[0]
    assert gaps > 0


def test_screening_flow_records_the_printed_numbers_and_the_remainder(db):
    rows = [tuple(r) for r in db.execute("select stage, n, kind from screening_flow order by seq")]
    assert rows == [
        ("identified", 499, "stated"),
        ("excluded_title_abstract", 319, "stated"),
        ("excluded_full_text", 124, "stated"),
        ("remaining_computed", 56, "computed"),
        ("included", 55, "stated"),
    ]


def test_audit_and_review_tables(db):
    assert db.execute("select count(*) from audit_findings").fetchone()[0] == len(
        audit_review(DATA)
    )
    assert (
        db.execute(
            "select count(*) from audit_findings where kind = 'cited_not_included' and stated like '%908%'"
        ).fetchone()[0]
        == 1
    )
    review = dict(db.execute("select key, value from review").fetchall())
    assert review["isbn"] == "978-87-7582-301-7" and review["screening.identified"] == "499"
    assert json.loads(review["search.languages"]) == ["da", "no", "sv", "en"]


def test_meta(db):
    meta = dict(db.execute("select key, value from meta").fetchall())
    assert meta["dataset_version"] == dataset_version(DATA) and len(meta["dataset_version"]) == 64
    assert meta["built_at"].endswith("Z") and meta["built_at"][:2] == "20"
    assert len(meta["git_commit"]) == 40 or meta["git_commit"] == "unknown"
    assert "e-ISBN 978-87-7582-301-7" in meta["review_citation"]
    assert meta["source_sha256"] == "" or len(meta["source_sha256"]) == 64


def test_dataset_version_changes_with_content_only(data_copy):
    before = dataset_version(data_copy)
    (data_copy / "studies.csv").touch()
    assert dataset_version(data_copy) == before
    with open(data_copy / "outcomes.csv", "a", encoding="utf-8") as f:
        f.write("\n")
    assert dataset_version(data_copy) != before


def test_everything_is_documented(evidence_db, tmp_path):
    import sqlite_utils

    assert undocumented(sqlite_utils.Database(evidence_db)) == []
    broken = tmp_path / "evidence.db"
    shutil.copy(evidence_db, broken)
    with sqlite3.connect(broken) as conn:
        conn.execute(
            "delete from data_dictionary where table_name = 'studies' and column_name = 'year'"
        )
        conn.execute(
            "delete from data_dictionary where table_name = 'gap_map_method' and column_name = ''"
        )
    assert undocumented(sqlite_utils.Database(broken)) == ["studies.year", "gap_map_method"]


def test_every_source_in_the_data_dictionary_exists(db):
    """Fault: audit_findings named `evidence.audit`, a module that had moved to evidence.dataset."""
    import importlib

    root = Path(__file__).resolve().parents[1]
    sources = {r[0] for r in db.execute("select distinct source from data_dictionary")}
    assert "evidence.dataset.audit" in sources
    for source in sources - {"build"}:
        for name in source.split(", "):
            if name.startswith("evidence."):
                importlib.import_module(name)
            else:
                assert (root / name).exists(), name


# --- full-text search -----------------------------------------------------------------------------


def search(db, table: str, text: str) -> set:
    key = {"claims": "claim_id", "findings": "finding_id", "concepts": "id", "studies": "ref"}[
        table
    ]
    sql = f"select t.{key} from {table}_fts f join {table} t on t.rowid = f.rowid where {table}_fts match ?"
    return {r[0] for r in db.execute(sql, [fts_query(text)])}


def test_danish_stemming_finds_other_word_forms(db):
    assert "2.2-04" in search(db, "claims", "kontaktpersoner")  # the text says "kontaktperson"
    only_samarbejde = {
        r["claim_id"]
        for r in csv_rows("claims")
        if " samarbejde" in r["sentence_da"] and "samarbejdet" not in r["sentence_da"]
    }
    assert only_samarbejde and only_samarbejde <= search(db, "claims", "samarbejdet")


def test_english_terms_find_english_renderings(db):
    expected = {
        r["claim_id"] for r in csv_rows("claims") if "contact person" in r["text_en"].lower()
    }
    assert expected and expected <= search(db, "claims", "contact persons")
    assert search(db, "concepts", "key worker") >= {"single-contact-person"}


def test_danish_letters_are_kept(db):
    with_maal = {r["claim_id"] for r in csv_rows("claims") if "mål" in r["sentence_da"].lower()}
    assert with_maal and search(db, "claims", "mål")
    assert search(db, "claims", "mal") == set()  # with remove_diacritics it would match "mål"


def test_rod_is_not_rod():
    conn = sqlite3.connect(":memory:")
    conn.execute(f"create virtual table t using fts5(text_da, tokenize='{TOKENIZER}')")
    conn.executemany(
        "insert into t(rowid, text_da) values (?, ?)",
        [(1, f"rød {stem_da('rød')}"), (2, f"rod {stem_da('rod')}")],
    )
    assert [
        r[0] for r in conn.execute("select rowid from t where t match ?", [fts_query("rød")])
    ] == [1]
    assert [
        r[0] for r in conn.execute("select rowid from t where t match ?", [fts_query("rod")])
    ] == [2]


def test_index_holds_text_then_stems():
    assert (
        index_text("claims", "sentence_da", "Kontaktpersonerne samarbejdet")
        == "Kontaktpersonerne samarbejdet kontaktperson samarbejd"
    )
    assert index_text("claims", "text_en", "studies") == "studies studi"
    assert index_text("studies", "authors", "Holm-Petersen, C.") == "Holm-Petersen, C."


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("abæøå \"*^-():.,OR NEAR AND NOT{}+_'\\")), max_size=40)
    | st.text(max_size=40)
)
def test_no_user_text_is_an_fts_error(text):
    conn = sqlite3.connect(":memory:")
    conn.execute(f"create virtual table t using fts5(a, tokenize='{TOKENIZER}')")
    conn.execute("insert into t values ('rød kontaktperson or near and not')")
    conn.execute("select count(*) from t where t match ?", [fts_query(text)]).fetchone()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("kontaktpersoner", '("kontaktpersoner" OR "kontaktperson")'),
        ('"én plan"', '"én plan"'),
        ("kontakt* OR tovholder", '("kontakt"* OR "tovholder" OR "tovhold")'),
        ("NEAR(a b)", '"near a" AND "b"'),
        ('") OR (', '"or"'),  # a quoted phrase: OR is a word in it
        ("( ) * ^ -", '""'),
        ("", '""'),
    ],
)
def test_fts_query(text, expected):
    assert fts_query(text) == expected


# --- atomic and deterministic ----------------------------------------------------------------------


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [line for line in conn.iterdump() if "'built_at'" not in line]
    finally:
        conn.close()


def test_build_is_deterministic(evidence_db, tmp_path):
    again = build_database(DATA, tmp_path / "evidence.db")
    assert dump(again) == dump(evidence_db)


def test_bad_data_fails_naming_file_row_and_column_and_keeps_the_old_database(
    data_copy, evidence_db, tmp_path
):
    target = tmp_path / "evidence.db"
    shutil.copy(evidence_db, target)
    before = sha256(target)
    text = (data_copy / "studies.csv").read_text(encoding="utf-8")
    (data_copy / "studies.csv").write_text(
        text.replace(",2021,", ",twenty-one,", 1), encoding="utf-8"
    )
    with pytest.raises(DataError) as e:
        build_database(data_copy, target)
    message = str(e.value)
    assert (
        "data/studies.csv:" in message
        and "year" in message
        and "'twenty-one' is not a whole number" in message
    )
    assert sha256(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "evidence.db"]


def test_a_failure_mid_build_keeps_the_old_database(evidence_db, tmp_path, monkeypatch):
    target = tmp_path / "evidence.db"
    shutil.copy(evidence_db, target)
    before = sha256(target)

    def explode(db, data_dir, rows):
        db["half_built"].insert({"x": 1})
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(build_module, "populate", explode)
    with pytest.raises(RuntimeError, match="disk on fire"):
        build_database(DATA, target)
    assert sha256(target) == before
    assert [p.name for p in tmp_path.iterdir()] == ["evidence.db"]


def test_build_creates_the_directory(tmp_path):
    path = build_database(DATA, tmp_path / "new" / "dir" / "evidence.db")
    assert path.exists() and oct(path.stat().st_mode & 0o777) == "0o644"


def test_build_reads_and_decodes_the_csvs_once(tmp_path, monkeypatch):
    from evidence.dataset import validate

    calls = []
    load = validate.load_dataset

    def counted(data_dir):
        calls.append(data_dir)
        return load(data_dir)

    monkeypatch.setattr(validate, "load_dataset", counted)
    build_database(DATA, tmp_path / "evidence.db")
    assert len(calls) == 1  # validation's typed rows are what the build stores and audits
