"""Rebuilding the database under a running API and site: every answer stays whole and right.

`evidence build` writes a new file beside the old one and os.replace()s it into place. Requests
already reading the old file finish on it (its inode lives until they close it); requests after
the swap must see the new build. Here a thread keeps asking while the database is rebuilt twice,
first from data in which study 924 has another title, then from the real data again: every answer
must be a 200 carrying one of the two titles, never an error, a half-built table or a mix.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from evidence.api.main import create_app
from evidence.build.database import build_database
from evidence.site.app import datasette_app

REF = 924
NEW_TITLE_START = "REBUILT"
MAX_REQUESTS = 3000  # per thread; the loops also stop when the rebuilds are done


@pytest.fixture
def two_datasets(tmp_path, data_dir) -> tuple[Path, Path, Path]:
    """data/ as it is, a copy where study 924 has another title, and a database built from the first."""
    real, changed = tmp_path / "real", tmp_path / "changed"
    shutil.copytree(data_dir, real)
    shutil.copytree(data_dir, changed)
    studies = changed / "studies.csv"
    text = studies.read_text(encoding="utf-8")
    assert "Én plan for en sammenhængende indsats" in text
    studies.write_text(
        text.replace("Én plan for en sammenhængende indsats", NEW_TITLE_START, 1), encoding="utf-8"
    )
    return real, changed, build_database(real, tmp_path / "build" / "evidence.db")


def keep_asking(
    ask: Callable[[], tuple[int, str]], stop: threading.Event, out: list
) -> threading.Thread:
    def loop():
        while not stop.is_set() and len(out) < MAX_REQUESTS:
            try:
                out.append(ask())
            except Exception as e:  # an exception is an answer too, and a wrong one
                out.append((type(e).__name__, str(e)[:200]))

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return thread


def wait_for(
    ask: Callable[[], tuple[int, str]], predicate: Callable[[str], bool], seconds: float = 10
) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate(ask()[1]):
            return True
        time.sleep(0.02)
    return False


def is_new(title: str) -> bool:
    return title.startswith(NEW_TITLE_START)


def rebuild_twice_while_asking(
    ask, real: Path, changed: Path, db: Path, wait: float = 10
) -> tuple[list, bool, bool]:
    """Answers collected while building `changed` then `real` over db; whether each swap was seen."""
    answers: list = []
    stop = threading.Event()
    thread = keep_asking(ask, stop, answers)
    time.sleep(0.2)
    build_database(changed, db)
    saw_first = wait_for(ask, is_new, wait)
    build_database(real, db)
    saw_second = wait_for(ask, lambda t: not is_new(t), wait)
    time.sleep(0.2)
    stop.set()
    thread.join(30)
    assert not thread.is_alive()
    return answers, saw_first, saw_second


def assert_whole_answers(answers: list, old_title: str) -> None:
    assert len(answers) > 20, "the thread barely ran"
    assert {status for status, _ in answers} == {200}, [a for a in answers if a[0] != 200][:5]
    titles = {title for _, title in answers}
    new_title = old_title.replace("Én plan for en sammenhængende indsats", NEW_TITLE_START, 1)
    assert titles <= {old_title, new_title}, titles


def test_the_api_answers_through_two_rebuilds_and_follows_them(two_datasets):
    real, changed, db = two_datasets
    with TestClient(create_app(db_path=db)) as client:
        old_title = client.get(f"/api/studies/{REF}").json()["title"]
        expected_refs = {
            s["ref"]
            for s in client.get("/api/ask", params={"q": "kontaktperson"}).json()["studies"]
        }
        old_etag = client.get(f"/api/studies/{REF}").headers["etag"]
        turn = iter(range(10**9))

        def ask() -> tuple[int, str]:
            if next(turn) % 2:  # every other request is a question, whose answer both builds share
                r = client.get("/api/ask", params={"q": "kontaktperson"})
                refs = {s["ref"] for s in r.json()["studies"]} if r.status_code == 200 else None
                return r.status_code, old_title if refs == expected_refs else f"wrong refs {refs}"
            r = client.get(f"/api/studies/{REF}")
            return r.status_code, r.json().get("title") if r.status_code == 200 else r.text[:200]

        answers, saw_first, saw_second = rebuild_twice_while_asking(ask, real, changed, db)
        assert_whole_answers(answers, old_title)
        assert saw_first, "the API kept answering from the old database after the first rebuild"
        assert saw_second, "the API kept answering from the second database after the last rebuild"
        # The same data again gives the same ETag; other data never answers 'not modified'.
        assert client.get(f"/api/studies/{REF}").headers["etag"] == old_etag
        build_database(changed, db)
        r = client.get(f"/api/studies/{REF}", headers={"If-None-Match": old_etag})
        assert r.status_code == 200
        assert is_new(r.json()["title"])


def datasette_asker(ds) -> Callable[[], tuple[int, str]]:
    loop = asyncio.new_event_loop()
    lock = threading.Lock()

    def ask() -> tuple[int, str]:
        with lock:
            r = loop.run_until_complete(
                ds.client.get(f"/evidence/studies/{REF}.json", params={"_shape": "array"})
            )
        return r.status_code, r.json()[0]["title"] if r.status_code == 200 else r.text[:200]

    return ask


def test_the_site_answers_through_two_rebuilds(two_datasets):
    real, changed, db = two_datasets
    ds = datasette_app(db)
    ask = datasette_asker(ds)
    status, old_title = ask()
    assert status == 200
    # Whether it follows the rebuilds is the next test; here: whole, right answers throughout.
    answers, _, _ = rebuild_twice_while_asking(ask, real, changed, db, wait=1)
    assert_whole_answers(answers, old_title)


def titles_at_once(ds, n: int = 24) -> list[str]:
    """The title of study 924 from n concurrent requests (so that every Datasette thread answers)."""

    async def many():
        url = f"/evidence/studies/{REF}.json"
        return await asyncio.gather(
            *(ds.client.get(url, params={"_shape": "array"}) for _ in range(n))
        )

    return [r.json()[0]["title"] for r in asyncio.run(many())]


def test_the_site_follows_a_rebuild(two_datasets):
    real, changed, db = two_datasets
    ds = datasette_app(db)
    assert not any(is_new(t) for t in titles_at_once(ds))
    build_database(changed, db)
    time.sleep(0.5)
    assert all(is_new(t) for t in titles_at_once(ds))


def test_the_mounted_site_answers_its_first_requests_at_once(evidence_db):
    """`make run` serves the site under /browse/ in the API's process: a fresh server must answer."""
    import httpx

    from evidence.site.serve import create_app as create_served_app

    app = create_served_app(evidence_db)

    async def first_requests() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            pages = ["/browse/evidence/studies", "/browse/evidence/claims", "/browse/"] * 3
            return [r.status_code for r in await asyncio.gather(*(client.get(p) for p in pages))]

    with TestClient(app):  # the API's lifespan, as uvicorn runs it
        assert asyncio.run(first_requests()) == [200] * 9
