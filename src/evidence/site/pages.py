"""The site's own pages, as Datasette routes: a page per study and per concept, the gap map (and its
offline HTML file) and the PRISMA flow. Registered by evidence.site.plugin (register_routes).

Every link is built with Datasette's `urls` helpers, so the pages work at the site's root and
mounted under /browse/. `?lang=en` switches the interface and the labels to English (Danish is the
default, as the review is).
"""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from pathlib import Path

from datasette.utils.asgi import NotFound, Response

from evidence.answer.ask import suggest
from evidence.export.bibliography import entry
from evidence.export.files import download_headers, file_name
from evidence.export.references import reference_about, reference_file
from evidence.read.database import Database
from evidence.read.documents import nearest_refs
from evidence.settings import ROOT
from evidence.site import pagedata
from evidence.site.i18n import (
    AUDIT_DETAIL_DA,
    DEFAULT_LANG,
    LANGS,
    TEXT,
    lang_of,
    message,
    texts,
)
from evidence.site.params import (
    MAP_FILTERS,
    NONE,
    OLD_NONE,
    PageError,
    check_params,
    map_state,
    pairs,
)
from evidence.site.provenance import asked_about, cache_control, page_about
from evidence.site.rebuilds import per_build
from evidence.site.search_all import PARAMS as SEARCH_PARAMS
from evidence.site.search_all import search_page

STATIC = ROOT / "static"
SQLITE_MAX_INT = 2**63 - 1  # a larger number is no row of ours (and SQLite cannot bind it)


def database(datasette):
    name = next((n for n in datasette.databases if n not in ("_internal", "_memory")), None)
    if name is None:
        raise NotFound("No database")
    return datasette.get_database(name)


def linker(datasette, lang: str):
    """link('study/924', anchor=None, **params) → a base_url-aware path keeping the language."""

    def link(path: str, **params) -> str:
        if lang != DEFAULT_LANG:
            params = {"lang": lang, **params}
        kept = {k: v for k, v in params.items() if v not in (None, "", [])}
        query = urllib.parse.urlencode(kept, doseq=True)  # a list: the parameter repeated
        return datasette.urls.path(path) + (f"?{query}" if query else "")

    return link


def switch_url(request, lang: str) -> str:
    """This page in the other language, every other parameter kept."""
    other = "en" if lang == "da" else "da"
    args = [
        (k, v)
        for k, v in urllib.parse.parse_qsl(request.query_string, keep_blank_values=True)
        if k != "lang"
    ]
    if other != DEFAULT_LANG:
        args.append(("lang", other))
    return request.path + ("?" + urllib.parse.urlencode(args) if args else "")


async def render(datasette, request, template: str, context: dict, status: int = 200) -> Response:
    lang = lang_of(request)
    db = database(datasette)
    titles = await per_build(db, "section_titles", pagedata.section_titles)
    base = {
        "evidens_lang": lang,
        "t": texts(lang),
        "link": linker(datasette, lang),
        "switch_url": switch_url(request, lang),
        "db_name": db.name,
        "vocab": await per_build(db, "vocabulary", pagedata.vocabulary),
        "meta_values": await per_build(db, "meta", pagedata.meta),
        "section_title": lambda section: titles.get(section, {}).get(lang, ""),
        "audit_detail_da": AUDIT_DETAIL_DA,
    }
    base["label"] = lambda kind, code: base["vocab"].get(kind, {}).get(code, {}).get(lang, code)
    html = await datasette.render_template(template, {**base, **context}, request=request)
    return Response.html(html, status=status)


READERS: dict[str, Database] = {}


def reader(db) -> Database:
    """The API's reader of the same file, for its helpers that name the nearest ids."""
    return READERS.setdefault(db.path, Database(Path(db.path)))


def url_var(request, name: str) -> str:
    """A path segment as typed (`%ff` stays readable in a message)."""
    return urllib.parse.unquote(request.url_vars[name], errors="replace")


async def error_page(datasette, request, error: PageError) -> Response:
    """A PageError as a page in the request's language (in both when the language was bad)."""
    lang = lang_of(request)
    others = [(o, message(error.key, o, error.values)) for o in LANGS if o != lang]
    context = {
        "heading": texts(lang)["not_found" if error.status == 404 else "bad_request"],
        "message": message(error.key, lang, error.values),
        "others": others if error.both_languages else [],
        "suggestions": error.suggestions,
    }
    return await render(datasette, request, "evidens/error.html", context, status=error.status)


def page(view, params: tuple[str, ...] = ("lang",)):
    """A page of ours: its parameters checked (`params` for all but the map, which checks its own);
    PageError answered as a page."""

    async def answer(datasette, request):
        try:
            if params:
                check_params(request, params)
            return await view(datasette, request)
        except PageError as error:
            return await error_page(datasette, request, error)

    return answer


async def _study(datasette, request) -> dict:
    """The study of the URL, or a 404 naming the nearest reference numbers."""
    db, raw = database(datasette), url_var(request, "ref")
    number = int(raw) if raw.isascii() and raw.isdigit() else None
    in_range = number is not None and number <= SQLITE_MAX_INT
    doc = await pagedata.study(db, number) if in_range and number is not None else None
    if doc is not None:
        return doc
    link, suggestions = linker(datasette, lang_of(request)), []
    if number is not None:
        with reader(db).connection() as conn:
            nearest = nearest_refs(conn, min(number, SQLITE_MAX_INT))
        suggestions = [
            (link(f"study/{s['ref']}"), f"{s['ref']}: {s['authors']} ({s['year']})")
            for s in nearest
        ]
    raise PageError(404, "unknown_study", {"value": raw}, suggestions)


async def study_page(datasette, request):
    doc, db = await _study(datasette, request), database(datasette)
    context = {
        "s": doc,
        "concepts": await pagedata.concept_labels(db),
        "audit": (await per_build(db, "audit_by_study", pagedata.audit_by_study)).get(doc["ref"]),
    }
    return await render(datasette, request, "evidens/study.html", context)


async def study_citation(datasette, request):
    """The study as RIS or BibTeX, named, headed and commented as /api/references.* with the
    filter `ref=<ref>` (evidence.export.references); `about=1`: its About as a CSV."""
    doc = await _study(datasette, request)
    about = await page_about(
        datasette, request, database(datasette), "references", {"ref": doc["ref"]}
    )
    entries = [entry(doc, doc.get("reference"))]
    if asked_about(request):
        about.n_rows = len(entries)
        body, kind, headers = reference_about(about, request.url_vars["format"])
    else:
        body, kind, headers = reference_file(entries, about, request.url_vars["format"])
    headers.update(cache_control(datasette, request))
    return Response(body, content_type=kind, headers=headers)


async def concept_page(datasette, request):
    db, concept_id = database(datasette), url_var(request, "id")
    c = await pagedata.concept(db, concept_id)
    if c is None:
        lang = lang_of(request)
        nearest = await asyncio.to_thread(suggest, reader(db), concept_id)
        link = linker(datasette, lang)
        label = "label_en" if lang == "en" else "label_da"
        raise PageError(
            404,
            "unknown_concept",
            {"value": concept_id},
            [(link(f"concept/{n['id']}"), n[label]) for n in nearest],
        )
    return await render(
        datasette,
        request,
        "evidens/concept.html",
        {"c": c, "mounted": datasette.setting("base_url") != "/"},
    )


def _script_json(value) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


async def _map_context(datasette, request) -> dict:
    db = database(datasette)
    data = await pagedata.map_data(db)
    meta = await per_build(db, "meta", pagedata.meta)
    lang = lang_of(request)
    data["site"] = {
        "study": datasette.absolute_url(request, datasette.urls.path("study/")),
        "concept": datasette.absolute_url(request, datasette.urls.path("concept/")),
        "download": datasette.absolute_url(request, datasette.urls.path("map.html")),
        "lang": lang,
        "version": meta.get("dataset_version", ""),
        "none": NONE,
    }
    data["text"] = texts(lang)
    data["sections"] = {
        k: [v["da"], v["en"]]
        for k, v in (await per_build(db, "section_titles", pagedata.section_titles)).items()
    }
    row_keys = {
        "concept": {c[0] for c in data["concepts"]},
        "dimension": set(data["labels"]["dimension"]),
    }
    vocab = await per_build(db, "vocabulary", pagedata.vocabulary)
    state = map_state(request, vocab, row_keys, lang)
    return {
        "map_json": _script_json(data),
        "state": state,
        "map_js": (STATIC / "evidens-map.js").read_text(encoding="utf-8"),
        "map_css": (STATIC / "evidens-map.css").read_text(encoding="utf-8"),
        "n_outcomes": data["outcomes"][0],
        "n_outcome_studies": data["outcomes"][1],
        "citation": meta.get("review_citation" if lang == "da" else "review_citation_en", ""),
        "version": meta.get("dataset_version", ""),
        "built_at": meta.get("built_at", ""),
        "map_url": datasette.absolute_url(request, request.full_path),
    }


def renamed_cell(request) -> Response | None:
    """An old link to the "not reported" column (`cell=…~_none`) moved to its id, not_reported."""
    if not request.args.get("cell", "").endswith("~" + OLD_NONE):
        return None
    args = [(k, v.removesuffix(OLD_NONE) + NONE if k == "cell" else v) for k, v in pairs(request)]
    return Response.redirect(request.path + "?" + urllib.parse.urlencode(args), status=301)


async def map_page(datasette, request):
    moved = renamed_cell(request)
    if moved:
        return moved
    return await render(
        datasette, request, "evidens/map.html", await _map_context(datasette, request)
    )


async def map_download(datasette, request):
    """The map as one self-contained HTML file: data, script and style inlined, no requests."""
    moved = renamed_cell(request)
    if moved:
        return moved
    context = await _map_context(datasette, request)
    response = await render(datasette, request, "evidens/map_offline.html", context)
    # named as the exports are: language, view and filters, data version; the headers every
    # export sends (its About is inside the file: no companion)
    state = context["state"]
    names = ["evidens", "gap-map", lang_of(request)]
    name = file_name(names, state, context["version"], "", "html")
    filters = {
        k: ",".join(v) if isinstance(v, list) else v
        for k, v in state.items()
        if k in (*MAP_FILTERS, "year_from", "year_to")
    }
    about = await page_about(datasette, request, database(datasette), "gap-map", filters)
    response.headers.update(download_headers(about, name, companion=False))
    response.headers.update(cache_control(datasette, request))
    return response


async def favicon(request):
    """static/favicon.ico (Datasette's own icon is not ours)."""
    return Response(
        (STATIC / "favicon.ico").read_bytes(),
        content_type="image/x-icon",
        headers={"cache-control": "max-age=86400, public"},
    )


async def study_unknown_format(datasette, request):
    """/study/924.xml: the project's 404, with the study's page and its files (or, for a number
    that is no study, the nearest studies, as /study/925 answers)."""
    doc = await _study(datasette, request)
    link, ref = linker(datasette, lang_of(request)), doc["ref"]
    pages = [f"study/{ref}", f"study/{ref}.ris", f"study/{ref}.bib"]
    labels = [f"{ref}: {doc['bilag2_authors_year']}", "RIS", "BibTeX"]
    raise PageError(
        404,
        "unknown_format",
        {"value": pages[0], "format": url_var(request, "format"), "allowed": ", ".join(pages)},
        [(link(p), text) for p, text in zip(pages, labels, strict=True)],
    )


async def elsewhere(datasette, request):
    """An address that starts as one of our pages and is none of them: `/map.xml`,
    `/-/search.json`, `/-/search/x`, `/favicon.ico.json` (datasette-search-all's route and
    Datasette's favicon match any address they begin; theirs answered 500 or the icon).
    A trailing slash goes where Datasette sends every address's (NotFound: its redirect to the
    address without it, as `/map/` goes to `/map`); an extension is our 404 naming the page's
    forms; anything else our 404 with a link to the page."""
    name, rest = request.url_vars["name"], url_var(request, "rest")
    if rest.endswith("/"):
        raise NotFound(request.path)
    link = linker(datasette, lang_of(request))
    kept = {k: request.args[k] for k in KEPT.get(name, ()) if request.args.get(k)}
    pages = [name, *FORMATS.get(name, ())]
    suggestions = [(link(p, **(kept if p == name else {})), p) for p in pages]
    if rest.startswith(".") and "/" not in rest:
        values = {"value": name, "format": rest[1:], "allowed": ", ".join(pages)}
        raise PageError(404, "unknown_format", values, suggestions)
    raise PageError(404, "unknown_page", {"value": name + rest}, suggestions)


async def no_listing(datasette, request):
    """/study and /concept without an id: our 404 pointing to the lists (Datasette's English
    "Error 404" had answered)."""
    name = request.url_vars["name"]
    table = "studies" if name == "study" else "concepts"
    link = linker(datasette, lang_of(request))
    suggestions = [(link(f"evidence/{table}"), f"evidence/{table}")]
    raise PageError(404, "unknown_page", {"value": name}, suggestions)


async def about_page(datasette, request):
    """How the data were made (templates/evidens/about.html), in the page's language as every page
    of ours is; the review's title is quoted in Danish on both."""
    context = {"review_title_da": TEXT["review_title"][0]}
    return await render(datasette, request, "evidens/about.html", context)


async def prisma_page(datasette, request):
    data = await pagedata.prisma(database(datasette))
    return await render(datasette, request, "evidens/prisma.html", data)


FORMATS = {"map": ("map.html",)}  # a page's other forms, named by its unknown-extension 404
KEPT = {"-/search": ("q",)}  # what the link of its 404 keeps of the address
ROUTES = [
    (r"^/-/search$", page(search_page, SEARCH_PARAMS)),
    (r"^/study/(?P<ref>[^/.]+)$", page(study_page)),
    (r"^/study/(?P<ref>[^/.]+)\.(?P<format>ris|bib)$", page(study_citation, ("lang", "about"))),
    (r"^/study/(?P<ref>[^/.]+)\.(?P<format>[^/]*)$", page(study_unknown_format, params=())),
    (r"^/concept/(?P<id>[^/]+)$", page(concept_page)),
    (r"^/map$", page(map_page, params=())),
    (r"^/map\.html$", page(map_download, params=())),
    (r"^/prisma$", page(prisma_page)),
    (r"^/about$", page(about_page)),
    (r"^/favicon\.ico$", favicon),
    (r"^/(?P<name>study|concept)$", page(no_listing, params=())),
    (r"^/(?P<name>map|prisma|about)(?P<rest>[./].*)$", page(elsewhere, params=())),
    (r"^/(?P<name>-/search|favicon\.ico)(?P<rest>.+)$", page(elsewhere, params=())),
]
