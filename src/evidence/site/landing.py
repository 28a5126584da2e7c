"""The landing page (`/`), answered by the site rather than Datasette's index view.

Datasette's index view checks the view permission of every table and view (about eighty), and
Datasette 0.65.5's check deep-copies the whole metadata, every column description included, for
each one: 0.3–0.5 s a request, for a list of tables our index.html does not show. This view
renders the same template with what it does show (the build's figures, every study and concept),
read once per build: the database is read-only and a rebuild replaces the file whole.
What is read once holds no language; `?lang=en` goes into the rendering: the page is Danish or
English as a whole (`<html lang>`, headings, copy), and its links to our pages (studies,
concepts, map, PRISMA) keep the language.
"""

from __future__ import annotations

from datasette.utils.asgi import Response

from evidence.site.i18n import TEXT, lang_of, texts
from evidence.site.pagedata import rows
from evidence.site.pages import database, linker, switch_url
from evidence.site.rebuilds import per_build

COUNTED = ("studies", "findings", "claims", "citations", "concepts", "references", "audit_findings")


async def landing_context(db) -> dict:
    """The build's meta table and row counts, and every study and concept (by dimension)."""
    meta = {r["key"]: r["value"] for r in await rows(db, "select key, value from meta")}
    counts = {t: (await db.execute(f"select count(*) from [{t}]")).first()[0] for t in COUNTED}
    studies = await rows(
        db, "select ref, bilag2_authors_year from studies order by bilag2_authors_year"
    )
    concepts = await rows(
        db,
        "select k.id, k.label_da, k.label_en, d.label_da as dim_da, d.label_en as dim_en "
        "from concepts k join section_dimensions d on d.code = k.dimension "
        "order by d.sort_order, k.label_da",
    )
    return {
        "evidence_db": db.name,
        "evidence_meta": meta,
        "evidence_counts": counts,
        "evidence_studies": studies,
        "evidence_concepts": concepts,
    }


async def landing_page(datasette, request):
    context = await per_build(database(datasette), "landing", landing_context)
    lang = lang_of(request)
    context = {
        **context,
        "metadata": datasette.metadata(),
        "evidens_lang": lang,
        "t": texts(lang),
        "review_title_da": TEXT["review_title"][0],  # an English page cites it, marked
        "switch_url": switch_url(request, lang),
        "link": linker(datasette, lang),
    }
    html = await datasette.render_template(
        "index.html", context, request=request, view_name="index"
    )
    return Response.html(html)
