"""Facts under construction: what extractor components attach to a spaCy Doc.

Extractors add plain dicts (cheap on the hot path); the validation stage turns them
into the pydantic models of `schema.py`, filling `doc_id` and the evidence sentence.
"""
from __future__ import annotations

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


#: `Doc.user_data` key of the document's text.
TEXT_KEY = "kamtibmas_text"


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
