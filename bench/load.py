"""HTTP load on loopback: uvicorn in a subprocess, and a bounded httpx load generator.

Pure Python so that it runs the same wherever `uv sync` does: httpx.AsyncClient with a fixed
number of workers (one keep-alive connection each), every run bounded by a duration *and* a
request count. On a small machine the client shares the CPU with the server, so absolute
throughput is a floor; the ratio to the bare route (measured the same way) is what compares.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from .timing import percentiles

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    pid: int
    log: Path

    def logged_errors(self) -> int:
        """Lines of the server's log that report an error (uvicorn logs at warning and above)."""
        text = self.log.read_text(errors="replace")
        return sum(
            1 for line in text.splitlines() if line.startswith(("ERROR", "Traceback", "CRITICAL"))
        )

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the server's log (where its last errors are)."""
        return self.log.read_text(errors="replace")[-chars:]

    def rss_kib(self) -> int:
        """Resident set size of the server process, from /proc/PID/status."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0


@contextmanager
def serve(
    app: str,
    env: dict | None = None,
    factory: bool = False,
    ready_path: str = "/openapi.json",
    timeout: float = 120,
) -> Iterator[Server]:
    """`uvicorn app` on a free 127.0.0.1 port in a subprocess; stopped (by its pid) on exit."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="bench-uvicorn-", suffix=".log")[1])
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        *(["--factory"] if factory else []),
        "--host",
        HOST,
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(f"http://{HOST}:{port}", proc.pid, log)
    try:
        _wait_ready(server.url + ready_path, proc, log, timeout)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.unlink(missing_ok=True)


def _wait_ready(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"the server exited with {proc.returncode}:\n{log.read_text()[-3000:]}"
            )
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(
        f"the server did not answer {url} within {timeout} s:\n{log.read_text()[-3000:]}"
    )


def load(
    base: str,
    paths: list[str],
    concurrency: int,
    seconds: float,
    max_requests: int = 200_000,
    check: Callable[[str, httpx.Response], bool] | None = None,
    warmup: int = 20,
) -> dict:
    """Requests/s, latency percentiles and errors of `concurrency` workers cycling through `paths`."""
    return asyncio.run(_load(base, paths, concurrency, seconds, max_requests, check, warmup))


async def _load(base, paths, concurrency, seconds, max_requests, check, warmup) -> dict:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    latencies: list[float] = []
    errors: Counter = Counter()
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=15) as client:
        for i in range(warmup):
            await client.get(paths[i % len(paths)])
        counter = itertools.count()
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            while time.perf_counter() < deadline and (n := next(counter)) < max_requests:
                path = paths[n % len(paths)]
                t0 = time.perf_counter()
                try:
                    r = await client.get(path)
                    if r.status_code != 200:
                        errors[f"HTTP {r.status_code} {path}"] += 1
                    elif check and not check(path, r):
                        errors[f"wrong content {path}"] += 1
                except httpx.HTTPError as e:
                    errors[f"{type(e).__name__} {path}"] += 1
                latencies.append(time.perf_counter() - t0)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    stats = percentiles(latencies)
    return {
        "concurrency": concurrency,
        "seconds": round(elapsed, 2),
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50": stats.get("p50"),
        "p99": stats.get("p99"),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors.most_common(5)),
    }
