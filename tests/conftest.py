"""Shared fixtures: the real data directory, the review's text (skipped where absent)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from evidence.settings import ROOT, settings

DATA = ROOT / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def source_path() -> Path:
    if not settings.source.exists():
        pytest.skip(f"the review's text is not at {settings.source} (it is in CI, at ../shared/seeds)")
    return settings.source


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A throwaway copy of data/ to break."""
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst)
    return dst
