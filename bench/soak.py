"""`make soak`: a bounded load on every route with rebuilds under it; errors, memory and handles.

    uv run --frozen python -m bench.soak                  # 60 s, 4 rebuilds (what `make soak` runs)
    uv run --frozen python -m bench.soak --seconds 20 --rebuilds 2

Serves what `make run` serves (evidence.site.serve:create_app: the API with Datasette at /browse/)
with uvicorn on a free 127.0.0.1 port, over a private build in a temporary directory. Eight
workers cycle through every benchmarked route for a fixed time; meanwhile the database is
rebuilt from data/ and swapped in (os.replace) `--rebuilds` times at even intervals, as
`make build` does under a running site. The server's resident memory is read from
/proc/PID/status every second; its open files from /proc/PID/fd before the load and after it
(once in-flight requests are done), counting those on deleted files (earlier builds). Passes
with zero errors (status, transport, content, or an error in the server's log), memory growth
from the end of warm-up to the end below the bound, no handle left on a deleted build and at
most HANDLES_BOUND more open files than before. Appends a row to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from itertools import chain, zip_longest
from pathlib import Path

import httpx

from .load import load, serve
from .report import DOC, write_section
from .routes import api_routes, site_routes

RSS_BOUND_MIB = 64
HANDLES_BOUND = 16  # more open files after the run than before it
HISTORY = 10  # rows kept in docs/benchmarks.md


def interleaved(routes: dict[str, list[str]]) -> list[str]:
    """Every route's URLs, round-robin, so that each route is asked throughout the run."""
    return [u for u in chain.from_iterable(zip_longest(*routes.values())) if u]


def check(path: str, r: httpx.Response) -> bool:
    """The answer is the right one, not just a 200: the study asked for, a whole answer, a page."""
    if path.startswith("/api/studies/"):
        return r.json().get("ref") == int(path.rsplit("/", 1)[1])
    if path.startswith("/api/ask"):
        return {"concepts", "studies", "summary"} <= set(r.json())
    if path.startswith("/api/gap-map"):
        return bool(r.json().get("cells"))
    if path.startswith("/browse/"):
        return "</html>" in r.text
    return "data" in r.json()


class Sampler(threading.Thread):
    """(seconds since start, RSS KiB) of the server every `every` seconds."""

    def __init__(self, server, every: float = 1.0):
        super().__init__(daemon=True)
        self.server, self.every, self.samples, self.stop = server, every, [], threading.Event()
        self.start_time = time.monotonic()

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append(
                (round(time.monotonic() - self.start_time, 1), self.server.rss_kib())
            )
            self.stop.wait(self.every)


def open_files(pid: int) -> dict:
    """The server's open file descriptors, and how many point at deleted files."""
    total = deleted = 0
    for entry in Path(f"/proc/{pid}/fd").iterdir():
        total += 1
        with contextlib.suppress(OSError):  # closed meanwhile
            deleted += os.readlink(entry).endswith("(deleted)")
    return {"open": total, "deleted": deleted}


def rebuild_under_load(db: Path, seconds: float, rebuilds: int, started: float, rebuilt: dict):
    """Rebuild `db` from data/ `rebuilds` times, evenly through the run; note it in `rebuilt`."""
    from evidence.build.database import build_database
    from evidence.settings import settings

    every = seconds / (rebuilds + 1)
    for i in range(1, rebuilds + 1):
        time.sleep(max(0.0, every * i - (time.monotonic() - started)))
        t0 = time.perf_counter()
        build_database(settings.data_dir, db)
        rebuilt.update(n=i, at_s=round(every, 1), took_s=round(time.perf_counter() - t0, 3))


def soak(seconds: float, rebuilds: int, warmup: float, concurrency: int) -> dict:
    from evidence.build.database import build_database
    from evidence.settings import settings

    work = Path(tempfile.mkdtemp(prefix="evidens-soak-"))
    try:
        db = build_database(settings.data_dir, work / "evidence.db")
        routes = {**api_routes(db), **site_routes(prefix="/browse")}
        urls = interleaved(routes)
        rebuilt: dict = {}

        with serve(
            "evidence.site.serve:create_app", env={"EVIDENCE_DB_PATH": str(db)}, factory=True
        ) as server:
            handles_before = open_files(server.pid)
            sampler = Sampler(server)
            sampler.start()
            started = time.monotonic()
            rebuilder = threading.Thread(
                target=rebuild_under_load,
                args=(db, seconds, rebuilds, started, rebuilt),
                daemon=True,
            )
            rebuilder.start()
            figures = load(
                server.url,
                urls,
                concurrency,
                seconds,
                max_requests=1_000_000,
                check=check,
                # each route asked in turn first: a fresh server's first concurrent requests to the
                # mounted site fail (see tests/test_reliability_serving.py), not what a soak measures
                warmup=2 * len(routes),
            )
            rebuilder.join(120)
            for url in urls[: len(routes)]:  # a request to each route once the load is over
                httpx.get(server.url + url, timeout=60)
            sampler.stop.set()
            sampler.join(5)
            handles = {"before": handles_before, "after": open_files(server.pid)}
            logged = server.logged_errors()
            log_tail = server.log_tail() if logged else ""
        return {
            **summarise(figures, sampler.samples, warmup, rebuilt, logged, len(urls), handles),
            "server_log_tail": log_tail,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def summarise(
    figures: dict,
    samples: list,
    warmup: float,
    rebuilt: dict,
    logged: int,
    n_urls: int,
    handles: dict,
) -> dict:
    after_warmup = next((kib for t, kib in samples if t >= warmup), samples[-1][1])
    final, peak = samples[-1][1], max(kib for _, kib in samples)
    growth_mib = round((final - after_warmup) / 1024, 1)
    errors = figures["errors"] + logged
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        **figures,
        "urls": n_urls,
        "server_logged_errors": logged,
        "rebuild": rebuilt,
        "rss_mib": {
            "after_warmup": round(after_warmup / 1024, 1),
            "final": round(final / 1024, 1),
            "peak": round(peak / 1024, 1),
            "growth": growth_mib,
            "bound": RSS_BOUND_MIB,
            "every_10_s": [round(kib / 1024, 1) for t, kib in samples if t % 10 < 1],
        },
        "rss_samples": samples,
        "handles": handles,
        "passed": errors == 0
        and growth_mib < RSS_BOUND_MIB
        and bool(rebuilt)
        and handles["after"]["deleted"] == 0
        and handles["after"]["open"] <= handles["before"]["open"] + HANDLES_BOUND,
    }


def markdown_row(s: dict) -> str:
    m, h = s["rss_mib"], s["handles"]
    return (
        f"| {s['date']} | {s['seconds']:.0f} s, c={s['concurrency']} | {s['requests']} ({s['rps']:.0f}/s) | p50 {s['p50']:.1f} / p99 {s['p99']:.1f} ms "
        f"| {s['errors'] + s['server_logged_errors']} | {s['rebuild'].get('n', 0)} × every {s['rebuild'].get('at_s', '–')} s, {s['rebuild'].get('took_s', '–')} s "
        f"| {m['after_warmup']} → {m['final']} (peak {m['peak']}) | {m['growth']:+.1f} < {m['bound']} "
        f"| {h['before']['open']} → {h['after']['open']} ({h['after']['deleted']} deleted) | {'yes' if s['passed'] else '**no**'} |"
    )


def append_to_doc(s: dict, doc: Path = DOC) -> None:
    """Add this run's row to the soak table (the last HISTORY runs are kept)."""
    text = doc.read_text(encoding="utf-8")
    start, end = "<!-- soak:start -->", "<!-- soak:end -->"
    old = text.split(start, 1)[1].split(end, 1)[0] if start in text else ""
    rows = [line for line in old.splitlines() if line.startswith("| 20")]
    header = [
        "Command: `make soak` (= `uv run --frozen python -m bench.soak`); all routes of `make bench` through "
        "`evidence.site.serve:create_app`, rebuilds (os.replace) under the load; RSS from /proc/PID/status, MiB; "
        "open files from /proc/PID/fd before → after the load (on deleted builds).",
        "",
        "| date | run | requests | latency | errors | rebuilds | RSS MiB, warm → end | growth MiB | open files | passed |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    write_section("soak", "\n".join(header + (rows + [markdown_row(s)])[-HISTORY:]), doc)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=60, help="duration of the load (default 60)")
    p.add_argument("--concurrency", type=int, default=8, help="workers (default 8)")
    p.add_argument("--rebuilds", type=int, default=4, help="rebuilds under the load (default 4)")
    p.add_argument(
        "--warmup",
        type=float,
        default=10,
        help="memory growth is counted from this second on (default 10)",
    )
    p.add_argument(
        "--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone"
    )
    args = p.parse_args(argv)
    s = soak(args.seconds, args.rebuilds, min(args.warmup, args.seconds / 3), args.concurrency)
    m, h = s["rss_mib"], s["handles"]
    print(
        json.dumps(
            {k: v for k, v in s.items() if k not in ("rss_samples", "server_log_tail")},
            ensure_ascii=False,
            indent=2,
        )
    )
    if s["server_log_tail"]:
        print("\nThe server logged errors; the end of its log:\n" + s["server_log_tail"])
    print(
        f"\nsoak {s['seconds']:.0f} s at concurrency {s['concurrency']}: {s['requests']} requests ({s['rps']:.0f}/s), "
        f"p50 {s['p50']:.1f} ms, p99 {s['p99']:.1f} ms, {s['errors']} errors, {s['server_logged_errors']} logged by the server; "
        f"rebuilt {s['rebuild'].get('n', 0)} times in {s['rebuild'].get('took_s')} s each; open files {h['before']['open']} → "
        f"{h['after']['open']} ({h['after']['deleted']} on deleted builds); RSS {m['after_warmup']} → {m['final']} MiB "
        f"(peak {m['peak']}), growth {m['growth']:+.1f} MiB (bound {RSS_BOUND_MIB}) — {'PASSED' if s['passed'] else 'FAILED'}"
    )
    print(f"RSS every 10 s, MiB: {' → '.join(map(str, m['every_10_s']))}")
    if not args.no_write:
        append_to_doc(s)
        print("appended to docs/benchmarks.md")
    return 0 if s["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
