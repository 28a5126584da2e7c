"""Danish and English interface text of the site's own pages (study, concept, gap map, PRISMA).

Labels for codes (countries, methods, stances, …) are not here: they come from the database's
vocabulary tables. Datasette's own chrome (table pages, facets, the SQL editor) stays English.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

LANGS = ("da", "en")
DEFAULT_LANG = "da"

TEXT: dict[str, tuple[str, str]] = {
    # key: (Danish, English)
    "skip": ("Spring til indhold", "Skip to content"),
    "switch": ("English", "Dansk"),
    "switch_title": ("Read this page in English", "Læs siden på dansk"),
    "home": ("Forside", "Home"),
    # the review's title; the English one is the translation its citation gives (data/review.yml)
    "review_title": (
        "Tværfagligt samarbejde om en helhedsorienteret indsats",
        "Interdisciplinary collaboration on a holistic intervention",
    ),
    "map": ("Evidenskort", "Evidence-gap map"),
    "prisma": ("Søgning og screening (PRISMA)", "Search and screening (PRISMA)"),
    "study": ("Studie", "Study"),
    "studies": ("Studier", "Studies"),
    "concept": ("Begreb", "Concept"),
    "concepts": ("Begreber", "Concepts"),
    "authors": ("Forfattere", "Authors"),
    "year": ("År", "Year"),
    "title": ("Titel", "Title"),
    "venue": ("Udgivet i / af", "Published in / by"),
    "publication_type": ("Publikationstype", "Publication type"),
    "country": ("Land", "Country"),
    "countries": ("Lande", "Countries"),
    "service_area": ("Serviceområde", "Service area"),
    "service_areas": ("Serviceområder", "Service areas"),
    "method": ("Metode / design", "Method / design"),
    "methods": ("Metoder / design", "Methods / designs"),
    "dimension": ("Dimension", "Dimension"),
    "stance": ("Holdning", "Stance"),
    "not_reported": ("Ikke oplyst", "Not reported"),
    "findings": ("Hovedfund (Bilag 2)", "Main findings (Bilag 2)"),
    "cited_by": (
        "Rapportens sætninger, der henviser til studiet, efter begreb",
        "The review's sentences that cite this study, by concept",
    ),
    "no_concept": ("Uden begreb", "No concept"),
    "section": ("afsnit", "section"),
    "page": ("side", "page"),
    "reference": ("Reference", "Reference"),
    "no_reference": (
        "Rapportens litteraturliste har ingen egen post for studiet.",
        "The review's bibliography has no entry of its own for this study.",
    ),
    "download": ("Hent", "Download"),
    "same_data": ("Samme data", "The same data"),
    "api_note": (
        "JSON-API (når sitet kører med evidence serve)",
        "JSON API (when served with evidence serve)",
    ),
    "outcomes": ("Kvantitative resultater", "Quantitative results"),
    "audit": ("Revision: uoverensstemmelser i rapporten", "Audit: the review's inconsistencies"),
    "definition": ("Definition", "Definition"),
    "broader": ("Bredere begreb", "Broader concept"),
    "narrower": ("Snævrere begreber", "Narrower concepts"),
    "profile": ("Evidensprofil", "Evidence profile"),
    "n_studies": ("Antal studier", "Number of studies"),
    "n_claims": ("Antal sætninger i rapporten", "Sentences in the review"),
    "n_danish": ("Danske studier", "Danish studies"),
    # counts in running text: singular and plural ("1 studie", "2 studier"; "Danish" capitalised)
    "count_study": ("studie", "study"),
    "count_studies": ("studier", "studies"),
    "count_method": ("metode / design", "method / design"),
    "count_methods": ("metoder / design", "methods / designs"),
    "count_danish": ("dansk studie", "Danish study"),
    "count_danishes": ("danske studier", "Danish studies"),
    "extent": ("Evidensens omfang (vores opsummering)", "Extent of evidence (our summary)"),
    "extent_rule": (
        "Reglen: <strong>bred</strong> = mindst 5 studier, mindst 2 designs, mindst 3 studier, der "
        "tager stilling, og mindst 75 % af dem peger samme vej; <strong>nogen</strong> = mindst 3 studier; "
        "<strong>begrænset</strong> = 1–2 studier; <strong>ingen</strong> = 0. Antallet af danske "
        "studier vises ved siden af.",
        "The rule: <strong>broad</strong> = at least 5 studies, at least 2 designs, at least 3 "
        "studies that take a position and at least 75% of them pointing the same way; <strong>some</strong> = at "
        "least 3 studies; <strong>limited</strong> = 1–2 studies; <strong>none</strong> = 0. The "
        "number of Danish studies is shown beside it.",
    ),
    "extent_caveat": (
        "Dette er evidens' opsummering af rapportens henvisninger, ikke rapportens egen vurdering. "
        "Rapporten har ikke vurderet studiernes kvalitet (ingen kvalitetsvurdering), så omfanget "
        "siger intet om, hvor stærk evidensen er.",
        "This is evidens' summary of the review's citations, not the review's appraisal. The review "
        "did no quality appraisal of its studies, so the extent says nothing about how strong the "
        "evidence is.",
    ),
    "extent_broad": ("bred", "broad"),
    "extent_some": ("nogen", "some"),
    "extent_limited": ("begrænset", "limited"),
    "extent_none": ("ingen", "none"),
    "consistency": ("Samstemmighed", "Consistency"),
    "of_positions": ("%d af %d tager stilling", "%d of %d take a position"),
    "studies_quotes": (
        "Studierne og rapportens sætninger",
        "The studies and the review's sentences",
    ),
    "handbook": (
        "Håndbogens råd (praksisvejledning, ikke evidens)",
        "The handbook's advice (practice guidance, not evidence)",
    ),
    "brief": ("Notat om begrebet", "Brief on the concept"),
    "none": ("Ingen", "None"),
    "map_intro": (
        "Hver boble er et felt i kortet: størrelsen er antallet af studier, rapporten henviser til, "
        "farverne deres holdning. Vælg en boble for at se studierne og rapportens sætninger. "
        "Filtrene gælder studierne; visningen gemmes i adressen, så den kan deles og citeres.",
        "Each bubble is a cell of the map: its size is the number of studies the review cites, its "
        "colours their stance. Choose a bubble to list the studies and the review's sentences. The "
        "filters apply to the studies; the view is kept in the address, so it can be shared and cited.",
    ),
    "rows": ("Rækker", "Rows"),
    "cols": ("Kolonner", "Columns"),
    "by_concept": ("Begreber (efter dimension)", "Concepts (by dimension)"),
    "by_dimension": ("Dimensioner", "Dimensions"),
    "combine": ("Kombinér filtre med", "Combine filters with"),
    "and": ("OG: studier med alle valgte værdier", "AND: studies with every value chosen"),
    "or": ("ELLER: studier med mindst én valgt værdi", "OR: studies with any value chosen"),
    "stance_any": ("mindst én af de valgte", "any of those chosen"),
    "view_and_filters": ("Visning og filtre", "View and filters"),
    "finding_dimension": (
        "Hovedfundenes dimension (Bilag 2)",
        "Main findings' dimension (Bilag 2)",
    ),
    "effect_note": (
        "Rapporten angiver ingen effektdimension for det enkelte studie (den har kun {n_outcomes} "
        "kvantitative resultater, fra {n_outcome_studies} studier). Som effektdimension bruger "
        "kortet derfor dimensionen af studiets hovedfund i Bilag 2: et studie står under hver "
        "dimension, som dets fund er opført under (Rammer og mål, Roller og viden, Virkninger); "
        "fundene under Virkninger er dem, der handler om virkninger.",
        "The review gives no effect dimension for each study (it has only {n_outcomes} quantitative "
        "results, from {n_outcome_studies} studies). As the effect dimension the map therefore "
        "uses the dimension of the study's main findings in Bilag 2: a study sits under each "
        "dimension its findings are listed under (Frameworks and goals, Roles and knowledge, "
        "Effects); the findings under Effects are those about effects.",
    ),
    "map_keys": (
        "I kortet: piletasterne flytter mellem felterne, Enter vælger.",
        "In the map: the arrow keys move between cells, Enter chooses.",
    ),
    "any": ("alle", "any"),
    "year_from": ("Fra år", "From year"),
    "year_to": ("Til år", "To year"),
    "as_numbers": ("Vis som tal (tabel)", "Show as numbers (table)"),
    "reset": ("Nulstil", "Reset"),
    "download_html": ("Hent som HTML (virker offline)", "Download as HTML (works offline)"),
    "map_tables": ("Kortets tal som tabeller", "The map's numbers as tables"),
    "cell_hint": (
        "Vælg et felt i kortet for at se studierne.",
        "Choose a cell of the map to list its studies.",
    ),
    "legend": ("Forklaring", "Legend"),
    "legend_size": (
        "boblens størrelse: antal studier; farverne: deres holdning",
        "bubble size: number of studies; colours: their stance",
    ),
    "version": ("Datasæt-version", "Dataset version"),
    "cite": ("Sådan citerer du", "How to cite"),
    "filters": ("Filtre", "Filters"),
    "offline_note": (
        "Gemt udgave af evidenskortet (virker uden net).",
        "Saved copy of the evidence-gap map (works offline).",
    ),
    "search": ("Søgestrategi", "Search strategy"),
    "criteria": ("Inklusions- og eksklusionskriterier", "Inclusion and exclusion criteria"),
    "include": ("Inkluderet", "Included"),
    "exclude": ("Ekskluderet", "Excluded"),
    "databases": ("Databaser", "Databases"),
    "period": ("Periode", "Period"),
    "languages": ("Sprog", "Languages"),
    "search_terms": ("Søgeord", "Search terms"),
    "websites": ("Hjemmesider", "Websites"),
    "stage": ("Trin", "Stage"),
    "flow_table": ("Tallene som tabel", "The numbers as a table"),
    "audit_note": ("Revisionens note", "The audit's note"),
    "prisma_intro": (
        "PRISMA 2020-flowdiagram tegnet ud fra rapportens egne tal (data/review.yml). "
        "Tallene gengives som trykt, ikke rettet.",
        "PRISMA 2020 flow diagram drawn from the review's own numbers (data/review.yml). "
        "The numbers are shown as printed, not corrected.",
    ),
    "same_sentence": ("Samme sætning som under", "The same sentence as under"),
    "danish_original": ("Dansk original", "Danish original (verbatim)"),
    "screening_sum": (
        "Screeningstallene går ikke op: {identified} − {ex1} − {ex2} = {remaining}, men rapporten "
        "inkluderer {included} studier. Tallene er gengivet som trykt, ikke rettet.",
        "The screening numbers do not add up: {identified} − {ex1} − {ex2} = {remaining}, but the "
        "review includes {included} studies. The numbers are shown as printed, not corrected.",
    ),
    # the kinds of evidence audit's findings (their details are in English)
    "audit_bilag2_vs_bibliography": (
        "Bilag 2 og litteraturlisten er uenige",
        "Bilag 2 and the bibliography disagree",
    ),
    "audit_chapter_study_count": (
        "Kapitlets antal studier passer ikke med dets henvisninger",
        "The chapter's study count does not match its citations",
    ),
    "audit_cited_not_included": (
        "Et citeret nummer er ikke et inkluderet studie",
        "A cited number is not an included study",
    ),
    "audit_count_vs_citations": (
        "Sætningens antal passer ikke med dens henvisninger",
        "The sentence's count does not match its citations",
    ),
    "audit_country_vs_bilag2": (
        "Sætningens land passer ikke med Bilag 2",
        "The sentence's country does not match Bilag 2",
    ),
    "audit_duplicate_bibliography_entry": (
        "Dobbelt post i litteraturlisten",
        "Duplicate bibliography entry",
    ),
    "audit_duplicate_bilag2_author_year": (
        "Samme forfatter og år for to studier i Bilag 2",
        "The same author and year for two studies in Bilag 2",
    ),
    "audit_empty_bilag2_cell": ("Tom celle i Bilag 2", "Empty cell in Bilag 2"),
    "audit_screening_arithmetic": (
        "Screeningstallene går ikke op",
        "The screening numbers do not add up",
    ),
    "audit_unexpected_dimension_label": (
        "Uventet dimensionsbetegnelse i Bilag 2",
        "Unexpected dimension label in Bilag 2",
    ),
    "language_da": ("dansk", "Danish"),
    "language_no": ("norsk", "Norwegian"),
    "language_sv": ("svensk", "Swedish"),
    "language_en": ("engelsk", "English"),
    "not_found": ("Findes ikke", "Not found"),
    "bad_request": ("Ugyldig forespørgsel", "Bad request"),
    # the guard's limits (evidence.site.guard), as our pages show them
    "too_long": (
        "Adressen er for lang: højst {max} KB parametre.",
        "The address is too long: at most {max} KB of parameters.",
    ),
    "too_many_parameters": (
        "For mange parametre: højst {max}.",
        "Too many parameters: at most {max}.",
    ),
    "repeated_too_often": (
        "Parameteren «{name}» er gentaget {count} gange: højst {max}.",
        "The parameter «{name}» is repeated {count} times: at most {max}.",
    ),
    "too_many_facets": (
        "For mange facetter ({count}): højst {max} ad gangen.",
        "Too many facets ({count}): at most {max} at once.",
    ),
    # /-/search (evidence.site.search_all)
    "search_button": ("Søg", "Search"),
    "search_all": ("Søg i alle tabeller", "Search all tables"),
    "search_label": (
        "Søg i studier, fund, påstande, begreber, referencer, afsnit og resultater "
        "(på dansk eller engelsk)",
        "Search studies, findings, claims, concepts, references, sections and outcomes "
        "(Danish or English)",
    ),
    "search_none_configured": (
        "Ingen tabeller er sat op til søgning.",
        "There are no tables that have been configured for search.",
    ),
    "search_result": ("resultat", "result"),
    "search_results": ("resultater", "results"),
    "search_more_result": ("resultat mere", "more result"),
    "search_more_results": ("resultater mere", "more results"),
    "search_in": ("i", "in"),
    "search_failed": ("Søgningen mislykkedes i", "Search failed in"),
    "search_no_results": ("Ingen resultater i", "No results in"),
    "bad_value": (
        "Parameteren «{name}» kan ikke være «{value}». Tilladt: {allowed}.",
        "The parameter «{name}» cannot be «{value}». Allowed: {allowed}.",
    ),
    "bad_year": (
        "Parameteren «{name}» kan ikke være «{value}». Tilladt: et årstal, {allowed}.",
        "The parameter «{name}» cannot be «{value}». Allowed: a year, {allowed}.",
    ),
    "reversed_years": (
        "Parameteren «year_from» kan ikke være «{value}», når year_to er {to}: intet år er begge. "
        "Tilladt: et årstal til og med {to}.",
        "The parameter «year_from» cannot be «{value}» when year_to is {to}: no year is both. "
        "Allowed: a year up to {to}.",
    ),
    "bad_cell": (
        "Parameteren «{name}» kan ikke være «{value}». Tilladt: et felt i kortet skrevet "
        "række~kolonne (her rækkerne «{rows}» og kolonnerne «{cols}»), fx {allowed}.",
        "The parameter «{name}» cannot be «{value}». Allowed: a cell of the map written "
        "row~column (here rows «{rows}» and columns «{cols}»), e.g. {allowed}.",
    ),
    "repeated": (
        "Parameteren «{name}» tager én værdi, men fik «{value}». Tilladt: én værdi.",
        "The parameter «{name}» takes one value but was given «{value}». Allowed: one value.",
    ),
    "unknown_parameter": (
        "Siden kender ikke parameteren «{name}» (værdi «{value}»). Siden tager: {allowed}.",
        "This page does not know the parameter «{name}» (value «{value}»). This page takes: {allowed}.",
    ),
    "unknown_study": (
        "Rapporten har intet inkluderet studie «{value}». Et studie er dets referencenummer i "
        "rapporten, fx 924.",
        "The review has no included study «{value}». A study is its reference number in the "
        "review, e.g. 924.",
    ),
    "unknown_concept": ("Der er intet begreb «{value}».", "There is no concept «{value}»."),
    "unknown_format": (
        "Siden «{value}» findes ikke i formatet «.{format}». Den findes som: {allowed}.",
        "The page «{value}» does not exist as «.{format}». It exists as: {allowed}.",
    ),
    "file_needs_query": (
        "«{value}» er svaret på en SQL-forespørgsel: tilføj ?sql=…, fx {example}, eller hent en "
        "tabel som fil fra dens side.",
        "«{value}» is the answer to an SQL query: add ?sql=…, e.g. {example}, or download a table "
        "as a file from its page.",
    ),
    "cut_query": (
        "Forespørgslen giver flere end {max} rækker (Datasettes max_returned_rows), så en fil af "
        "den ville stoppe ved {max} uden at sige det. Hent tabellen selv som fil (den har alle "
        "rækker), eller del forespørgslen med limit og offset (fx limit {max} offset {max}).",
        "The query returns more than {max} rows (Datasette's max_returned_rows), so a file of it "
        "would stop at {max} without saying so. Download the table itself as a file (it has "
        "every row), or split the query with limit and offset (e.g. limit {max} offset {max}).",
    ),
    "file_too_big": (
        "Filen ville fylde over {max} MB (nåede {reached} MB). Filtrér rækkerne, eller hent "
        "tabellens .csv, som sendes i bidder.",
        "The file would be over {max} MB (it reached {reached} MB). Filter the rows, or download "
        "the table's .csv, which is streamed.",
    ),
    "unknown_page": ("Siden «{value}» findes ikke.", "There is no page «{value}»."),
    "did_you_mean": ("Mente du", "Did you mean"),
    "see_lists": ("Se listerne:", "See the lists:"),
    "chrome_note": (
        "Datasettes egne sider (tabeller, facetter, SQL) er på engelsk.",
        "Datasette's own pages (tables, facets, SQL) are in English.",
    ),
}


# audit findings whose detail is the review's own Danish sentence (the others explain in English)
AUDIT_DETAIL_DA = ("count_vs_citations", "country_vs_bilag2")


def lang_of(request) -> str:
    value = request.args.get("lang", DEFAULT_LANG) if request is not None else DEFAULT_LANG
    return value if value in LANGS else DEFAULT_LANG


def texts(lang: str) -> dict[str, str]:
    i = LANGS.index(lang)
    return {key: pair[i] for key, pair in TEXT.items()}


def message(key: str, lang: str, values: dict) -> str:
    """TEXT[key] in `lang`, formatted with `values` (a page's error messages)."""
    return TEXT[key][LANGS.index(lang)].format(**values)


DANISH_IN_ENGLISH = (  # Danish words the English pages quote: the review's title, VIVE's licence
    TEXT["review_title"][0]
    + " – En vidensindsamling med fokus på nordiske erfaringer og virkninger af samarbejdet",
    TEXT["review_title"][0],
    "VIVEs publikationer kan frit citeres med tydelig kildeangivelse",
    "VIVE – Det Nationale Forsknings- og Analysecenter for Velfærd",
    # Bilag 2's dimension labels, which the audit quotes (study 290: "Virksomheder")
    "Rammer og mål",
    "Roller og viden",
    "Virkninger",
    "virkninger",
    "Virksomheder",
)
_DANISH = re.compile(
    "|".join(re.escape(str(escape(d))) for d in sorted(DANISH_IN_ENGLISH, key=len, reverse=True))
)


def mark_danish(text: str | None) -> Markup:
    """`text` escaped, with the Danish it quotes (`DANISH_IN_ENGLISH`, the longest first: the title
    with its subtitle) marked `lang="da"`: a citation or the footer's licence on an English page
    (a Jinja filter, `|mark_danish`)."""
    escaped = str(escape(text or ""))
    return Markup(_DANISH.sub(lambda m: f'<span lang="da">{m.group(0)}</span>', escaped))
