"""Running a (partial) pipeline over one sentence, as the extraction does, for the extractor tests."""
from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from kamtibmas_extract.facts import meta
from kamtibmas_extract.pipeline import component_passes


def run_text(nlp: Language, text: str, **metadata: Any) -> Doc:
    """`text` through every component of `nlp`, with the document metadata the extractors read."""
    docs = [nlp.make_doc(text)]
    meta(docs[0]).update(metadata)
    for _, docs in component_passes(nlp, docs):
        pass
    return docs[0]
