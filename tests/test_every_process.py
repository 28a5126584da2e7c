"""Every door gives the same output in every process.

Python's hash seed changes with each process, and with it the order in which a set of strings is
iterated: a set iterated into output, or a sort with ties fed from one, comes out in another order
after a restart (/api/ask's concepts did, tests/test_ask.py). Each test here does the same work in
two processes, under PYTHONHASHSEED=1 and 2, and compares what they wrote byte for byte: the
build's tables row by row, the API's answers (a workbook's bytes too), the commands' output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from evidence.settings import ROOT

SEEDS = ("1", "2")


def under_seeds(script: str, *args: str) -> list[str]:
    """What `script` prints, run in a process of its own under each hash seed."""
    runs = []
    for seed in SEEDS:
        done = subprocess.run(
            [sys.executable, "-c", script, *args],
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        runs.append(done.stdout)
    return runs


def differing(runs: list[str]) -> list[str]:
    """The keys whose values differ between the two runs' JSON (their last line)."""
    first, second = (json.loads(run.splitlines()[-1]) for run in runs)
    assert first.keys() == second.keys()
    return [k for k in first if first[k] != second[k]]


BUILD = """
import hashlib, json, re, sqlite3, sys
from collections import defaultdict
from evidence.build.database import build_database
from evidence.settings import settings
conn = sqlite3.connect(build_database(settings.data_dir, sys.argv[1]))
out = defaultdict(hashlib.sha256)
for line in conn.iterdump():  # every table's rows in the order it holds them
    if "'built_at'" not in line:
        table = re.match(r'INSERT INTO "([^"]+)"', line)
        out[table.group(1) if table else "schema"].update(line.encode("utf-8"))
print(json.dumps({k: v.hexdigest() for k, v in out.items()}))
"""


def test_the_build_writes_the_same_rows_in_the_same_order_in_every_process(tmp_path):
    # every table, its rows in rowid order and the JSON lists inside its cells; meta's built_at
    # is the one value that may differ
    runs = under_seeds(BUILD, str(tmp_path / "evidence.db"))
    assert len(json.loads(runs[0])) > 30
    assert differing(runs) == []


API = """
import asyncio, hashlib, json, logging, re, sqlite3, sys
from urllib.parse import urlencode
import httpx, yaml
from evidence.api.main import create_app

db = sys.argv[1]
conn = sqlite3.connect(db)
refs = [r for (r,) in conn.execute("select ref from studies order by ref")]
concepts = [c for (c,) in conn.execute("select id from concepts order by id")]
questions = [q["q"] for q in yaml.safe_load(open("tests/questions_dev.yml", encoding="utf-8"))]
filters = ["", "country=DK", "service_area=social&year_from=2015", "stance=mixed",
           "method=qualitative_interviews&dimension=virkninger", "concept=co-location&stance=supports"]
files = ["", "&format=csv", "&format=csv-excel-da", "&format=xlsx", "&format=xlsx&about=1",
         "&format=csv&about=1"]
urls = ["/openapi.json", "/api/review", "/api/audit", "/api/sections", "/api/outcomes",
        "/api/handbook", "/api/concepts", "/api/claims?limit=1000", "/api/studies/99999",
        "/api/concepts/co-locatoin", "/api/studies?country=ZZ"]
urls += [f"/api/studies?{f}{x}" for f in filters for x in files]
urls += [f"/api/references.{e}?{f}{a}" for e in ("ris", "bib", "csl.json") for f in filters
         for a in ("", "&about=1")]
urls += [f"/api/{p}?format={x}" for p in ("claims", "concepts", "handbook", "audit") for x in
         ("csv", "xlsx")]
urls += [f"/api/gap-map?cols={c}&lang={lang}" for c in ("country", "service_area", "method")
         for lang in ("da", "en")]
urls += [f"/api/gap-map?cols=method&lang=en{x}" for x in files[1:]]
urls += [f"/api/studies/{r}" for r in refs]
urls += [f"/api/concepts/{c}{s}" for c in concepts for s in ("", "?lang=en", "/brief")]
urls += [f"/api/concepts/{c}/brief?format=md&lang=en" for c in concepts[::10]]
urls += [f"/api/ask?concept={c}" for c in concepts]
urls += ["/api/ask?" + urlencode({"q": q}) for q in questions]
urls += ["/api/ask?" + urlencode({"q": q, "format": x}) for q in questions[:5]
         for x in ("csv", "xlsx")]


async def main():
    logging.disable(logging.CRITICAL)
    app = create_app(db_path=db)
    out = {}
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
        transport=transport, base_url="http://test"
    ) as client:
        for url in urls:
            r = await client.get(url)
            # a workbook too, byte for byte: it is dated by the build (export.files), not the clock
            head = json.dumps([r.status_code, dict(r.headers)]).encode("utf-8")
            out[url] = hashlib.sha256(head + r.content).hexdigest()
    for path in app.openapi()["paths"]:  # every route is asked
        parts = [re.escape(part) for part in re.split(r"\\{[^}]+\\}", path)]
        route = re.compile("[^/]+".join(parts) + r"(\\?|$)")
        assert any(route.match(url) for url in urls), path
    print(json.dumps(out))

asyncio.run(main())
"""


def test_the_api_answers_the_same_in_every_process(evidence_db):
    # every route of /openapi.json with realistic parameters, every study, concept and brief,
    # the gap maps, the dev questions, every file format and its about=1 companion
    runs = under_seeds(API, str(evidence_db))
    assert len(json.loads(runs[0])) > 800
    assert differing(runs) == []


CLI = """
import sys
from evidence.cli import main

db, metadata = sys.argv[1], sys.argv[2]
commands = [
    ["ask", "--db", db, "frikommuneforsøg én plan"],
    ["ask", "--db", db, "--lang", "da", "Vi overvejer at samle medarbejderne under samme tag"],
    ["audit"],
    ["audit", "--json"],
    ["coding"],
    ["coding", "--json"],
    ["validate"],
    ["serve", "--db", db, "--write-metadata", metadata],
]
for command in commands:
    print("=== evidence", *command, flush=True)
    main(command)
    sys.stdout.flush()
print(open(metadata, encoding="utf-8").read())
"""


def test_the_commands_print_the_same_in_every_process(evidence_db, tmp_path):
    # evidence ask, audit, coding, validate and the site's metadata (serve --write-metadata)
    first, second = under_seeds(CLI, str(evidence_db), str(tmp_path / "metadata.json"))
    assert first.count("=== evidence") == 8 and "free-municipality-trials" in first
    differ = [
        a.splitlines()[0]
        for a, b in zip(first.split("=== "), second.split("=== "), strict=True)
        if a != b
    ]
    assert differ == []


SITE = """
import asyncio, hashlib, json, re, sys
from evidence.site.app import datasette_app

urls = ["/", "/?lang=en", "/prisma", "/map", "/map?lang=en&cols=method", "/map?rows=dimension",
        "/map.html?lang=en", "/study/631", "/study/924?lang=en", "/study/631.ris",
        "/concept/co-location", "/concept/single-contact-person?lang=en", "/concept/co-locatoin",
        "/map?cell=nope~XX", "/evidence/gap_map.json", "/evidence/studies.xlsx?_size=max",
        "/evidence/studies.json?_facet_array=countries", "/-/dashboards/evidens"]


async def main():
    ds = datasette_app(sys.argv[1])
    await ds.invoke_startup()
    out = {}
    for url in urls:
        r = await ds.client.get(url)
        body = re.sub(rb'"query_ms": [0-9.e-]+|Queries took [0-9.]+ms', b"", r.content)
        out[url] = hashlib.sha256(str(r.status_code).encode() + body).hexdigest()
    print(json.dumps(out))

asyncio.run(main())
"""


def test_the_site_answers_the_same_in_every_process(evidence_db):
    # a handful of the site's own pages (the gap map, a study, a concept, PRISMA, the landing
    # page), a canned query's JSON, an export and the dashboard; the query time is taken out
    runs = under_seeds(SITE, str(evidence_db))
    assert differing(runs) == []
