"""The layers do not leak: SQL stays in evidence.read, printing in the CLI, dependencies in deps."""

from __future__ import annotations

import re

from evidence.settings import ROOT

ROUTES = sorted((ROOT / "api" / "routes").glob("*.py"))
CORE = sorted(p for p in (ROOT / "src" / "evidence").rglob("*.py") if "api" not in p.parts)


def test_the_api_routes_hold_no_sql():
    assert ROUTES
    for path in ROUTES:
        text = path.read_text(encoding="utf-8")
        assert ".execute(" not in text, path
        assert not re.search(r"\bselect\b[^\n]*\bfrom\b", text, flags=re.I), path


def test_the_core_neither_prints_nor_sets_the_process():
    allowed = {"cli.py"}  # the command line prints; nothing else does
    for path in CORE:
        if path.name in allowed:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*print\(", text, flags=re.M), path
        assert "gc.freeze" not in text, path


def test_every_route_dependency_is_in_deps():
    for path in ROUTES:
        text = path.read_text(encoding="utf-8")
        assert "Depends(" not in text, f"{path}: declare the dependency in api/deps.py"
