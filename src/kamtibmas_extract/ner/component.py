"""The `kamtibmas_ner` pipeline component: an NER back end that runs on demand.

Tagging whole documents would cost more than all the rules together, and the rules already
find most names. So the component does nothing when the pipeline passes a Doc through it;
an extractor that has candidates left (persons: capitalised words next to a person cue that
no rule explained) asks it to tag just those sentences (`entities`). Back ends are looked
up by name, so the extractors never depend on which library found an entity.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .backend import BACKENDS, NerBackend, NerModelError

COMPONENT = "kamtibmas_ner"


def load_backend(name: str, path: str | None = None) -> NerBackend:
    """The NER back end called `name`, loaded from `path` or its default local directory."""
    if name not in BACKENDS:
        raise NerModelError(f"unknown NER back end {name!r} (expected {' or '.join(BACKENDS)})")
    return BACKENDS[name](path)


class OnDemandNer:
    """Holds a loaded back end for the extractors; passing a Doc through it is free."""

    def __init__(self, backend: NerBackend) -> None:
        self.backend = backend

    def __call__(self, doc: Doc) -> Doc:
        return doc

    def entities(self, sentences: list[Span]) -> list[Span]:
        """PER/ORG/LOC entities of these sentences (spans of one Doc), as spans of that Doc."""
        return self.backend.span_entities(sentences) if sentences else []


def pipeline_ner(nlp: Language) -> OnDemandNer | None:
    """The pipeline's NER component, or None when it runs without NER."""
    return nlp.get_pipe(COMPONENT) if COMPONENT in nlp.pipe_names else None


@Language.factory(COMPONENT, default_config={"backend": "spacy", "path": None})
def make_ner(nlp: Language, name: str, backend: str, path: str | None) -> OnDemandNer:
    return OnDemandNer(load_backend(backend, path))
