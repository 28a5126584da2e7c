"""Fit /api/ask's "covered or not" decision (evidence.answer.coverage) on the dev split.

Every dev question is answered as if covered (the threshold set to 0), with the signals retrieval
computed for it (cover, unknown, anchor: see evidence.answer.coverage) and its F1 against the
benchmark. A logistic regression (standardised signals, L2 0.1, 3,000 steps of gradient descent
from zero: deterministic) is fitted to "the review covers it" (the question has expected studies).
Five-fold cross-validation on dev (fixed folds) gives, per threshold, the macro F1 the decision
would reach, with the shares of covered questions answered empty and of uncovered questions
answered empty; the threshold with the best macro F1 among those that answer at most
`MAX_COVERED_EMPTY` of the covered questions empty (issue 8's bound) is chosen (of equal F1, the
one that leaves more uncovered questions unanswered). The test split is
never read.

    uv run --frozen python -m bench.calibrate     # prints the table and the constants
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

from bench.quality import SETS, load_questions, scores
from evidence.answer import ask as asking
from evidence.answer import coverage
from evidence.read.database import Database
from evidence.settings import settings

MAX_COVERED_EMPTY = 0.02  # issue 8: at most 2 % of covered questions answered empty
THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)
FOLDS = 5


def observations(db_path: Path) -> list[dict]:
    """Per dev question with signals: its signals, whether it is covered, and its F1 if answered."""
    db = Database(db_path)
    kept, coverage.THRESHOLD = coverage.THRESHOLD, 0.0
    try:
        out = []
        for q in load_questions(SETS["dev"]):
            result = asking.answer(db, q["q"])
            signals = result["understood"].get("signals")
            if not signals:  # facets only, or nothing to search: decided by other rules
                continue
            got = {s["ref"] for s in result["studies"]}
            f1 = scores(got, set(q["expected"]), set(q.get("acceptable", [])))["f1"]
            out.append({"signals": signals, "covered": bool(q["expected"]), "f1": f1})
        return out
    finally:
        coverage.THRESHOLD = kept


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.1, steps: int = 3000, rate: float = 0.5):
    """(mean, scale, weights, bias) of an L2-regularised logistic regression on standardised x."""
    mean, scale = x.mean(0), x.std(0) + 1e-9
    z = (x - mean) / scale
    w, b = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        g = 1 / (1 + np.exp(-(z @ w + b))) - y
        w -= rate * (z.T @ g / len(y) + l2 * w)
        b -= rate * g.mean()
    return mean, scale, w, b


def utility(obs: list[dict], answered: list[bool]) -> tuple[float, float, float]:
    """(macro F1, covered→empty, uncovered→empty) of a decision."""
    f1 = [
        o["f1"] if a else (0.0 if o["covered"] else 1.0) for o, a in zip(obs, answered, strict=True)
    ]
    cov = [not a for o, a in zip(obs, answered, strict=True) if o["covered"]]
    unc = [not a for o, a in zip(obs, answered, strict=True) if not o["covered"]]
    return float(np.mean(f1)), float(np.mean(cov)), float(np.mean(unc))


def cross_validate(x: np.ndarray, y: np.ndarray, obs: list[dict]) -> dict[float, tuple]:
    order = list(range(len(y)))
    random.Random(1).shuffle(order)
    p = np.zeros(len(y))
    for k in range(FOLDS):
        test = order[k::FOLDS]
        train = [i for i in order if i not in set(test)]
        mean, scale, w, b = fit(x[train], y[train])
        p[test] = 1 / (1 + np.exp(-(((x[test] - mean) / scale) @ w + b)))
    return {t: utility(obs, list(p >= t)) for t in THRESHOLDS}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m bench.calibrate", description=__doc__.splitlines()[0]
    )
    ap.add_argument("--db", type=Path, default=settings.db_path, help="the built database")
    args = ap.parse_args(argv)
    obs = observations(args.db)
    x = np.array([[o["signals"][f] for f in coverage.FEATURES] for o in obs])
    y = np.array([1.0 if o["covered"] else 0.0 for o in obs])
    table = cross_validate(x, y, obs)
    print(f"dev: {len(obs)} questions with signals, {int(len(y) - y.sum())} not covered")
    covered_f1 = np.mean([o["f1"] for o in obs if o["covered"]])
    print(f"always answering: the covered questions' macro F1 is {covered_f1:.3f} (the ceiling)")
    print("threshold  macro F1 (5-fold CV)  covered→empty  uncovered→empty")
    for t, (f1, ce, ue) in table.items():
        print(f"{t:9.2f}  {f1:20.3f}  {ce:13.1%}  {ue:15.1%}")
    allowed = [t for t in THRESHOLDS if table[t][1] <= MAX_COVERED_EMPTY] or list(THRESHOLDS[:1])
    # of thresholds with the same macro F1, the one that answers fewer uncovered questions
    best = max(allowed, key=lambda t: (round(table[t][0], 3), table[t][2], -t))
    mean, scale, w, b = fit(x, y)
    print(f"\nFEATURES = {coverage.FEATURES}")
    print(f"MEAN = {tuple(round(float(v), 4) for v in mean)}")
    print(f"SCALE = {tuple(round(float(v), 4) for v in scale)}")
    print(f"WEIGHTS = {tuple(round(float(v), 4) for v in w)}")
    print(f"BIAS = {round(float(b), 4)}")
    print(f"THRESHOLD = {best}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
