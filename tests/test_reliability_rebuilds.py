"""Rebuilds leave nothing behind: no open handle on a deleted build, no temporary file.

`evidence build` os.replace()s a new file over the database. Requests reading the old one finish
on it; after them, the server must hold no handle on the old (deleted) file, and a bounded number
in all, however many rebuilds there were (issue 11: 32 clients and two rebuilds once left 2,261
handles on deleted builds). A build that is stopped removes its temporary file; one killed
outright leaves it, and the next build removes it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from evidence.api.main import create_app
from evidence.build.atomic import remove_abandoned_builds
from evidence.build.database import build_database
from evidence.site.app import datasette_app
from evidence.site.rebuilds import BuildDatabase

REBUILDS = 5


def handles_under(folder: Path) -> dict[str, int]:
    """This process's open files in `folder`, and how many of them are deleted."""
    found = {"open": 0, "deleted": 0}
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(folder)):
            found["open"] += 1
            found["deleted"] += target.endswith("(deleted)")
    return found


SITE_PAGES = [
    "/evidence/studies.json?_shape=array&_size=5",
    "/evidence/claims?_facet=stance",
    "/evidence.json?sql=select+count(*)+from+citations",
    "/evidence/studies/924.json",
]


def test_the_site_holds_no_handle_on_a_deleted_build(db_copy, data_dir):
    ds = datasette_app(db_copy)

    async def load_and_rebuild():
        await ds.invoke_startup()
        for _ in range(REBUILDS):
            rebuild = asyncio.create_task(asyncio.to_thread(build_database, data_dir, db_copy))
            while not rebuild.done():  # 16 requests at a time while the build runs
                answers = await asyncio.gather(*(ds.client.get(p) for p in SITE_PAGES * 4))
                assert {r.status_code for r in answers} == {200}
            await rebuild
        answers = await asyncio.gather(*(ds.client.get(p) for p in SITE_PAGES * 4))
        assert {r.status_code for r in answers} == {200}

    asyncio.run(load_and_rebuild())
    held = handles_under(db_copy.parent)
    assert held["deleted"] == 0, held
    assert held["open"] <= BuildDatabase.IDLE_MAX, held


def test_the_api_holds_no_handle_on_a_deleted_build(db_copy, data_dir):
    with TestClient(create_app(db_path=db_copy)) as client:
        for _ in range(REBUILDS):
            for path in ["/api/studies/924", "/api/claims?limit=5", "/api/ask?q=kontaktperson"]:
                assert client.get(path).status_code == 200
            build_database(data_dir, db_copy)
        assert client.get("/api/studies/924").status_code == 200
        held = handles_under(db_copy.parent)
    assert held["deleted"] == 0, held
    assert held["open"] <= 8, held


def test_the_next_build_removes_an_abandoned_temporary_file(tmp_path, data_dir):
    db = tmp_path / "evidence.db"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    abandoned = tmp_path / f".evidence.db.{int(dead.stdout)}.k1ll3d.tmp"
    abandoned.write_bytes(b"\0" * 1024)
    older = tmp_path / ".evidence.db.q8z_xw2n.tmp"  # named as builds before this change named them
    older.write_bytes(b"\0")
    running = tmp_path / f".evidence.db.{os.getppid()}.busy.tmp"  # a build still running elsewhere
    running.write_bytes(b"\0")
    build_database(data_dir, db)
    assert not abandoned.exists() and not older.exists()
    assert running.exists()
    assert remove_abandoned_builds(db) == []


def test_a_stopped_build_removes_its_temporary_file(tmp_path, data_dir):
    """SIGTERM in the middle of a build (here: while it writes tables) leaves no temporary file."""
    script = (
        "import sys, time\n"
        "import evidence.build.database as b\n"
        "def slow(db, *args):\n"
        "    db.execute('create table t (x)')\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(60)\n"
        "b.populate = slow\n"
        "b.build_database(sys.argv[1], sys.argv[2])\n"
    )
    db = tmp_path / "evidence.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(data_dir), str(db)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "writing"
    assert list(tmp_path.glob(".evidence.db.*.tmp"))
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []
