"""Dependencies earn their place: the serving environment holds what serving imports, no dev tools."""

from __future__ import annotations

import re
import tomllib

from evidence.settings import ROOT

LOCK = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PACKAGES = {p["name"]: p for p in LOCK["package"]}


def runtime_closure() -> set[str]:
    """Every package `uv sync --no-dev` installs: the project's dependencies and theirs."""
    todo = [d["name"] for d in PACKAGES["evidens"]["dependencies"]]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += [d["name"] for d in PACKAGES[name].get("dependencies", [])]
    return seen


def test_dev_tools_stay_out_of_the_serving_environment():
    closure = runtime_closure()
    assert "datasette" in closure and "fastapi" in closure
    for tool in ("rich", "schemathesis", "pytest", "playwright", "ruff", "mypy", "pyinstrument"):
        assert tool not in closure, tool


def test_every_direct_dependency_is_imported_or_is_a_datasette_plugin():
    imported = set()
    for path in [*(ROOT / "src" / "evidence").rglob("*.py"), *(ROOT / "api").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        imported |= set(re.findall(r"^\s*(?:from|import) (\w+)", text, flags=re.M))
        imported |= set(re.findall(r"import_module\(\"(\w+)\"\)", text))
    modules = {  # distribution → the module it is imported as
        "pyyaml": "yaml",
        "pystemmer": "Stemmer",
        "pydantic-settings": "pydantic_settings",
        "sqlite-utils": "sqlite_utils",
    }
    metadata = (ROOT / "datasette_metadata.yml").read_text(encoding="utf-8")
    tests = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    for requirement in PROJECT["dependencies"]:
        name = re.split(r"[<>=!~ ]", requirement, maxsplit=1)[0]
        if name.startswith("datasette-"):  # a plugin: configured for the site, or tested
            plugin = name.removeprefix("datasette-").replace("-", "_")
            assert name in metadata or f"def test_{plugin}" in tests, name
        else:
            assert modules.get(name, name.replace("-", "_")) in imported, name
