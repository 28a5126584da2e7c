"""The Datasette site, in process (`ds.client`): pages, facets, search, canned queries, exports."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import sqlite3
from pathlib import Path
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from evidence.site.app import SETTINGS, site_metadata

DATA = Path(__file__).resolve().parents[1] / "data"


def csv_rows(name: str) -> list[dict]:
    with open(DATA / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def get(site, path: str, **params):
    return asyncio.run(site.client.get(path, params=params or None))


def rows(site, path: str, **params) -> list[dict]:
    r = get(site, path, _shape="array", **params)
    assert r.status_code == 200, r.text[:500]
    return r.json()


def concept_refs(concept_id: str) -> set[int]:
    claims = {r["claim_id"] for r in csv_rows("claim_concepts") if r["concept_id"] == concept_id}
    included = {int(r["ref"]) for r in csv_rows("studies")}
    return {
        int(r["ref"])
        for r in csv_rows("citations")
        if r["claim_id"] in claims and int(r["ref"]) in included
    }


# --- pages ------------------------------------------------------------------------------------


def test_landing_page(site):
    r = get(site, "/")
    assert r.status_code == 200
    html = r.text
    # Danish by default, English with ?lang=en: one language a page (a newcomer found both)
    assert '<html lang="da">' in html and "Hvad er det?" in html and "What is this?" not in html
    assert "Sådan citerer du" in html and "e-ISBN 978-87-7582-301-7" in html
    english = get(site, "/", lang="en").text
    assert '<html lang="en">' in english and "What is this?" in english
    assert "Hvad er det?" not in english and "How to cite" in english
    for link in [
        'href="/evidence/studies"',
        'href="/evidence/concept_summary"',
        'href="/evidence/gap_map"',
        'href="/-/dashboards/evidens"',
        'href="/evidence/audit"',
        'action="/-/search"',
    ]:
        assert link in html


OUR_PAGES = re.compile(r'href="(/(?:study|concept)/[^"]*|/map|/map\?[^"]*|/prisma[^"]*)"')


def test_english_landing_page_links_to_english_pages(site):
    """`/?lang=en` is rendered in English: each link to our pages keeps the language."""
    da, en = get(site, "/").text, get(site, "/", lang="en").text
    en_links = [h.replace("&amp;", "&") for h in OUR_PAGES.findall(en)]
    da_links = [h.replace("&amp;", "&") for h in OUR_PAGES.findall(da)]
    assert len(en_links) == len(da_links) > 100
    assert all("lang=en" in h for h in en_links) and not any("lang=en" in h for h in da_links)
    # the language switch is the one link across
    assert 'href="/?lang=en"' in da and 'href="/"' in en
    first_study = next(h for h in en_links if h.startswith("/study/"))
    assert '<html lang="en">' in get(site, first_study).text


def test_api_links_reach_the_api_standalone_and_mounted(site, evidence_db):
    # standalone (:8001) the API is not at this origin: its links name the API's public URL
    from fastapi.testclient import TestClient

    from evidence.settings import public_url
    from evidence.site.serve import create_app

    docs = public_url("/docs")
    assert f'href="{docs}"' in get(site, "/").text and 'href="/docs"' not in get(site, "/").text
    assert f'href="{public_url("/api/studies/924")}"' in get(site, "/study/924").text
    assert (
        f'href="{public_url("/api/concepts/co-location")}"'
        in get(site, "/concept/co-location").text
    )
    with TestClient(create_app(evidence_db)) as client:  # mounted under /browse/: same origin
        assert 'href="/docs"' in client.get("/browse/").text
        assert client.get("/docs").status_code == 200
        assert 'href="/api/studies/924"' in client.get("/browse/study/924").text


FAVICON = Path(__file__).resolve().parents[1] / "static" / "favicon.ico"


def test_favicon_everywhere(site, evidence_db):
    from fastapi.testclient import TestClient

    from evidence.site.serve import create_app

    icon = FAVICON.read_bytes()
    assert icon[:4] == b"\0\0\1\0" and len(icon) < 2048  # an ICO, small
    assert get(site, "/favicon.ico").content == icon
    assert 'rel="icon"' in get(site, "/").text and 'rel="icon"' in get(site, "/map").text
    with TestClient(create_app(evidence_db)) as client:
        for path in ("/favicon.ico", "/browse/favicon.ico"):
            r = client.get(path)
            assert r.status_code == 200 and r.content == icon, path
            assert r.headers["content-type"] == "image/x-icon", path


def test_about_page_and_licence(site):
    r = get(site, "/about")
    assert r.status_code == 200 and "VIVEs publikationer kan frit citeres" in r.text
    # newcomer 13: /about was English only (and ?lang=en the same page); Danish by default now,
    # English with ?lang=en, each with the switch to the other, as every page of ours
    english = get(site, "/about", lang="en").text
    assert '<html lang="da">' in r.text and '<html lang="en">' in english
    assert "<title>Om evidens</title>" in r.text and "<title>About evidens</title>" in english
    assert "<h1>Om evidens</h1>" in r.text and "About evidens" not in r.text
    assert "<h1>About evidens</h1>" in english and "Om evidens" not in english
    assert 'href="/about?lang=en" lang="en" hreflang="en"' in r.text
    assert 'href="/about" lang="da" hreflang="da"' in english
    assert ">Forside</a>" in r.text and ">home</a>" not in r.text
    for page in (r.text, english):  # the review's title, quoted in Danish on both
        assert "Tværfagligt samarbejde om en helhedsorienteret indsats</cite>" in page
        assert 'href="/evidence/audit"' in page
    studies = get(site, "/evidence/studies").text
    assert (
        "VIVEs publikationer kan frit citeres med tydelig kildeangivelse" in studies
        and "https://www.vive.dk" in studies
    )


def test_settings_and_immutability(site):
    assert SETTINGS["sql_time_limit_ms"] <= 1000
    db = site.get_database("evidence")
    assert db.is_mutable is False
    r = get(site, "/evidence.json", sql="delete from studies")
    assert r.status_code == 400


def test_unknown_table_and_row_are_404(site):
    assert get(site, "/evidence/no_such_table").status_code == 404
    assert get(site, "/evidence/studies/99999").status_code == 404


def test_study_row_page_links_everything_about_it(site):
    html = get(site, "/evidence/studies/924").text
    assert 'href="/evidence/study?ref=924"' in html
    n_findings = sum(1 for f in csv_rows("findings") if f["ref"] == "924")
    assert f"{n_findings} rows</a>\n                from ref in findings" in html
    citations = get(site, "/evidence/citations", ref="924").text
    assert "Holm-Petersen, C., m.fl. (2021)" in citations  # studies' label_column
    concept = get(site, "/evidence/concepts/single-contact-person").text
    assert 'href="/evidence/studies_for_concept?concept=single-contact-person"' in concept


def test_every_table_view_and_column_is_described(site, evidence_db):
    meta = site_metadata(evidence_db)["databases"]["evidence"]["tables"]
    db = site.get_database("evidence")
    names = asyncio.run(db.table_names()) + asyncio.run(db.view_names())
    hidden = set(asyncio.run(db.hidden_table_names()))
    missing = []
    for name in names:
        if name in hidden:
            continue
        entry = meta.get(name, {})
        if not (entry.get("description") or "").strip():
            missing.append(name)
        columns = asyncio.run(db.table_columns(name))
        missing += [
            f"{name}.{c}" for c in columns if not (entry.get("columns", {}).get(c) or "").strip()
        ]
    assert missing == []
    assert len(names) - len(hidden) >= 30


def test_descriptions_come_from_the_schema(site, evidence_db):
    meta = site_metadata(evidence_db)["databases"]["evidence"]["tables"]
    assert meta["studies"]["columns"]["year"] == "Publication year as Bilag 2 gives it."
    assert meta["studies"]["label_column"] == "bilag2_authors_year"
    page = get(site, "/evidence/claims").text
    assert "The claim&#39;s stance" in page or "The claim's stance" in page


# --- facets and search --------------------------------------------------------------------------


def test_facet_array_countries(site):
    r = get(site, "/evidence/studies.json", _facet_array="countries", _size="0")
    counts = {f["value"]: f["count"] for f in r.json()["facet_results"]["countries"]["results"]}
    assert counts["DK"] == 21 and counts["SE"] == 23 and counts["NO"] == 12
    assert (
        len(
            rows(
                site,
                "/evidence/studies.json",
                _facet_array="countries",
                countries__arraycontains="DK",
                _size="max",
            )
        )
        == 21
    )


def test_default_facets_are_configured(site):
    facets = get(site, "/evidence/studies.json", _size="0").json()["facet_results"]
    assert {"countries", "service_areas", "methods", "publication_type"} <= set(facets)


def test_search_box_stems_danish(site):
    found = {
        r["claim_id"]
        for r in rows(site, "/evidence/claims.json", _search="kontaktpersoner", _size="max")
    }
    assert "2.2-04" in found
    assert all(
        "kontaktperson" in r["sentence_da"].lower()
        for r in rows(site, "/evidence/claims.json", _search="kontaktpersoner")
    )
    samarbejde = {
        r["claim_id"]
        for r in csv_rows("claims")
        if " samarbejde " in r["sentence_da"] and "samarbejdet" not in r["sentence_da"]
    }
    got = {
        r["claim_id"]
        for r in rows(site, "/evidence/claims.json", _search="samarbejdet", _size="max")
    }
    assert samarbejde and samarbejde <= got


def test_search_box_keeps_danish_letters_and_finds_english(site):
    assert rows(site, "/evidence/claims.json", _search="mål")
    assert rows(site, "/evidence/claims.json", _search="mal") == []
    english = {
        r["claim_id"]
        for r in rows(site, "/evidence/claims.json", _search="contact persons", _size="max")
    }
    assert {
        r["claim_id"] for r in csv_rows("claims") if "contact person" in r["text_en"].lower()
    } <= english
    assert [r["id"] for r in rows(site, "/evidence/concepts.json", _search="tovholder")] == [
        "single-contact-person"
    ]


@pytest.mark.parametrize(
    "q", ['"', "NEAR(", "a OR", "*", "^-()", "kontakt* OR", '") AND (x', "æ ø å"]
)
def test_search_box_never_errors(site, q):
    assert get(site, "/evidence/claims.json", _search=q).status_code == 200
    assert get(site, "/evidence/search_claims.json", q=q).status_code == 200


def test_search_all_page(site):
    r = get(site, "/-/search", q="kontaktperson")
    # rendered on the server (evidence.site.search_all), no longer fetched by the browser
    assert r.status_code == 200 and "/evidence/claims.json" not in r.text
    assert '<a href="/evidence/claims?_search=kontaktperson">3 resultater</a>' in r.text
    en = get(site, "/-/search", q="kontaktperson", lang="en")
    assert '<a href="/evidence/claims?_search=kontaktperson">3 results</a>' in en.text


# --- canned queries -------------------------------------------------------------------------------


def test_studies_for_concept(site):
    got = rows(site, "/evidence/studies_for_concept.json", concept="single-contact-person")
    assert {r["ref"] for r in got} == concept_refs("single-contact-person")
    assert {631, 751, 924} <= {r["ref"] for r in got}
    r924 = next(r for r in got if r["ref"] == 924)
    assert r924["stance"] == "supports" and "2.2-04" in json.loads(r924["claim_ids"])
    by_label = rows(site, "/evidence/studies_for_concept.json", concept="Single contact person")
    assert {r["ref"] for r in by_label} == {r["ref"] for r in got}
    assert rows(site, "/evidence/studies_for_concept.json", concept="no-such-concept") == []


def test_study(site):
    got = rows(site, "/evidence/study.json", ref="924", _size="max")
    kinds = [r["kind"] for r in got]
    assert kinds[0] == "study" and got[0]["text_da"].startswith("Holm-Petersen, C., m.fl. (2021)")
    assert kinds.count("finding") == sum(1 for f in csv_rows("findings") if f["ref"] == "924")
    assert kinds.count("claim") == sum(1 for c in csv_rows("citations") if c["ref"] == "924")
    assert "reference" in kinds
    assert rows(site, "/evidence/study.json", ref="99999") == []


def test_gap_map(site):
    got = rows(site, "/evidence/gap_map.json", dimension="", _size="max")
    assert len(got) == len(csv_rows("concepts"))
    row = next(r for r in got if r["concept_id"] == "single-contact-person")
    dk = {int(s["ref"]) for s in csv_rows("studies") if "DK" in s["countries"].split("|")}
    assert row["DK"] == len(concept_refs("single-contact-person") & dk)
    assert row["n_studies"] == len(concept_refs("single-contact-person"))
    roller = rows(site, "/evidence/gap_map.json", dimension="roller", _size="max")
    assert roller and {r["dimension"] for r in roller} == {"roller"}


def test_screening_and_audit(site):
    assert [r["n"] for r in rows(site, "/evidence/screening.json")] == [499, 319, 124, 56, 55]
    audit = rows(site, "/evidence/audit.json", kind="", _size="max")
    assert any(r["kind"] == "cited_not_included" and "908" in r["stated"] for r in audit)
    assert {r["kind"] for r in rows(site, "/evidence/audit.json", kind="cited_not_included")} == {
        "cited_not_included"
    }


def test_studies_by(site):
    dk = rows(
        site,
        "/evidence/studies_by.json",
        country="DK",
        service_area="",
        method="",
        year_from="",
        year_to="",
    )
    assert len(dk) == 21
    expected = {
        int(s["ref"])
        for s in csv_rows("studies")
        if "social" in s["service_areas"].split("|") and 2015 <= int(s["year"]) <= 2020
    }
    got = rows(
        site,
        "/evidence/studies_by.json",
        country="",
        service_area="social",
        method="",
        year_from="2015",
        year_to="2020",
    )
    assert {r["ref"] for r in got} == expected and expected


def test_search_claims(site):
    got = rows(site, "/evidence/search_claims.json", q="kontaktpersoner")
    assert "2.2-04" in {r["claim_id"] for r in got}
    assert rows(site, "/evidence/search_claims.json", q="mal") == []


def test_canned_query_pages_render(site):
    for name in (
        "studies_for_concept",
        "study",
        "gap_map",
        "screening",
        "audit",
        "studies_by",
        "search_claims",
    ):
        assert get(site, f"/evidence/{name}").status_code == 200


def test_dashboard_and_its_queries(site):
    r = get(site, "/-/dashboards/evidens")
    assert r.status_code == 200 and "Gap map" in r.text
    charts = site_metadata(Path(site.databases["evidence"].path))["plugins"][
        "datasette-dashboards"
    ]["evidens"]["charts"]
    assert {
        "by-year",
        "by-country",
        "by-service-area",
        "by-method",
        "claims-by-dimension",
        "gap-map",
    } <= set(charts)
    for name, chart in charts.items():
        sql = re.sub(r"\[\[.*?\]\]", "", chart["query"], flags=re.S)  # the optional filter
        result = get(site, "/evidence.json", sql=sql, _shape="array")
        assert result.status_code == 200 and result.json(), name


# --- exports ------------------------------------------------------------------------------------------


def test_csv_export(site):
    r = get(site, "/evidence/studies.csv", _size="max")
    assert r.status_code == 200
    data = list(csv.DictReader(io.StringIO(r.text)))
    assert len(data) == 55 and data[0]["ref"] == "1"


def test_datasettes_own_csv_carries_filter_and_version(site, evidence_db):
    """Newcomer 9: the table page's first download, Datasette's own CSV, came as `studies.csv` with
    nothing saying its filter or data version; it now has the headers and the name of the one
    rule, and its body stays plain UTF-8 for pandas and R."""
    version = (
        sqlite3.connect(evidence_db)
        .execute("select value from meta where key = 'dataset_version'")
        .fetchone()[0]
    )
    r = get(site, "/evidence/studies.csv", countries__contains='"DK"', _size="max", _dl="1")
    assert r.status_code == 200
    assert r.headers["x-evidence-dataset-version"] == version
    assert unquote(r.headers["x-evidence-filter"]) == 'countries__contains="DK"'  # as the API's
    name = f"evidens-studies-countries__contains-DK-{version[:8]}.csv"
    assert r.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert not r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and all("DK" in row["countries"] for row in rows)
    for kind in ("excelcsv", "xlsx"):  # the site's spreadsheet files send the same headers
        f = get(site, f"/evidence/studies.{kind}", countries__contains='"DK"', _size="max")
        assert f.headers["x-evidence-dataset-version"] == version


def _version(evidence_db) -> str:
    conn = sqlite3.connect(evidence_db)
    return conn.execute("select value from meta where key = 'dataset_version'").fetchone()[0][:8]


NOISE = "&utm_source=newsletter&utm_medium=email&fbclid=abc&about=0&nosuch=1&_nosuch=2"


@pytest.mark.parametrize(
    ("ext", "name"), [("csv", ".csv"), ("excelcsv", "-excel-da.csv"), ("xlsx", ".xlsx")]
)
def test_what_is_no_filter_neither_names_nor_empties_a_site_download(site, evidence_db, ext, name):
    """Fault: `utm_source=newsletter&fbclid=abc` on a table download named the file
    `…-utm_source-newsletter-fbclid-abc-….csv`, stood in X-Evidence-Filter, and, read by Datasette
    as filters on columns that do not exist, emptied it. Only what filters rows is the filter
    (evidence.site.provenance); the rest is taken out before Datasette reads it."""
    base = f"/evidence/studies.{ext}?countries__contains=%22DK%22&_size=max&_dl=1"
    clean, noisy = get(site, base), get(site, base + NOISE)
    assert noisy.status_code == 200 and noisy.headers["x-evidence-filter"] == (
        'countries__contains="DK"'
    )
    expected = f"evidens-studies-countries__contains-DK-{_version(evidence_db)}{name}"
    assert noisy.headers["content-disposition"] == f'attachment; filename="{expected}"'
    assert clean.headers["content-disposition"] == noisy.headers["content-disposition"]
    if ext == "csv":
        assert (
            noisy.content == clean.content
            and len(list(csv.DictReader(io.StringIO(noisy.text)))) == 21
        )


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        # a column with an operator, search and SQL where: each changes the rows
        (
            "/evidence/studies.csv?year__gte=2020&_search=kontaktperson&_where=is_danish%3D1"
            "&_sort=year&_dl=1&utm_source=x",
            "year__gte=2020, _search=kontaktperson, _where=is_danish=1",
        ),
        # a canned query's named parameter
        (
            "/evidence/studies_for_concept.csv?concept=single-contact-person&utm_source=x&_dl=1",
            "concept=single-contact-person",
        ),
        ("/evidence/studies.csv?fbclid=abc&_dl=1", "none (all rows)"),
    ],
)
def test_the_filter_of_a_site_download_is_what_changes_its_rows(site, path, shown):
    r = get(site, path)
    assert r.status_code == 200 and r.headers["x-evidence-filter"] == shown
    assert "utm" not in r.headers["content-disposition"]
    assert "fbclid" not in r.headers["content-disposition"]


def test_a_site_csv_has_a_companion_as_the_api_s_has(site):
    """The site's CSVs link to their About (`about=1`), which names the file it describes and
    counts its rows."""
    from evidence.settings import settings

    base = "/evidence/studies.csv?countries__contains=%22DK%22&_size=max&_dl=1"
    link = get(site, base).headers["link"]
    public = settings.public_url.rstrip("/") + "/browse" + base
    assert link == f'<{public}&about=1>; rel="describedby"'
    for ext, delimiter in (("csv", ","), ("excelcsv", ";")):
        data = base.replace(".csv", f".{ext}")
        r = get(site, data + "&about=1&utm_source=x")
        text = r.content.decode("utf-8-sig")
        facts = dict(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))[1:])
        assert r.headers["content-type"] == "text/csv; charset=utf-8"
        assert facts["url"] == public.replace(".csv", f".{ext}")
        assert (facts["rows"], facts["filter"]) == ("21", 'countries__contains="DK"')
        assert r.headers["content-disposition"].endswith('-about.csv"')


def test_excel_csv_export(site):
    r = get(site, "/evidence/studies.excelcsv", _size="max")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    body = r.content
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert (
        text.startswith('"ref";"authors";"year";')
        and "\r\n" in text
        and "\n" not in text.replace("\r\n", "")
    )
    data = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(data) == 55
    row1 = next(d for d in data if d["ref"] == "1")
    assert (
        row1["link_score"] == "100"  # as the API writes it
        and row1["authors"] == "Emilsson, U.M., Strid, A-L & Söderberg, M."
    )


def test_excel_csv_exports_every_row_and_guards_formulas(site):
    r = get(
        site, "/evidence/claims.excelcsv", stance="supports"
    )  # more than a page: redirected to _size=max
    assert (
        r.status_code == 302
        and r.headers["location"] == "/evidence/claims.excelcsv?stance=supports&_size=max"
    )
    text = get(site, "/evidence/sections.excelcsv", _size="max").content.decode("utf-8-sig")
    data = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(data) == len(csv_rows("sections"))
    original = {r["section"]: r["key_findings_da"] for r in csv_rows("sections")}
    dashed = [s for s, text in original.items() if text.startswith("- ")]
    assert dashed
    for d in data:
        text = original[d["section"]]
        assert d["key_findings_da"] == ("'" + text if text.startswith("- ") else text)


def test_xlsx_export(site):
    r = get(site, "/evidence/studies.xlsx", _size="max")
    assert r.status_code == 200 and "spreadsheetml" in r.headers["content-type"]
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb["studies"]
    values = list(ws.values)
    assert values[0][:3] == ("ref", "authors", "year") and len(values) == 56
    first = dict(zip(values[0], values[1], strict=True))
    assert first["ref"] == 1 and first["year"] == 2022 and first["link_score"] == 100
    provenance = dict(list(wb["about"].values)[1:])  # the API's sheet name
    assert len(provenance["dataset_version"]) == 64


def test_xlsx_of_a_canned_query(site):
    r = get(site, "/evidence/studies_for_concept.xlsx", concept="single-contact-person")
    ws = load_workbook(io.BytesIO(r.content))["studies_for_concept"]
    refs = {row[0] for row in list(ws.values)[1:]}
    assert refs == concept_refs("single-contact-person")


def test_export_links_are_offered(site):
    html = get(site, "/evidence/studies").text
    assert "/evidence/studies.xlsx" in html and "/evidence/studies.excelcsv" in html


def test_exports_with_labels_add_label_columns(site):
    text = get(site, "/evidence/findings.excelcsv", _labels="on", _size="max").content.decode(
        "utf-8-sig"
    )
    data = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    row = next(d for d in data if d["finding_id"] == "924-01")
    assert (row["ref"], row["ref (label)"]) == ("924", "Holm-Petersen, C., m.fl. (2021)")
    assert (row["dimension"], row["dimension (label)"], row["dimension_label"]) == (
        "rammer_og_maal",
        "Frameworks and goals",
        "Rammer og mål",
    )


def test_xlsx_keeps_formulas_as_text_and_drops_control_characters(site):
    r = get(
        site,
        "/evidence.xlsx",
        sql="select '=1+1' as formula, 'a' || char(7) || 'b' as bell, 2.5 as x",
    )
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    formula, bell, x = list(ws.values)[1]
    assert (formula, bell, x) == ("=1+1", "a\ufffdb", 2.5)  # as the API's workbook writes it
    assert ws["A2"].data_type == "s"


def test_a_canned_query_page_is_titled_by_its_title_not_its_sql(site):
    page = get(site, "/evidence/studies_for_concept", concept="co-location").text
    title = re.search(r"<title>(.*?)</title>", page, flags=re.S).group(1)
    assert title.strip() == "Studies the review cites for a concept — evidence"
    assert "select" not in title


@pytest.mark.parametrize(
    "path, code",
    [
        ("/evidence/studies_for_concept", "<code>concept</code>"),
        ("/evidence/studies_by", "<code>service_area</code>"),
        ("/evidence/gap_map", "<code>dimension</code>"),
        ("/evidence/study", "<code>ref</code>"),
        ("/evidence/audit_findings", "<code>evidence audit</code>"),
    ],
)
def test_descriptions_show_code_not_markdown_backticks(site, path, code):
    # a newcomer saw "`concept`: a concept id …" on the canned query pages
    page = get(site, path).text
    description = re.search(r'<div class="metadata-description">(.*?)</div>', page, re.S).group(1)
    assert code in description and "`" not in description


def test_landing_page_reads_the_database_once_per_build(evidence_db, tmp_path, monkeypatch):
    # it took 0.5 s a request (Datasette's index view checks every table's permission)
    import os
    import shutil

    from evidence.site import landing
    from evidence.site.app import datasette_app

    db_path = tmp_path / "evidence.db"
    shutil.copy(evidence_db, db_path)
    ds = datasette_app(db_path)
    asyncio.run(ds.invoke_startup())
    calls = []
    compute = landing.landing_context
    monkeypatch.setattr(landing, "landing_context", lambda db: calls.append(1) or compute(db))
    first = get(ds, "/").text
    assert get(ds, "/").text == first and len(calls) == 1
    assert (
        "Holm-Petersen, C., m.fl. (2021)" in first
        and "<summary>Alle begreber (113)</summary>" in first
    )
    assert get(ds, "/", lang="en").text != first and len(calls) == 1  # read once, either language
    assert get(ds, "/.json").json()["evidence"]["tables_count"] > 30  # Datasette's own index JSON
    shutil.copy(evidence_db, tmp_path / "new.db")
    os.utime(tmp_path / "new.db", ns=(1, 1))
    os.replace(tmp_path / "new.db", db_path)  # a rebuild
    get(ds, "/")
    assert len(calls) == 2


def facet_block(page: str, column: str) -> str:
    return page.split(f'data-column="{column}">', 1)[1].split("</ul>", 1)[0]


def test_table_facets_and_cells_show_labels_not_codes(site):
    # a newcomer saw children_youth, GB-ENG, qualitative_interviews and ["social", "health"]
    page = get(site, "/evidence/studies", _size="max").text
    countries = facet_block(page, "countries")
    assert ">England</a>" in countries and ">Denmark</a> 21" in countries
    assert "countries__arraycontains=GB-ENG" in countries  # the link keeps the code
    assert ">GB-ENG<" not in countries
    areas = facet_block(page, "service_areas")
    assert ">Children and young people</a>" in areas and ">children_youth<" not in areas
    assert ">Qualitative interviews</a>" in facet_block(page, "methods")
    assert ">Danish</a>" in facet_block(page, "language")
    rows_html = page.split('<table class="rows-and-columns">', 1)[1]
    assert not re.search(r"\[(&#34;|&quot;|\")", rows_html)  # no JSON arrays in cells
    row = rows_html.split('href="/evidence/studies/924"', 1)[1].split("</tr>", 1)[0]
    assert '<span title="social">Social services</span>' in row
    assert '<span title="DK">Denmark</span>' in row
    assert "Survey" in row and "Case studies" in row and "survey" not in row.replace('"survey"', "")
    selected = get(site, "/evidence/studies", countries__arraycontains="GB-ENG").text
    assert "England &middot;" in facet_block(selected, "countries")


def test_canned_query_and_view_cells_show_labels(site):
    page = get(site, "/evidence/studies_for_concept", concept="single-contact-person").text
    assert '<span title="DK">Denmark</span>' in page and "&#34;DK&#34;" not in page
    claims = get(site, "/evidence/claims", _size="5").text
    assert 'href="/concept/' in claims  # concept ids link to the concept pages
    assert 'href="/study/' in claims  # cited refs to the study pages
    gaps = get(site, "/evidence/gap_map_country", _size="5").text
    assert ">Frameworks<" in gaps or '<span title="rammer">Frameworks</span>' in gaps


def test_dashboard_dimension_filter_lists_labels(site, evidence_db):
    # its select listed rammer, maal, roller, …
    page = get(site, "/-/dashboards/evidens").text
    select = page.split('<select id="dimension"', 1)[1].split("</select>", 1)[0]
    assert ">Frameworks</option>" in select and ">rammer<" not in select
    chart = site_metadata(Path(site.databases["evidence"].path))["plugins"]["datasette-dashboards"][
        "evidens"
    ]["charts"]["gap-map"]["query"]
    sql = chart.replace("[[", "").replace("]]", "")
    got = {r["concept"] for r in rows(site, "/evidence.json", sql=sql, dimension="Frameworks")}
    conn = sqlite3.connect(f"file:{evidence_db}?mode=ro", uri=True)
    frameworks = {
        r[0] for r in conn.execute("select label_en from concepts where dimension = 'rammer'")
    }
    conn.close()
    assert got == frameworks and "Legislative frameworks" in got


@pytest.mark.parametrize("ref", [942, 924, 361, 5])
def test_everything_about_one_study_shows_labels_not_codes(site, ref):
    """The canned query's `place` and `detail`: dimensions, concepts, stances and roles by label."""
    found = rows(site, "/evidence/study.json", ref=ref)
    kinds = {r["kind"] for r in found}
    assert {"study", "finding"} <= kinds and ("reference" in kinds) == (ref != 5)  # 5: no entry
    for r in found:
        if r["kind"] == "audit":  # its id is the audit's kind; its place and detail are prose
            continue
        for value in (r["place"], r["detail"]):
            assert not re.search(r"\b[a-z]+_[a-z_]+\b|[a-z]+-[a-z-]+: ", value or ""), (ref, r)
    if ref == 942:
        assert any("Legislative frameworks: supports" in (r["detail"] or "") for r in found), found


def test_landing_page_copy(site):
    """No double punctuation after the citation; each study's link tells it apart (two are
    "Kamp, A., & Dybbroe, B. (2016)": 5 and 79)."""
    for lang in ("da", "en"):
        page = get(site, "/", lang=lang).text
        cites = re.findall(
            r"<strong>(?:Sådan citerer du|How to cite):</strong>(.*?)</p>", page, re.S
        )
        assert len(cites) == 1
        for cite in cites:
            assert "301-7," in cite and "301-7.," not in cite, cite
        texts = re.findall(r'<a href="/study/\d+[^"]*">(.*?)</a>', page)
        assert len(texts) == 55 and len(set(texts)) == 55
        assert 'Dybbroe, B. (2016) <span class="evidens-ref">[79]</span>' in page


def test_prisma_criteria_headings_stand_apart(site):
    page = get(site, "/prisma").text
    assert page.count('<dl class="evidens-criteria">') == 2
    css = asyncio.run(site.client.get("/static/evidens.css")).text
    assert re.search(r"\.evidens-criteria dt \{[^}]*font-weight: bold", css)


def test_the_home_crumb_keeps_the_language(site):
    # a newcomer's "Home" on an English page led to the Danish landing page
    assert 'href="/?lang=en">Home</a>' in get(site, "/study/924", lang="en").text
    assert 'href="/">Forside</a>' in get(site, "/study/924").text
