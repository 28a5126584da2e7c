"""Datasette's arbitrary SQL stays safe: a runaway query is cut off, a write is refused.

The site (evidence.site.app.datasette_app) keeps `?sql=` open to everyone because the database is
opened immutable. These tests hold it to that: a query that would run for minutes comes back
as an error within the time limit and the site goes on answering; every kind of write is refused
with an error; and the database file is byte for byte what it was.
"""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import time
from pathlib import Path

import pytest

from evidence.site.app import SETTINGS

SLOW = "with recursive c(x) as (select 1 union all select x + 1 from c where x < 1000000000) select count(*) from c"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def site_db(tmp_path_factory, evidence_db) -> Path:
    """A private copy of the session database (named evidence.db, as the site expects)."""
    path = tmp_path_factory.mktemp("site") / "evidence.db"
    shutil.copy2(evidence_db, path)
    return path


@pytest.fixture(scope="module")
def ds(site_db, start_site):
    return start_site(site_db)


def get(ds, path: str, **params):
    return asyncio.run(ds.client.get(path, params=params))


def count_rows(ds, table: str) -> int:
    return get(
        ds, "/evidence.json", sql=f"select count(*) as n from {table}", _shape="array"
    ).json()[0]["n"]


@pytest.mark.parametrize("path", ["/evidence.json", "/evidence"])
def test_a_runaway_query_is_cut_off_at_the_time_limit(ds, path):
    started = time.perf_counter()
    r = get(ds, path, sql=SLOW)
    elapsed = time.perf_counter() - started
    assert r.status_code == 400
    assert "SQL query took too long" in r.text
    assert elapsed < SETTINGS["sql_time_limit_ms"] / 1000 + 5, f"took {elapsed:.1f} s"


def test_the_site_answers_normally_after_a_cut_off(ds):
    get(ds, "/evidence.json", sql=SLOW)
    r = get(ds, "/evidence/studies.json", _shape="array", _size=2, _sort="ref")
    assert r.status_code == 200
    assert [row["ref"] for row in r.json()] == [1, 5]


WRITES = [
    "insert into meta (key, value) values ('x', 'y')",
    "update studies set year = 1900",
    "delete from claims",
    "drop table studies",
    "create table pwned (x)",
    "alter table studies add column pwned text",
    "replace into meta (key, value) values ('dataset_version', 'pwned')",
    "attach database '{tmp}/attached.db' as other",
    "vacuum into '{tmp}/copy.db'",
    "pragma writable_schema = 1",
    "pragma user_version = 7",
    "with x as (select 1) insert into meta (key, value) select 'k', 'v' from x",
    "select 1; drop table studies",
    "select load_extension('mod_spatialite')",
]


@pytest.mark.parametrize("sql", WRITES)
def test_every_write_is_refused(ds, site_db, tmp_path, sql):
    before = sha256(site_db)
    counts = {t: count_rows(ds, t) for t in ("studies", "claims", "meta")}
    sql = sql.format(tmp=tmp_path)
    for path in ("/evidence.json", "/evidence"):
        r = get(ds, path, sql=sql)
        assert r.status_code in (400, 403), (sql, r.status_code, r.text[:300])
        if path.endswith(".json"):
            assert r.json()["ok"] is False and r.json()["error"]
    assert sha256(site_db) == before
    assert {t: count_rows(ds, t) for t in counts} == counts
    assert list(tmp_path.iterdir()) == []  # nothing attached or vacuumed into existence


def test_the_database_file_is_unchanged_after_everything(ds, site_db, evidence_db):
    assert sha256(site_db) == sha256(evidence_db)
