"""Timing helpers: latency percentiles and the median of repeated runs."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable


def percentiles(seconds: list[float]) -> dict:
    """n, mean, p50, p95, p99 and max of durations, in milliseconds (nearest-rank percentiles)."""
    if not seconds:
        return {"n": 0}
    ms = sorted(s * 1000 for s in seconds)

    def rank(p: float) -> float:
        return round(ms[max(0, math.ceil(p / 100 * len(ms)) - 1)], 3)

    return {
        "n": len(ms),
        "mean": round(statistics.fmean(ms), 3),
        "p50": rank(50),
        "p95": rank(95),
        "p99": rank(99),
        "max": round(ms[-1], 3),
    }


def median_time(call: Callable[[], object], runs: int) -> dict:
    """Median, min and max wall time of `runs` calls, in seconds."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return {
        "runs": runs,
        "median_s": round(statistics.median(times), 3),
        "min_s": round(min(times), 3),
        "max_s": round(max(times), 3),
    }
