"""Read the lists the API serves: studies, claims, sections, outcomes, audit findings.

Each `list_*` takes an open read-only connection and its filters and returns (rows, count), rows
as dicts shaped like the models in evidence.models. A filter value the vocabularies do not know
raises `InvalidFilter`, which the API turns into a 422 that names the allowed values.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import asdict, dataclass
from functools import lru_cache

from evidence.read.stances import study_concept_stances
from evidence.search_text import MAX_TERMS, fts_query, term_count

STANCES = ("supports", "contradicts", "mixed", "mentions")


class InvalidFilter(ValueError):
    """A filter value that can match nothing because it is not a known value; `parameter` names it."""

    def __init__(self, message: str, parameter: str | None = None):
        super().__init__(message)
        self.parameter = parameter


class NotFound(LookupError):
    """An id that does not exist; carries suggestions."""

    def __init__(self, message: str, suggestions: list | None = None):
        super().__init__(message)
        self.suggestions = suggestions or []


def page(rows: list[dict], limit: int | None, offset: int) -> tuple[list[dict], int]:
    """(the rows from `offset`, at most `limit` of them; how many rows there are in all)."""
    return rows[offset : offset + limit if limit is not None else None], len(rows)


def select_where(
    conn: sqlite3.Connection, select: str, where: list[str], params: list, order: str
) -> list[dict]:
    """The rows of `select` for which every condition of `where` holds, ordered by `order`."""
    sql = select + (" where " + " and ".join(where) if where else "") + " order by " + order
    return conn.execute(sql, params).fetchall()


def _check(name: str, value: str | None, allowed) -> None:
    if value is not None and value not in allowed:
        raise InvalidFilter(
            f"{name}={value!r} is not a known value; use one of: {', '.join(sorted(allowed))}",
            name,
        )


def nearest_refs(conn: sqlite3.Connection, ref: int, n: int = 5) -> list[dict]:
    """The included studies whose numbers are closest to `ref` (for a 404 or a 422)."""
    rows = conn.execute(
        "select ref, authors, year from studies order by abs(ref - ?), ref limit ?", [ref, n]
    ).fetchall()
    return [{"ref": r["ref"], "authors": r["authors"], "year": r["year"]} for r in rows]


def _check_ref(conn: sqlite3.Connection, ref: int | None) -> None:
    """A study filter must name an included study: 422 with the nearest ones, and for a number the
    review prints but Bilag 2 lacks (908), where it is cited (`unresolved_citations`)."""
    if ref is None or conn.execute("select 1 from studies where ref = ?", [ref]).fetchone():
        return
    near = nearest_refs(conn, ref, 3)
    cited = [
        r["claim_id"]
        for r in conn.execute(
            "select claim_id from unresolved_citations where ref = ? order by claim_id", [ref]
        )
    ]
    where = (
        f"; the review cites {ref} in claim {', '.join(cited)}, but Bilag 2 has no study {ref} "
        "(see /api/audit)"
        if cited
        else ""
    )
    raise InvalidFilter(
        f"ref={ref} is not an included study{where}; the nearest: "
        f"{', '.join(str(r['ref']) for r in near)}; the included studies are listed at /api/studies",
        "ref",
    )


def search_keys(conn: sqlite3.Connection, table: str, key: str, q: str) -> set:
    """Keys of the rows of `table` whose full-text index matches `q`, as the site's search box
    matches (evidence.search_text.fts_query: words as typed or stemmed, punctuation ignored)."""
    if term_count(q) > MAX_TERMS:
        raise InvalidFilter(f"q has {term_count(q)} terms; at most {MAX_TERMS} are searched", "q")
    sql = f"select t.[{key}] as k from [{table}_fts] f join [{table}] t on t.rowid = f.rowid where [{table}_fts] match ?"
    return {r["k"] for r in conn.execute(sql, [fts_query(q)])}


@dataclass
class StudyFilters:
    """The filters of /api/studies and the bibliography exports."""

    country: str | None = None
    service_area: str | None = None
    method: str | None = None
    dimension: str | None = None
    concept: str | None = None
    stance: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    q: str | None = None

    def active(self) -> dict:
        """The filters that are set, for the provenance of an export."""
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}

    def validate(self, conn: sqlite3.Connection) -> None:
        if (
            self.year_from is not None
            and self.year_to is not None
            and self.year_from > self.year_to
        ):
            raise InvalidFilter(
                f"year_from={self.year_from} is after year_to={self.year_to}: no year is both",
                "year_from",
            )
        _check("country", self.country, codes(conn, "countries"))
        _check("service_area", self.service_area, codes(conn, "service_areas"))
        _check("method", self.method, codes(conn, "methods"))
        _check(
            "dimension",
            self.dimension,
            codes(conn, "dimensions") | codes(conn, "section_dimensions"),
        )
        _check("stance", self.stance, STANCES)
        if self.concept is not None:
            _check(
                "concept", self.concept, {r["id"] for r in conn.execute("select id from concepts")}
            )


def codes(conn: sqlite3.Connection, vocabulary: str) -> set[str]:
    """The codes of a controlled vocabulary (a lookup table of the build)."""
    return {r["code"] for r in conn.execute(f"select code from [{vocabulary}]")}


def _dimension_refs(conn: sqlite3.Connection, dimension: str) -> set[int]:
    """Studies with a Bilag 2 finding under the dimension, or cited in a chapter of it."""
    refs = {
        r["ref"]
        for r in conn.execute("select distinct ref from findings where dimension = ?", [dimension])
    }
    rows = conn.execute(
        "select distinct ci.ref from citations ci join claims c on c.claim_id = ci.claim_id "
        "join sections s on s.section = cast(c.chapter as text) where s.dimension = ?",
        [dimension],
    )
    return refs | {r["ref"] for r in rows}


def list_studies(
    conn: sqlite3.Connection, f: StudyFilters, limit: int | None = None, offset: int = 0
) -> tuple[list[dict], int]:
    f.validate(conn)
    where: list[str] = []
    params: list[str | int] = []
    for column, value in (
        ("countries", f.country),
        ("service_areas", f.service_area),
        ("methods", f.method),
    ):
        if value:
            where.append(f"exists (select 1 from json_each(studies.{column}) where value = ?)")
            params.append(value)
    if f.year_from is not None:
        where.append("year >= ?")
        params.append(f.year_from)
    if f.year_to is not None:
        where.append("year <= ?")
        params.append(f.year_to)
    rows = select_where(conn, "select * from studies", where, params, "ref")
    keep = _kept_refs(conn, f)
    if keep is not None:
        rows = [r for r in rows if r["ref"] in keep]
    if f.q:
        # the studies' index holds their findings, Danish and English (evidence.build.search):
        # the one the studies table's search box searches
        refs = search_keys(conn, "studies", "ref", f.q)
        rows = [r for r in rows if r["ref"] in refs]
    return page(rows, limit, offset)


def references_by_id(conn: sqlite3.Connection, reference_ids: list[str]) -> dict[str, dict]:
    """reference_id → its bibliography entry (the `references` table)."""
    marks = ", ".join("?" for _ in reference_ids) or "null"
    sql = f'select * from "references" where reference_id in ({marks})'
    return {r["reference_id"]: r for r in conn.execute(sql, reference_ids)}


def _kept_refs(conn: sqlite3.Connection, f: StudyFilters) -> set[int] | None:
    """Refs allowed by the dimension, concept and stance filters (None: no such filter)."""
    keep = None
    if f.dimension:
        keep = _dimension_refs(conn, f.dimension)
    if f.concept or f.stance:
        pairs = study_concept_stances(conn)
        refs = {
            r
            for (r, c), s in pairs.items()
            if (not f.concept or c == f.concept) and (not f.stance or s == f.stance)
        }
        keep = refs if keep is None else keep & refs
    return keep


def list_concepts(
    conn: sqlite3.Connection, dimension=None, q=None, limit=None, offset=0
) -> tuple[list[dict], int]:
    """The thesaurus with how many claims and studies the review has for each concept."""
    if dimension is not None:
        _check("dimension", dimension, codes(conn, "section_dimensions"))
    rows = conn.execute(
        "select k.*, s.n_claims, s.n_studies from concepts k join concept_summary s on s.concept_id = k.id"
        + (" where k.dimension = ?" if dimension else "")
        + " order by k.dimension, k.id",
        [dimension] if dimension else [],
    ).fetchall()
    if q:
        ids = search_keys(conn, "concepts", "id", q)
        rows = [r for r in rows if r["id"] in ids]
    return page(rows, limit, offset)


def section_titles(conn: sqlite3.Connection) -> dict[str, str]:
    return {
        r["section"]: r["title_da"] for r in conn.execute("select section, title_da from sections")
    }


def list_claims(
    conn, section=None, concept=None, stance=None, ref=None, limit=None, offset=0
) -> tuple[list[dict], int]:
    _check("stance", stance, STANCES)
    _check_ref(conn, ref)
    if section is not None:
        _check("section", section, section_titles(conn))
    if concept is not None:
        _check("concept", concept, {r["id"] for r in conn.execute("select id from concepts")})
    where, params = [], []
    if section:
        where.append("(c.section = ? or cast(c.chapter as text) = ?)")
        params += [section, section]
    if concept:
        where.append(
            "exists (select 1 from claim_concepts cc where cc.claim_id = c.claim_id and cc.concept_id = ?"
            + (" and cc.stance = ?" if stance else "")
            + ")"
        )
        params += [concept] + ([stance] if stance else [])
    elif stance:
        where.append("c.stance = ?")
        params.append(stance)
    if ref is not None:
        where.append(
            "exists (select 1 from citations ci where ci.claim_id = c.claim_id and ci.ref = ?)"
        )
        params.append(ref)
    select = (
        "select c.*, coalesce(s.title_da, '') as section_title "
        "from claims c left join sections s on s.section = c.section"
    )
    rows = select_where(conn, select, where, params, "c.chapter, c.source_line, c.claim_id")
    return page(rows, limit, offset)


def list_sections(conn: sqlite3.Connection) -> tuple[list[dict], int]:
    rows = conn.execute(
        """select s.*,
             (select count(*) from claims c where c.section = s.section or (s.level = 1 and c.chapter = s.chapter)) as n_claims,
             (select count(distinct ci.ref) from citations ci join claims c on c.claim_id = ci.claim_id
                join studies st on st.ref = ci.ref
              where c.section = s.section or (s.level = 1 and c.chapter = s.chapter)) as n_studies
           from sections s order by s.chapter, s.level, s.source_line"""
    ).fetchall()
    rows.sort(key=lambda r: (r["chapter"], r["source_line"]))
    return rows, len(rows)


def list_outcomes(conn, ref=None, section=None, limit=None, offset=0) -> tuple[list[dict], int]:
    _check_ref(conn, ref)
    where, params = [], []
    for column, value in (("ref", ref), ("section", section)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    rows = select_where(conn, "select * from outcomes", where, params, "section, ref, outcome_id")
    return page(rows, limit, offset)


def list_audit(conn, kind=None, ref=None, limit=None, offset=0) -> tuple[list[dict], int]:
    rows = conn.execute(
        "select kind, location, stated, observed, detail from audit_findings"
    ).fetchall()
    if kind is not None:
        _check("kind", kind, {r["kind"] for r in rows})
        rows = [r for r in rows if r["kind"] == kind]
    if ref is not None:
        rows = [r for r in rows if mentions_study(r, ref)]
    return page(rows, limit, offset)


AUDIT_FIELDS = ("location", "stated", "observed", "detail")


def mentions_study(finding: dict, ref: int) -> bool:
    """True when an audit finding names the study ('study 5', 'studies 5, 79')."""
    pattern = _naming(ref)
    return any(pattern.search(str(finding.get(k) or "")) for k in AUDIT_FIELDS)


@lru_cache(maxsize=8192)
def _naming(ref: int) -> re.Pattern:
    return re.compile(rf"\bstud(?:y|ies)\s+(?:\d+(?:,\s*|\s+and\s+))*{ref}\b")
