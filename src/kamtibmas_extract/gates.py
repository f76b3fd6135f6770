"""Gated regex scans: a pattern is tried only where a word that can open it begins.

CPython's re gives a pattern that opens with `\\b`, a lookbehind or a case-insensitive
word no first-character filter, so `finditer` starts a match attempt at every position of
the text, which made each such scan cost as much as a tenth of tokenization. A trie of the
lower-cased opening words does have one (its first letters), which re skips to in C; the
pattern is then matched only at those hits.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from .regexes import phrase_pattern

#: The letters and digits that open a word: what a gate looks for.
_OPENING = re.compile(r"[^\W_]*")
#: How a gated pattern must start: with a word-boundary check, so that no match can begin
#: inside a word (the gate skips the rest of each word it stops at).
_BOUNDARY_STARTS = (r"\b", r"(?<!\w)", r"(?<![\w-])")


class WordGate:
    """A regex that opens at a word boundary and the words that can open it; `finditer` finds
    exactly the matches of the plain regex as long as every match begins with one of those words."""

    def __init__(self, pattern: str, openers: Iterable[str]) -> None:
        if not pattern.startswith(_BOUNDARY_STARTS):
            raise ValueError(f"a gated pattern must start with one of {_BOUNDARY_STARTS}: {pattern[:60]!r}")
        self.pattern = re.compile(pattern)
        heads = {_OPENING.match(opener.strip().lower()).group() for opener in openers}  # type: ignore[union-attr]
        if not heads or "" in heads:
            raise ValueError("every opening word must start with a letter or digit")
        self._gate = re.compile(phrase_pattern(sorted(heads)))

    def finditer(self, text: str, lower: str) -> Iterator[re.Match[str]]:
        """Matches in `text`, left to right, not overlapping; `lower` is its lower-cased twin."""
        end = 0
        for hit in self._gate.finditer(lower):
            if hit.start() >= end and (match := self.pattern.match(text, hit.start())):
                end = match.end()
                yield match
