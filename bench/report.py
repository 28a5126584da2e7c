"""Targets, the printed table and docs/benchmarks.md, from the figures of a run."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"


# --- targets -------------------------------------------------------------------------------


def targets(r: dict) -> list[dict]:
    """Each target with the figure measured and whether it is met (None: not measured)."""
    out = []

    def add(name: str, value, limit, unit: str, met) -> None:
        out.append({"target": name, "value": value, "limit": limit, "unit": unit, "met": met})

    ask = r.get("inprocess", {}).get("/api/ask", {}).get("p95")
    add("/api/ask p95 in-process, real size", ask, 10, "ms ≤", None if ask is None else ask <= 10)
    big = next((s for s in r.get("scale", []) if s.get("factor") == 100), {})
    big_ask = big.get("latency", {}).get("/api/ask", {}).get("p95")
    add(
        "/api/ask p95 in-process, 100× size",
        big_ask,
        50,
        "ms ≤",
        None if big_ask is None else big_ask <= 50,
    )
    http = r.get("http", {})
    ratios = [p.get("ratio_to_bare") for p in http.get("/api/studies/{ref}", {}).values()]
    worst = min((x for x in ratios if x is not None), default=None)
    add(
        "HTTP req/s of /api/studies/{ref} ÷ bare route (worst concurrency)",
        worst,
        0.5,
        "≥",
        None if worst is None else worst >= 0.5,
    )
    from .site_pages import LIMIT, worst_slowdown

    slow = worst_slowdown(r["site_pages"]) if r.get("site_pages") else None
    add(
        "site's map, study and concept pages ÷ plain Datasette's table page, time (worst)",
        slow,
        LIMIT,
        "× ≤",
        None if slow is None else slow <= LIMIT,
    )
    build = r.get("build", {}).get("median_s")
    add("full build, median", build, 3, "s <", None if build is None else build < 3)
    errors = total_errors(r)
    add("errors at every load point (in-process, HTTP, scale)", errors, 0, "=", errors == 0)
    return out


def total_errors(r: dict) -> int:
    n = sum(v.get("errors", 0) for k, v in r.get("inprocess", {}).items() if isinstance(v, dict))
    n += sum(
        p.get("errors", 0)
        for k, pts in r.get("http", {}).items()
        if not k.startswith("_")
        for p in pts.values()
    )
    n += r.get("http", {}).get("_server_logged_errors", 0)
    n += sum(p.get("errors", 0) for pts in r.get("site_pages", {}).values() for p in pts.values())
    for s in r.get("scale", []):
        n += sum(v.get("errors", 0) for v in s.get("latency", {}).values())
    return n


# --- plain text ------------------------------------------------------------------------------


def text_table(r: dict) -> str:
    m = r["machine"]
    lines = [
        f"evidens benchmarks — {m['date']}, {m['nproc']} cores, Python {m['python']}, SQLite {m['sqlite']}",
        "",
    ]
    if "quality_table" in r:
        lines += [
            "Answer quality: /api/ask beside plain BM25 and the thesaurus resolver (same questions, same run;",
            "test = never tuned on; P counts acceptable extras as right; 'covered→empty' should be low,",
            "'uncovered→empty' high)",
            r["quality_table"],
            "",
        ]
    lines += [
        f"{'In-process latency (ms)':<28} {'n':>6} {'p50':>8} {'p95':>8} {'p99':>8} {'errors':>7}"
    ]
    for label, s in r.get("inprocess", {}).items():
        if isinstance(s, dict):
            lines.append(
                f"{label:<28} {s['n']:>6} {s['p50']:>8.2f} {s['p95']:>8.2f} {s['p99']:>8.2f} {s['errors']:>7}"
            )
    if r.get("http"):
        lines += ["", *http_lines(r["http"])]
    if r.get("site_pages"):
        from .site_pages import lines as site_lines

        lines += ["", *site_lines(r["site_pages"])]
    if r.get("build"):
        b = r["build"]
        lines += [
            "",
            f"Full build: median {b['median_s']:.3f} s of {b['runs']} runs (min {b['min_s']:.3f}, max {b['max_s']:.3f})",
        ]
    if r.get("scale"):
        lines += [
            "",
            f"{'Scale':<8} {'studies':>8} {'claims':>8} {'concepts':>9} {'build s':>8} {'db MiB':>7} {'start s':>8} "
            f"{'ask p50':>8} {'ask p95':>8} {'n':>5} {'study p95':>10}",
        ]
        for s in r["scale"]:
            lines.append(scale_line(s))
    lines += ["", "Targets"]
    for t in r.get("targets", []):
        mark = {True: "met    ", False: "NOT MET", None: "n/a    "}[t["met"]]
        lines.append(
            f"  [{mark}] {t['target']}: {fmt(t['value'])} (target {t['unit']} {t['limit']})"
        )
    return "\n".join(lines)


def http_lines(http: dict) -> list[str]:
    lines = [
        "HTTP on loopback, one uvicorn process: req/s  p50/p99 ms  (ratio to the bare route)  errors"
    ]
    for label, points in http.items():
        if label.startswith("_"):
            continue
        cells = [
            f"c={c}: {p['rps']:>7.1f} {p['p50']:>6.1f}/{p['p99']:<7.1f} ({p['ratio_to_bare']:.2f}) {p['errors']}"
            for c, p in points.items()
        ]
        lines.append(f"{label:<26} " + " | ".join(cells))
    return lines


def scale_line(s: dict) -> str:
    if "error" in s:
        return f"{str(s['factor']) + '×':<8} {s['error'][:150]}"
    rows, ask, study = s["rows"], s["latency"]["/api/ask"], s["latency"]["/api/studies/{ref}"]
    return (
        f"{str(s['factor']) + '×':<8} {rows['studies']:>8} {rows['claims']:>8} {rows['concepts']:>9} "
        f"{s['build']['median_s']:>8.2f} {s['db_bytes'] / 2**20:>7.1f} {s['startup_s']:>8.2f} "
        f"{ask['p50']:>8.1f} {ask['p95']:>8.1f} {ask['n']:>5} {study['p95']:>10.2f}"
    )


def fmt(value) -> str:
    if value is None:
        return "not measured"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


# --- docs/benchmarks.md --------------------------------------------------------------------


def write_section(name: str, markdown: str, doc: Path = DOC) -> None:
    """Replace the text between `<!-- name:start -->` and `<!-- name:end -->` in docs/benchmarks.md."""
    text = doc.read_text(encoding="utf-8")
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{markdown.strip()}\n{end}"
    if start in text and end in text:
        text = re.sub(
            re.escape(start) + r".*?" + re.escape(end), lambda _: block, text, flags=re.DOTALL
        )
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    doc.write_text(text, encoding="utf-8")


def machine_line(m: dict) -> str:
    return (
        f"{m['date']} · `nproc` {m['nproc']} · {m['cpu']} · {m['memory_gib']} GiB · Python {m['python']} · "
        f"SQLite {m['sqlite']} · git {m['git_commit'][:10]}{m['git_commit'][40:]}"
    )


def bench_markdown(r: dict) -> str:
    m = r["machine"]
    out = [
        f"Command: `{r['command']}` · {machine_line(m)} · took {r['elapsed_s']:.0f} s",
        "",
        "| target | measured | met |",
        "|---|---|---|",
    ]
    for t in r["targets"]:
        out.append(
            f"| {t['target']} ({t['unit']} {t['limit']}) | {fmt(t['value'])} | {({True: 'yes', False: '**no**', None: 'n/a'})[t['met']]} |"
        )
    if "quality" in r:
        out += quality_markdown(r["quality"])
    out += inprocess_markdown(r.get("inprocess", {}))
    if r.get("http"):
        out += load_markdown(
            f"HTTP on loopback, {r['http_seconds']:.0f} s a point: requests/s, p50/p99 ms, ratio to the bare route, errors:",
            "| route | c=1 | c=8 | c=32 |",
            r["http"],
            lambda p: f"×{p['ratio_to_bare']:.2f}",
        )
    if r.get("site_pages"):
        out += load_markdown(
            "The site's own pages beside plain Datasette serving the same database (bench/site_pages.py): "
            "requests/s, p50/p99 ms, time × plain Datasette's table page, errors:",
            "| page | c=1 | c=8 |",
            r["site_pages"],
            lambda p: f"{p['slowdown_vs_plain_table']:.2f}×",
        )
    if r.get("build"):
        b = r["build"]
        out += [
            "",
            f"Full build (`build_database`, data/ → a temporary file): median **{b['median_s']:.3f} s** of {b['runs']} "
            f"(min {b['min_s']:.3f}, max {b['max_s']:.3f}).",
        ]
    if r.get("scale"):
        out += scale_markdown(r["scale"])
    return "\n".join(out)


def inprocess_markdown(inprocess: dict) -> list[str]:
    out = [
        "",
        "In-process latency, ms:",
        "",
        "| route | n | p50 | p95 | p99 | errors |",
        "|---|---|---|---|---|---|",
    ]
    return out + [
        f"| {k} | {s['n']} | {s['p50']:.2f} | {s['p95']:.2f} | {s['p99']:.2f} | {s['errors']} |"
        for k, s in inprocess.items()
        if isinstance(s, dict)
    ]


def load_markdown(
    intro: str, header: str, points: dict, relative: Callable[[dict], str]
) -> list[str]:
    """A table of load points (bench/load.py): a row per route or page, a cell per concurrency:
    requests/s, p50/p99 ms, `relative` (time beside a baseline), errors."""
    out = ["", intro, "", header, "|" + "---|" * (header.count("|") - 1)]
    for name, pts in points.items():
        if not name.startswith("_"):  # _server_rss_kib and the like are not routes
            cells = (
                f"{p['rps']:.0f}/s, {p['p50']:.1f}/{p['p99']:.1f} ms, {relative(p)}, {p['errors']} err"
                for p in pts.values()
            )
            out.append(f"| {name} | " + " | ".join(cells) + " |")
    return out


def scale_markdown(scale: list[dict]) -> list[str]:
    out = [
        "",
        "Scale (synthetic reviews, bench/synthetic.py):",
        "",
        "| size | studies | claims | concepts | build s | db MiB | API startup s | ask p50 / p95 / p99 ms (n) | study p95 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in scale:
        if "error" in s:
            out.append(f"| {s['factor']}× | {s['error']} |||||||| ")
            continue
        a, rows = s["latency"]["/api/ask"], s["rows"]
        out.append(
            f"| {s['factor']}× | {rows['studies']} | {rows['claims']} | {rows['concepts']} | {s['build']['median_s']:.2f} | "
            f"{s['db_bytes'] / 2**20:.1f} | {s['startup_s']:.2f} | {a['p50']:.1f} / {a['p95']:.1f} / {a['p99']:.1f} ({a['n']}) | "
            f"{s['latency']['/api/studies/{ref}']['p95']:.2f} |"
        )
    return out


def quality_markdown(quality: dict) -> list[str]:
    """The answer-quality table (bench/quality.py): per set and language, each system's macro
    P/R/F1 and /api/ask's empty-answer shares."""
    out = [
        "",
        "Answer quality (macro averages; per question in bench/results.json). `test` was never "
        "tuned on; `dev` was; `tuned` is the first wave's set the thesaurus was tuned on. "
        "Precision counts a question's acceptable extras as right.",
        "",
        "| set | lang | n | ask P | ask R | ask F1 | BM25 F1 | resolver F1 | covered → empty | uncovered → empty |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, res in quality.items():
        for lang, m in res["macro"].items():
            if not m["n"] or (lang != "all" and not any(q["lang"] for q in res["questions"])):
                continue
            a = m["ask"]
            unc = f"{a['uncovered_empty']:.0%} of {m['n_uncovered']}" if m["n_uncovered"] else "–"
            out.append(
                f"| {name} | {lang} | {m['n']} | {a['precision']:.2f} | {a['recall']:.2f} | "
                f"{a['f1']:.2f} | {m['bm25']['f1']:.2f} | {m['resolver']['f1']:.2f} | "
                f"{a['covered_empty']:.0%} | {unc} |"
            )
    return out
