"""Sentence boundaries that survive the abbreviations of police prose.

spaCy's punctuation sentencizer would cut after "Jl." or "S.I.K."; the tokenizer keeps
those as single tokens (see `patterns/tokenizer.yaml`), and this component only breaks
after a sentence-final token that is followed by something that can open a sentence,
and at line breaks (headlines, captions and paragraphs never share a sentence).

It reads token attributes as arrays and visits only line breaks and sentence-final
tokens: creating a Python `Token` per token would cost more than tokenizing.
"""
from __future__ import annotations

import numpy as np
from spacy.attrs import IDX, IS_SPACE, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc

from .facts import doc_text

_FINAL = np.array([get_string_id(s) for s in (".", "!", "?", "...", "…")], dtype=np.uint64)
_CLOSERS = np.array([get_string_id(s) for s in ('"', "'", ")", "]")], dtype=np.uint64)
_OPENERS = "\"'(-"


def _opens_sentence(char: str) -> bool:
    return char.isupper() or char.isdigit() or char in _OPENERS


def sentence_starts(doc: Doc) -> np.ndarray:
    """True where a sentence starts: the first token, the first non-space token after a line
    break, and the next opener after a sentence-final token (spaces and closing quotes or
    brackets glued to it may come between). A period glued to one capital ("A.") is an initial."""
    n = len(doc)
    text = doc_text(doc)
    attrs = doc.to_array([ORTH, IDX, SPACY, IS_SPACE])
    orth, idx = attrs[:, 0], attrs[:, 1].astype(np.int64)
    trailing_space, space = attrs[:, 2].astype(bool), attrs[:, 3].astype(bool)
    ends = np.append(idx[1:], len(text)) - trailing_space  # token end offsets
    starts = np.zeros(n, dtype=bool)
    starts[0] = True
    for i in np.flatnonzero(space[:-1]).tolist():
        if "\n" in text[idx[i]:ends[i]] and not space[i + 1]:
            starts[i + 1] = True
    # Tokens between a final and the token that decides: spaces, and closers glued to what precedes them.
    passes = space.copy()
    passes[1:] |= np.isin(orth[1:], _CLOSERS) & ~trailing_space[:-1]
    for f in np.flatnonzero(np.isin(orth, _FINAL)).tolist():
        if f == 0:
            continue
        before = f - 1
        if ends[before] - idx[before] == 1 and text[idx[before]].isupper() and not trailing_space[before]:
            continue
        j = f + 1
        while j < n and passes[j]:
            j += 1
        if j < n and _opens_sentence(text[idx[j]]):
            starts[j] = True
    return starts


@Language.component("kamtibmas_sentences")
def set_sentence_starts(doc: Doc) -> Doc:
    """Set `is_sent_start` on every token (True/False), so `doc.sents` works without a parser."""
    if len(doc):
        values = np.where(sentence_starts(doc), 1, -1).astype(np.int64).reshape(-1, 1)
        doc.from_array([SENT_START], values.astype(np.uint64))
    return doc
