"""Regex building blocks shared by the rule extractors.

Word lists from `patterns/` become one regex each. A plain `a|b|c` alternation of hundreds
of forms is tried form by form at every position; `alternation` builds a character trie
instead, so the engine branches once per character and the lists cost little on the hot path.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator

_END = ""


def _piece(char: str) -> str:
    """A written character as a regex: a space also matches no space or a dot, a dot is optional."""
    if char == " ":
        return r"[\s.]*"
    if char == ".":
        return r"\.?"
    return re.escape(char)


def _trie(words: Iterable[str], piece: Callable[[str], str]) -> str:
    """A group-free regex matching any of `words`, longest first, each character drawn by `piece`."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [piece(char) + emit(child) for char, child in sorted(node.items()) if char != _END]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if _END in node else body

    return emit(root)


def alternation(variants: Iterable[str]) -> str:
    """A trie-shaped regex matching any written form, longest first ("Brigadir Jenderal" over "Brigadir");
    a space also matches no space or a dot, a dot is optional ("Kasat Reskrim" = "Kasatreskrim")."""
    body = _trie((re.sub(r"\s+", " ", v.strip()) for v in variants), _piece)
    return f"(?:{body})" if body else "(?!)"


def phrase_pattern(phrases: Iterable[str]) -> str:
    """A trie-shaped regex for literal phrases (longer ones win, "sabu-sabu" over "sabu"); a space
    matches any run of whitespace. Used on lower-cased text by the event extractors."""
    return _trie(phrases, lambda char: r"\s+" if char == " " else re.escape(char))


def variant_regex(variant: str) -> str:
    """One written form as a regex (same conventions as `alternation`)."""
    return alternation([variant])


class Alternation:
    """Many rules scanned as one regex; each hit says which rule fired (the first listed that matches there).

    Built from (key, rule id, pattern) triples. Patterns are written in lower case for the
    lower-cased text and start with \\b, which the combined regex checks once per position. The
    combined regex has no capturing groups (they make Python's matcher about three times
    slower); the few hits are attributed by matching the rules one by one where they start.
    """

    def __init__(self, rules: Iterable[tuple[str, str, str]]) -> None:
        self._rules: list[tuple[str, re.Pattern[str]]] = []
        for key, rule_id, pattern in rules:
            if re.search(r"(?<![\\?])[A-Z]", pattern) or not pattern.startswith(r"\b"):
                raise ValueError(f"rule {rule_id}: patterns must be lower case and start with \\b: {pattern!r}")
            self._rules.append((key, re.compile(pattern)))
        self._combined = re.compile(r"\b(?:" + "|".join(f"(?:{p.pattern})" for _, p in self._rules) + ")")

    def scan(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[tuple[str, int, int]]:
        """(rule key, start, end) of every hit, left to right, not overlapping."""
        for match in self._combined.finditer(text, pos, len(text) if endpos is None else endpos):
            key = next(key for key, pattern in self._rules if pattern.match(text, match.start()))
            yield key, match.start(), match.end()
