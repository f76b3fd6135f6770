"""PER/ORG/LOC named-entity recognition: a spaCy model trained on public Indonesian NER
sets (see models/MODEL_CARD.md), behind the `NerBackend` interface."""

from kamtibmas_extract.ner.backend import (
    NerBackend,
    NerModelError,
    SpacyNer,
    default_model_path,
)

__all__ = ["NerBackend", "NerModelError", "SpacyNer", "default_model_path"]
