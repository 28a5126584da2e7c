"""The API's detail pages: a study, a concept's evidence profile, the review itself, the gap map."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter

from evidence.read.database import DatabaseOutdated
from evidence.read.handbook import handbook_for_concept
from evidence.read.lists import (
    AUDIT_FIELDS,
    NotFound,
    list_audit,
    mentions_study,
    nearest_refs,
    section_titles,
)
from evidence.read.stances import summarise

GAP_COLUMNS = {"country": "countries", "service_area": "service_areas", "method": "methods"}
COUNTED_TABLES = [
    "studies",
    "references",
    "findings",
    "sections",
    "claims",
    "citations",
    "concepts",
    "claim_concepts",
    "citation_stances",
    "outcomes",
    "handbook_advice",
    "audit_findings",
]


def study_detail(conn: sqlite3.Connection, ref: int) -> dict:
    """Everything about one study: metadata, bibliography entry, findings, claims, outcomes, audit."""
    found = study_details(conn, [ref])
    if not found:
        raise no_study(conn, ref)
    return found[0]


def no_study(conn: sqlite3.Connection, ref: int) -> NotFound:
    return NotFound(
        f"no included study {ref}; the review's reference numbers are listed at /api/studies",
        nearest_refs(conn, ref),
    )


def study_details(conn: sqlite3.Connection, refs: list[int] | None = None) -> list[dict]:
    """`study_detail` of every included study (or of `refs`), in ref order: one query per table."""
    where = f"in ({', '.join('?' for _ in refs)})" if refs is not None else "is not null"
    params = list(refs or [])
    studies = conn.execute(f"select * from studies where ref {where} order by ref", params)
    out = {s["ref"]: s for s in studies.fetchall()}
    if not out:
        return []
    references = {
        r["reference_id"]: r
        for r in conn.execute(
            'select * from "references" where reference_id in '
            f"(select reference_id from studies where ref {where})",
            params,
        )
    }
    for study in out.values():
        study["claims"], study["findings"], study["outcomes"], study["audit"] = [], [], [], []
        reference = references.get(study["reference_id"]) if study["reference_id"] else None
        study["reference"] = reference
        study["citation"] = reference["raw"].replace("*", "") if reference else ""
    titles = section_titles(conn)
    claims = conn.execute(
        "select ci.ref as cited_ref, c.*, ci.chapters from claims c "
        f"join citations ci on ci.claim_id = c.claim_id where ci.ref {where} "
        "order by ci.ref, c.chapter, c.source_line, c.claim_id",
        params,
    )
    for c in claims:
        out[c["cited_ref"]]["claims"].append(_study_claim(c, titles))
    for table, order in (("findings", "seq"), ("outcomes", "outcome_id")):
        sql = f"select * from {table} where ref {where} order by ref, {order}"
        for row in conn.execute(sql, params):
            out[row["ref"]][table].append(row)
    for finding in list_audit(conn)[0]:
        for ref in audit_refs(finding):
            if ref in out:
                out[ref]["audit"].append(finding)
    return list(out.values())


def _study_claim(c: dict, titles: dict[str, str]) -> dict:
    return {
        "claim_id": c["claim_id"],
        "section": c["section"],
        "section_title": titles.get(c["section"], ""),
        "page": c["page"],
        "quote_da": c["sentence_da"],
        "text_en": c["text_en"],
        "citation_text": c["citation_text"],
        "chapters": c["chapters"] or [],
        "concept_ids": c["concept_ids"] or [],
        "stance": c["stance"],
    }


def audit_refs(finding: dict) -> list[int]:
    """The studies an audit finding names (evidence.read.lists.mentions_study), read off its numbers: a study
    it names is a whole number in it, written without leading zeros."""
    text = " ".join(str(finding.get(k) or "") for k in AUDIT_FIELDS)
    numbers = {int(n) for n in re.findall(r"\d+", text) if n.isascii() and n == str(int(n))}
    return [ref for ref in sorted(numbers) if mentions_study(finding, ref)]


def find_concept(conn: sqlite3.Connection, concept_id: str) -> dict | None:
    """The concept's row, or None when there is no such id."""
    return conn.execute("select * from concepts where id = ?", [concept_id]).fetchone()


def section_pages(conn: sqlite3.Connection, lang: str = "da") -> dict[str, dict]:
    """section → {title (in `lang`), page}, for a brief's references to the review."""
    title = "title_en" if lang == "en" else "title_da"
    rows = conn.execute("select * from sections")
    return {r["section"]: {"title": r[title], "page": r["page"]} for r in rows}


def country_labels(conn: sqlite3.Connection, lang: str = "da") -> dict[str, str]:
    """country code → its name in `lang` (GB-SCT → Skotland), for a brief."""
    label = "label_en" if lang == "en" else "label_da"
    return {r["code"]: r[label] for r in conn.execute(f"select code, {label} from countries")}


def concept_profile(conn: sqlite3.Connection, concept: dict, studies: list[dict]) -> dict:
    """A concept's evidence profile: its studies (answer.ask.concept_studies) counted every way, and the
    Cabi handbook's advice about it (practice guidance, kept apart from the evidence)."""
    refs = [s["ref"] for s in studies]
    marks = ", ".join("?" for _ in refs) or "null"
    methods = Counter(
        m
        for r in conn.execute(f"select methods from studies where ref in ({marks})", refs)
        for m in r["methods"] or []
    )
    narrower = [
        r["id"]
        for r in conn.execute(
            "select id from concepts where broader = ? order by id", [concept["id"]]
        )
    ]
    broader = (
        conn.execute("select label_da from concepts where id = ?", [concept["broader"]]).fetchone()
        if concept.get("broader")
        else None
    )
    n_claims = conn.execute(
        "select count(*) as n from claim_concepts where concept_id = ?", [concept["id"]]
    ).fetchone()["n"]
    return {
        **concept,
        "n_claims": n_claims,
        "n_studies": len(studies),
        "broader_label": broader["label_da"] if broader else None,
        "narrower": narrower,
        "studies": studies,
        "summary": summarise(studies, {s["ref"]: s for s in studies}),
        "by_method": dict(sorted(methods.items(), key=lambda kv: (-kv[1], kv[0]))),
        "handbook": handbook_for_concept(conn, concept["id"]),
    }


def review_record(conn: sqlite3.Connection, dataset_version: str) -> dict:
    """The review's record (data/review.yml as built into `review`), screening flow and row counts."""
    record: dict = {}
    for row in conn.execute("select key, value from review"):
        target = record
        *path, leaf = row["key"].split(".")
        for p in path:
            target = target.setdefault(p, {})
        target[leaf] = _decoded(row["value"])
    flow = conn.execute(
        "select stage, label_da, label_en, n, kind, note from screening_flow order by seq"
    ).fetchall()
    record["screening_flow"] = flow
    counts = {
        t: conn.execute(f'select count(*) as n from "{t}"').fetchone()["n"] for t in COUNTED_TABLES
    }
    return {**record, "dataset_version": dataset_version, "counts": counts}


def _decoded(value):
    if value == "[]":  # most cells of a gap map
        return []
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def gap_map(conn: sqlite3.Connection, cols: str, lang: str = "da") -> dict:
    """Concepts × countries, service areas or methods: studies per cell, with their refs and stances."""
    rows = conn.execute(f"select * from [gap_map_{cols}]").fetchall()
    return {**gap_map_axes(rows, cols, lang), "cells": gap_map_cells(rows, cols)}


def gap_map_axes(rows: list[dict], cols: str, lang: str) -> dict:
    """The rows (concepts) and columns of a gap map, labelled in `lang`, from its view's rows."""
    label = f"label_{lang}"
    concepts: dict[str, str] = {}
    values: dict[str, str] = {}
    for r in rows:
        concepts.setdefault(r["concept_id"], r[f"concept_{label}"])
        values.setdefault(r[cols], r[f"{cols}_{label}"])
    return {
        "rows": [{"id": k, "label": v} for k, v in concepts.items()],
        "cols": [{"id": k, "label": v} for k, v in values.items()],
    }


def gap_map_cells(rows: list[dict], cols: str) -> list[dict]:
    """The cells of a gap map (the same in every language), from its view's rows."""
    return [
        {
            "row": r["concept_id"],
            "col": r[cols],
            "count": r["n_studies"],
            "refs": _decoded(r["refs"]) or [],
            "n_supports": r["n_supports"],
            "n_contradicts": r["n_contradicts"],
            "n_mixed": r["n_mixed"],
            "n_mentions": r["n_mentions"],
        }
        for r in rows
    ]


def study_document(conn: sqlite3.Connection, ref: int) -> str:
    """/api/studies/{ref} as JSON, built with the database (evidence.build.documents)."""
    row = _built(conn, "select document from study_details where ref = ?", [ref])
    if row is None:
        raise no_study(conn, ref)
    return row["document"]


def gap_map_document(conn: sqlite3.Connection, cols: str, lang: str) -> str:
    """/api/gap-map as JSON, built with the database (evidence.build.documents)."""
    row = _built(conn, "select document from gap_maps where cols = ? and lang = ?", [cols, lang])
    if row is None:
        raise NotFound(
            f"no gap map by {cols!r} in {lang!r}; use cols=country, service_area or method"
        )
    return row["document"]


def _built(conn: sqlite3.Connection, sql: str, params: list) -> dict | None:
    try:
        return conn.execute(sql, params).fetchone()
    except sqlite3.OperationalError as e:
        if "no such table" not in str(e):
            raise
        raise DatabaseOutdated(
            f"the database was built by an earlier version ({e}); run `evidence build` "
            "(or `make build`) again"
        ) from None
