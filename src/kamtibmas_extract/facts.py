"""Facts under construction: what extractor components attach to a spaCy Doc.

Extractors add plain dicts (cheap on the hot path); the validation stage turns them
into the pydantic models of `schema.py`, filling `doc_id` and the evidence sentence.
"""
from __future__ import annotations

import bisect
from typing import Any

from spacy.tokens import Doc

if not Doc.has_extension("facts"):
    Doc.set_extension("facts", default=None)
if not Doc.has_extension("meta"):
    Doc.set_extension("meta", default=None)


def facts(doc: Doc) -> dict[str, list[dict[str, Any]]]:
    """The document's fact lists by table, created on first use."""
    store = doc._.facts
    if store is None:
        store = {}
        doc._.facts = store
    return store


def meta(doc: Doc) -> dict[str, Any]:
    """Document metadata the extractors may use (doc_id, published, url, dateline, title)."""
    if doc._.meta is None:
        doc._.meta = {}
    return doc._.meta


#: `Doc.user_data` keys of the per-document views below.
TEXT_KEY = "kamtibmas_text"
_LOWER_KEY = "kamtibmas.lower_text"
_BOUNDS_KEY = "kamtibmas.sentence_bounds"
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once per document (spaCy rebuilds it from the tokens on every access)."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def add_fact(doc: Doc, table: str, start: int, end: int, *, confidence: float, extractor: str,
             rule: str | None, **fields: Any) -> dict[str, Any]:
    """Record one fact with its evidence span; returns the dict so linkers can refine it."""
    fact = {"mention": doc_text(doc)[start:end], "start": start, "end": end, "confidence": round(confidence, 3),
            "extractor": extractor, "rule": rule, **fields}
    facts(doc).setdefault(table, []).append(fact)
    return fact


def get_facts(doc: Doc, table: str) -> list[dict[str, Any]]:
    """The facts of one table found so far (empty list when none)."""
    return facts(doc).get(table, [])


def text_views(doc: Doc) -> tuple[str, str]:
    """The text and its lower-cased twin (same offsets), computed once per Doc: lower-case patterns
    on the lowered text run several times faster than re.IGNORECASE."""
    text = doc_text(doc)
    lower = doc.user_data.get(_LOWER_KEY)
    if lower is None:
        lower = doc.user_data[_LOWER_KEY] = lower_text(text)
    return text, lower


def lower_text(text: str) -> str:
    """`text` lower-cased with every offset kept (a few non-ASCII capitals lower to two characters)."""
    lower = text.lower()
    return lower if len(lower) == len(text) else text.translate(_ASCII_LOWER)


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) character offsets of the document's sentences, computed once per Doc."""
    bounds = doc.user_data.get(_BOUNDS_KEY)
    if bounds is None:
        bounds = [(s.start_char, s.end_char) for s in doc.sents] or [(0, len(doc_text(doc)))]
        doc.user_data[_BOUNDS_KEY] = bounds
    return bounds


def sentence_of(starts: list[int], offset: int) -> int:
    """Index of the sentence holding `offset`, given the sorted sentence starts."""
    return max(bisect.bisect_right(starts, offset) - 1, 0)
