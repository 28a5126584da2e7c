"""Every page type of our own in both languages: no interface text, label, section title or note of
the other language outside an element marked with that language (`lang="…"`).

A newcomer found the Danish PRISMA page's audit note in English, English-only handbook notes and
"home" on Danish pages, and Danish section titles and Danish-only quotes on English pages. This walks
the pages and reads their text by the language each element declares, so the whole kind is caught:
a new English string on a Danish page fails here whatever it is.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from html.parser import HTMLParser

import pytest

from evidence.site.i18n import AUDIT_DETAIL_DA, DANISH_IN_ENGLISH, TEXT, mark_danish

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
PAGES = [
    "/",  # the landing page (a newcomer found it bilingual in one page)
    "/study/924",
    "/study/507",
    # newcomer 12: a study's venue and bibliography entry in its own language, unmarked
    "/study/631",  # Danish
    "/study/290",  # Norwegian
    "/study/712",  # Swedish
    "/study/907",  # English; Bilag 2 names it "Jørgensen, K., m.fl. (2022)"
    "/concept/single-contact-person",
    "/concept/genuine-citizen-involvement",
    "/concept/co-location",
    "/map",
    "/map?cols=method&cell=single-contact-person~case_studies",
    "/prisma",
    "/about",  # newcomer 13: English only, whatever the language asked for
    "/concept/co-locatoin",  # 404
    "/study/925",  # 404
    "/map?cols=nope",  # 400
    # the landing page's search box (its chrome was English on Danish pages); not "kontaktperson":
    # Bilag 2's Danish "Survey blandt borgere" would read as the English label "Survey"
    "/-/search?q=Villumsen",
    "/-/search?q=co-location",
]


class TextByLanguage(HTMLParser):
    """The page's text, each piece under the language its nearest `lang` attribute declares."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.text: dict[str, list[str]] = {}

    def lang(self) -> str:
        return self.stack[-1][1] if self.stack else ""

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        lang = attrs.get("lang") or self.lang()
        if tag in ("script", "style", "title") or attrs.get("translate") == "no":
            lang = "skip"  # not text, or a proper name (a database, a website)
        self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if data.strip() and self.lang() != "skip":
            self.text.setdefault(self.lang(), []).append(" ".join(data.split()))


def text_in(page: str, lang: str) -> str:
    parser = TextByLanguage()
    parser.feed(page)
    return "\n".join(parser.text.get(lang, []))


def ui_strings(lang: str) -> set[str]:
    """The interface text of `lang` that differs from the other language's (no placeholders)."""
    i = 0 if lang == "da" else 1
    found = set()
    for key, pair in TEXT.items():
        if pair[0] == pair[1] or key == "switch":  # the switch names the other language, marked
            continue
        for part in re.split(r"\{[^}]*\}|<[^>]*>", pair[i]):
            part = part.strip(" .,:;()«»—–-")
            if len(part) >= 4:
                found.add(part)
    return found


@pytest.fixture(scope="module")
def foreign(evidence_db) -> dict[str, set[str]]:
    """For a page in each language: the strings of the other language it must not show unmarked."""
    conn = sqlite3.connect(f"file:{evidence_db}?mode=ro", uri=True)
    # the review's title and VIVE's licence, which English pages quote (newcomer 8: unmarked)
    words = {"da": ui_strings("da") | set(DANISH_IN_ENGLISH), "en": ui_strings("en") | {"home"}}
    tables = [
        "countries",
        "service_areas",
        "methods",
        "stances",
        "section_dimensions",
        "dimensions",
    ]
    for table in tables:
        for da, en in conn.execute(f"select label_da, label_en from {table}"):
            if da != en:
                words["da"].add(da)
                words["en"].add(en)
    for da, en in conn.execute("select title_da, title_en from sections where level = 2"):
        if da != en:
            words["da"].add(da)
            words["en"].add(en)
    for kind, detail in conn.execute("select distinct kind, detail from audit_findings"):
        words["da" if kind in AUDIT_DETAIL_DA else "en"].add(detail)
    # the audit's wording in each language (newcomer 13: English only on Danish study pages)
    for field in ("stated", "observed", "detail"):
        pairs = f"select distinct {field}, {field}_da from audit_findings where {field}_da != ''"
        for en, da in conn.execute(pairs):
            if en != da:
                words["en"].add(en)
                words["da"].add(da)
    for en, da in conn.execute("select evidence_note, evidence_note_da from handbook_advice"):
        words["en"].add(en)
        words["da"].add(da)
    # a study's venue and its bibliography entry's title are in the study's language: foreign to
    # a page in any other (Swedish and Norwegian on both); "m.fl." (and others) is Danish
    studies = "select s.language, s.venue, r.title from studies s left join [references] r on r.ref = s.ref"
    for language, *texts in conn.execute(studies):
        for text in filter(None, texts):
            for page_lang in {"da", "en"} - {language}:
                words["en" if page_lang == "da" else "da"].add(text)
    words["da"].add("m.fl.")
    conn.close()
    return {"da": words["en"], "en": words["da"]}


def leaks(text: str, strings: set[str]) -> list[str]:
    found = []
    text = re.sub(
        r"(?:https?://|(?<!\w)/)[\w./?=&%~-]+", " ", text
    )  # a URL (/api/studies/924) is no language
    for s in strings:
        if " " in s or len(s) > 12:
            hit = s in text
        else:  # a single word: as a word
            hit = re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text) is not None
        if hit:
            found.append(s)
    return sorted(found)


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["da", "en"])
def test_no_other_language_outside_its_marked_elements(site, foreign, path, lang):
    url = path if lang == "da" else path + ("&" if "?" in path else "?") + "lang=en"
    page = asyncio.run(site.client.get(url)).text
    assert f'<html lang="{lang}">' in page
    text = text_in(page, lang)
    assert len(text) > 200
    assert leaks(text, foreign[lang]) == []


def test_english_pages_quote_in_english_with_the_danish_one_click_away(site, evidence_db):
    conn = sqlite3.connect(f"file:{evidence_db}?mode=ro", uri=True)
    sentence_da, text_en = conn.execute(
        "select c.sentence_da, c.text_en from citations x join claims c on c.claim_id = x.claim_id "
        "where x.ref = 924 and c.text_en is not null order by c.claim_id limit 1"
    ).fetchone()
    title_en = conn.execute("select title_en from sections where section = '3.3'").fetchone()[0]
    conn.close()
    page = asyncio.run(site.client.get("/study/924?lang=en")).text
    english = text_in(page, "en")
    assert text_en.replace("'", "&#39;") in page or text_en in english
    assert sentence_da.split()[0] not in english.split("\n")  # the Danish sits in lang="da"
    assert '<details class="evidens-original"><summary>Danish original (verbatim)</summary>' in page
    assert title_en in english  # section titles in English


@pytest.mark.parametrize("ref", [631, 5, 290, 712])
def test_audit_notes_in_the_pages_language(site, db, ref):
    """Newcomer 13: /study/631's audit note was English ("Bilag 2 leaves this cell empty.
    (column 'Metode' / empty)") on the Danish page; the audit words each finding in Danish too.
    The one detail it does not word, a study's link note (free text of the data, English), is
    shown as written, marked."""
    from evidence.read.documents import audit_refs

    findings = [
        dict(f)
        for f in db.execute("select * from audit_findings order by finding_id")
        if ref in audit_refs(dict(f))
    ]
    assert findings
    danish = asyncio.run(site.client.get(f"/study/{ref}")).text
    english = asyncio.run(site.client.get(f"/study/{ref}?lang=en")).text
    shown_da = text_in(danish, "da")
    for f in findings:
        assert f"({f['stated_da']} / {f['observed_da']})" in shown_da
        assert f"{mark_danish(f['observed'])})</span>" in english  # the English page as it was
        if f["detail_da"]:  # the same where the detail is the review's own Danish sentence
            assert f["detail_da"] in shown_da
            assert f["detail"] not in shown_da or f["kind"] in AUDIT_DETAIL_DA
        else:  # the link note: English, marked
            assert f["kind"] == "bilag2_vs_bibliography" and f["detail"] in text_in(danish, "en")
    if ref == 631:
        assert (
            "Tom celle i Bilag 2: Bilag 2 lader cellen stå tom. (kolonnen 'Metode' / tom)"
            in shown_da
        )
        assert "Bilag 2 leaves this cell empty." not in danish and "column 'Metode'" not in danish


def test_handbook_notes_in_the_pages_language(site, evidence_db):
    conn = sqlite3.connect(f"file:{evidence_db}?mode=ro", uri=True)
    en, da = conn.execute(
        "select evidence_note, evidence_note_da from handbook_advice "
        "where advice_id = 'cabi-appoint-coordinator'"
    ).fetchone()
    conn.close()
    danish = asyncio.run(site.client.get("/concept/single-contact-person")).text
    english = asyncio.run(site.client.get("/concept/single-contact-person?lang=en")).text
    assert da in text_in(danish, "da") and en not in danish
    assert en in text_in(english, "en") and da not in english


def test_a_reference_is_marked_with_its_language(site, evidence_db):
    conn = sqlite3.connect(f"file:{evidence_db}?mode=ro", uri=True)
    languages = dict(
        conn.execute("select ref, language from studies where reference_id is not null")
    )
    conn.close()
    assert set(languages.values()) == {"da", "en", "no", "sv"}
    for ref, language in languages.items():
        page = asyncio.run(site.client.get(f"/study/{ref}?lang=en")).text
        assert f'<p class="evidens-reference" lang="{language}">' in page, ref
    page = asyncio.run(site.client.get("/study/631?lang=en")).text
    assert '<dd><span lang="da">København: Akademisk Forlag</span></dd>' in page
    prisma = asyncio.run(site.client.get("/prisma?lang=en")).text
    assert 'lang="da">EMU- Danmarks Læringsportal</a>' in prisma
    assert 'lang="no">NAPHA - Nasjonalt kompetansesenter' in prisma


# --- English stays English: every form and the way home of an English page keep `lang=en` -----


class Forms(HTMLParser):
    """Each GET form of a page: its action and the names and values it submits."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self.forms.append({"action": attrs.get("action"), "fields": {}})
        elif tag == "form":
            self.forms.append({"action": None, "fields": None})  # a POST form (logout): none here
        elif tag in ("input", "select") and self.forms and self.forms[-1]["fields"] is not None:
            if attrs.get("type") in ("submit", "reset", "button") or not attrs.get("name"):
                return
            self.forms[-1]["fields"].setdefault(attrs["name"], attrs.get("value"))


def get_forms(page: str) -> list[dict]:
    parser = Forms()
    parser.feed(page)
    return [f for f in parser.forms if f["fields"] is not None]


@pytest.mark.parametrize("path", [p for p in PAGES if "lang=" not in p])
def test_every_form_of_an_english_page_stays_english(site, path):
    """Newcomer 13: the English landing page's search box led to the Danish search page (its
    form had no `lang=en`)."""
    sep = "&" if "?" in path else "?"
    page = asyncio.run(site.client.get(f"{path}{sep}lang=en")).text
    for form in get_forms(page):
        assert form["fields"].get("lang") == "en", (path, form)
    homes = re.findall(r'<a href="([^"]*)">Home</a>', page)
    assert all(h == "/?lang=en" for h in homes), (path, homes)  # the nav's "Home" was "/"
    danish = asyncio.run(site.client.get(path)).text
    assert all("lang" not in f["fields"] for f in get_forms(danish)), path


def test_the_english_landing_pages_search_box_leads_to_the_english_search_page(site):
    page = asyncio.run(site.client.get("/", params={"lang": "en"})).text
    (form,) = get_forms(page)
    assert form["action"] == "/-/search"
    answer = asyncio.run(
        site.client.get(form["action"], params={**form["fields"], "q": "co-location"})
    )
    assert '<html lang="en">' in answer.text and "<h1>Search all tables</h1>" in answer.text
    assert "Søg i alle tabeller" not in answer.text
