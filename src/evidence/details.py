"""The API's detail pages: a study, a concept's evidence profile, the review itself, the gap map."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter

from .evidence import summarise
from .handbook import handbook_for_concept
from .queries import NotFound, list_audit, section_titles

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
    study = conn.execute("select * from studies where ref = ?", [ref]).fetchone()
    if study is None:
        raise NotFound(
            f"no included study {ref}; the review's reference numbers are listed at /api/studies",
            nearest_refs(conn, ref),
        )
    reference = (
        conn.execute(
            'select * from "references" where reference_id = ?', [study["reference_id"]]
        ).fetchone()
        if study["reference_id"]
        else None
    )
    titles = section_titles(conn)
    claims = conn.execute(
        "select c.*, ci.chapters from claims c join citations ci on ci.claim_id = c.claim_id where ci.ref = ? order by c.chapter, c.source_line, c.claim_id",
        [ref],
    ).fetchall()
    study["claims"] = [
        {
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
        for c in claims
    ]
    study["reference"] = reference
    study["citation"] = reference["raw"].replace("*", "") if reference else ""
    study["findings"] = conn.execute(
        "select * from findings where ref = ? order by seq", [ref]
    ).fetchall()
    study["outcomes"] = conn.execute(
        "select * from outcomes where ref = ? order by outcome_id", [ref]
    ).fetchall()
    study["audit"], _ = list_audit(conn, ref=ref)
    return study


def nearest_refs(conn: sqlite3.Connection, ref: int, n: int = 5) -> list[dict]:
    """The included studies whose numbers are closest to `ref` (for a 404)."""
    rows = conn.execute(
        "select ref, authors, year from studies order by abs(ref - ?), ref limit ?", [ref, n]
    ).fetchall()
    return [{"ref": r["ref"], "authors": r["authors"], "year": r["year"]} for r in rows]


def concept_profile(conn: sqlite3.Connection, concept: dict, studies: list[dict]) -> dict:
    """A concept's evidence profile: its studies (from ask.assemble_studies) counted every way, and the
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
    view, label = f"gap_map_{cols}", f"label_{lang}"
    rows = conn.execute(f"select * from [{view}]").fetchall()
    concepts, values, cells = {}, {}, []
    for r in rows:
        concepts.setdefault(r["concept_id"], r[f"concept_{label}"])
        values.setdefault(r[cols], r[f"{cols}_{label}"])
        cells.append(
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
        )
    return {
        "rows": [{"id": k, "label": v} for k, v in concepts.items()],
        "cols": [{"id": k, "label": v} for k, v in values.items()],
        "cells": cells,
    }
