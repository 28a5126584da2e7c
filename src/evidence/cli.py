"""The `evidence` command: extract, validate, audit, build, ask, serve.

One parser; `--db`, `--host` and `--port` mean the same in every command that takes them. The
commands print; the work they call (evidence.extract, .dataset, .build, .answer, .site) does not.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
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
    from evidence.dataset.validate import checked_dataset

    tables, problems = checked_dataset(args.data)
    if problems:
        return print_problems(
            problems,
            f"{len(problems)} problem(s) found; fix them and run `evidence validate` again.",
        )
    print(f"{args.data}: valid")
    for name, rows in tables.items():  # the row counts, read only (extract rewrites the files)
        print(f"  {name}: {len(rows)} rows")
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


def coding(args) -> int:
    from evidence.dataset.coding import coding_report, write_final

    if args.write:
        try:
            written = write_final(args.data)
        except ValueError as e:
            print(e, file=sys.stderr)
            return 1
        for name, n in written.items():
            print(f"data/curation/{name}.csv: {n} rows")
        print("Run `evidence extract` to carry them into data/.")
        return 0
    report = coding_report(args.data)
    if args.json:
        print(json.dumps({k: v.as_dict() for k, v in report.items()}, indent=2))
        return 0
    for units, a in report.items():
        print(
            f"{units}: {a.units} units coded by two coders; concept sets equal {a.sets_equal:.0%}, "
            f"mean Jaccard {a.jaccard:.2f}, kappa (concept presence) {a.kappa_concepts:.2f}; "
            f"stance agreement {a.stance_observed:.0%} over {a.stance_pairs} pairs, "
            f"kappa {a.kappa_stance:.2f}; {a.disputed} disagreements reconciled"
        )
    return 0


def build(args) -> int:
    from evidence.build.database import build_database

    try:
        path = build_database(args.data, args.db)
    except DataError as e:
        return print_problems(
            e.problems, f"Build failed with {len(e.problems)} problem(s); {args.db} is unchanged."
        )
    print(f"built {path}")
    return 0


def ask(args) -> int:
    return print_answer(" ".join(args.question), db=args.db, lang=args.lang)


def serve(args) -> int:
    from evidence.site.serve import MOUNT, serve_all

    if args.write_metadata:
        return write_metadata(args.db, args.write_metadata)
    if not args.db.exists():
        print(
            f"{args.db} does not exist; run `make build` (or `uv run evidence build`) first.",
            file=sys.stderr,
        )
        return 2
    taken = taken_port(
        args.host, [("--port", args.port), ("--datasette-port", args.datasette_port)]
    )
    if taken:
        print(taken, file=sys.stderr)
        return 2
    base = f"http://{args.host}:{args.port}"
    also = f"  (also http://{args.host}:{args.datasette_port}/)" if args.datasette_port else ""
    print(f"API and docs: {base}/docs", flush=True)
    print(f"Ask:          {base}/api/ask?q=kontaktperson", flush=True)
    print(f"Datasette:    {base}{MOUNT}/{also}", flush=True)
    # uvicorn shuts down gracefully on SIGTERM, then raises it again; as our handler it is a clean
    # stop (exit 0), not a death by signal (143: `make run` printed "Error 143" when stopped)
    signal.signal(signal.SIGTERM, _stopped)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_all(args.db, args.host, args.port, args.datasette_port))
    print("Stopped.", flush=True)
    return 0


def _stopped(signum, frame) -> None:
    raise KeyboardInterrupt


def taken_port(host: str, ports: list[tuple[str, int | None]]) -> str | None:
    """What to do when a port to serve on is taken (checked before printing any URL), or None."""
    import socket

    for option, port in ports:
        if not port:
            continue
        with socket.socket() as s:
            try:
                s.bind((host, port))
            except OSError:
                make_var = "API_PORT" if option == "--port" else "DATASETTE_PORT"
                return (
                    f"{host}:{port} is already in use (another `evidence serve` or `make run`?). "
                    f"Stop it, or serve on a free port: {option} {port + 10} "
                    f"(make run {make_var}={port + 10})."
                )
    return None


def write_metadata(db: Path, target: Path) -> int:
    """The site's metadata, every description merged in, as JSON (for `datasette serve -m`)."""
    from evidence.site.app import site_metadata

    text = json.dumps(site_metadata(db), ensure_ascii=False, indent=2)
    target.write_text(text, encoding="utf-8")
    return 0


MAX_PROBLEMS_SHOWN = 50


def print_problems(problems: list, summary: str) -> int:
    """The first MAX_PROBLEMS_SHOWN problems, one a line, how many more, then what to do; exit 1."""
    for p in problems[:MAX_PROBLEMS_SHOWN]:
        print(p, file=sys.stderr)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        more = len(problems) - MAX_PROBLEMS_SHOWN
        print(f"… and {more} more problem(s) of the same kinds (fix these first).", file=sys.stderr)
    print(summary, file=sys.stderr)
    return 1


def print_answer(
    question: str, db: Path | str = settings.db_path, lang: str = "en", out=sys.stdout
) -> int:
    """`evidence ask`: the answer, readably. 0 when answered, 1 when the review does not cover it."""
    from evidence.answer.ask import answer
    from evidence.read.database import Database

    result = answer(Database(Path(db)), question, lang=lang)
    label = "label_en" if lang == "en" else "label_da"
    understood = result["understood"]
    words = ", ".join(
        w["word"] + (f" ({w['how']})" if w["how"] else "") for w in understood["words"]
    )
    print(f"Read as: {words or '—'}", file=out)
    if result["filters_applied"]:
        print(f"Filters: {result['filters_applied']}", file=out)
    if understood["direction"]:
        print(f"Direction: {understood['direction']}", file=out)
    if understood.get("probability") is not None:
        signals = ", ".join(f"{k} {v:.2f}" for k, v in understood["signals"].items())
        print(f"Covered: probability {understood['probability']:.2f} ({signals})", file=out)
    if result["coverage"] == "not_covered":
        print(f"The review does not speak to {question!r}.", file=out)
        for s in result["suggestions"]:
            print(f"  nearest topic: {s[label]} ({s['id']})", file=out)
        return 1
    for c in result["concepts"][:3]:
        print(f"Concept: {c[label]} ({c['id']}) — {c['matched']}", file=out)
    summary = result["summary"]
    stances = ", ".join(f"{n} {k}" for k, n in summary["by_stance"].items())
    print(f"{summary['n_studies']} studies ({stances}) — {result['coverage']}\n", file=out)
    print(answer_table(result["studies"], lang), file=out)
    if result["beyond_filters"]:  # facets_only: kept apart, not counted above
        print(
            "\nBeyond the filters (the passages cite them; Bilag 2 files them elsewhere):", file=out
        )
        print(answer_table(result["beyond_filters"], lang), file=out)
    return 0


def answer_table(studies: list[dict], lang: str) -> str:
    """One line per (study, sentence): ref, authors, year, stance, section and the quote."""
    rows = [("ref", "authors", "year", "stance", "section", "quote")]
    for s in studies:
        for i, ev in enumerate(s["evidence"] or s.get("passages") or [{}]):
            quote = (ev.get("text_en") if lang == "en" else ev.get("quote_da")) or ""
            quote = quote if len(quote) <= 90 else quote[:87] + "..."
            first = (
                (str(s["ref"]), _cut(s["authors"], 28), str(s["year"]), s["stance"] or "—")
                if i == 0
                else ("", "", "", "")
            )
            rows.append((*first, ev.get("section", ""), quote))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    return "\n".join(
        "  ".join(v.ljust(w) for v, w in zip(r[:5], widths, strict=True)) + "  " + r[5]
        for r in rows
    )


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def shared_options() -> dict[str, argparse.ArgumentParser]:
    """The options several commands share, each defined once."""
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db",
        type=Path,
        default=settings.db_path,
        help="the database (default: build/evidence.db)",
    )
    server = argparse.ArgumentParser(add_help=False)
    server.add_argument(
        "--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)"
    )
    server.add_argument(
        "--port", type=int, default=8000, help="port of the API, with the site under /browse/"
    )
    return {"db": db, "server": server}


COMMANDS = {
    # name: (help, shared options)
    "extract": ("regenerate data/*.csv from the review's text plus data/curation/", []),
    "validate": ("check data/*.csv against data/schema.yml; exit 1 on any problem", []),
    "audit": ("report the review's own inconsistencies, computed from the data", []),
    "coding": (
        "the double coding: agreement before reconciliation (Cohen's kappa); --write the final",
        [],
    ),
    "build": (
        "build the SQLite database from data/ (atomic; the old one stays on failure)",
        ["db"],
    ),
    "ask": ("answer a question in Danish or English from the evidence", ["db"]),
    "serve": ("serve the API with the Datasette site under /browse/", ["db", "server"]),
}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="evidence", description=__doc__.splitlines()[0])
    p.add_argument(
        "--data", type=Path, default=settings.data_dir, help="the data directory (default: data/)"
    )
    sub = p.add_subparsers(dest="command", required=True)
    shared = shared_options()
    commands = {}
    for name, (help_text, options) in COMMANDS.items():
        parents = [shared[o] for o in options]
        commands[name] = sub.add_parser(name, help=help_text, parents=parents)
        commands[name].set_defaults(func=globals()[name])
    commands["extract"].add_argument(
        "--source", type=Path, default=settings.source, help="the review's text file"
    )
    commands["audit"].add_argument(
        "--json",
        action="store_true",
        help="print a JSON list of {kind, location, stated, observed, detail}",
    )
    commands["coding"].add_argument("--json", action="store_true", help="print the figures as JSON")
    commands["coding"].add_argument(
        "--write",
        action="store_true",
        help="write the final coding (agreed + reconciled) to data/curation/",
    )
    commands["ask"].add_argument(
        "question", nargs="+", help='e.g. "which studies support a single contact person"'
    )
    commands["ask"].add_argument(
        "--lang", choices=["da", "en"], default="en", help="language of labels"
    )
    commands["serve"].add_argument(
        "--datasette-port", type=int, default=None, help="also serve the site alone on this port"
    )
    commands["serve"].add_argument(
        "--write-metadata",
        type=Path,
        metavar="FILE",
        help="write the site's merged metadata as JSON to FILE and exit (for `datasette serve -m`)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except DataError as e:
        return print_problems(
            e.problems, f"{len(e.problems)} problem(s) in the data; fix them first."
        )
    except FileNotFoundError as e:
        print(e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
