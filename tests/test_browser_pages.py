# ruff: noqa: F811  (the browser fixtures are imported from test_browser and used as arguments)
"""The site's own pages in a real browser (Debian's chromium, Playwright): the gap map's clicks and
filters, keyboard use, the language switch, the offline file from file:// with the network blocked,
and axe-core (from the npm registry, `make axe`) on every page type: no serious or critical violation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_browser import ARGS, CHROMIUM, browser, page  # noqa: F401  (shared browser fixtures)

from evidence.settings import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = pytest.mark.browser

PAGE_TYPES = [
    "/",
    "/evidence/studies",
    "/evidence/studies/924",
    "/evidence/studies_for_concept?concept=single-contact-person",
    "/study/924",
    "/study/924?lang=en",
    "/concept/single-contact-person",
    "/concept/single-contact-person?lang=en",
    "/map",
    "/map?lang=en&cols=method&cell=single-contact-person~case_studies",
    "/prisma",
    "/-/search?q=Villumsen",
]


def cell_refs(db, concept: str, column: str, code: str) -> list[str]:
    join = {
        "country": "study_countries",
        "service_area": "study_service_areas",
        "method": "study_methods",
    }[column]
    rows = db.execute(
        f"select distinct e.ref from concept_evidence e join {join} j on j.ref = e.ref "
        "where e.concept_id = ? and j.code = ? order by e.ref",
        [concept, code],
    )
    return [str(r[0]) for r in rows]


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make axe` (axe-core from the npm registry)")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))"""
    )


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_axe_finds_no_serious_violation(page, site_url, path):
    page.goto(site_url + path)
    page.wait_for_load_state("load")
    assert axe_violations(page) == []


def test_map_click_lists_the_cells_studies(page, site_url, db):
    page.goto(site_url + "/map")
    button = page.locator("button[data-cell='single-contact-person~DK']")
    expected = cell_refs(db, "single-contact-person", "country", "DK")
    assert button.locator(".evidens-n").inner_text() == str(len(expected))
    button.click()
    page.wait_for_url("**cell=single-contact-person%7EDK**")
    listed = page.locator("#evidens-map-cell li[data-ref]").evaluate_all(
        "els => els.map(e => e.dataset.ref)"
    )
    assert listed == expected and {"631", "751", "924"} <= set(listed)
    assert page.locator("#evidens-cell-heading").evaluate("e => e === document.activeElement")
    page.locator("#evidens-map-cell li[data-ref='924'] a").click()
    page.wait_for_url("**/study/924")
    assert "Holm-Petersen" in page.locator("h1").inner_text()


def test_map_filters_combine_and_stay_in_the_url(page, site_url, db):
    page.goto(site_url + "/map?cols=method")
    page.locator("#m-country > summary").click()
    page.check("#m-country-DK")
    page.wait_for_url("**country=DK**")
    concept = "single-contact-person"
    dk = set(cell_refs(db, concept, "country", "DK"))
    interviews = set(cell_refs(db, concept, "method", "qualitative_interviews"))
    n = page.locator(f"button[data-cell='{concept}~qualitative_interviews'] .evidens-n")
    assert n.inner_text() == str(len(dk & interviews))
    page.locator("#m-service_area > summary").click()
    page.check("#m-service_area-health")
    page.select_option("#m-op", "or")
    page.wait_for_url("**op=or**")
    health = set(cell_refs(db, concept, "service_area", "health"))
    assert n.inner_text() == str(len((dk | health) & interviews))
    page.reload()  # the state is read back from the address
    assert page.locator("#m-op").input_value() == "or"
    assert (
        page.locator("#m-country-DK").is_checked()
        and not page.locator("#m-country-SE").is_checked()
    )
    assert n.inner_text() == str(len((dk | health) & interviews))


def test_changing_an_axis_clears_the_old_cell(page, site_url):
    # a newcomer found "Legislative frameworks × DK: 0 studies" after switching to designs
    page.goto(site_url + "/map?cell=legislative-frameworks~DK&lang=en")
    assert "Legislative frameworks" in page.locator("#evidens-cell-heading").inner_text()
    page.select_option("#m-cols", "method")
    page.wait_for_url("**cols=method**")
    assert "cell=" not in page.url
    assert page.locator("#evidens-cell-heading").count() == 0


def test_map_has_a_not_reported_column_and_a_numbers_view(page, site_url, db):
    page.goto(site_url + "/map?cols=method&lang=en")
    assert page.locator("table.evidens-grid thead th").last.inner_text() == "Not reported"
    no_method = db.execute(
        "select count(*) from studies where methods = '[]' or methods is null"
    ).fetchone()[0]
    assert no_method > 0
    assert page.locator("button[data-cell$='~not_reported']").count() > 0
    page.check("#m-view")
    page.wait_for_url("**view=numbers**")
    text = page.locator(
        "button[data-cell='single-contact-person~case_studies'] .evidens-n"
    ).inner_text()
    assert "studies" in text or "study" in text


def test_keyboard_only(page, site_url):
    page.goto(site_url + "/map")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "evidens-skip"
    page.keyboard.press("Enter")
    page.locator("button[data-cell='single-contact-person~DK']").focus()
    page.keyboard.press("Enter")
    assert page.locator("#evidens-cell-heading").evaluate("e => e === document.activeElement")
    assert page.locator("#evidens-map-cell li[data-ref]").count() > 0


def test_language_switch(page, site_url):
    page.goto(site_url + "/study/924")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.locator("h2#findings").inner_text() == "Hovedfund (Bilag 2)"
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/study/924?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h2#findings").inner_text() == "Main findings (Bilag 2)"
    page.get_by_role("link", name="Evidence-gap map").click()
    page.wait_for_url("**/map?lang=en")
    assert page.locator("table.evidens-grid thead th").nth(1).inner_text() == "Denmark"


def test_landing_to_study_concept_and_cell_in_two_clicks(page, site_url):
    page.goto(site_url + "/")
    page.locator("summary", has_text="Alle studier").click()
    page.get_by_role("link", name="Holm-Petersen, C., m.fl. (2021)").click()
    page.wait_for_url("**/study/924")
    page.goto(site_url + "/")
    page.get_by_role("link", name="Evidenskort", exact=True).click()
    page.locator("button[data-cell='single-contact-person~DK']").click()
    assert page.locator("#evidens-map-cell li[data-ref]").count() > 0
    page.get_by_role("link", name="Én kontaktperson").first.click()
    page.wait_for_url("**/concept/single-contact-person")


def test_offline_file_works_from_disk_with_the_network_blocked(browser, site_url, tmp_path, db):  # noqa: F811
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(site_url + "/map?lang=en&cols=country&stance=supports")
    with page.expect_download() as info:
        page.locator("#evidens-map-download").click()
    saved = Path(tmp_path) / "map.html"
    info.value.save_as(saved)
    context.close()

    offline = browser.new_context(offline=True)
    requests: list[str] = []
    offline.route(
        "**/*",
        lambda route: (
            requests.append(route.request.url),
            route.continue_() if route.request.url.startswith("file:") else route.abort(),
        ),
    )
    page = offline.new_page()
    page.goto(saved.as_uri())
    assert page.locator("#m-stance-supports").is_checked()
    button = page.locator("button[data-cell='single-contact-person~DK']")
    button.click()
    listed = page.locator("#evidens-map-cell li[data-ref]").evaluate_all(
        "els => els.map(e => e.dataset.ref)"
    )
    supports = {
        str(r[0])
        for r in db.execute(
            "select e.ref from concept_evidence e join study_countries j on j.ref = e.ref "
            "where e.concept_id = 'single-contact-person' and j.code = 'DK' and e.stance = 'supports'"
        )
    }
    assert set(listed) == supports and listed
    assert all(u.startswith("file:") for u in requests)
    assert "Hjelmar" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    offline.close()


def test_english_map_quotes_in_english_with_the_danish_one_click_away(page, site_url, db):
    # the map's side panel quoted only the Danish sentence, though text_en exists
    page.goto(site_url + "/map?lang=en&cell=single-contact-person~DK")
    # a sentence citing several of the cell's studies is quoted under the first of them
    item = page.locator("#evidens-map-cell li[data-ref] ul li:not(.evidens-same)").first
    english = item.locator("q[lang=en]").inner_text()
    danish = item.locator("details q[lang=da]")
    assert not danish.is_visible()
    item.locator("details summary").click()
    assert danish.is_visible()
    row = db.execute(
        "select text_en, section from claims where sentence_da = ?", [danish.inner_text()]
    ).fetchone()
    assert row[0] == english
    title = db.execute("select title_en from sections where section = ?", [row[1]]).fetchone()[0]
    assert title in item.inner_text()


def cell_count(page, cell: str) -> int:
    button = page.locator(f"button[data-cell='{cell}'] .evidens-n")
    return int(button.inner_text()) if button.count() else 0


def study_codes(db, table: str) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for ref, code in db.execute(f"select ref, code from {table}"):
        out.setdefault(ref, set()).add(code)
    return out


@pytest.mark.parametrize("cols", ["country", "method"])
def test_map_last_column_is_reachable_at_1280_px(browser, site_url, cols):  # noqa: F811
    # at 1280 px the table was cut off beside the side panel: "Not reported" off screen
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(site_url + f"/map?lang=en&cols={cols}")
    region = page.locator("#evidens-map-grid")
    region.evaluate("e => e.scrollIntoView({block: 'start'})")
    box = region.bounding_box()
    # the map's own region fits the window, so its scrollbars are on screen
    assert box["x"] + box["width"] <= 1280 and box["y"] + box["height"] <= 800
    last = page.locator("table.evidens-grid thead th").last
    assert last.inner_text() == "Not reported"
    page.locator("#evidens-map-grid [data-r='0'][data-c='1']").focus()
    page.keyboard.press("End")  # the keyboard reaches it …
    focused = page.evaluate("document.activeElement.getBoundingClientRect().right")
    assert focused <= box["x"] + box["width"] + 1
    region.evaluate("e => { e.scrollLeft = e.scrollWidth; }")  # … and so does scrolling
    th = last.bounding_box()
    assert box["x"] <= th["x"] and th["x"] + th["width"] <= box["x"] + box["width"] + 1
    name = page.locator("table.evidens-grid tbody th[scope=row]").first.bounding_box()
    assert name["x"] >= box["x"] - 1  # the row names stay in view
    context.close()


def test_map_controls_fold_away_on_a_phone(browser, site_url):  # noqa: F811
    # on a 390 px phone the filters filled the whole first screen
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_url + "/map")
    controls = page.locator("#evidens-map-controls")
    assert controls.evaluate("d => d.open") is False
    assert page.locator("#evidens-map-grid").bounding_box()["y"] < 844 - 200
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    controls.locator("> summary").click()
    assert page.locator("#m-cols").is_visible()
    context.close()
    wide = browser.new_context(viewport={"width": 1280, "height": 800})
    page = wide.new_page()
    page.goto(site_url + "/map")
    assert page.locator("#evidens-map-controls").evaluate("d => d.open") is True
    wide.close()


def test_map_filters_take_several_values(page, site_url, db):
    concept = "knowledge-of-each-others-competences"
    cell = f"{concept}~qualitative_interviews"
    page.goto(site_url + "/map?cols=method")
    page.locator("#m-country > summary").click()
    page.check("#m-country-DK")
    page.check("#m-country-SE")
    page.wait_for_url("**country=DK&country=SE**")
    assert page.locator("#m-country .evidens-multi-chosen").inner_text() == "Danmark, Sverige"
    countries = study_codes(db, "study_countries")
    cited = set(cell_refs(db, concept, "method", "qualitative_interviews"))
    both = {r for r in cited if {"DK", "SE"} <= countries.get(int(r), set())}
    either = {r for r in cited if {"DK", "SE"} & countries.get(int(r), set())}
    assert len(either) > len(both)
    assert cell_count(page, cell) == len(both)  # AND: every value chosen
    page.select_option("#m-op", "or")
    page.wait_for_url("**op=or**")
    assert cell_count(page, cell) == len(either)  # OR: any value chosen
    page.reload()
    assert page.locator("#m-country-DK").is_checked() and page.locator("#m-country-SE").is_checked()
    assert cell_count(page, cell) == len(either)


def test_map_has_an_effect_dimension_axis(page, site_url, db):
    page.goto(site_url + "/map?lang=en&cols=finding_dimension")
    heads = page.locator("table.evidens-grid thead th").all_inner_texts()
    assert heads == [
        "Concept",
        "Frameworks and goals",
        "Roles and knowledge",
        "Effects",
        "Not reported",
    ]
    note = page.locator("#evidens-effect-note")
    assert note.is_visible() and "no effect dimension for each study" in note.inner_text()
    effects = {
        str(r[0])
        for r in db.execute(
            "select distinct e.ref from concept_evidence e join findings f on f.ref = e.ref "
            "where e.concept_id = 'single-contact-person' and f.dimension = 'virkninger'"
        )
    }
    assert effects and cell_count(page, "single-contact-person~virkninger") == len(effects)
    page.select_option("#m-cols", "country")
    assert not note.is_visible()


def test_map_arrow_keys_move_between_cells(page, site_url):
    page.goto(site_url + "/map")
    stops = "#evidens-map-grid [data-r][tabindex='0']"
    assert page.locator(stops).count() == 1  # one tab stop for the whole map

    def where():
        return page.evaluate(
            "[document.activeElement.dataset.r, document.activeElement.dataset.c].map(Number)"
        )

    page.locator("#evidens-map-grid [data-r='0'][data-c='1']").focus()
    page.keyboard.press("ArrowRight")
    assert where() == [0, 2]
    page.keyboard.press("ArrowDown")
    assert where() == [1, 2]
    page.keyboard.press("ArrowLeft")
    assert where() == [1, 1]
    page.keyboard.press("Home")
    assert where() == [1, 0]  # the row's name
    page.keyboard.press("End")
    n_cols = page.locator("table.evidens-grid thead th").count() - 1
    assert where() == [1, n_cols]
    page.keyboard.press("Control+End")
    n_rows = page.locator("table.evidens-grid tbody th[scope=row]").count()
    assert where() == [n_rows - 1, n_cols]
    page.keyboard.press("Control+Home")
    assert where() == [0, 0]
    page.keyboard.press("ArrowUp")  # at the edge it stays
    assert where() == [0, 0]
    assert page.locator(stops).count() == 1
    assert page.locator(stops).evaluate("e => e === document.activeElement")
    button = page.locator("button[data-cell='single-contact-person~DK']")
    button.focus()
    page.keyboard.press("Enter")
    assert page.locator("#evidens-cell-heading").evaluate("e => e === document.activeElement")
    page.keyboard.press("Shift+Tab")  # back into the map: to the cell last chosen
    assert page.evaluate("document.activeElement.dataset.cell") == "single-contact-person~DK"


def test_search_all_rows_are_not_towers_of_narrow_text(page, site_url):
    # newcomer 12: the studies row on /-/search stood ~1,000 px tall, its findings one word wide
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url + "/-/search?q=Villumsen")
    row = page.locator("section.evidens-search-table", has_text="i evidence: studies").locator(
        "tbody tr"
    )
    assert row.count() == 1 and row.inner_text().startswith("631")
    assert row.bounding_box()["height"] < 400


def test_map_cell_quotes_a_sentence_once(page, site_url):
    # claims 2.2-08 and 2.2-10 are one sentence citing 22 and 712, both Swedish: it was quoted twice
    page.goto(site_url + "/map?cell=co-location~SE")
    panel = page.locator("#evidens-map-cell")
    panel.locator("li[data-ref='22']").wait_for()
    sentence = "Undersøgte områder er bl.a. området for anbragte børn og unge (22)"
    assert panel.locator("q", has_text=sentence).count() == 1
    assert panel.locator(".evidens-same", has_text="Samme sætning som under").count() >= 1


PHONE_PAGES = [
    "/",
    "/study/924",
    "/study/631",
    "/concept/co-location",  # its facts' labels took their widest width: 406 px
    "/concept/single-contact-person",
    "/map",
    "/prisma",  # newcomer 13: 403 px, "Records excluded" and the audit's note cut off
    "/about",
    "/-/search?q=kontaktperson",
    "/study/925",  # our 404
    "/evidence/studies",  # a Datasette table: its own scrolling region
]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_no_page_scrolls_sideways_on_a_phone(browser, site_url, lang):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    wide = []
    for path in PHONE_PAGES:
        sep = "&" if "?" in path else "?"
        page.goto(site_url + path + (f"{sep}lang=en" if lang == "en" else ""))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide.append((path, width))
    context.close()
    assert wide == []


def test_the_prisma_flow_fits_a_phone_whole(browser, site_url):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(site_url + "/prisma?lang=en")
    for selector in (".evidens-prisma svg", ".evidens-note", "table.evidens-flow"):
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
    context.close()
