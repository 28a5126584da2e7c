"""Answer quality of /api/ask on the natural-question benchmark, beside two baselines, per split.

Question sets (tests/): `questions_dev.yml` (263, may be tuned on), `questions_test.yml` (320,
never tuned on: the honest figure), and `ask_devset.yml` (48, the first wave's set that the thesaurus was
tuned on; kept for continuity). Each question has the studies the review cites for it
(`expected`) and studies a reasonable answer may add (`acceptable`; absent in ask_devset.yml).

Systems, in the same run:
- `ask`: /api/ask, in-process through the API;
- `bm25`: plain BM25 over the claim sentences: SQLite FTS5's bm25() over `claims_fts`, the
  question's words and their Danish/English stems OR-ed, the top 3 claims, the studies they cite;
- `resolver`: the first wave's thesaurus resolver alone (evidence.answer.resolve), answering
  with every study of the concepts it chooses (concept_studies): the system /api/ask replaced.

Scores per question: precision = answered studies that are expected or acceptable / answered;
recall = expected studies answered / expected; F1. A question with nothing expected scores 1 when
the answer is empty and 0 otherwise. Reported per set and language as macro averages, with the
share of covered questions answered empty and of uncovered questions answered empty.

    uv run --frozen python -m bench.quality           # the table
    uv run --frozen python -m bench.quality --json    # every question, as JSON
    uv run --frozen python -m bench.quality --only E  # one writer's batch (ids E…)
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

SETS = {
    "test": ROOT / "tests" / "questions_test.yml",
    "dev": ROOT / "tests" / "questions_dev.yml",
    "tuned": ROOT / "tests" / "ask_devset.yml",
}
SYSTEMS = ("ask", "bm25", "resolver")
TOP_CLAIMS = 3


def load_questions(path: Path) -> list[dict]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def scores(answered: set[int], expected: set[int], acceptable: set[int] = frozenset()) -> dict:
    """Precision, recall and F1 of one answer (see the module's docstring)."""
    if not expected:
        f = 1.0 if not answered else 0.0
        return {"precision": f, "recall": f, "f1": f}
    right = len(answered & (expected | acceptable))
    p = right / len(answered) if answered else 0.0
    r = len(answered & expected) / len(expected)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def api_answerer(client) -> Callable[[str], set[int]]:
    def ask(question: str) -> set[int]:
        r = client.get("/api/ask", params={"q": question})
        r.raise_for_status()
        return {s["ref"] for s in r.json()["studies"]}

    return ask


def bm25_answerer(db_path: Path) -> Callable[[str], set[int]]:
    """The studies cited by the top claims of a plain FTS5 BM25 ranking (any word may match)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)

    def ask(question: str) -> set[int]:
        terms = [w for w in words(question) if w not in STOPWORDS] or words(question)
        match = " OR ".join(f"({fts_query(w)})" for w in terms) or '""'
        sql = (
            "select ci.ref from (select c.claim_id from claims_fts f join claims c "
            "on c.rowid = f.rowid where claims_fts match ? order by bm25(claims_fts) limit ?) top "
            "join citations ci on ci.claim_id = top.claim_id join studies s on s.ref = ci.ref"
        )
        return {r[0] for r in conn.execute(sql, [match, TOP_CLAIMS])}

    return ask


def resolver_answerer(db_path: Path) -> Callable[[str], set[int]]:
    """The thesaurus resolver alone: the studies of the concepts it chooses."""
    from evidence.answer.ask import concept_index
    from evidence.answer.choose import choose
    from evidence.read.database import Database

    db = Database(db_path)
    index = concept_index(db)
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)

    def ask(question: str) -> set[int]:
        chosen = choose(index.resolve(question, min_score=20.0), index.broader)
        ids = [m.concept_id for m in chosen]
        marks = ", ".join("?" for _ in ids) or "null"
        sql = f"select distinct ref from concept_studies where concept_id in ({marks})"
        return {r[0] for r in conn.execute(sql, ids)}

    return ask


def evaluate(
    db_path: Path | None = None, sets: dict[str, Path] | None = None, only: str = ""
) -> dict:
    """Per-question scores and the macro table of every system on every set; `only`: just the
    questions whose id starts with it (a writer's batch: "E"), sets without any left out."""
    from fastapi.testclient import TestClient

    from evidence.api.main import create_app

    db_path = Path(db_path or settings.db_path)
    with TestClient(create_app(db_path=db_path)) as client:
        systems = {
            "ask": api_answerer(client),
            "bm25": bm25_answerer(db_path),
            "resolver": resolver_answerer(db_path),
        }
        found = {name: _evaluate_set(systems, path, only) for name, path in (sets or SETS).items()}
        return {name: res for name, res in found.items() if res["n_questions"]}


def _evaluate_set(systems: dict, path: Path, only: str = "") -> dict:
    rows = []
    for item in load_questions(path):
        if not str(item.get("id", "")).startswith(only):
            continue
        expected, acceptable = set(item["expected"]), set(item.get("acceptable") or [])
        row = {"id": item.get("id"), "q": item["q"], "lang": item.get("lang", "")}
        row["style"] = item.get("style", "")
        row["expected"] = sorted(expected)
        for name, ask in systems.items():
            got = ask(item["q"])
            row[name] = {"refs": sorted(got), **scores(got, expected, acceptable)}
        rows.append(row)
    return {
        "file": str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path),
        "n_questions": len(rows),
        "questions": rows,
        "macro": {lang: macro(rows, systems, lang) for lang in ("all", "da", "en")},
    }


def macro(rows: list[dict], systems, lang: str = "all") -> dict:
    """Macro P/R/F1 and the empty-answer shares of each system over the rows (of one language)."""
    mine = [r for r in rows if lang == "all" or r["lang"] == lang]
    covered = [r for r in mine if r["expected"]]
    uncovered = [r for r in mine if not r["expected"]]
    out = {"n": len(mine), "n_uncovered": len(uncovered)}
    for name in systems:
        out[name] = {
            k: round(sum(r[name][k] for r in mine) / len(mine), 4) if mine else None
            for k in ("precision", "recall", "f1")
        }
        out[name]["covered_empty"] = _share(covered, name)
        out[name]["uncovered_empty"] = _share(uncovered, name)
    return out


def _share(rows: list[dict], system: str) -> float | None:
    return round(sum(not r[system]["refs"] for r in rows) / len(rows), 4) if rows else None


def format_table(result: dict) -> str:
    head = (
        f"{'set':<7}{'lang':<5}{'n':>4}  "
        + "  ".join(f"{s + ' P/R/F1':<20}" for s in SYSTEMS)
        + "  ask: covered→empty  uncovered→empty"
    )
    lines = [head, "-" * len(head)]
    for name, res in result.items():
        for lang, m in res["macro"].items():
            if not m["n"] or (lang != "all" and not any(r["lang"] for r in res["questions"])):
                continue
            cells = "  ".join(
                f"{m[s]['precision']:.2f}/{m[s]['recall']:.2f}/{m[s]['f1']:.2f}{'':<6}"
                for s in SYSTEMS
            )
            a = m["ask"]
            unc = f"{a['uncovered_empty']:.0%} of {m['n_uncovered']}" if m["n_uncovered"] else "–"
            lines.append(
                f"{name:<7}{lang:<5}{m['n']:>4}  {cells}  {a['covered_empty']:>17.0%}  {unc:>15}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__.splitlines()[0])
    p.add_argument("--db", type=Path, default=settings.db_path, help="the built database")
    p.add_argument("--json", action="store_true", help="print every question's scores as JSON")
    p.add_argument(
        "--only",
        default="",
        metavar="PREFIX",
        help='only the questions whose id starts with PREFIX ("E": the newest batch)',
    )
    args = p.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db} does not exist; run `make build` first.", file=sys.stderr)
        return 2
    result = evaluate(args.db, only=args.only)
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else format_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
