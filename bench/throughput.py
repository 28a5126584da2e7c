"""HTTP on loopback: requests/s and latency at concurrency 1, 8 and 32, beside a bare route.

Two uvicorn subprocesses, each on a free 127.0.0.1 port, one at a time: what `make run` serves
(evidence.site.serve:create_app — the API with the Datasette site mounted at /browse/), then
bench/bare.py. Each (route, concurrency) point runs for a fixed time and a bounded number of
requests. The ratio route ÷ bare route (same concurrency) is the figure that travels between
machines.
"""

from __future__ import annotations

from pathlib import Path

from .load import load, serve
from .routes import BARE_ROUTES, api_routes, site_routes

CONCURRENCY = (1, 8, 32)
BARE = "bare route (def)"


def http_matrix(db_path: Path, seconds: float, concurrency=CONCURRENCY) -> dict:
    """Route label → {concurrency → load figures}; bare routes included; ratios added."""
    env = {"EVIDENCE_DB_PATH": str(db_path)}
    results: dict[str, dict] = {}
    with serve("evidence.site.serve:create_app", env=env, factory=True) as server:
        routes = {**api_routes(db_path), **site_routes(prefix="/browse")}
        for label, urls in routes.items():
            results[label] = {str(c): load(server.url, urls, c, seconds) for c in concurrency}
        results["_server_rss_kib"] = server.rss_kib()
        results["_server_logged_errors"] = server.logged_errors()
    with serve("bench.bare:app") as server:
        for label, urls in BARE_ROUTES.items():
            results[label] = {str(c): load(server.url, urls, c, seconds) for c in concurrency}
        results["_server_logged_errors"] += server.logged_errors()
    add_ratios(results)
    return results


def add_ratios(results: dict) -> None:
    """Each point's requests/s as a fraction of the bare route's at the same concurrency."""
    bare = results[BARE]
    for label, points in results.items():
        if label.startswith("_"):
            continue
        for c, point in points.items():
            point["ratio_to_bare"] = (
                round(point["rps"] / bare[c]["rps"], 3) if bare[c]["rps"] else None
            )
