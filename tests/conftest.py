"""Shared fixtures: the real data directory, the review's and the handbook's text (skipped where absent)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from evidence.settings import ROOT, settings

DATA = ROOT / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


def _seed(path: Path, what: str) -> Path:
    """A text from ../shared/seeds, or skip the test where it is absent."""
    if not path.exists():
        pytest.skip(f"{what} is not at {path} (it is in CI, at ../shared/seeds)")
    return path


@pytest.fixture(scope="session")
def source_path() -> Path:
    return _seed(settings.source, "the review's text")


@pytest.fixture(scope="session")
def handbook_path() -> Path:
    """Cabi's practitioner handbook as text (data/handbook_advice.csv quotes it)."""
    return _seed(settings.handbook, "the Cabi handbook's text")


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A throwaway copy of data/ to break."""
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst)
    return dst


# --- API, ask and exports (tests/test_api.py, test_ask.py, test_exports.py) ---------------


@pytest.fixture(scope="session")
def evidence_db(tmp_path_factory) -> Path:
    """`evidence build` of data/ into a temporary directory, once per session."""
    from evidence.build.database import build_database

    return Path(build_database(settings.data_dir, tmp_path_factory.mktemp("db") / "evidence.db"))


@pytest.fixture(scope="session")
def db(evidence_db):
    """A read-only connection to the session database, rows as sqlite3.Row."""
    import sqlite3

    conn = sqlite3.connect(f"file:{evidence_db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


@pytest.fixture
def db_copy(tmp_path, evidence_db) -> Path:
    """A copy of the session database alone in a folder (tmp/build/evidence.db), for a build to
    replace or to fail on."""
    path = tmp_path / "build" / "evidence.db"
    path.parent.mkdir()
    shutil.copy2(evidence_db, path)
    return path


@pytest.fixture(scope="session")
def api_client(evidence_db):
    """FastAPI TestClient over the session database (lifespan run)."""
    from fastapi.testclient import TestClient

    from evidence.api.main import create_app

    with TestClient(create_app(db_path=evidence_db)) as client:
        yield client


# --- the Datasette site (tests/test_site.py, test_browser.py) -------------------------------


@pytest.fixture(scope="session")
def start_site():
    """Starts the configured Datasette instance (evidence.site.app.datasette_app) over a database."""
    import asyncio

    from evidence.site.app import datasette_app

    def start(db: Path):
        ds = datasette_app(db)
        asyncio.run(ds.invoke_startup())
        return ds

    return start


@pytest.fixture(scope="session")
def site(evidence_db, start_site):
    """The site over the session database."""
    return start_site(evidence_db)


@pytest.fixture(scope="session")
def site_url(evidence_db):
    """The site served by uvicorn on a free loopback port, in a thread; its base URL."""
    import socket
    import threading
    import time

    import httpx
    import uvicorn

    from evidence.site.app import datasette_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            # its links name the address it is served at (the public root of this site)
            datasette_app(evidence_db, public_root=f"http://127.0.0.1:{port}/").app(),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/-/versions.json", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        raise RuntimeError(f"the site did not start on {url}")
    yield url
    server.should_exit = True
    thread.join(timeout=10)
