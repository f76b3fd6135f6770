"""A spaCy component that runs a non-spaCy NER back end (stanza) and sets `doc.ents`.

The spaCy back end needs no such bridge: its model is the base of the pipeline. Back ends
are looked up by name, so the extractors never depend on which library found an entity.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .backend import BACKENDS, NerBackend, NerModelError


def load_backend(name: str, path: str | None = None) -> NerBackend:
    """The NER back end called `name`, loaded from `path` or its default local directory."""
    if name not in BACKENDS:
        raise NerModelError(f"unknown NER back end {name!r} (expected {' or '.join(BACKENDS)})")
    return BACKENDS[name](path)


class BackendNer:
    """Sets `doc.ents` from a back end's character spans, snapped to token boundaries."""

    def __init__(self, backend: NerBackend) -> None:
        self.backend = backend

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for start, end, label in self.backend.entities(doc.text):
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None and (not spans or span.start >= spans[-1].end):
                spans.append(span)
        doc.ents = spans
        return doc


@Language.factory("kamtibmas_ner", default_config={"backend": "stanza", "path": None})
def make_backend_ner(nlp: Language, name: str, backend: str, path: str | None) -> BackendNer:
    return BackendNer(load_backend(backend, path))
