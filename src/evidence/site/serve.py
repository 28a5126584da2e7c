"""Serve the API and the Datasette site together (`evidence serve`, what `make run` runs).

One process, one event loop. The API answers on the port, with the Datasette site mounted in the
same ASGI app under /browse/ (Datasette's `base_url` set to match). With a Datasette port the
site also answers on its own port at /, for links and tools that expect Datasette at a root.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from evidence.settings import settings

MOUNT = "/browse"


def create_app(db_path: Path | None = None):
    """The API with the Datasette site mounted at /browse/."""
    from evidence.api.main import create_app as create_api
    from evidence.site.app import datasette_app

    db_path = Path(db_path or settings.db_path)
    app = create_api(db_path)
    ds = datasette_app(db_path, base_url=f"{MOUNT}/")
    app.state.landing = f"{MOUNT}/"
    app.mount(MOUNT, ds.app(), name="browse")
    api_lifespan = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(a):
        # A mounted app gets no lifespan events of its own: start Datasette with the API, so
        # its first requests do not fail with "render_template() called before startup".
        await ds.invoke_startup()
        async with api_lifespan(a) as state:
            yield state

    app.router.lifespan_context = lifespan
    return app


def _server(app, host: str, port: int):
    import uvicorn

    return uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_level="info", proxy_headers=True)
    )


async def serve_all(db_path: Path, host: str, port: int, datasette_port: int | None) -> None:
    """The API (site under /browse/) on `port`, and the site alone on `datasette_port` if given."""
    servers = [_server(create_app(db_path), host, port)]
    if datasette_port:
        from evidence.site.app import datasette_app

        site = datasette_app(db_path)
        await site.invoke_startup()
        servers.append(_server(site.app(), host, datasette_port))
    await asyncio.gather(*(s.serve() for s in servers))
