"""The site in a real browser: Debian's chromium, driven by Playwright, over a live server.

No browser is downloaded: `make browser` installs Debian's chromium, which these tests launch.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make browser` to install Debian's chromium (no browser downloads)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_landing_page_links(page, site_url):
    page.goto(site_url + "/")
    assert "evidens" in page.title()
    assert page.locator("h2", has_text="Hvad er det?").is_visible()
    page.get_by_role("link", name="Studier", exact=True).click()
    page.wait_for_url("**/evidence/studies")
    assert page.locator("h1").inner_text().strip() == "studies"
    page.goto(site_url + "/")
    page.get_by_role("link", name="English").click()  # the language switch
    page.wait_for_url("**/?lang=en")
    assert page.locator("h2", has_text="What is this?").is_visible()
    assert page.locator("html").get_attribute("lang") == "en"


def test_search_box_on_a_table(page, site_url):
    page.goto(site_url + "/evidence/claims")
    page.fill("input#_search", "kontaktpersoner")
    page.locator("input#_search").press("Enter")
    page.wait_for_url("**_search=kontaktpersoner**")
    text = page.locator("table.rows-and-columns").inner_text()
    assert "2.2-04" in text and "kontaktperson" in text


def test_search_from_the_landing_page(page, site_url):
    page.goto(site_url + "/")
    page.fill("#evidens-q", "samarbejdet")
    page.get_by_role("button", name="Søg").click()
    page.wait_for_url("**/-/search?q=samarbejdet")
    # the Danish page: "N resultater i evidence: claims"
    heading = page.locator("section.evidens-search-table h2", has_text="evidence: claims")
    heading.wait_for()
    n = heading.inner_text().split()[0]
    assert n.isdigit() and int(n) > 0


def test_search_from_the_english_landing_page_stays_english(page, site_url):
    # newcomer 13: it landed on the Danish search page ("Søg: co-location")
    page.goto(site_url + "/?lang=en")
    page.fill("#evidens-q", "co-location")
    page.locator("#evidens-q").press("Enter")
    page.wait_for_url("**/-/search?q=co-location&lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Search all tables"
    assert page.title() == "Search: co-location"


def test_click_a_facet(page, site_url):
    page.goto(site_url + "/evidence/studies")
    facet = page.locator(".facet-info[data-column='countries']")
    facet.get_by_role("link", name="Denmark", exact=True).click()  # the label, not the code
    page.wait_for_url("**countries__arraycontains=DK**")
    assert "21 rows" in page.locator("h3").first.inner_text()


def test_canned_query_with_a_parameter(page, site_url):
    page.goto(site_url + "/evidence/studies_for_concept")
    page.fill("input[name=concept]", "single-contact-person")
    page.locator("form.sql input[type=submit]").click()
    page.wait_for_url("**concept=single-contact-person**")
    refs = {
        cell.strip() for cell in page.locator("table.rows-and-columns td.col-ref").all_inner_texts()
    }
    assert {"631", "751", "924"} <= refs


def test_download_csv(page, site_url):
    page.goto(site_url + "/evidence/studies")
    with page.expect_download() as info:
        page.locator("a[href*='studies.excelcsv']").first.click()
    body = Path(info.value.path()).read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    data = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(data) == 55 and {"631", "751", "924"} <= {d["ref"] for d in data}


def test_dashboard_draws_charts(page, site_url):
    page.goto(site_url + "/-/dashboards/evidens")
    page.wait_for_selector("#chart-by-year svg, #chart-by-year canvas")
    # Each chart fetches its own query, so the count may arrive after the year
    # chart: wait for its text rather than read it at once (a race CI lost).
    page.wait_for_function(
        "document.querySelector('#chart-n-studies')?.innerText.trim() !== ''", timeout=15000
    )
    assert page.locator("#chart-n-studies").inner_text().strip() == "55"
