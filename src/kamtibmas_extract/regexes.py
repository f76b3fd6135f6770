"""Regex building blocks shared by the rule extractors.

Word lists from `patterns/` become one regex each. A plain `a|b|c` alternation of hundreds
of forms is tried form by form at every position; `alternation` builds a character trie
instead, so the engine branches once per character and the lists cost little on the hot path.
"""
from __future__ import annotations

import re
from typing import Iterable

_END = ""


def _piece(char: str) -> str:
    """A written character as a regex: a space also matches no space or a dot, a dot is optional."""
    if char == " ":
        return r"[\s.]*"
    if char == ".":
        return r"\.?"
    return re.escape(char)


def _emit(node: dict[str, dict]) -> str:
    terminal = _END in node
    branches = [_piece(char) + _emit(child) for char, child in sorted(node.items()) if char != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if terminal:
        return f"(?:{body})?"
    return body


def alternation(variants: Iterable[str]) -> str:
    """A trie-shaped regex matching any written form, longest first ("Brigadir Jenderal" over "Brigadir")."""
    root: dict[str, dict] = {}
    for variant in variants:
        node = root
        for char in re.sub(r"\s+", " ", variant.strip()):
            node = node.setdefault(char, {})
        node[_END] = {}
    return f"(?:{_emit(root)})" if root else "(?!)"


def variant_regex(variant: str) -> str:
    """One written form as a regex (same conventions as `alternation`)."""
    return alternation([variant])
