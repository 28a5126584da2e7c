"""The site's own pages, as Datasette routes: a page per study and per concept, the gap map (and its
offline HTML file) and the PRISMA flow. Registered by evidence.site.plugin (register_routes).

Every link is built with Datasette's `urls` helpers, so the pages work at the site's root and
mounted under /browse/. `?lang=en` switches the interface and the labels to English (Danish is the
default, as the review is).
"""

from __future__ import annotations

import json
import urllib.parse

from datasette.utils.asgi import NotFound, Response

from evidence.export.bibliography import entry, to_bibtex, to_ris
from evidence.settings import ROOT
from evidence.site import pagedata
from evidence.site.i18n import DEFAULT_LANG, lang_of, texts

STATIC = ROOT / "static"
MAP_PARAMS = (
    "rows",
    "cols",
    "country",
    "service_area",
    "method",
    "year_from",
    "year_to",
    "stance",
    "op",
    "cell",
    "view",
)


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
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v not in (None, "")})
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
    base = {
        "evidens_lang": lang,
        "t": texts(lang),
        "link": linker(datasette, lang),
        "switch_url": switch_url(request, lang),
        "db_name": db.name,
        "vocab": await pagedata.vocabulary(db),
        "meta_values": await pagedata.meta(db),
    }
    base["label"] = lambda kind, code: base["vocab"].get(kind, {}).get(code, {}).get(lang, code)
    html = await datasette.render_template(template, {**base, **context}, request=request)
    return Response.html(html, status=status)


def _ref(request) -> int:
    raw = request.url_vars["ref"]
    if not raw.isdigit():
        raise NotFound(f"No study {raw!r}: a study is its reference number in the review, e.g. 924")
    return int(raw)


async def study_page(datasette, request):
    db = database(datasette)
    doc = await pagedata.study(db, _ref(request))
    if doc is None:
        raise NotFound(
            f"No included study {request.url_vars['ref']}; see the studies table for all 55"
        )
    concepts = await pagedata.concept_labels(db)
    return await render(datasette, request, "evidens/study.html", {"s": doc, "concepts": concepts})


async def study_citation(datasette, request):
    db = database(datasette)
    ref = _ref(request)
    doc = await pagedata.study(db, ref)
    if doc is None:
        raise NotFound(f"No included study {ref}")
    fmt = request.url_vars["format"]
    record = entry(doc, doc.get("reference"))
    if fmt == "ris":
        body, kind = to_ris([record]), "application/x-research-info-systems"
    else:
        body, kind = to_bibtex([record]), "application/x-bibtex"
    return Response(
        body,
        content_type=f"{kind}; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="evidens-study-{ref}.{fmt}"'},
    )


async def concept_page(datasette, request):
    db = database(datasette)
    c = await pagedata.concept(db, request.url_vars["id"])
    if c is None:
        raise NotFound(
            f"No concept {request.url_vars['id']!r}; see the concepts table for the list"
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
    meta = await pagedata.meta(db)
    lang = lang_of(request)
    data["site"] = {
        "study": datasette.absolute_url(request, datasette.urls.path("study/")),
        "concept": datasette.absolute_url(request, datasette.urls.path("concept/")),
        "download": datasette.absolute_url(request, datasette.urls.path("map.html")),
        "lang": lang,
        "version": meta.get("dataset_version", ""),
    }
    data["text"] = texts(lang)
    state = {k: request.args.get(k) for k in MAP_PARAMS if request.args.get(k)}
    return {
        "map_json": _script_json(data),
        "state": state,
        "map_js": (STATIC / "evidens-map.js").read_text(encoding="utf-8"),
        "map_css": (STATIC / "evidens-map.css").read_text(encoding="utf-8"),
        "citation": meta.get("review_citation" if lang == "da" else "review_citation_en", ""),
        "version": meta.get("dataset_version", ""),
        "built_at": meta.get("built_at", ""),
        "map_url": datasette.absolute_url(request, request.full_path),
    }


async def map_page(datasette, request):
    return await render(
        datasette, request, "evidens/map.html", await _map_context(datasette, request)
    )


async def map_download(datasette, request):
    """The map as one self-contained HTML file: data, script and style inlined, no requests."""
    response = await render(
        datasette, request, "evidens/map_offline.html", await _map_context(datasette, request)
    )
    response.headers["content-disposition"] = 'attachment; filename="evidens-gap-map.html"'
    return response


async def favicon(request):
    """static/favicon.ico (Datasette's own icon is not ours)."""
    return Response(
        (STATIC / "favicon.ico").read_bytes(),
        content_type="image/x-icon",
        headers={"cache-control": "max-age=86400, public"},
    )


async def prisma_page(datasette, request):
    data = await pagedata.prisma(database(datasette))
    return await render(datasette, request, "evidens/prisma.html", data)


ROUTES = [
    (r"^/study/(?P<ref>[^/.]+)$", study_page),
    (r"^/study/(?P<ref>[^/.]+)\.(?P<format>ris|bib)$", study_citation),
    (r"^/concept/(?P<id>[^/]+)$", concept_page),
    (r"^/map$", map_page),
    (r"^/map\.html$", map_download),
    (r"^/prisma$", prisma_page),
    (r"^/favicon\.ico$", favicon),
]
