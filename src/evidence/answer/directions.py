"""Which way a question points and whom it is about, read from its words.

- **Direction**: "hinders", "barrierer", "negative", "did not improve", "ikke øget", … or
  "fremmer", "works", "benefits", … (a welfare benefit, "sickness benefit", is a topic).
- **Whom** (`who`): staff or citizens, when the question asks what collaboration means for
  them ("medarbejdernes trivsel", "effects on families", or a direction for them: "what hinders …
  for staff"), not when they merely act in it.
- **Whether**: a yes/no question ("Virker …?", "Does … increase …?") asks for the evidence both
  ways (evidence.answer.facets.Facets.steers).

evidence.answer.facets reads these with the other facets; evidence.answer.retrieve steers by them.
"""

from __future__ import annotations

import re


def whole_words(pattern: str) -> re.Pattern:
    """`pattern` as whole words (no word character before it)."""
    return re.compile(r"(?<!\w)(?:" + pattern + r")")


# who the question is about: the review's effects chapters are 6 (citizens) and 7 (staff); a
# question names whom only when it asks what collaboration means for them (EFFECTS, or a
# direction for them: "what hinders … for staff"): in "a mixed team of professionals on a
# shared course" the professionals act, and chapter 7 is no answer
EFFECTS = (
    r"trivsel\w*|wellbeing|well-being|effekt\w*|effects?|outcomes?|resultat\w*|results?"
    r"|impact\w*|betyd\w*|means?\b|oplev\w*|experienc\w*|tilfreds\w*|satisf\w*|arbejdsglæde"
    r"|arbejdsmiljø\w*|work environment|stress\w*|burn-?out|sygefravær\w*|sick leave"
    r"|motivation\w*|motivat\w*|usikker\w*|insecur\w*|gevinst\w*|gains?\b|påvirk\w*|affect\w*"
    r"|konsekvens\w*|consequenc\w*|progression|fremskridt|progress|beskæftigelse\w*|employment"
    r"|jobs?\b|funktionsniveau\w*|functioning|get on|får det|fare|faring"
)
STAFF = (
    r"medarbejder\w*|ansatte|personale\w*|fagprofessionel\w*|professionelle|fagfolk\w*"
    r"|sagsbehandler\w*|staff\w*|employee\w*|workers?|caseworkers?|professionals?|practitioners?"
)
CITIZENS = (
    r"borger\w*|famili\w*|forældre\w*|børn\w*|patient\w*|citizens?|clients?|parents?"
    r"|children|child|users?|brugere?"
)
# words of change a negation turns into "it did not help"
_CHANGE_DA = r"forbedre\w*|øge[ts]?\b|øgede|styrke[ts]?\b|styrkede|reducere\w*|mindske\w*|løfte\w*"
_CHANGE_EN = r"improv|increas|rais|boost|strengthen|reduc|lower|lift|chang|lead|result"
_AUX_NOT = r"(?:does|do|did|has|have|had|was|were|is|are)(?:\s+not|n't)\s+(?:\w+\s+)?"
# a word of change, negated ("did not improve", "ikke øget", "no improvement", "ingen effekt"): a
# direction that names what did not change, so its words stay in the topic ("beskæftigelsen")
NEGATED_CHANGE = (
    rf"(?:{_CHANGE_DA})(?:\s+\w+)?\s+ikke|(?:ikke|aldrig)\s+(?:\w+\s+)?(?:{_CHANGE_DA})"
    rf"|{_AUX_NOT}(?:{_CHANGE_EN})\w*|(?:failed|fails|failing) to\s+(?:\w+\s+)?(?:{_CHANGE_EN})\w*"
    rf"|not\s+(?:{_CHANGE_EN})\w*"
    r"|(?:no|little)\s+(?:\w+\s+)?(?:improvement|effect|difference|gain|change)s?\b"
    r"|(?:ingen|ringe|lille|begrænse\w*)\s+(?:\w+\s+)?(?:forbedring\w*|effekt\w*|forskel\w*|gevinst\w*)"
)
NEGATIVE = (
    r"hinder\w*|hindr\w*|hæmme\w*|barrier\w*|barriere\w*|obstacle\w*|forhindr\w*|udfordring\w*"
    r"|challeng\w*|negativ\w*|downside\w*|drawback\w*|disadvantages?\b|ulempe\w*|problem\w*|fail\w*|svær\w*"
    r"|difficult\w*|risk\w*|risici|modstand\w*|går galt"
    r"|goes wrong|harm\w*|skade\w*|bagside\w*|in the way|i vejen|spænder ben|bremse\w*|hamper\w*"
    r"|imped\w*|prevent\w*|pitfall\w*|faldgrube\w*|taler imod|talk\w* against|arguments? against"
    r"|argument\w* imod|the case against"
    # a word of what helps, negated: "virker det ikke", "hjælper ikke", "does not help", "did
    # joint plans not work"
    r"|(?:virker|fungerer|hjælper|gavner|nytter)(?:\s+\w+)?\s+ikke"
    r"|(?:ikke|aldrig)\s+(?:\w+\s+)?(?:virker|fungerer|hjælper|gavner)"
    rf"|{_AUX_NOT}(?:work|help)\w*|(?:failed|fails|failing) to\s+(?:\w+\s+)?(?:work|help)\w*"
    r"|not\s+(?:work|help)\w*"
    rf"|{NEGATED_CHANGE}"
)
POSITIVE = (
    r"fremme\w*|fremmer|promot\w*|positiv\w*|benefit\w*|fordel\w*|advantages?\b|succes\w*|success\w*"
    r"|strengthen\w*|improv\w*|forbedr\w*|virker\b|works\b|hjælper|helps?\b|gavn\w*"
    r"|supports?\b|understøtter|enabl\w*|facilitat\w*|lykke[sd]\w*|succeed\w*|contribut\w*"
    r"|bidrag\w*|drivers?\b|drivkr\w*"
    # "does it work?", not "work together", "work with families"
    r"|work\b(?!\s+(?:together|with|across|between|in|on|as|of|at|to|alongside|closely)\b)"
)


# a welfare benefit is a topic ("sickness benefit", "benefit claimants"), not a direction
WELFARE = (
    r"(?:sickness|unemployment|cash|child|welfare|social|housing|disability|incapacity|income"
    r"|state|out of work) benefits?|benefits? (?:claimants?|recipients?|system|office|cases?)"
)


NEGATIVE_RX, POSITIVE_RX, WELFARE_RX = (
    whole_words(NEGATIVE),
    whole_words(POSITIVE),
    whole_words(WELFARE),
)
NEGATED_CHANGE_RX = whole_words(NEGATED_CHANGE)
# a yes/no question opens with its verb: "Virker …?", "Does … increase …?", "Kan … hjælpe?"
WHETHER = re.compile(
    r"\s*(?:does|do|did|is|are|can|will|has|have|virker|fungerer|giver|fører|kan|har|er"
    r"|hjælper|gavner|øger|forbedrer|får)\b"
)
STAFF_RX, CITIZENS_RX, EFFECTS_RX = whole_words(STAFF), whole_words(CITIZENS), whole_words(EFFECTS)
FOR_WHOM_RX = whole_words(rf"for\s+(?:the\s+|de\s+)?(?:{STAFF}|{CITIZENS})")


def read_direction(text: str) -> tuple[str | None, str | None, bool]:
    """(direction, who, asks_whether) of a normalised question: "positive" | "negative" | None,
    "staff" | "citizens" | None, and whether it is a yes/no question."""
    against = [m.span() for m in NEGATIVE_RX.finditer(text)]
    negative = bool(against)  # "virker ikke", "does not work": "work" inside it is no positive
    # nor is "benefit" in "sickness benefit": a welfare benefit names a topic, not a direction
    inside = against + [m.span() for m in WELFARE_RX.finditer(text)]
    positive = any(
        not any(a <= m.start() < b for a, b in inside) for m in POSITIVE_RX.finditer(text)
    )
    direction = None
    if negative != positive:
        direction = "negative" if negative else "positive"
    asks_whether = bool(WHETHER.match(text))
    staff, citizens = bool(STAFF_RX.search(text)), bool(CITIZENS_RX.search(text))
    # "what hinders … for staff", "hvad virker for borgerne": a direction for them asks what
    # collaboration means for them ("a team for families" does not)
    for_them = bool(direction) and bool(FOR_WHOM_RX.search(text))
    who = None
    if staff != citizens and (for_them or EFFECTS_RX.search(text)):
        who = "staff" if staff else "citizens"
    return direction, who, asks_whether


def is_direction(word: str) -> bool:
    """Is one word of a question a direction word ("hinders", "fremmer")?"""
    return bool(NEGATIVE_RX.fullmatch(word) or POSITIVE_RX.fullmatch(word))


def is_whom(word: str) -> bool:
    """Is one word of a question a word for whom it is about ("staff", "borgerne")?"""
    return bool(STAFF_RX.fullmatch(word) or CITIZENS_RX.fullmatch(word))
