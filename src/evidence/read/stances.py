"""Which studies the review cites for a concept, and where each stands: the one implementation.

Two sources, kept apart: the synthesis chapters (claim_concepts → claims → citations → studies;
a study's stance in a sentence is the curated per-study override in citation_stances where there
is one, else the claim's) and Bilag 2 (finding_concepts → findings → studies). Over several
sentences or findings a study's stance is `aggregate_stance` of them. A broader concept gathers
its narrower concepts' evidence (`gather_concept_evidence`, docs/coding-manual.md §4). The build
writes the result as the table `concept_studies`; everything else reads it.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict

STANCE_ORDER = {"supports": 0, "contradicts": 1, "mixed": 2, "mentions": 3}


def aggregate_stance(stances) -> str:
    """supports+contradicts → mixed; mentions only when nothing else; one stance → itself."""
    found = {s for s in stances if s}
    judged = found - {"mentions"}
    if not judged:
        return "mentions"
    if len(judged) == 1:
        return judged.pop()
    return "mixed"


# the claim → citation → study join with the per-study overrides is the concept_citations view
# (evidence.build.views), built before concept_studies is gathered
CLAIM_STANCES_SQL = "select concept_id, claim_id, ref, stance from concept_citations"
FINDING_STANCES_SQL = """
select fc.concept_id, fc.finding_id, f.ref, fc.stance
from finding_concepts fc join findings f on f.finding_id = fc.finding_id
order by f.ref, f.seq
"""
EVIDENCE_COLUMNS = (
    "concept_id",
    "ref",
    "stance",
    "claim_stance",
    "finding_stance",
    "n_claims",
    "n_findings",
    "direct",
    "claim_ids",
    "finding_ids",
    "via_concepts",
)


def gather_concept_evidence(conn: sqlite3.Connection) -> list[dict]:
    """Every (concept, study) the review gives evidence for: the one implementation of "which
    studies, with which stance, for a concept" (docs/coding-manual.md §4). The build writes it as
    the table `concept_studies`, which the site's views, the gap maps, the API and the briefs read.

    A concept gathers its own coded evidence and its descendants' (narrower, narrower of narrower,
    …); a descendant whose polarity differs from the concept's (a problem under a practice, or the
    reverse; a grouping concept counts as a practice) passes its studies up as `mentions`. Per
    study, the two sources stay apart: `claim_stance` aggregates the synthesis sentences
    (claim_concepts, with citation_stances' per-study overrides), `finding_stance` the study's
    Bilag 2 findings (finding_concepts), each by `aggregate_stance`; `stance` aggregates both by
    the same rule (a Bilag 2 finding that co-location strengthens knowledge sharing makes a study
    the chapters only mention for co-location a `supports`). Rows are in concept order, then by
    ref; list columns are Python lists.
    """
    concepts = {r["id"]: r for r in _dicts(conn, "select id, broader, polarity from concepts")}
    family = _families(concepts)
    claims = _by_concept(_dicts(conn, CLAIM_STANCES_SQL), "claim_id")
    findings = _by_concept(_dicts(conn, FINDING_STANCES_SQL), "finding_id")
    out = []
    for concept_id in sorted(concepts):
        mine = _polarity(concepts[concept_id])
        per_ref: dict[int, dict] = {}
        for member in family[concept_id]:
            same = _polarity(concepts[member]) == mine
            for source, rows in (("claim", claims), ("finding", findings)):
                for unit, ref, stance in rows.get(member, ()):
                    entry = per_ref.setdefault(ref, _empty(concept_id, ref))
                    entry[f"{source}_stances"].append(stance if same else "mentions")
                    entry[f"{source}_ids"].append(unit)
                    entry["via"].add(member)
        out += [_row(e) for _, e in sorted(per_ref.items())]
    return out


def _dicts(conn: sqlite3.Connection, sql: str) -> list[dict]:
    """Rows as dicts, whatever the connection's row factory."""
    cur = conn.execute(sql)
    names = [d[0] for d in cur.description]
    return [r if isinstance(r, dict) else dict(zip(names, r, strict=True)) for r in cur]


def _polarity(concept: dict) -> str:
    return "negative" if concept["polarity"] == "negative" else "positive"


def _families(concepts: dict[str, dict]) -> dict[str, list[str]]:
    """concept → itself and every descendant, the concept first."""
    narrower: dict[str, list[str]] = defaultdict(list)
    for cid, c in sorted(concepts.items()):
        if c["broader"]:
            narrower[c["broader"]].append(cid)
    out = {}
    for cid in concepts:
        members, todo = [cid], list(narrower[cid])
        while todo:
            member = todo.pop(0)
            members.append(member)
            todo += narrower[member]
        out[cid] = members
    return out


def _by_concept(rows, unit: str) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = defaultdict(list)
    for r in rows:
        out[r["concept_id"]].append((r[unit], r["ref"], r["stance"]))
    return out


def _empty(concept_id: str, ref: int) -> dict:
    return {
        "concept_id": concept_id,
        "ref": ref,
        "claim_stances": [],
        "finding_stances": [],
        "claim_ids": [],
        "finding_ids": [],
        "via": set(),
    }


def _row(e: dict) -> dict:
    claim = aggregate_stance(e["claim_stances"]) if e["claim_stances"] else None
    finding = aggregate_stance(e["finding_stances"]) if e["finding_stances"] else None
    return {
        "concept_id": e["concept_id"],
        "ref": e["ref"],
        "stance": aggregate_stance(e["claim_stances"] + e["finding_stances"]),
        "claim_stance": claim,
        "finding_stance": finding,
        "n_claims": len(dict.fromkeys(e["claim_ids"])),
        "n_findings": len(dict.fromkeys(e["finding_ids"])),
        "direct": e["concept_id"] in e["via"],
        "claim_ids": list(dict.fromkeys(e["claim_ids"])),
        "finding_ids": list(dict.fromkeys(e["finding_ids"])),
        "via_concepts": sorted(e["via"]),
    }


def concept_evidence(conn: sqlite3.Connection, concept_id: str) -> dict[int, dict]:
    """ref → the study's row of `concept_studies` for one concept, most evidence first (studies
    the chapters cite before those only Bilag 2 codes, then more claims, judged stances before
    mentions, then the review's reference number)."""
    rows = conn.execute("select * from concept_studies where concept_id = ?", [concept_id])
    found = sorted(
        rows,
        key=lambda r: (
            r["claim_stance"] is None,
            -r["n_claims"],
            r["stance"] == "mentions",
            r["ref"],
        ),
    )
    return {r["ref"]: _decoded(r) for r in found}


def _decoded(row: dict) -> dict:
    out = dict(row)
    for k in ("claim_ids", "finding_ids", "via_concepts"):
        if isinstance(out[k], str):
            out[k] = json.loads(out[k])
    out["concepts"] = out["via_concepts"]
    return out


def study_concept_stances(conn: sqlite3.Connection) -> dict[tuple[int, str], str]:
    """(ref, concept_id) → the study's stance on the concept, for every pair (concept_studies)."""
    rows = conn.execute("select ref, concept_id, stance from concept_studies")
    return {(r["ref"], r["concept_id"]): r["stance"] for r in rows}


def summarise(studies: list[dict], meta: dict[int, dict]) -> dict:
    """n_studies, by_stance and by_country of an answer's studies (meta: ref → study row)."""
    by_stance = Counter(s["stance"] for s in studies)
    by_country = Counter(c for s in studies for c in meta[s["ref"]]["countries"])
    return {
        "n_studies": len(studies),
        "by_stance": {k: by_stance[k] for k in STANCE_ORDER if by_stance[k]},
        "by_country": dict(sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0]))),
    }
