"""BM25's best passages re-scored by their likeness to the whole question (evidence.answer.semantic)."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys

import numpy as np
import pytest

from evidence.answer import semantic
from evidence.answer.ask import answer, passage_index
from evidence.read.database import Database


@pytest.fixture(scope="module")
def db(evidence_db) -> Database:
    return Database(evidence_db)


def test_the_model_loads_from_the_installed_package_without_the_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    semantic.model.cache_clear()
    vectors = semantic.embed(["tværfagligt samarbejde", "interdisciplinary collaboration"])
    assert vectors.shape == (2, 256)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)


def test_only_the_best_held_passages_are_raised(db):
    index = passage_index(db)
    scores = np.zeros(len(index.passages))
    held = np.arange(0, len(scores), 3)[: semantic.TOP + 20]
    scores[held] = np.linspace(10, 1, len(held))
    out = semantic.rerank(scores, index.vectors, "fælles kontaktperson for familien")
    assert (out[scores == 0] == 0).all()  # a passage BM25 does not hold gains nothing
    assert (out >= scores).all() and (
        out[held[semantic.TOP :]] == scores[held[semantic.TOP :]]
    ).all()
    assert (out[held[: semantic.TOP]] > scores[held[: semantic.TOP]]).any()
    assert semantic.rerank(scores, index.vectors, "") is scores


def test_a_long_danish_question_is_ranked_by_what_it_is_about(db):
    # BM25 alone ranked this by "beslutte", "fortsat", "ulemper" and gave 66 with four other
    # studies; §2.3's study of home care and home nursing (66) is the answer
    result = answer(
        db,
        "Vi skal beslutte, om hjemmesygeplejen og hjemmeplejen skal samles i fælles teams eller "
        "fortsat være organiseret hver for sig. Hvad er fordele og ulemper ved de to løsninger?",
    )
    assert {s["ref"] for s in result["studies"]} == {66}


def test_loading_the_model_leaves_logging_as_it_was():
    # wordllama calls logging.basicConfig(level=INFO) when imported: every library's INFO lines
    # (httpx: one per request) were printed by the API and the benchmarks. A fresh interpreter,
    # as the server starts: the root logger keeps no handler and its WARNING level.
    code = (
        "import logging; from evidence.answer import semantic; semantic.model(); "
        "root = logging.getLogger(); print(len(root.handlers), root.level)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", str(logging.WARNING)]


@pytest.mark.parametrize("k", [1, 3, 50, 500])
def test_best_of_is_a_stable_sort_of_the_held_scores_cut_at_k(k):
    """bm25.best_of, which spares retrieval a full sort at 100× size, picks what a stable sort of
    every held position picks, ties by position (scores of repeated passages tie)."""
    import numpy as np

    from evidence.answer.bm25 import best_of

    rng = np.random.default_rng(8)
    scores = rng.integers(0, 6, size=2000).astype(float)  # many ties, and zeros not held
    held = np.flatnonzero(scores)
    expected = held[np.argsort(-scores[held], kind="stable")][:k]
    assert best_of(scores, k).tolist() == expected.tolist()
    assert best_of(np.zeros(10), k).size == 0
