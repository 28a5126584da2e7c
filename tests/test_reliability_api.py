"""The API never answers 5xx and always answers as its OpenAPI schema says, whatever it is sent.

Two kinds of generated input, both against the in-process app over the session database:

- schemathesis derives requests for every route from the app's own /openapi.json (valid and
  invalid values, examples, boundaries) and checks each response: no server error, a documented
  status code and content type, a body that matches the response schema;
- hypothesis sends every query parameter (and the string path parameters) what people and
  scanners actually type: any unicode, control characters, very long strings, SQL and FTS5
  syntax (quotes, NEAR, *, ^, -, unbalanced parentheses, OR). The answer must be a clean 200, a
  documented 404 or a 422, never a 500, and never show SQLite's error text.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from evidence.api.main import create_app

FAST = settings(
    max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)

# What SQLite, its FTS5 extension or Python's sqlite3 say when a query goes wrong.
LEAK = re.compile(
    r"sqlite3\.|SQLITE_|OperationalError|ProgrammingError|fts5: |: syntax error|no such (column|table|function)|"
    r"unterminated string|malformed MATCH|unrecognized token|unknown special query|Traceback \(most recent"
)


# --- the app under test ---------------------------------------------------------------------
# schemathesis needs the app when the module is collected; the session database is copied to
# DB (and the app's lifespan run) by the `client` fixture before the first request.

DB = Path(tempfile.gettempdir()) / f"evidence-reliability-api-{os.getpid()}" / "evidence.db"
APP = create_app(db_path=DB)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def client(evidence_db):
    DB.parent.mkdir(exist_ok=True)
    shutil.copy2(evidence_db, DB)
    with TestClient(APP) as c:
        yield c
    shutil.rmtree(DB.parent, ignore_errors=True)


# --- schemathesis: every route, from the schema ---------------------------------------------


VALID, INVALID = GenerationMode.POSITIVE, GenerationMode.NEGATIVE
# Every route with valid requests, and with invalid ones where it has parameters to get wrong.
ROUTES = [
    pytest.param(path, mode, id=f"{path} {mode.value}")
    for path, ops in APP.openapi()["paths"].items()
    for mode in ([VALID, INVALID] if ops["get"].get("parameters") else [VALID])
]


# One test per route and mode, named by path (schemathesis' own `schema.parametrize()` gives every
# case the same node id under pytest 9, and pytest-xdist then runs only one of them).
@pytest.mark.parametrize(("path", "mode"), ROUTES)
@FAST
@given(data=st.data())
def test_every_route_answers_as_its_schema_says(client, path, mode, data):
    case = data.draw(schema[path]["GET"].as_strategy(generation_mode=mode), label="request")
    response = case.call()
    case.validate_response(response, checks=CHECKS)
    body = response.content[:20_000].decode("utf-8", errors="replace")
    assert not LEAK.search(body), body[:500]


# --- hypothesis: hostile text in every parameter ------------------------------------------

# FTS5 and SQL syntax, injection classics, control and direction characters, Danish letters.
SYNTAX = [
    '"', "'", '""', "*", "^", "-", "+", ":", "(", ")", "((", "))", "OR", "AND", "NOT", "NEAR", "NEAR(",
    "NEAR/2", "studies:", "{", "}", "[", "]", ";", "--", "/*", "*/", "%", "_", "\\", "|", "?", "=", "1=1",
    "' OR '1'='1", "'; drop table studies; --", "OR OR", "AND (", ") NEAR", "familie*",
    "\x00", "\x1b[31m", "\r\n", "\t", "\u202e", "\ufeff", "😀", "ø", "Å", "ß", "kontaktperson", "studier",
]  # fmt: skip

# Any unicode, control characters included (lone surrogates cannot be sent); FTS and SQL syntax;
# longer than every max_length; blank.
hostile = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(SYNTAX), min_size=1, max_size=10).map(" ".join),
    st.lists(st.sampled_from(SYNTAX), min_size=1, max_size=10).map("".join),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=400, max_size=3000),
    st.sampled_from(["", " ", "  \t ", "a" * 10_000, "Ø" * 600]),
)


def operations(app) -> list[tuple[str, str, set[int]]]:
    """(path, parameter, documented status codes) for every parameter of every GET route."""
    out = []
    for path, ops in app.openapi()["paths"].items():
        for name in [p["name"] for p in ops["get"].get("parameters", [])]:
            out.append((path, name, {int(c) for c in ops["get"]["responses"]}))
    return out


def request_for(path: str, name: str, value: str) -> tuple[str, dict]:
    """URL and query parameters that put `value` in parameter `name` (path parameters get examples)."""
    examples = {"ref": "924", "concept_id": "single-contact-person"}
    url = path
    for param in re.findall(r"{(\w+)}", path):
        url = url.replace(
            f"{{{param}}}", quote(value, safe="") if param == name else examples[param]
        )
    params = {} if f"{{{name}}}" in path else {name: value}
    if path == "/api/ask" and name != "q":
        params["q"] = "kontaktperson"
    return url, params


@pytest.fixture(scope="module")
def parameters(client):
    found = operations(client.app)
    assert len(found) > 40  # every list route has its filters, paging and format parameters
    return found


def test_every_route_and_parameter_is_fuzzed(parameters):
    routes = {path for path, _, _ in parameters}
    assert {
        "/api/ask",
        "/api/studies",
        "/api/studies/{ref}",
        "/api/gap-map",
        "/api/claims",
        "/api/concepts/{concept_id}",
    } <= routes


def check_answer(response, allowed: set[int]) -> None:
    """A documented 200, 404 or 422; no SQLite text; errors as JSON with a `detail`."""
    assert response.status_code < 500, response.text[:500]
    expected = {200, 422, 404} & allowed
    assert response.status_code in expected, (response.status_code, response.text[:500])
    if "spreadsheetml" in response.headers.get("content-type", ""):
        assert response.content[:2] == b"PK"  # an xlsx file is a zip archive
        return
    body = response.content[:20_000].decode("utf-8", errors="replace")
    assert not LEAK.search(body), body[:500]
    if response.status_code != 200:
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["detail"]


@pytest.mark.parametrize(
    "route",
    [
        "/api/ask",
        "/api/studies",
        "/api/claims",
        "/api/concepts",
        "/api/studies/{ref}",
        "/api/concepts/{concept_id}",
        "/api/concepts/{concept_id}/brief",
        "/api/gap-map",
        "/api/outcomes",
        "/api/audit",
        "/api/references.ris",
    ],
)
@FAST
@given(value=hostile, data=st.data())
def test_hostile_text_gets_a_clean_answer(client, parameters, route, value, data):
    candidates = [(p, n, codes) for p, n, codes in parameters if p == route]
    path, name, allowed = data.draw(st.sampled_from(candidates), label="parameter")
    url, params = request_for(path, name, value)
    check_answer(client.get(url, params=params), allowed)


@pytest.mark.parametrize("fmt", ["csv", "csv-excel-da", "xlsx"])
@FAST
@given(value=hostile, data=st.data())
def test_hostile_text_in_a_file_export(client, parameters, fmt, value, data):
    """The file formats echo the filter into headers, file names and an 'about' sheet: same rules."""
    with_format = {p for p, n, _ in parameters if n == "format"}
    candidates = [
        (p, n, codes)
        for p, n, codes in parameters
        if p in with_format and n not in ("format", "about") and "{" not in p
    ]
    path, name, allowed = data.draw(st.sampled_from(candidates), label="parameter")
    url, params = request_for(path, name, value)
    for about in ("false", "true"):
        check_answer(client.get(url, params={**params, "format": fmt, "about": about}), allowed)


@FAST
@given(q=hostile)
def test_ask_answers_hostile_questions_with_200_or_422(client, q):
    r = client.get("/api/ask", params={"q": q})
    check_answer(r, {200, 422})
    if r.status_code == 200:
        assert set(r.json()) >= {"query", "concepts", "studies", "summary"}


@FAST
@given(q=hostile, country=hostile)
def test_studies_filters_combined(client, q, country):
    r = client.get("/api/studies", params={"q": q, "country": country, "stance": "supports"})
    check_answer(r, {200, 422})


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "(",
        ")",
        "NEAR(",
        "kontakt* OR",
        "^samarbejde",
        "-familie",
        'a"b',
        "OR",
        "AND OR NOT",
        "col:value",
        "studies_fts",
        "' OR 1=1 --",
        "\x00",
        "*",
    ],
)
def test_fts_syntax_is_text_not_a_query(client, q):
    """Each of these breaks a raw FTS5 MATCH; the API must treat it as text."""
    for url in ("/api/ask", "/api/studies", "/api/concepts"):
        r = client.get(url, params={"q": q})
        assert r.status_code in (200, 422), (url, q, r.status_code, r.text[:300])
        assert not LEAK.search(r.text), (url, q, r.text[:300])
