"""Facets and direction read from a question: which studies it asks about, and which way.

- **Country**: "danske studier", "Norwegian", "i Sverige" → the study's Bilag 2 countries (DK,
  SE, NO, FI, and GB, DE, FR, ES, LT of the three multi-country studies); "nordisk"/"Nordic"/
  "Scandinavian" → any of the four. Countries the review has no study from (Iceland, the
  Netherlands, the USA, …) are read too, so that "Icelandic studies" is answered with none.
- **Service area**: "psykiatri", "elderly care", "jobcenter", "skole", … → Bilag 2's service
  areas (data/vocabularies.yml). These words are often the topic itself ("en sygehusafdeling",
  "an after-school job"), so evidence.answer.retrieve applies an area only when the best passage
  does not use the word itself, and drops it when it would leave less than half the answer (unless
  asked for: "studier fra ældreområdet"); a question of nothing but area words ("psykiatri") asks
  for the area's studies. Benefits ("sygedagpenge",
  "kontanthjælp") are topics, not areas.
- **Design**: qualitative (or one method: focus groups, interviews, observation), survey,
  quantitative/register, case study → Bilag 2's methods;
  randomised/controlled designs → none (the review includes no such study, so such a question is
  answered with no study, and says why through `filters_applied`).
- **Years**: "efter 2020", "since 2018", "2015–2020", "2020 or later", "from 2019" (that year)
  → publication year.
- **Direction, whom, whether** (evidence.answer.directions): "hinders", "did not improve", … or
  "fremmer", "works", …; staff or citizens when the question asks what collaboration means for
  them; a yes/no question.

Country, design and year words are taken out of the text the topic search reads; service-area
and direction words stay in it (they carry topic too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from evidence.answer.directions import (
    NEGATED_CHANGE_RX,
    NEGATIVE_RX,
    POSITIVE_RX,
    read_direction,
    whole_words,
)
from evidence.answer.words import normalise

NORDIC = ("DK", "SE", "NO", "FI")

COUNTRY = {
    "DK": r"dansk\w*|danmark\w*|denmark|danish|danes?\b",
    "SE": r"svensk\w*|sverige\w*|sweden|swedish|swedes?\b",
    "NO": r"norsk\w*|norge\w*|norway|norwegian\w*",
    "FI": r"finsk\w*|finland\w*|finnish",
    # the review's other countries (Bilag 2) …
    "GB": r"england|scotland|scottish|skotsk\w*|skotland|british|britisk\w*|storbritannien"
    r"|united kingdom|uk\b",
    "DE": r"germany|german\b|tysk\w*",
    "FR": r"france|french|fransk\w*|frankrig\w*",
    "ES": r"spain|spanish|spansk\w*|spanien",
    "LT": r"lithuania\w*|litau\w*",
    # … and countries it has no study from, so that "Icelandic studies" is answered with none
    "IS": r"iceland\w*|islandsk\w*|island\b",  # Danish "Island" (English "islands" is not)
    "FO": r"faroe\w*|færø\w*",
    "GL": r"greenland\w*|grønland\w*",
    "NL": r"netherlands|dutch|holland\w*|hollandsk\w*|nederland\w*",
    "US": r"usa\b|united states|americ\w*|amerikansk\w*",
    "CA": r"canada|canadian\w*|canadisk\w*",
    "AU": r"australia\w*|australsk\w*",
    "EE": r"estonia\w*|estisk\w*|estland",
}
NORDIC_WORDS = r"nordisk\w*|norden\b|nordic|scandinavi\w*|skandinavi\w*"
SERVICE_AREA = {
    "psychiatry": r"psykiatri\w*|psykisk\w*|mental\w* health|mentale? sundhed|psychiatr\w*"
    r"|mentalt? syge?",
    "elderly": r"elderly care|elder care|ældrepleje\w*|ældre\w*|elderly|older (?:people|adults|persons"
    r"|citizens)|eldercare|aged care|plejehjem\w*|hjemmepleje\w*|home care",
    "employment": r"beskæftigelse\w*|jobcent\w*|job cent\w*|employment (?:services?|area|sector)"
    r"|unemploy\w*|ledighed\w*",
    "children_youth": r"børne\w*område\w*|child(?:ren)?(?: s)? (?:welfare|services|protection)"
    r"|børn og unge|children and young|young people|youth\b|unge\b|skoleb\w*|adolescen\w*"
    r"|teenage\w*|ungdom\w*",
    "health": r"sundhedsområde\w*|health ?care|healthcare|hospital\w*|sygehus\w*"
    r"|health (?:services?|sector)",
    "disability": r"handicap\w*|disabilit\w*|funktionsnedsættelse\w*",
    "crime": r"kriminalitet\w*|kriminel\w*|crime\w*|criminal\w*",
    "education": r"skole\w*|school\w*|uddannelsesområde\w*|education (?:sector|area)",
    "vulnerable_adults": r"udsatte voksne|vulnerable adults",
}
DESIGN = {
    "qualitative": r"kvalitativ\w*|qualitative",
    # a qualitative method named is that method, not every qualitative one
    "focus_groups": r"fokusgruppe\w*|focus[ -]?groups?",
    "interviews": r"interview\w*",
    "observation": r"observation\w*|etnografi\w*|ethnograph\w*|feltarbejde|fieldwork",
    "survey": r"survey\w*|spørgeskema\w*|questionnaire\w*",
    # "kvantitative resultater", "quantitative effects" are a topic (§6.1), not a design asked for
    "quantitative": r"(?:kvantitativ\w*|quantitative)\b(?!\s+(?:resultat|virkning|effekt|result|effect|outcome))"
    r"|register\w*|statisti\w*|regression\w*|økonometri\w*|econometri\w*",
    "case_studies": r"case ?stud\w*|casestud\w*|casebesøg\w*",
    "experimental": r"randomi[sz]\w*|rct\w*|kontrolgruppe\w*|control groups?|lodtrækning\w*"
    r"|experimental\w*|quasi\w*",
}
# design → the Bilag 2 method codes (data/vocabularies.yml) that count as it
DESIGN_METHODS = {
    "qualitative": {"qualitative_interviews", "focus_groups", "observation", "ethnography"},
    "focus_groups": {"focus_groups"},
    "interviews": {"qualitative_interviews"},
    "observation": {"observation", "ethnography"},
    "survey": {"survey"},
    "quantitative": {"quantitative_data", "survey"},
    "case_studies": {"case_studies"},
    "experimental": set(),  # the review includes no randomised or controlled study
}
_YEAR = r"((?:19|20)\d\d)"
_LATER = (
    "or later",
    "or after",
    "and later",
    "onwards",
    "or newer",
    "og frem",
    "eller senere",
    "og senere",
)
_EARLIER = ("or earlier", "or before", "eller tidligere")
_TAIL = "|".join(_LATER + _EARLIER)
_FROM = ("efter", "after", "since", "siden")
_IN = ("published in", "udgivet i", "in", "from", "fra")  # "studies from 2019": that year
_WORD = "|".join(_FROM + _IN + ("før", "before", "prior to", "until", "indtil", "frem til"))
YEARS = re.compile(
    rf"\b(?:fra |from |between |mellem )?{_YEAR}(?:\s*(?:til|to|and|og)\s*|\s+){_YEAR}\b"
    rf"|\b({_WORD})\s+(?:år\s+|the year\s+)?{_YEAR}\b(?:\s+({_TAIL}))?"
    rf"|\b{_YEAR}\s+({_TAIL})\b"
)
COUNTRY_RX = {k: whole_words(v) for k, v in COUNTRY.items()}
NORDIC_RX = whole_words(NORDIC_WORDS)
# an area named with its sector word: "mental health services", "psykiatriområdet"
AREA_TAIL = r"(?:\s+(?:services?|care|sector|area|field|området|feltet|sektoren))?"
AREA_RX = {k: whole_words(f"(?:{v}){AREA_TAIL}") for k, v in SERVICE_AREA.items()}
DESIGN_RX = {k: whole_words(v) for k, v in DESIGN.items()}


@dataclass
class Facets:
    """What a question says about which studies and which way. `text`: the question normalised
    (evidence.answer.words.normalise); `spans`: where in it the country, design and year words
    stand; `area_words`: service area → the words that named it."""

    text: str
    countries: list[str] = field(default_factory=list)
    nordic: bool = False
    area_words: dict[str, list[str]] = field(default_factory=dict)
    scene_countries: bool = False  # every country word is an adjective of no study word
    areas_as_topic: bool = False  # a facets-only answer also read its area words as a topic
    service_areas: list[str] = field(default_factory=list)
    designs: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    direction: str | None = None  # "positive" | "negative" | None
    who: str | None = None  # "staff" | "citizens" | None: whom the question is about
    asks_whether: bool = False  # a yes/no question ("Virker det?", "Does it increase …?")
    spans: list[tuple[int, int]] = field(default_factory=list)
    area_spans: list[tuple[int, int]] = field(default_factory=list)
    asked_areas: list[str] = field(default_factory=list)  # named beside a study word

    def topic(self, without_areas: bool = False, without_direction: bool = False) -> str:
        """The question without its country, design and year words (and, `without_areas`, its
        service-area words; `without_direction`, its direction words): what the topic search
        reads."""
        out, last = [], 0
        cut = self.spans + (self.area_spans if without_areas else [])
        if without_direction:
            kept = {m.span() for m in NEGATED_CHANGE_RX.finditer(self.text)}
            cut += [
                m.span()
                for rx in (NEGATIVE_RX, POSITIVE_RX)
                for m in rx.finditer(self.text)
                if m.span() not in kept
            ]
        for a, b in sorted(cut):
            out.append(self.text[last:a])
            last = max(last, b)
        out.append(self.text[last:])
        return " ".join(" ".join(out).split())

    @property
    def steers(self) -> str | None:
        """The direction retrieval steers by: none for a yes/no question, which asks whether and
        so wants the evidence both ways ("Virker det for borgerne?": 729 and 907 found it did
        not); its answer still puts the asked way first (evidence.answer.ask)."""
        return None if self.asks_whether else self.direction

    def applied(self) -> dict:
        """The filters in force, as /api/studies names its parameters."""
        out: dict = {}
        if self.countries or self.nordic:
            out["country"] = self.countries or list(NORDIC)
        if self.service_areas:
            out["service_area"] = self.service_areas
        if self.designs:
            out["method"] = sorted(set().union(*(DESIGN_METHODS[d] for d in self.designs)))
            out["design"] = self.designs
        if self.year_from:
            out["year_from"] = self.year_from
        if self.year_to:
            out["year_to"] = self.year_to
        return out

    def keep(self, study: dict) -> bool:
        """Does a study (its `countries`, `service_areas`, `methods` lists and `year`) pass?"""
        f = self.applied()
        countries = set(study["countries"]) | {c.split("-")[0] for c in study["countries"]}
        checks = [
            ("country", countries),
            ("service_area", study["service_areas"]),
            ("method", study["methods"]),
        ]
        if any(key in f and not set(f[key]) & set(values) for key, values in checks):
            return False
        if self.year_from and study["year"] < self.year_from:
            return False
        return not (self.year_to and study["year"] > self.year_to)


# the literal stems of the one-word area patterns ("skole" of skole\w*): a word that is a stem
# and more than INFLECTION letters is a compound with a topic of its own ("skolefravær")
AREA_STEMS = tuple(
    stem[: -len(r"\w*")]
    for pattern in SERVICE_AREA.values()
    for stem in pattern.split("|")
    if stem.endswith(r"\w*") and stem[: -len(r"\w*")].isalpha()
)
INFLECTION = 4  # "adolescent(s)", "skolerne", "psykiatriens": an area word inflected


def is_area_compound(word: str) -> bool:
    """Is `word` an area's stem with a word of its own after it ("skolefravær", "ældrepleje-
    budgettet"), rather than the area word inflected ("skolerne", "adolescents")?"""
    return any(word.startswith(s) and len(word) - len(s) > INFLECTION for s in AREA_STEMS)


def read_facets(question: str) -> Facets:
    """The facets and direction of a question (see the module's docstring)."""
    f = Facets(normalise(question).replace("_", " "))
    f.countries = [k for k, rx in COUNTRY_RX.items() if _take(f, rx)]
    f.scene_countries = bool(f.countries) and not any(
        _names_studies(f.text, m) for rx in COUNTRY_RX.values() for m in rx.finditer(f.text)
    )
    f.nordic = _take(f, NORDIC_RX)
    f.designs = [k for k, rx in DESIGN_RX.items() if _take(f, rx)]
    hits = sorted(
        (
            (m.start(), -len(m.group(0)), k, m)
            for k, rx in AREA_RX.items()
            for m in rx.finditer(f.text)
        ),
        key=lambda h: (h[1], h[0]),
    )
    for (
        _,
        _,
        k,
        m,
    ) in hits:  # longest first; a shorter match inside it ("health" in "mental health") goes
        if any(a < m.end() and m.start() < b for a, b in f.area_spans):
            continue
        f.area_words.setdefault(k, []).append(m.group(0))
        f.area_spans.append(m.span())
        if _names_studies(f.text, m, countries=False):  # "studier fra ældreområdet": a filter,
            f.spans.append(m.span())  # not a topic word
            if k not in f.asked_areas:
                f.asked_areas.append(k)
    f.service_areas = list(f.area_words)
    for m in YEARS.finditer(f.text):
        f.spans.append(m.span())
        _read_years(f, m)
    f.direction, f.who, f.asks_whether = read_direction(f.text)
    return f


# what a country word must name to ask for that country's studies for sure: "danske studier",
# "in Norway", "fra Sverige"; "en dansk kommune" may set the scene (evidence.answer.retrieve then
# drops the country when it would leave no study)
STUDY_WORDS = re.compile(
    r"\s+(?:\w+\s+){0,2}?(?:studi\w*|stud(?:y|ies)|undersøgelse\w*|forskning\w*|research\w*"
    r"|evaluering\w*|evaluation\w*|erfaring\w*|experience\w*|litteratur\w*|literature|rapport\w*"
    r"|reports?|papers?|articles?|artikler|data|ones?|evidens\w*|evidence)\b"
)
COUNTRY_NAMES = re.compile(
    r"danmark|denmark|sverige|sweden|norge|norway|finland|england|scotland|skotland|germany"
    r"|tyskland|france|frankrig|spain|spanien|lithuania|litauen|iceland|island|netherlands|holland"
    r"|usa|united states|canada|australia\w*|greenland|grønland|færøerne|faroe\w*|estonia|estland"
)


# what the studies *found* is a topic, not an area: "studier, der viser øget beskæftigelse",
# "studies showing improved employment" (newcomer 9: read as the employment area, which emptied it)
RESULT_WORDS = (
    r"om|about|on|of|af|regarding|concerning|viser|vise|viste|finder|fandt|peger|påviser"
    r"|dokumenterer|rapporterer|show\w*|find\w*|found|demonstrat\w*|indicat\w*|suggest\w*"
    r"|report\w*|øget|øgede|bedre|flere|færre|increas\w*|improv\w*|better|more|fewer|reduc\w*"
)
STUDIES_BEFORE = re.compile(
    r"\b(?:studi\w*|stud(?:y|ies)|undersøgelse\w*|forskning\w*|research|evaluering\w*"
    rf"|evaluations?)\s+(?:(?!(?:{RESULT_WORDS})\s)\w+\s+){{0,2}}$"
)  # "studier fra ældreområdet" asks for the area; "studierne om beskæftigelse" for a topic


STUDIES_AFTER = re.compile(r"\s+(?:studi\w*|stud(?:y|ies)|research)\b")


def _names_studies(text: str, m: re.Match, countries: bool = True) -> bool:
    """Does the country (or area) word at `m` ask for studies: a country's name, or a word
    followed by a study word (STUDY_WORDS); an area when a study word comes just before it
    ("studier fra ældreområdet") or right after it ("psychiatry studies")?"""
    if countries:
        return bool(COUNTRY_NAMES.fullmatch(m.group(0)) or STUDY_WORDS.match(text, m.end()))
    return bool(STUDIES_AFTER.match(text, m.end()) or STUDIES_BEFORE.search(text[: m.start()]))


def _take(f: Facets, rx: re.Pattern) -> bool:
    hits = [m.span() for m in rx.finditer(f.text)]
    f.spans += hits
    return bool(hits)


def _read_years(f: Facets, m: re.Match) -> None:
    if m.group(1):  # a range
        f.year_from, f.year_to = sorted((int(m.group(1)), int(m.group(2))))
        return
    word, year, tail = m.group(3), m.group(4), m.group(5)
    if m.group(6):
        word, year, tail = None, m.group(6), m.group(7)
    y = int(year)
    if tail:
        if tail in _LATER:
            f.year_from = y
        else:
            f.year_to = y
    elif word in _IN:
        f.year_from = f.year_to = y
    elif word in _FROM:
        f.year_from = y + (1 if word in ("efter", "after") else 0)
    else:
        f.year_to = y - (1 if word in ("før", "before", "prior to") else 0)
