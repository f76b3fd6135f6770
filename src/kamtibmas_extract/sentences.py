"""Sentence boundaries that survive the abbreviations of police prose.

spaCy's punctuation sentencizer would cut after "Jl." or "S.I.K."; the tokenizer keeps
those as single tokens (see `patterns/tokenizer.yaml`), and this component only breaks
after a sentence-final token that is followed by something that can open a sentence,
and at line breaks (headlines, captions and paragraphs never share a sentence).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

_FINAL = {".", "!", "?", "...", "…"}
_CLOSERS = {'"', "'", ")", "]"}


@Language.component("kamtibmas_sentences")
def set_sentence_starts(doc: Doc) -> Doc:
    """Mark `is_sent_start` on every token (True/False), so `doc.sents` works without a parser."""
    tokens = list(doc)
    if not tokens:
        return doc
    tokens[0].is_sent_start = True
    after_final = False
    for i in range(1, len(tokens)):
        prev, tok = tokens[i - 1], tokens[i]
        glued_closer = tok.text in _CLOSERS and not prev.whitespace_
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            starts = not tok.is_space
        elif after_final and not tok.is_space and not glued_closer:
            first = tok.text[0]
            starts = first.isupper() or first.isdigit() or first in "\"'(-"
        else:
            starts = False
        tok.is_sent_start = starts
        if tok.text in _FINAL:
            after_final = not (len(prev.text) == 1 and prev.text.isupper() and not prev.whitespace_)
        elif not (glued_closer and after_final) and not tok.is_space:
            after_final = False
    return doc
