"""Does the review speak to a question? A calibrated decision on five signals of retrieval.

For the passages retrieval ranked (evidence.answer.retrieve), five signals, each 0–1:
- `cover`: the share of the question's weight that the best passage holds;
- `unknown`: the share of the question's weight on words no passage holds (weighed by their
  rarity in everyday Danish or English: "Covid", "reoffending", "løntillæg");
- `anchor`: 1 when the question's heaviest known word (one some passage holds) is held by one of
  the three best passages;
- `compound`: the share of the question's weight on compounds no passage holds whole, read
  through their parts ("hjemmearbejde" as hjemme + arbejde, "kontanthjælpsloftet");
- `absent`: the share of the question's words no passage holds, counted, not weighed: "climate"
  or "suicide" weigh little by their everyday rarity but still say what the question is about.

They are combined by a logistic regression fitted on the development split of the natural-question
benchmark (tests/questions_dev.yml: the 272 of its 275 questions that reach this decision, 73 of
them not covered; a question a facet alone answers never does), never on the
test split. `python -m bench.calibrate` refits it and prints the constants below; a test checks
that they are what it prints. The question counts as covered when the fitted probability is at
least `THRESHOLD`, the threshold with the best macro F1 in five-fold cross-validation on dev
among those that leave at most 2 % of the covered questions unanswered
(bench.calibrate prints that table too).
"""

from __future__ import annotations

import math

import numpy as np

from evidence.answer.bm25 import QueryWord

FEATURES = ("cover", "unknown", "anchor", "compound", "absent")
# fitted by `python -m bench.calibrate` on tests/questions_dev.yml (2026-11-30)
MEAN = (0.6479, 0.0687, 0.6949, 0.0154, 0.0552)
SCALE = (0.254, 0.1462, 0.4605, 0.0933, 0.1069)
WEIGHTS = (0.4718, -0.5082, 0.1048, -0.2702, -0.5704)
BIAS = 1.2031
THRESHOLD = 0.5


def probability(signals: dict[str, float]) -> float:
    """0–1: how likely the review speaks to the question, given its signals (see FEATURES)."""
    z = BIAS + sum(
        w * (signals[f] - m) / s for f, m, s, w in zip(FEATURES, MEAN, SCALE, WEIGHTS, strict=True)
    )
    return 1 / (1 + math.exp(-z))


def covered(signals: dict[str, float]) -> bool:
    """Is the probability at least THRESHOLD?"""
    return probability(signals) >= THRESHOLD


def signals(query: list[QueryWord], per_word: list[np.ndarray], top: list[int]) -> dict[str, float]:
    """The signals (FEATURES) of a question's words `query`, given each word's BM25 scores over
    the passages (`per_word`, one array per word) and the best passages `top`, best first."""
    total = sum(q.weight for q in query) or 1.0
    words = [q for q in query if q.how != "relation"]
    # the heaviest word the passages hold: an unknown word, held by none, counts in `unknown`
    known = [k for k, q in enumerate(query) if q.how != "unknown"] or range(len(query))
    heaviest = max(known, key=lambda k: query[k].weight)
    return {
        "cover": sum(q.weight for q, v in zip(query, per_word, strict=True) if v[top[0]]) / total,
        "unknown": sum(q.weight for q in query if q.how == "unknown") / total,
        "anchor": float(bool(per_word[heaviest][top].any())),
        # a compound the review never writes whole is read through its parts ("hjemmearbejde",
        # "kontanthjælpsloftet"): a word the review knows only in pieces
        "compound": sum(q.weight for q in query if q.how.startswith("compound ")) / total,
        # counted, not weighed: an everyday word no passage holds ("climate", "suicide", "media")
        # weighs little by its rarity, but still says what the question is about
        "absent": sum(q.how == "unknown" for q in words) / (len(words) or 1),
    }
