"""In-process latency: the API through FastAPI's TestClient, the site through Datasette's ds.client.

No network and no server: what a route itself costs (plus the ASGI round trip). Every call must
answer 200; anything else is counted as an error beside the figures.
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from .routes import api_routes, site_routes
from .timing import percentiles


def api_latency(
    db_path: Path, calls: int, max_seconds: float, routes: dict[str, list[str]] | None = None
) -> dict:
    """Route label → percentiles (ms) and errors of `calls` GETs, cycling through its URLs."""
    from fastapi.testclient import TestClient

    from evidence.api.main import create_app

    logging.getLogger("evidence.api").setLevel(logging.CRITICAL)
    routes = routes or api_routes(db_path)
    out = {}
    started = time.perf_counter()
    with TestClient(create_app(db_path=db_path), raise_server_exceptions=False) as client:
        out["_startup_s"] = round(time.perf_counter() - started, 3)
        for label, urls in routes.items():
            out[label] = _measure(lambda u: client.get(u).status_code, urls, calls, max_seconds)
    return out


def site_latency(db_path: Path, calls: int, max_seconds: float) -> dict:
    """The same for the Datasette site (evidence.site.app.datasette_app), in its own event loop."""
    from evidence.site.app import datasette_app

    async def run() -> dict:
        ds = datasette_app(db_path)
        await ds.invoke_startup()
        out = {}
        for label, urls in site_routes().items():
            out[label] = await _measure_async(ds, urls, calls, max_seconds)
        return out

    return asyncio.run(run())


def _measure(get, urls: list[str], calls: int, max_seconds: float, warmup: int = 10) -> dict:
    for i in range(warmup):
        get(urls[i % len(urls)])
    samples, errors = [], 0
    deadline = time.perf_counter() + max_seconds
    for i in range(calls):
        t0 = time.perf_counter()
        status = get(urls[i % len(urls)])
        samples.append(time.perf_counter() - t0)
        errors += status != 200
        if t0 > deadline:
            break
    return {**percentiles(samples), "errors": errors, "urls": len(urls)}


async def _measure_async(
    ds, urls: list[str], calls: int, max_seconds: float, warmup: int = 10
) -> dict:
    for i in range(warmup):
        await ds.client.get(urls[i % len(urls)])
    samples, errors = [], 0
    deadline = time.perf_counter() + max_seconds
    for i in range(calls):
        t0 = time.perf_counter()
        r = await ds.client.get(urls[i % len(urls)])
        samples.append(time.perf_counter() - t0)
        errors += r.status_code != 200
        if t0 > deadline:
            break
    return {**percentiles(samples), "errors": errors, "urls": len(urls)}
