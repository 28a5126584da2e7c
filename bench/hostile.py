"""Hostile SQL against the served site on loopback: status, size, time and the server's peak memory.

    uv run --frozen python -m bench.hostile            # what `make soak` also runs

Serves what `make run` serves (evidence.site.serve:create_app) with uvicorn on a free 127.0.0.1
port over a private build, sends each query of QUERIES once to /browse/evidence.json (one at a
time, 60 s timeout each) and reads the server's peak resident memory (VmHWM in /proc/PID/status)
after each. Passes when no answer is a 5xx, no answer is over 64 MB and the peak stays under
PEAK_BOUND_MIB.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

from .load import serve

PEAK_BOUND_MIB = 512
QUERIES = [
    "select randomblob(300000000)",
    "select length(zeroblob(2000000000))",
    "select printf('%.*c', 2000000000, 'x')",
    "select replace(printf('%.*c', 900000, 'x'), 'x', 'yyyyyyyyyy')",
    "with recursive c(x) as (select 1 union all select x + 1 from c where x < 100000) "
    "select group_concat(printf('%.*c', 1000, 'x')) from c",
    "with recursive c(x) as (select 1 union all select x + 1 from c where x < 2000) "
    "select randomblob(900000) from c",
    "select " + ", ".join(["randomblob(900000)"] * 60),
    "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c",
    "select * from pragma_database_list",
    "select * from gap_maps",  # the largest real answer (~1.2 MB of JSON) still answers
]


def peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def run() -> dict:
    from evidence.build.database import build_database
    from evidence.settings import settings

    work = Path(tempfile.mkdtemp(prefix="evidens-hostile-"))
    try:
        db = build_database(settings.data_dir, work / "evidence.db")
        env = {"EVIDENCE_DB_PATH": str(db)}
        with serve("evidence.site.serve:create_app", env=env, factory=True) as server:
            httpx.get(server.url + "/browse/evidence/studies", timeout=60)
            start = peak_kib(server.pid)
            rows = [ask(server, q) for q in QUERIES]
        peak = max(r["peak_mib"] for r in rows)
        return {
            "start_peak_mib": round(start / 1024, 1),
            "peak_mib": peak,
            "bound_mib": PEAK_BOUND_MIB,
            "queries": rows,
            "passed": peak < PEAK_BOUND_MIB
            and all(r["status"] < 500 and r["bytes"] < 64 * 2**20 for r in rows),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def ask(server, sql: str) -> dict:
    t0 = time.perf_counter()
    try:
        r = httpx.get(server.url + "/browse/evidence.json", params={"sql": sql}, timeout=60)
        status, size = r.status_code, len(r.content)
    except httpx.HTTPError as e:
        status, size = 599, 0  # no answer within the timeout counts as a server error
        sql += f"  [{type(e).__name__}]"
    return {
        "sql": sql[:70],
        "status": status,
        "bytes": size,
        "seconds": round(time.perf_counter() - t0, 2),
        "peak_mib": round(peak_kib(server.pid) / 1024, 1),
    }


def main() -> int:
    result = run()
    print(json.dumps(result, indent=2))
    print(
        f"hostile SQL: {len(result['queries'])} queries, peak {result['peak_mib']} MiB "
        f"(bound {PEAK_BOUND_MIB}) — {'PASSED' if result['passed'] else 'FAILED'}"
    )
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
