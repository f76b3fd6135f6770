"""NER back ends behind one small interface, so the extractors never see which library
found an entity; each back end loads only from a local directory (no downloads)."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from kamtibmas_extract.resources import models_dir

Entity = tuple[int, int, str]


class NerModelError(RuntimeError):
    """The NER model directory is missing or cannot be loaded; the message names the path."""


def default_model_path() -> Path:
    """The shipped spaCy NER pipeline (models/ner-id)."""
    return models_dir() / "ner-id"


def model_info(backend: str) -> dict[str, Any]:
    """Which NER model a run used (for the run manifest): the default path of `backend`
    and, for spaCy, the name and version recorded in its meta.json."""
    if backend != "spacy":
        raise NerModelError(f"unknown NER back end {backend!r}")
    path = default_model_path()
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NerModelError(f"NER model at {path} has no readable meta.json ({exc})") from exc
    return {"path": str(path), "name": meta.get("name"), "version": meta.get("version"),
            "spacy_version": meta.get("spacy_version")}


class NerBackend(ABC):
    """Finds PER/ORG/LOC entities in raw text."""

    @abstractmethod
    def entities(self, text: str) -> list[Entity]:
        """(start_char, end_char, label) of each entity in `text`, in text order."""


def load_spacy_ner(path: Path | str) -> Language:
    """Load a spaCy pipeline with an "ner" component, failing with the path in the message."""
    path = Path(path)
    if not path.is_dir():
        raise NerModelError(f"NER model directory not found: {path}")
    if not (path / "config.cfg").is_file() or not (path / "meta.json").is_file():
        raise NerModelError(f"NER model at {path} is not a spaCy pipeline (config.cfg or meta.json missing)")
    try:
        nlp = spacy.load(path)
    except Exception as exc:  # any failure here means the files on disk are unusable
        raise NerModelError(f"NER model at {path} could not be loaded ({type(exc).__name__}: {exc})") from exc
    if "ner" not in nlp.pipe_names:
        raise NerModelError(f"NER model at {path} has no 'ner' component (pipes: {nlp.pipe_names})")
    return nlp


class SpacyNer(NerBackend):
    """The spaCy pipeline trained by `kamtibmas train-ner`."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_model_path()
        self.nlp = load_spacy_ner(self.path)

    def entities(self, text: str) -> list[Entity]:
        return [(ent.start_char, ent.end_char, ent.label_) for ent in self.nlp(text).ents]
