"""What the site's own pages read from the database: a study, a concept, the gap map, the PRISMA flow.

Everything comes from the built database through Datasette (`db.execute`): stances from the
`concept_evidence` and `concept_citations` views, labels from the vocabulary tables, the study
from `study_details` (the document the API serves). Nothing about the data is written here.
"""

from __future__ import annotations

import json
from collections import Counter

from evidence.read.documents import audit_refs
from evidence.read.stances import aggregate_stance

VOCABULARIES = {  # kind → table holding code, label_da, label_en
    "country": "countries",
    "service_area": "service_areas",
    "method": "methods",
    "publication_type": "publication_types",
    "dimension": "section_dimensions",
    "finding_dimension": "dimensions",
    "stance": "stances",
}
STANCE_ORDER = {"supports": 0, "contradicts": 1, "mixed": 2, "mentions": 3}


def _json(value, default=None):
    if value is None:
        return default
    return json.loads(value) if isinstance(value, str) else value


async def rows(db, sql: str, params=None) -> list[dict]:
    return [dict(r) for r in (await db.execute(sql, params or []))]


async def vocabulary(db) -> dict[str, dict[str, dict[str, str]]]:
    """kind → code → {'da': label, 'en': label}, in each vocabulary's order."""
    out = {}
    for kind, table in VOCABULARIES.items():
        found = await rows(
            db, f"select code, label_da, label_en from [{table}] order by sort_order"
        )
        out[kind] = {r["code"]: {"da": r["label_da"], "en": r["label_en"]} for r in found}
    return out


async def section_titles(db) -> dict[str, dict[str, str]]:
    """section → {'da': title, 'en': title} (data/sections.csv, English from curation)."""
    found = await rows(db, "select section, title_da, title_en from sections")
    return {
        r["section"]: {"da": r["title_da"], "en": r["title_en"] or r["title_da"]} for r in found
    }


async def meta(db) -> dict[str, str]:
    return {r["key"]: r["value"] for r in await rows(db, "select key, value from meta")}


async def review(db) -> dict:
    return {
        r["key"]: _json(r["value"]) if r["value"][:1] in "[{" else r["value"]
        for r in await rows(db, "select key, value from review")
    }


async def concept_labels(db) -> dict[str, dict]:
    found = await rows(db, "select id, label_da, label_en, dimension, broader from concepts")
    return {r["id"]: r for r in found}


async def study(db, ref: int) -> dict | None:
    """The study's document (as /api/studies/{ref}) and its citations grouped by concept."""
    found = await rows(db, "select document from study_details where ref = ?", [ref])
    if not found:
        return None
    doc = json.loads(found[0]["document"])
    cited = await rows(
        db,
        "select x.concept_id, x.claim_id, x.stance, e.stance as concept_stance "
        "from concept_citations x join concept_evidence e "
        "on e.concept_id = x.concept_id and e.ref = x.ref where x.ref = ?",
        [ref],
    )
    claims = {c["claim_id"]: c for c in doc["claims"]}
    groups: dict[str, dict] = {}
    for row in cited:
        group = groups.setdefault(
            row["concept_id"],
            {"concept_id": row["concept_id"], "stance": row["concept_stance"], "claims": []},
        )
        if row["claim_id"] in claims:
            group["claims"].append({**claims[row["claim_id"]], "stance": row["stance"]})
    uncoded = [
        c
        for c in doc["claims"]
        if not any(c["claim_id"] in {x["claim_id"] for x in g["claims"]} for g in groups.values())
    ]
    doc["by_concept"] = sorted(
        groups.values(), key=lambda g: (STANCE_ORDER.get(g["stance"], 9), g["concept_id"])
    )
    doc["uncoded_claims"] = uncoded
    return doc


async def audit_by_study(db) -> dict[int, list[dict]]:
    """ref → the audit's findings that name the study (as /api/studies/{ref} gives them: the rule of
    evidence.read.documents.audit_refs), each worded in English and in Danish."""
    found = await rows(
        db,
        "select kind, location, stated, observed, detail, stated_da, observed_da, detail_da "
        "from audit_findings order by finding_id",
    )
    out: dict[int, list[dict]] = {}
    for finding in found:
        for ref in audit_refs(finding):
            out.setdefault(ref, []).append(finding)
    return out


def extent(n_studies: int, n_designs: int, consistency: float | None, n_judged: int = 0) -> str:
    """Our rule for the extent of evidence (stated on the concept page in i18n 'extent_rule').
    `n_judged`: the studies that take a position (not only "mentions"); "broad" needs three."""
    if n_studies == 0:
        return "none"
    if n_studies >= 5 and n_designs >= 2 and n_judged >= 3 and (consistency or 0) >= 0.75:
        return "broad"
    if n_studies >= 3:
        return "some"
    return "limited"


def consistency_of(stances: list[str]) -> float | None:
    """Share of the studies taking a position (not 'mentions') that share the commonest stance."""
    judged = [s for s in stances if s != "mentions"]
    if not judged:
        return None
    return Counter(judged).most_common(1)[0][1] / len(judged)


async def concept(db, concept_id: str) -> dict | None:
    found = await rows(db, "select * from concepts where id = ?", [concept_id])
    if not found:
        return None
    c = found[0]
    await _relations(db, c)
    studies = await rows(
        db,
        "select e.ref, e.study, e.year, e.stance, e.n_claims, s.countries, s.methods, s.is_danish "
        "from concept_evidence e join studies s on s.ref = e.ref where e.concept_id = ?",
        [concept_id],
    )
    quotes = await rows(
        db,
        "select claim_id, section, ref, stance, sentence_da, text_en from concept_citations "
        "where concept_id = ? order by chapter, claim_id, position",
        [concept_id],
    )
    findings = await rows(  # the Bilag 2 findings behind a study's stance (finding_stance)
        db,
        "select f.finding_id, f.ref, f.text_da, f.text_en, x.stance from concept_studies c, "
        "json_each(c.finding_ids) j join findings f on f.finding_id = j.value "
        "join finding_concepts x on x.finding_id = f.finding_id "
        "and x.concept_id in (select value from json_each(c.via_concepts)) "
        "where c.concept_id = ? order by f.ref, f.finding_id",
        [concept_id],
    )
    for s in studies:
        s["countries"], s["methods"] = _json(s["countries"], []), _json(s["methods"], [])
        s["quotes"] = [q for q in quotes if q["ref"] == s["ref"]]
        s["findings"] = once_each([f for f in findings if f["ref"] == s["ref"]])
    studies.sort(key=lambda s: (STANCE_ORDER.get(s["stance"], 9), -s["n_claims"], s["ref"]))
    mark_repeated_sentences(studies)
    c["studies"] = studies
    c["profile"] = _profile(studies)
    c["n_claims"] = len({q["claim_id"] for q in quotes})
    c["handbook"] = await rows(
        db,
        "select a.advice_id, a.quote_da, a.advice_en, a.handbook_section, a.evidence_note, "
        "a.evidence_note_da "
        "from handbook_advice a, json_each(a.concept_ids) j where j.value = ? order by a.advice_id",
        [concept_id],
    )
    return c


def once_each(findings: list[dict]) -> list[dict]:
    """A Bilag 2 finding once, though it is coded with several of the concept's narrower concepts,
    with its stances on them aggregated as a study's are (evidence.read.stances.aggregate_stance)."""
    by_id: dict[str, dict] = {}
    for f in findings:
        kept = by_id.setdefault(f["finding_id"], {**f, "stances": []})
        kept["stances"].append(f["stance"])
    for f in by_id.values():
        f["stance"] = aggregate_stance(f.pop("stances"))
    return list(by_id.values())


def mark_repeated_sentences(studies: list[dict]) -> None:
    """A sentence that cites several of the concept's studies is quoted once, under the first of
    them; under the others its quote gets `same_as` (that study and the claim quoted there), so the
    page points to it. One sentence with three citation groups (2.2-08, 2.2-09, 2.2-10) was
    printed three times."""
    first: dict[tuple[str, str], dict] = {}
    for s in studies:
        for q in s["quotes"]:
            key = (q["section"], q["sentence_da"])
            if key in first:
                q["same_as"] = first[key]
            else:
                first[key] = {"ref": s["ref"], "study": s["study"], "claim_id": q["claim_id"]}


async def _relations(db, c: dict) -> None:
    """A concept's narrower concepts and its broader one (`broader_row`), as id and labels."""
    c["narrower"] = await rows(
        db,
        "select id, label_da, label_en from concepts where broader = ? order by id",
        [c["id"]],
    )
    broader = await rows(
        db, "select id, label_da, label_en from concepts where id = ?", [c["broader"]]
    )
    c["broader_row"] = broader[0] if broader else None


def _profile(studies: list[dict]) -> dict:
    stances = Counter(s["stance"] for s in studies)
    countries = Counter(code for s in studies for code in s["countries"])
    methods = Counter(code for s in studies for code in s["methods"])
    consistency = consistency_of([s["stance"] for s in studies])
    judged = sum(n for k, n in stances.items() if k != "mentions")
    return {
        "n_studies": len(studies),
        "n_danish": sum(1 for s in studies if s["is_danish"]),
        "stances": dict(sorted(stances.items(), key=lambda kv: STANCE_ORDER.get(kv[0], 9))),
        "countries": dict(countries.most_common()),
        "methods": dict(methods.most_common()),
        "consistency": consistency,
        "n_judged": judged,
        "extent": extent(len(studies), len(methods), consistency, judged),
    }


async def study_finding_dimensions(db) -> dict[int, list[str]]:
    """ref → the dimensions its Bilag 2 findings are listed under (the map's effect dimension:
    the review gives none per study)."""
    out: dict[int, list[str]] = {}
    for r in await rows(
        db,
        "select distinct f.ref, f.dimension from findings f "
        "join dimensions d on d.code = f.dimension order by f.ref, d.sort_order",
    ):
        out.setdefault(r["ref"], []).append(r["dimension"])
    return out


async def map_data(db) -> dict:
    """Everything the gap map draws, compact: it is inlined in the page and the offline file."""
    vocab = await vocabulary(db)
    concepts = await rows(
        db,
        "select k.id, k.label_da, k.label_en, k.dimension, k.broader from concepts k "
        "left join section_dimensions d on d.code = k.dimension order by d.sort_order, k.id",
    )
    studies = await rows(
        db,
        "select ref, bilag2_authors_year, year, countries, service_areas, methods from studies order by ref",
    )
    evidence = await rows(db, "select concept_id, ref, stance, claim_ids from concept_evidence")
    finding_dimensions = await study_finding_dimensions(db)
    outcomes = await rows(db, "select count(*) as n, count(distinct ref) as refs from outcomes")
    claims = await rows(
        db,
        "select distinct c.claim_id, c.section, c.sentence_da, c.text_en from claims c "
        "join claim_concepts k on k.claim_id = c.claim_id",
    )
    return {
        "labels": {
            k: vocab[k]
            for k in (
                "country",
                "service_area",
                "method",
                "finding_dimension",
                "dimension",
                "stance",
            )
        },
        "concepts": [
            [c["id"], c["label_da"], c["label_en"], c["dimension"], c["broader"], depth]
            for c, depth in by_broader(concepts)
        ],
        "studies": _map_studies(studies, finding_dimensions),
        "outcomes": [outcomes[0]["n"], outcomes[0]["refs"]],
        "evidence": [
            [e["concept_id"], e["ref"], e["stance"], _json(e["claim_ids"], [])] for e in evidence
        ],
        "claims": {c["claim_id"]: [c["section"], c["sentence_da"], c["text_en"]] for c in claims},
    }


def _map_studies(studies: list[dict], finding_dimensions: dict[int, list]) -> dict[str, list]:
    """ref → [authors and year, year, countries, service areas, methods, finding dimensions]."""
    return {
        str(s["ref"]): [
            s["bilag2_authors_year"],
            s["year"],
            _json(s["countries"], []),
            _json(s["service_areas"], []),
            _json(s["methods"], []),
            finding_dimensions.get(s["ref"], []),
        ]
        for s in studies
    }


def by_broader(concepts: list[dict]) -> list[tuple[dict, int]]:
    """Concepts in their given (dimension) order, each narrower concept right after its broader
    one in the same dimension, with its depth below it."""
    ids = {c["id"]: c for c in concepts}
    children: dict[str, list[dict]] = {}
    for c in concepts:
        parent = ids.get(c["broader"])
        if parent is not None and parent["dimension"] == c["dimension"]:
            children.setdefault(parent["id"], []).append(c)
    out: list[tuple[dict, int]] = []

    def visit(c: dict, depth: int) -> None:
        out.append((c, depth))
        for child in children.get(c["id"], []):
            visit(child, depth + 1)

    nested = {child["id"] for kids in children.values() for child in kids}
    for c in concepts:
        if c["id"] not in nested:
            visit(c, 0)
    seen = {c["id"] for c, _ in out}
    return out + [(c, 0) for c in concepts if c["id"] not in seen]  # a cycle: shown flat


async def prisma(db) -> dict:
    flow = await rows(
        db, "select seq, stage, label_da, label_en, n, kind, note from screening_flow order by seq"
    )
    audit = await rows(
        db,
        "select stated, observed, detail from audit_findings where kind = 'screening_arithmetic'",
    )
    return {
        "flow": {r["stage"]: r for r in flow},
        "rows": flow,
        "audit": audit,
        "review": await review(db),
    }
