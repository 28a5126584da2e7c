"""`make bench`: answer quality, latency, HTTP throughput, build time and scale, in one run.

    uv run --frozen python -m bench.run            # what `make bench` runs (after `make build`), ~6–10 min
    uv run --frozen python -m bench.run --quick    # a smoke run of every part, ~1–2 min

Prints a table, writes every figure to bench/results.json and the latest ones (with the command
and the machine) to docs/benchmarks.md. Works on a copy of build/evidence.db in a temporary
directory, so a rebuild during the run changes nothing; builds only into temporary files and
bench/synthetic/ (gitignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from . import quality
from .report import bench_markdown, targets, text_table, write_section

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        (
            int(line.split()[1])
            for line in _read("/proc/meminfo").splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    commit = _git("rev-parse", "HEAD")
    if commit and _git("status", "--porcelain"):
        commit += " + uncommitted changes"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem / 2**20, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "git_commit": commit or "unknown",
    }


def _git(*args: str) -> str:
    """Output of a read-only git command ('' when git or the repository is not there)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def step(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def working_copy(work: Path) -> Path:
    """build/evidence.db copied to work/ (built there from data/ when there is none)."""
    from evidence.build.database import build_database
    from evidence.settings import settings

    db = work / "evidence.db"
    if settings.db_path.exists():
        shutil.copy2(settings.db_path, db)
        return db
    step(
        f"{settings.db_path} does not exist; building a private copy (run `make build` to have one)"
    )
    return build_database(settings.data_dir, db)


def run(args) -> dict:
    from evidence.build.database import build_database
    from evidence.settings import settings

    from .inprocess import api_latency, site_latency
    from .scale import run_factor
    from .site_pages import pages_vs_plain
    from .throughput import http_matrix
    from .timing import median_time

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="evidens-bench-"))
    try:
        db = working_copy(work)
        command = " ".join(["uv run --frozen python -m bench.run", *args.argv])
        r: dict = {
            "machine": machine(),
            "command": command if args.argv else f"make bench  # = {command}",
        }
        step("answer quality (bench/quality.py)")
        r["quality"] = quality.evaluate(db)
        r["quality_table"] = quality.format_table(r["quality"])
        step(f"in-process latency, {args.calls} calls a route")
        api = api_latency(db, args.calls, args.max_seconds)
        r["api_startup_s"] = api.pop("_startup_s")
        r["inprocess"] = {**api, **site_latency(db, args.calls, args.max_seconds)}
        if args.http_seconds > 0:
            step(f"HTTP on loopback, {args.http_seconds:g} s a point")
            r["http_seconds"] = args.http_seconds
            r["http"] = http_matrix(db, args.http_seconds)
            step("the site's pages beside plain Datasette (bench/site_pages.py)")
            r["site_pages"] = pages_vs_plain(db, args.http_seconds)
        step(f"full build, {args.build_runs} runs")
        r["build"] = median_time(
            lambda: build_database(settings.data_dir, work / "rebuilt.db"), args.build_runs
        )
        r["scale"] = []
        for factor in args.sizes:
            step(f"scale {factor}× (limit {args.scale_timeout:g} s)")
            r["scale"].append(
                run_factor(
                    factor,
                    args.scale_seconds,
                    args.calls,
                    1 if factor >= 100 else 3,
                    args.scale_timeout,
                )
            )
        r["targets"] = targets(r)
        r["elapsed_s"] = round(time.perf_counter() - started, 1)
        return r
    finally:
        shutil.rmtree(work, ignore_errors=True)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    p.add_argument(
        "--calls", type=int, default=1000, help="timed in-process calls per route (default 1000)"
    )
    p.add_argument(
        "--max-seconds",
        type=float,
        default=60,
        help="stop a route's timed calls after this long (default 60)",
    )
    p.add_argument(
        "--http-seconds",
        type=float,
        default=5,
        help="duration of each HTTP load point; 0 skips HTTP (default 5)",
    )
    p.add_argument(
        "--build-runs", type=int, default=5, help="full builds to take the median of (default 5)"
    )
    p.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        default=[10, 100],
        help="synthetic sizes, × the real review (default 10 100)",
    )
    p.add_argument(
        "--scale-seconds",
        type=float,
        default=45,
        help="time limit of each route's calls at a size (default 45)",
    )
    p.add_argument(
        "--scale-timeout", type=float, default=420, help="time limit of a whole size (default 420)"
    )
    p.add_argument(
        "--quick", action="store_true", help="a smoke run: 100 calls, 1 s points, 10× only"
    )
    p.add_argument(
        "--no-write",
        action="store_true",
        help="print only; leave bench/results.json and docs/ alone",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parser().parse_args(argv)
    args.argv = argv
    if args.quick:
        args.calls, args.http_seconds, args.build_runs, args.sizes, args.scale_seconds = (
            100,
            1,
            3,
            [10],
            10,
        )
    r = run(args)
    print(text_table(r))
    if not args.no_write:
        RESULTS.write_text(
            json.dumps(
                {k: v for k, v in r.items() if k != "quality_table"}, ensure_ascii=False, indent=2
            )
            + "\n",
            encoding="utf-8",
        )
        write_section("bench", bench_markdown(r))
        print(f"\nwrote {RESULTS.relative_to(ROOT)} and docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
