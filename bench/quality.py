"""Answer quality of /api/ask on tests/ask_devset.yml, beside a full-text-search baseline.

For each question: the studies /api/ask returns against the studies the review cites for what is
asked (the dev set's `expected`), as precision, recall and F1; then the macro averages. In the same
run, two baselines put the same questions through the database's full-text index of the claims
(`claims_fts`, the index Datasette's search box uses, queried with the escape it installs,
evidence.search_text.fts_query) and take the studies the matching claims cite:

- `fts_all`: every word must match, as Datasette's search box does;
- `fts_any`: any word may match (the words joined with OR), the generous variant.

    uv run --frozen python -m bench.quality           # prints the table
    uv run --frozen python -m bench.quality --json    # the figures as JSON

`evaluate()` returns the figures for `make bench` (bench/run.py) to save.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from evidence.answer.stopwords import STOPWORDS
from evidence.search_text import fts_query, words
from evidence.settings import ROOT, settings

DEVSET = ROOT / "tests" / "ask_devset.yml"


def load_devset(path: Path = DEVSET) -> list[dict]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def scores(answered: set[int], expected: set[int]) -> dict:
    """Precision, recall and F1; an empty answer to a question whose right answer is empty scores 1."""
    if not answered and not expected:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    hit = len(answered & expected)
    p = hit / len(answered) if answered else (1.0 if not expected else 0.0)
    r = hit / len(expected) if expected else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def api_answerer(client) -> Callable[[str], set[int]]:
    """The refs /api/ask returns, through the API in-process (a TestClient)."""

    def ask(question: str) -> set[int]:
        r = client.get("/api/ask", params={"q": question})
        r.raise_for_status()
        return {s["ref"] for s in r.json()["studies"]}

    return ask


def fts_answerer(db_path: Path, mode: str) -> Callable[[str], set[int]]:
    """The refs cited by the claims the full-text index matches (mode 'all' or 'any' word)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)

    def ask(question: str) -> set[int]:
        if mode == "all":
            match = fts_query(question)
        else:
            terms = [w for w in words(question) if w not in STOPWORDS] or words(question)
            match = " OR ".join(f"({fts_query(w)})" for w in terms) or '""'
        sql = (
            "select distinct ci.ref from claims_fts f join claims c on c.rowid = f.rowid "
            "join citations ci on ci.claim_id = c.claim_id where claims_fts match ?"
        )
        return {r[0] for r in conn.execute(sql, [match])}

    return ask


def evaluate(db_path: Path | None = None, devset: Path = DEVSET) -> dict:
    """Per-question and macro precision/recall/F1 of /api/ask and of the FTS baselines."""
    from fastapi.testclient import TestClient

    from evidence.api.main import create_app

    db_path = Path(db_path or settings.db_path)
    with TestClient(create_app(db_path=db_path)) as client:
        return _evaluate(client, db_path, devset)


def _evaluate(client, db_path: Path, devset: Path) -> dict:
    systems = {
        "ask": api_answerer(client),
        "fts_all": fts_answerer(db_path, "all"),
        "fts_any": fts_answerer(db_path, "any"),
    }
    rows = []
    for item in load_devset(devset):
        expected = set(item["expected"])
        row = {"q": item["q"], "expected": sorted(expected)}
        for name, ask in systems.items():
            got = ask(item["q"])
            row[name] = {"refs": sorted(got), **scores(got, expected)}
        rows.append(row)
    macro = {
        name: {
            k: round(sum(r[name][k] for r in rows) / len(rows), 4)
            for k in ("precision", "recall", "f1")
        }
        for name in systems
    }
    return {
        "devset": str(devset.relative_to(ROOT) if devset.is_relative_to(ROOT) else devset),
        "n_questions": len(rows),
        "questions": rows,
        "macro": macro,
    }


def format_table(result: dict) -> str:
    lines = [
        f"{'question':<52} {'n':>3}  {'ask P':>6} {'R':>5} {'F1':>5}   {'fts_all F1':>10} {'fts_any F1':>10}"
    ]
    for r in result["questions"]:
        q = r["q"] if len(r["q"]) <= 50 else r["q"][:49] + "…"
        a = r["ask"]
        lines.append(
            f"{q:<52} {len(r['expected']):>3}  {a['precision']:>6.2f} {a['recall']:>5.2f} {a['f1']:>5.2f}   "
            f"{r['fts_all']['f1']:>10.2f} {r['fts_any']['f1']:>10.2f}"
        )
    m = result["macro"]
    lines.append("-" * len(lines[0]))
    lines.append(
        f"{'macro (' + str(result['n_questions']) + ' questions)':<52} {'':>3}  {m['ask']['precision']:>6.2f} "
        f"{m['ask']['recall']:>5.2f} {m['ask']['f1']:>5.2f}   {m['fts_all']['f1']:>10.2f} {m['fts_any']['f1']:>10.2f}"
    )
    lines.append(
        f"baselines, macro P/R: fts_all {m['fts_all']['precision']:.2f}/{m['fts_all']['recall']:.2f}, "
        f"fts_any {m['fts_any']['precision']:.2f}/{m['fts_any']['recall']:.2f}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__.splitlines()[0])
    p.add_argument(
        "--db",
        type=Path,
        default=settings.db_path,
        help="the built database (default: build/evidence.db)",
    )
    p.add_argument(
        "--devset",
        type=Path,
        default=DEVSET,
        help="questions and expected refs (default: tests/ask_devset.yml)",
    )
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = p.parse_args(argv)
    if not args.db.exists():
        print(
            f"{args.db} does not exist; run `make build` (or `uv run evidence build`) first.",
            file=sys.stderr,
        )
        return 2
    result = evaluate(args.db, args.devset)
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else format_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
