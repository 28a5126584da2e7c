"""The requests every benchmark sends: the same routes in-process, over HTTP and at scale.

Each route is a list of URLs that a run cycles through, so that a figure is an average over
realistic variety (every dev-set question, every study, several filter combinations), not one
cached answer.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urlencode

from .quality import SETS, load_questions

SEARCH_WORDS = [
    "kontaktperson",
    "samarbejde",
    "familie",
    "tværfaglig*",
    "borger",
    "koordinering",
    "trivsel",
    "ledelse",
]

STUDY_FILTERS = [
    {"country": "DK"},
    {"service_area": "social", "year_from": 2015},
    {"method": "qualitative_interviews", "dimension": "virkninger"},
    {"concept": "single-contact-person", "stance": "supports"},
    {"q": "familie", "country": "DK"},
    {"dimension": "roller", "year_to": 2020, "limit": 20},
]


def refs(db_path: Path) -> list[int]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("select ref from studies order by ref")]
    finally:
        conn.close()


def api_routes(db_path: Path, max_refs: int = 500) -> dict[str, list[str]]:
    """Route label → URLs of the JSON API."""
    questions = [item["q"] for item in load_questions(SETS["dev"])]
    return {
        "/api/ask": [f"/api/ask?{urlencode({'q': q})}" for q in questions],
        "/api/studies?filters": [f"/api/studies?{urlencode(f)}" for f in STUDY_FILTERS],
        "/api/studies/{ref}": [f"/api/studies/{r}" for r in refs(db_path)[:max_refs]],
        "/api/gap-map": [f"/api/gap-map?cols={c}" for c in ("country", "service_area", "method")],
    }


def site_routes(prefix: str = "") -> dict[str, list[str]]:
    """Route label → URLs of the Datasette site (prefix '/browse' where it is mounted in the API)."""
    return {
        "datasette table": [
            f"{prefix}/evidence/studies",
            f"{prefix}/evidence/studies?_sort_desc=year",
            f"{prefix}/evidence/claims?chapter=4",
        ],
        "datasette search": [
            f"{prefix}/evidence/claims?{urlencode({'_search': w})}" for w in SEARCH_WORDS
        ],
    }


BARE_ROUTES = {"bare route (def)": ["/bare"], "bare route (async def)": ["/bare-async"]}
