"""In-process latency: the API through httpx's ASGI transport, the site through Datasette's ds.client.

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
    """Route label → percentiles (ms) and errors of `calls` GETs, cycling through its URLs, through
    httpx's ASGI transport in one event loop (as Datasette's ds.client, which the site's figures
    use): no thread hand-off per call, which FastAPI's TestClient adds (about 3 ms here) and which
    is the harness's, not the route's. The bare FastAPI route (bench/bare.py) is measured the same
    way, in the same run, as the baseline."""
    from evidence.api.main import create_app

    from .bare import app as bare_app

    logging.getLogger("evidence.api").setLevel(logging.CRITICAL)
    routes = routes or api_routes(db_path)

    async def run() -> dict:
        started = time.perf_counter()
        app = create_app(db_path=db_path)
        async with app.router.lifespan_context(app), _client(app) as client:
            out: dict = {"_startup_s": round(time.perf_counter() - started, 3)}
            for label, urls in routes.items():
                out[label] = await _measure_async(client.get, urls, calls, max_seconds)
        async with _client(bare_app) as client:
            out["bare route (def)"] = await _measure_async(
                client.get, ["/bare"], calls, max_seconds
            )
        return out

    return asyncio.run(run())


def _client(app):
    import httpx

    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench")


def site_latency(db_path: Path, calls: int, max_seconds: float) -> dict:
    """The same for the Datasette site (evidence.site.app.datasette_app), in its own event loop."""
    from evidence.site.app import datasette_app

    async def run() -> dict:
        ds = datasette_app(db_path)
        await ds.invoke_startup()
        out = {}
        for label, urls in site_routes().items():
            out[label] = await _measure_async(ds.client.get, urls, calls, max_seconds)
        return out

    return asyncio.run(run())


async def _measure_async(
    get, urls: list[str], calls: int, max_seconds: float, warmup: int = 10
) -> dict:
    """`get`: an async GET (httpx.AsyncClient.get, Datasette's ds.client.get)."""
    for i in range(warmup):
        await get(urls[i % len(urls)])
    samples, errors = [], 0
    deadline = time.perf_counter() + max_seconds
    for i in range(calls):
        t0 = time.perf_counter()
        r = await get(urls[i % len(urls)])
        samples.append(time.perf_counter() - t0)
        errors += r.status_code != 200
        if t0 > deadline:
            break
    return {**percentiles(samples), "errors": errors, "urls": len(urls)}
