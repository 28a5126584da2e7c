"""The baseline of the HTTP benchmarks: FastAPI with one route that returns a constant.

Measured in the same run, on the same server settings, as the real API, so that the ratio
(real route ÷ bare route) says what the work of a route costs, whatever the machine. `/bare` is a
plain `def` like the API's own routes (run in the thread pool); `/bare-async` skips the pool.
"""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI(title="bench: bare route")

CONSTANT = {"ok": True, "what": "a constant, for comparison"}


@app.get("/bare")
def bare() -> dict:
    return CONSTANT


@app.get("/bare-async")
async def bare_async() -> dict:
    return CONSTANT
