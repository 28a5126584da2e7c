"""Serve the API and the Datasette site together: `python -m evidence.site.serve` (what `make run` runs).

One process, one event loop. The API answers on --port, with the Datasette site mounted in the
same ASGI app under /browse/ (Datasette's `base_url` set to match). With --datasette-port the
site also answers on its own port at /, for links and tools that expect Datasette at a root.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from pathlib import Path

from evidence.settings import settings

MOUNT = "/browse"


def create_app(db_path: Path | None = None):
    """The API with the Datasette site mounted at /browse/."""
    from api.main import create_app as create_api
    from evidence.site.app import datasette_app

    db_path = Path(db_path or settings.db_path)
    app = create_api(db_path)
    ds = datasette_app(db_path, base_url=f"{MOUNT}/")
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


async def serve(db_path: Path, host: str, port: int, datasette_port: int | None) -> None:
    servers = [_server(create_app(db_path), host, port)]
    if datasette_port:
        from evidence.site.app import datasette_app

        site = datasette_app(db_path)
        await site.invoke_startup()
        servers.append(_server(site.app(), host, datasette_port))
    print(f"API and docs: http://{host}:{port}/docs", flush=True)
    print(f"Ask:          http://{host}:{port}/api/ask?q=kontaktperson", flush=True)
    print(
        f"Datasette:    http://{host}:{port}{MOUNT}/"
        + (f"  (also http://{host}:{datasette_port}/)" if datasette_port else ""),
        flush=True,
    )
    await asyncio.gather(*(s.serve() for s in servers))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m evidence.site.serve", description=__doc__.splitlines()[0]
    )
    p.add_argument(
        "--db",
        type=Path,
        default=settings.db_path,
        help="the database (default: build/evidence.db)",
    )
    p.add_argument(
        "--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)"
    )
    p.add_argument(
        "--port",
        type=int,
        default=8000,
        help="port of the API, with the site under /browse/ (default: 8000)",
    )
    p.add_argument(
        "--datasette-port",
        type=int,
        default=None,
        help="also serve the site alone on this port (default: off)",
    )
    args = p.parse_args(argv)
    if not args.db.exists():
        print(
            f"{args.db} does not exist; run `make build` (or `uv run evidence build`) first.",
            file=sys.stderr,
        )
        return 2
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.db, args.host, args.port, args.datasette_port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
