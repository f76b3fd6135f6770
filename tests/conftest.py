"""Shared fixtures: one pipeline per test session (building it loads patterns and the gazetteer)."""
from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from kamtibmas_extract.pipeline import build_pipeline

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The rule pipeline without NER."""
    return build_pipeline()


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared, or skip: CI has it, a bare clone may not."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip("../shared is not present beside the repository")
    return SHARED
