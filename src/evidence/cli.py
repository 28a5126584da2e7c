"""The `evidence` command: extract, validate, audit, build, ask."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from evidence.dataset.csvio import DataError
from evidence.settings import settings


def extract(args) -> int:
    from evidence.extract.pipeline import extract_all, write_all
    from evidence.extract.source import load_review

    tables = extract_all(load_review(args.source), args.data)
    write_all(tables, args.data)
    for name, rows in tables.items():
        print(f"{name}: {len(rows)} rows")
    return 0


def validate(args) -> int:
    from evidence.dataset.validate import validate_dataset

    problems = validate_dataset(args.data)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(
            f"{len(problems)} problem(s) found; fix them and run `evidence validate` again.",
            file=sys.stderr,
        )
        return 1
    print(f"{args.data}: valid")
    return 0


def audit(args) -> int:
    from evidence.dataset.audit import audit_review

    findings = audit_review(args.data)
    if args.json:
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        for f in findings:
            print(f)
        print(f"{len(findings)} finding(s)")
    return 0


def build(args) -> int:
    from evidence.build.database import build_database

    try:
        path = build_database(args.data, args.db)
    except DataError as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        print(
            f"Build failed with {len(e.problems)} problem(s); {args.db} is unchanged.",
            file=sys.stderr,
        )
        return 1
    print(f"built {path}")
    return 0


def ask(args) -> int:
    from evidence.answer.ask import print_answer

    return print_answer(" ".join(args.question), db=args.db, lang=args.lang)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="evidence", description=__doc__)
    p.add_argument(
        "--data", type=Path, default=settings.data_dir, help="the data directory (default: data/)"
    )
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser(
        "extract", help="regenerate data/*.csv from the review's text plus data/curation/"
    )
    s.add_argument("--source", type=Path, default=settings.source, help="the review's text file")
    s.set_defaults(func=extract)
    s = sub.add_parser(
        "validate", help="check data/*.csv against data/schema.yml; exit 1 on any problem"
    )
    s.set_defaults(func=validate)
    s = sub.add_parser(
        "audit", help="report the review's own inconsistencies, computed from the data"
    )
    s.add_argument(
        "--json",
        action="store_true",
        help="print a JSON list of {kind, location, stated, observed, detail}",
    )
    s.set_defaults(func=audit)
    s = sub.add_parser(
        "build", help="build the SQLite database from data/ (atomic; the old one stays on failure)"
    )
    s.add_argument(
        "--db",
        type=Path,
        default=settings.db_path,
        help="output database (default: build/evidence.db)",
    )
    s.set_defaults(func=build)
    s = sub.add_parser("ask", help="answer a question in Danish or English from the evidence")
    s.add_argument(
        "question", nargs="+", help='e.g. "which studies support a single contact person"'
    )
    s.add_argument("--lang", choices=["da", "en"], default="en", help="language of labels")
    s.add_argument(
        "--db",
        type=Path,
        default=settings.db_path,
        help="the database (default: build/evidence.db)",
    )
    s.set_defaults(func=ask)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except DataError as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        return 1
    except FileNotFoundError as e:
        print(e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
