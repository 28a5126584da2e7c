"""`make screenshots`: a PNG of each page type of the site in docs/screenshots/, in Danish and English.

Serves the site (evidence.site.app over build/evidence.db) on a free loopback port and drives
Debian's chromium with Playwright (no browser download), as the browser tests do.

    uv run --frozen python -m bench.screenshots
"""

from __future__ import annotations

from pathlib import Path

from evidence.settings import settings

from .load import serve

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

PAGES = {  # file name → (path, what it shows)
    "landing": ("/", "the landing page"),
    "map": ("/map?cell=single-contact-person~DK", "the evidence-gap map, one cell chosen"),
    "map-en-method": (
        "/map?lang=en&cols=method&country=DK&cell=single-contact-person~case_studies",
        "the map in English, by design, Danish studies only",
    ),
    "study": ("/study/924", "a study's page"),
    "study-en": ("/study/924?lang=en", "a study's page in English"),
    "concept-en": ("/concept/single-contact-person?lang=en", "a concept's page in English"),
    "prisma": ("/prisma?lang=en", "the PRISMA 2020 flow, search strategy and criteria"),
    "table": ("/evidence/studies", "Datasette's table page (its chrome stays English)"),
}


def main() -> int:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    env = {"EVIDENCE_DB_PATH": str(settings.db_path)}
    with (
        serve(
            "bench.site_pages:site_app", env=env, factory=True, ready_path="/-/versions.json"
        ) as server,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for name, (path, _) in PAGES.items():
            page.goto(server.url + path)
            page.wait_for_load_state("load")
            page.screenshot(path=str(OUT / f"{name}.png"))
            print(f"docs/screenshots/{name}.png  {path}")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
