"""Sentence boundaries that survive the abbreviations of police prose.

spaCy's punctuation sentencizer would cut after "Jl." or "S.I.K."; the tokenizer keeps
those as single tokens (see `patterns/tokenizer.yaml`), and this component only breaks
after a sentence-final token that is followed by something that can open a sentence,
and at line breaks (headlines, captions and paragraphs never share a sentence).
Abbreviations that usually close a list ("dkk.", "dll.") end a sentence when a
capitalised word follows. A list number ("yakni: 1. Satu unit motor. 2. Dua buah HP") stays
with its entry: a period after a one- or two-digit number that opens a sentence or follows a
colon or semicolon ends nothing.

Boundaries are decided only at candidate tokens (final punctuation, line breaks) found
in one exported attribute array, and written back with one `Doc.from_array` call: a loop
over spaCy Token objects cost as much as tokenization itself.
"""
from __future__ import annotations

from functools import lru_cache

import numpy
from spacy.attrs import IS_SPACE, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc

from .resources import load_yaml

_FINAL = (".", "!", "?", "...", "…", "!!", "??", "?!", "!!!", "???")
#: What may stand before a list number ("1."): the start of a sentence, or a colon or semicolon.
_LIST_LEAD = (":", ";")
_CLOSERS = ('"', "'", ")", "]")
_OPENERS = "\"'(-"


@lru_cache(maxsize=1)
def _hashes() -> tuple[frozenset[int], frozenset[int]]:
    """ORTH hashes of sentence-final tokens (punctuation and closing abbreviations) and of closers."""
    closing = load_yaml("tokenizer.yaml")["sentence_final_abbreviations"]
    forms = {form for abbreviation in closing for form in (abbreviation, abbreviation.capitalize())}
    return frozenset(hash_string(t) for t in (*_FINAL, *forms)), frozenset(hash_string(t) for t in _CLOSERS)


def _is_list_number(doc: Doc, starts: numpy.ndarray, i: int) -> bool:
    """Whether token `i` is a list number: one or two digits, opening a sentence or after ":"/";"."""
    number = doc[i].text
    if not (number.isdigit() and len(number) <= 2):
        return False
    before = i - 1
    while before >= 0 and doc[before].is_space:
        before -= 1
    return before < 0 or starts[i] == 1 or doc[before].text in _LIST_LEAD


def _opens_sentence(text: str) -> bool:
    first = text[0]
    return first.isupper() or first.isdigit() or first in _OPENERS


@Language.component("kamtibmas_sentences")
def set_sentence_starts(doc: Doc) -> Doc:
    """Mark every token as sentence start or not, so `doc.sents` works without a parser."""
    n = len(doc)
    if n == 0:
        return doc
    final_hashes, closer_hashes = _hashes()
    period = hash_string(".")
    attrs = doc.to_array([ORTH, SPACY, IS_SPACE])
    orth: list[int] = attrs[:, 0].tolist()
    spaced, is_space = attrs[:, 1].astype(bool), attrs[:, 2].astype(bool)
    starts = numpy.full(n, -1, dtype=numpy.int32)
    starts[0] = 1
    for i in numpy.flatnonzero(is_space[:-1]):
        if "\n" in doc[int(i)].text and not is_space[i + 1]:
            starts[i + 1] = 1
    for i in [i for i, h in enumerate(orth[:-1]) if h in final_hashes]:
        if i > 0 and not spaced[i - 1] and len(prev := doc[i - 1].text) == 1 and prev.isupper():
            continue  # "M." split from its period is an initial, not a sentence end
        if i > 0 and orth[i] == period and not spaced[i - 1] and _is_list_number(doc, starts, i - 1):
            continue  # "1." of a numbered list opens its entry
        j = i + 1
        while j < n and orth[j] in closer_hashes and not spaced[j - 1]:
            j += 1  # closing quotes and brackets glued to the period stay in the sentence
        while j < n and is_space[j] and "\n" not in doc[j].text:
            j += 1
        if j < n and not is_space[j] and _opens_sentence(doc[j].text):
            starts[j] = 1
    doc.from_array([SENT_START], starts.astype(numpy.uint64).reshape(-1, 1))  # -1 wraps, as spaCy stores it
    return doc
