"""Builds the spaCy pipeline: tokenizer, sentences, NER and the extractor components, in one place.

The component order is the pipeline's design: each extractor may read the facts of the
ones before it (persons read units, locations read units, the linker reads everything).
"""
from __future__ import annotations

import importlib
from typing import Iterator

import spacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc

from . import sentences  # noqa: F401  (registers kamtibmas_sentences)
from .resources import load_yaml

#: Extractor modules in pipeline order; module `x` registers the factory `kamtibmas_x` on import.
EXTRACTORS: tuple[str, ...] = ("units", "persons", "locations", "dates", "incidents", "seizures", "activities", "quotes", "linker")

#: The NER back end of `kamtibmas extract` and `show` unless `--ner` says otherwise: the
#: shipped spaCy model, on demand (persons F1 rises with it at little cost; models/MODEL_CARD.md).
DEFAULT_NER = "spacy"

#: Longest document the pipeline accepts (characters); longer inputs get an error row.
MAX_CHARS = 2_000_000


def _abbreviation_forms(abbreviation: str) -> set[str]:
    return {abbreviation, abbreviation.upper(), abbreviation.lower(), abbreviation[:1].upper() + abbreviation[1:].lower()}


def make_tokenizer_nlp() -> Language:
    """A blank Indonesian pipeline with the domain's abbreviation exceptions (no components)."""
    return add_tokenizer_exceptions(spacy.blank("id"))


def add_tokenizer_exceptions(nlp: Language) -> Language:
    """Teach a pipeline's tokenizer the domain's abbreviations (also a loaded NER model's)."""
    nlp.max_length = MAX_CHARS + 1
    for abbreviation in load_yaml("tokenizer.yaml")["abbreviations"]:
        for form in _abbreviation_forms(abbreviation):
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])
    return nlp


def component_passes(nlp: Language, docs: list[Doc]) -> Iterator[tuple[str, list[Doc]]]:
    """Run `docs` through the pipeline's components one component at a time over all of them
    (with the component's `pipe` where it has one), yielding each component's name and the
    Docs after it: spaCy's `Language.pipe` order, for callers that time or inspect the stages."""
    for name, component in nlp.pipeline:
        docs = list(component.pipe(docs)) if hasattr(component, "pipe") else [component(doc) for doc in docs]
        yield name, docs


def build_pipeline(ner: str | None = None) -> Language:
    """The full extraction pipeline. `ner` picks the NER back end ("spacy", "stanza") or none.

    The back end sits in the pipeline as `kamtibmas_ner` but tags nothing by itself: the
    person extractor asks it to tag only the sentences where a name may be left that no
    rule found (see `ner.component`), which keeps NER almost free.
    """
    nlp = make_tokenizer_nlp()
    nlp.add_pipe("kamtibmas_sentences")
    if ner is not None:
        from .ner import component  # noqa: F401  (registers kamtibmas_ner)

        nlp.add_pipe("kamtibmas_ner", config={"backend": ner})
    for name in EXTRACTORS:
        importlib.import_module(f"{__package__}.{name}")
        nlp.add_pipe(f"kamtibmas_{name}")
    return nlp
