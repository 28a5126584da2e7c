"""The site's own pages beside plain Datasette serving the same database, over HTTP, same run.

Two uvicorn subprocesses, one at a time, on the same copy of the database:
- "plain Datasette": `Datasette(immutables=[db])` with Datasette's defaults (no metadata,
  templates or settings of ours; plugins installed in the environment load as they always do);
  its table page /evidence/studies is the reference.
- "evidens site": evidence.site.app.datasette_app, serving /map, /study/{ref} and /concept/{id}.

Target: each of our pages no slower than 1.5× plain Datasette's table page, i.e. its requests/s
at least 1/1.5 of the reference's at the same concurrency.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from .load import load, serve

CONCURRENCY = (1, 8)
REFERENCE = "plain Datasette: table page"
LIMIT = 1.5


def plain_app():
    from datasette.app import Datasette

    return Datasette(immutables=[os.environ["EVIDENCE_DB_PATH"]]).app()


def site_app():
    from evidence.site.app import datasette_app

    return datasette_app(Path(os.environ["EVIDENCE_DB_PATH"])).app()


def our_routes(db_path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        refs = [r[0] for r in conn.execute("select ref from studies order by ref")]
        concepts = [r[0] for r in conn.execute("select id from concepts order by id")]
    finally:
        conn.close()
    return {
        "evidens: gap map page": ["/map", "/map?cols=method&lang=en", "/map?cols=service_area"],
        "evidens: study page": [f"/study/{r}" for r in refs],
        "evidens: concept page": [f"/concept/{c}" for c in concepts],
        "evidens: datasette table page": ["/evidence/studies"],
    }


def pages_vs_plain(db_path: Path, seconds: float, concurrency=CONCURRENCY) -> dict:
    env = {"EVIDENCE_DB_PATH": str(db_path)}
    ready = "/-/versions.json"
    results: dict[str, dict] = {}
    with serve("bench.site_pages:plain_app", env=env, factory=True, ready_path=ready) as server:
        urls = ["/evidence/studies"]
        results[REFERENCE] = {str(c): load(server.url, urls, c, seconds) for c in concurrency}
    with serve("bench.site_pages:site_app", env=env, factory=True, ready_path=ready) as server:
        for label, urls in our_routes(db_path).items():
            results[label] = {str(c): load(server.url, urls, c, seconds) for c in concurrency}
    reference = results[REFERENCE]
    for points in results.values():
        for c, p in points.items():
            ref_rps = reference[c]["rps"]
            p["slowdown_vs_plain_table"] = round(ref_rps / p["rps"], 3) if p["rps"] else None
    return results


def worst_slowdown(results: dict) -> float | None:
    values = [
        p["slowdown_vs_plain_table"]
        for label, points in results.items()
        if label.startswith("evidens: ") and "datasette" not in label
        for p in points.values()
        if p.get("slowdown_vs_plain_table") is not None
    ]
    return max(values) if values else None


def lines(results: dict) -> list[str]:
    out = [
        "Site pages beside plain Datasette (same database, same run): req/s  p50/p99 ms  (× plain table page's time)"
    ]
    for label, points in results.items():
        cells = [
            f"c={c}: {p['rps']:>7.1f} {p['p50']:>6.1f}/{p['p99']:<7.1f} ({p['slowdown_vs_plain_table']:.2f}×) {p['errors']}"
            for c, p in points.items()
        ]
        out.append(f"{label:<34} " + " | ".join(cells))
    return out


if __name__ == "__main__":  # uv run python -m bench.site_pages [seconds]
    import sys

    from evidence.settings import settings

    for line in lines(
        pages_vs_plain(settings.db_path, float(sys.argv[1]) if len(sys.argv) > 1 else 5)
    ):
        print(line)
