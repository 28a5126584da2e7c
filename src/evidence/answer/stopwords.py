"""Words a question is made of that say nothing about what it asks, in Danish and English.

`STOPWORDS` are dropped from questions and from thesaurus terms alike: function words, question
words and the review's own framing ("which studies", "hvilke studier", "handler om", "evidence").
`NEGATIONS` stay: they are content, though not alone (nor with `OPERATORS`). `SOFT` words are dropped from a question's content too, but
still count when a thesaurus term contains them ("management support", "fælles viden"): they
carry meaning only inside a term.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


DANISH = _words(
    """
af alle alt andet andre at blev bliver blive bl da de dem den denne der deres det dette dig din
disse du efter eller en end er et for fra har havde have hende hendes her hos hun hvad hvem hver
hvilke hvilken hvilket hvis hvor hvordan hvorfor hvornår hvorvidt i ind jeg jer jo kan kunne
man mange med meget men mig min mine mit mod ned noget nogen nogle nu når og også om op os på
sig sin sine sit skal skulle som så sådan thi til ud under var vi vil ville vor vores være været
gøre gør gjorde gjort mellem blandt tværs ved fx eks feks mv osv samt ift ifm mht ca dvs én ét ens end endnu heller hverken både enten eller selv siden dog
"""
)

ENGLISH = _words(
    """
a about above after again all also am an and any are as at be been being both but by can could
did do does doing done during each few for from further had has have having he her here hers
how i if in into is it its itself just me more most my nor of off on once only or other
our out over own same she should so some such than that the their them then there these they
this those through to too under until up very was we were what when where which while who whom
why will with would you your yours whether
e.g ie eg etc vs via per between across among within get gets got getting make makes made much many way ways know known
"""
)

# The review's framing: words every question about it may carry.
FRAMING = _words(
    """
studie studier studiet studierne studiernes undersøgelse undersøgelser undersøgelsen
rapport rapporten review reviewet vidensindsamling vidensindsamlingen litteratur litteraturen
forskning forskningen forskere forskerne evidensen
study studies research researcher researchers paper papers article articles literature report reports
hvilke hvilken hvilket handler handle omhandler omhandle drejer dreje angår angående vedrørende
which what whose tell list show shows showing give find found finds
siger sige nævner nævne peger pege viser vise beskriver beskrive belyser belyse finder fandt
say says said mention mentions mentioned describe describes discuss discusses discussed cover covers
looked look examine examined examines investigate investigated address addresses addressed
please kindly anything something everything
overveje overvejer overvejet påtænker considering consider contemplating wondering
published publication publications udgivet udgivne udgivelse publiceret publicerede offentliggjort
used using brugte anvendte benyttede
"""
)

# Meaningful inside a term ("management support"), noise on their own in a question.
SOFT = _words(
    """
support supports supporting supported evidence evidens understøtter understøtte belæg dokumentation
kan effect effects virker work works working helps help hjælper
værdi værdien value importance betydning betydningen
"""
)

# Negations look like stopwords but turn a question around ("føler sig ikke inddraget").
NEGATIONS = frozenset(_words("ikke uden manglende aldrig not no without lack lacking never"))

# The full-text search operators (FTS5's AND, OR, NOT, NEAR), typed as words: with nothing but
# these, stopwords and negations, a question asks about nothing (evidence.answer.analyse.has_content_word).
OPERATORS = frozenset(_words("and or not near"))

FUNCTION = frozenset(DANISH) | frozenset(ENGLISH)  # function words, without the framing
STOPWORDS = FUNCTION | frozenset(FRAMING)
SOFT_WORDS = frozenset(SOFT)
