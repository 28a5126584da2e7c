"""A second opinion on BM25's best passages: how alike a question and a passage are as wholes.

BM25 (evidence.answer.bm25) adds up the words a question shares with a passage, so a long,
conversational question is often ranked by its incidental words ("overvejer", "beslutte"). The
best `TOP` passages BM25 holds are re-scored with the cosine similarity of the question and the
passage as WordLlama embeddings (dleemiller/WordLlama, MIT: the 256-dimension "l2_supercat" token
embeddings, averaged and normalised; the weights and tokenizer ship inside its PyPI wheel, so
nothing is downloaded): each gains `WEIGHT` × the best BM25 score × the similarity above `FLOOR`,
rescaled to 0–1. A passage BM25 does not hold gains nothing, so a question about something the
review does not cover is not answered by likeness alone.

Passages are embedded with what retrieval indexes (their text, curated expansions and concept
terms), once per build (evidence.answer.index.PassageIndex). The constants were set on the
development split of tests/questions_dev.yml only.
"""

from __future__ import annotations

import importlib
import logging
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from evidence.answer.bm25 import best_of

TOP = 50  # BM25's best passages that are re-scored
WEIGHT = 1.0  # a similarity of 1 adds this share of the best BM25 score
FLOOR = 0.3  # similarity at or below this adds nothing


def _wordllama() -> ModuleType:
    """The wordllama package, imported without its side effect: it calls
    `logging.basicConfig(level=INFO)` on import, which made every library log its INFO lines
    (httpx printed each request); the root logger is put back as it was."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    module = importlib.import_module("wordllama")
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
    root.setLevel(level)
    return module


@lru_cache(maxsize=1)
def model() -> Any:
    """The bundled WordLlama model. Its loader looks for bundled files under `weights/` and
    `tokenizer/` of the package, but the wheel ships `tokenizers/`; the package directory as
    `cache_dir` finds both, and `disable_download` makes a missing file an error, never a download."""
    wordllama = _wordllama()
    return wordllama.WordLlama.load(
        cache_dir=Path(str(wordllama.__file__)).parent, disable_download=True
    )


def embed(texts: list[str]) -> np.ndarray:
    """(len(texts), 256) float32 unit vectors."""
    if not texts:
        return np.zeros((0, 256), dtype=np.float32)
    return np.asarray(model().embed(texts, norm=True), dtype=np.float32)


def rerank(scores: np.ndarray, vectors: np.ndarray, question: str) -> np.ndarray:
    """BM25 `scores` (one per passage) with the best `TOP` held passages raised by their
    similarity to `question` (see the module's docstring); a new array."""
    top = best_of(scores, TOP)
    if not question or not top.size:
        return scores
    similarity = vectors[top] @ embed([question])[0]
    lift = np.clip((similarity - FLOOR) / (1 - FLOOR), 0, None)
    out = scores.copy()
    out[top] += WEIGHT * float(scores.max()) * lift
    return out
