"""Scale: a synthetic review N× the real one (bench/synthetic.py), built and queried.

For each factor: generate bench/synthetic/<N>x/data, build it (timed), and measure the API on the
result in-process: startup (the concept index), /api/ask and /api/studies/{ref}. The API is pointed
at the synthetic database with create_app(db_path=...) and at its data/ with EVIDENCE_DATA_DIR.
Each factor runs in a subprocess of its own with a time limit, so that one that does not scale
is reported as such instead of stalling `make bench`.

    python -m bench.scale 100 --seconds 60      # prints the figures as JSON
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from .synthetic import OUT, generate_review
from .timing import median_time

ROOT = Path(__file__).resolve().parents[1]


def measure_factor(factor: int, seconds: float, calls: int, build_runs: int) -> dict:
    """Figures for one factor, in this process (EVIDENCE_DATA_DIR must already point at its data/)."""
    from evidence.build.database import build_database

    from .inprocess import api_latency
    from .routes import api_routes

    t0 = time.perf_counter()
    data = generate_review(factor)
    generated = time.perf_counter() - t0
    db = data.parent / "evidence.db"
    build = median_time(lambda: build_database(data, db), build_runs)
    routes = {k: v for k, v in api_routes(db).items() if k in ("/api/ask", "/api/studies/{ref}")}
    latency = api_latency(db, calls, seconds, routes)
    return {
        "factor": factor,
        "generate_s": round(generated, 2),
        "build": build,
        "db_bytes": db.stat().st_size,
        "rows": row_counts(db),
        "startup_s": latency.pop("_startup_s"),
        "latency": latency,
    }


def row_counts(db: Path) -> dict[str, int]:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {
            t: conn.execute(f"select count(*) from [{t}]").fetchone()[0]
            for t in ("studies", "findings", "claims", "citations", "concepts", "references")
        }
    finally:
        conn.close()


def run_factor(factor: int, seconds: float, calls: int, build_runs: int, timeout: float) -> dict:
    """measure_factor in a subprocess bounded by `timeout` seconds; {'error': …} when it is not done."""
    data = OUT / f"{factor}x" / "data"
    env = {**os.environ, "EVIDENCE_DATA_DIR": str(data)}
    cmd = [
        sys.executable,
        "-m",
        "bench.scale",
        str(factor),
        "--seconds",
        str(seconds),
        "--calls",
        str(calls),
        "--build-runs",
        str(build_runs),
    ]
    try:
        done = subprocess.run(
            cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {
            "factor": factor,
            "error": f"not finished within {timeout:.0f} s (generate, build, start the API, query)",
        }
    if done.returncode != 0:
        return {"factor": factor, "error": f"exit {done.returncode}: {done.stderr.strip()[-1500:]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[0])
    p.add_argument("factor", type=int, help="size as a multiple of the real review (e.g. 10, 100)")
    p.add_argument(
        "--seconds", type=float, default=60, help="time limit of each route's timed calls"
    )
    p.add_argument(
        "--calls",
        type=int,
        default=1000,
        help="timed calls per route (fewer when --seconds runs out)",
    )
    p.add_argument("--build-runs", type=int, default=1, help="builds to take the median of")
    args = p.parse_args(argv)
    os.environ.setdefault("EVIDENCE_DATA_DIR", str(OUT / f"{args.factor}x" / "data"))
    print(json.dumps(measure_factor(args.factor, args.seconds, args.calls, args.build_runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
