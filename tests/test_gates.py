"""A gated scan finds exactly what the plain regex finds, only faster."""
from __future__ import annotations

import re

import pytest

from kamtibmas_extract.facts import lower_text
from kamtibmas_extract.gates import WordGate

UNIT = r"\b(?P<word>(?i:polres|polsek|polresta))\s+(?P<place>[A-Z]\w+)"
TEXTS = [
    "Kapolres Garut AKBP Budi bersama Polres Garut dan POLSEK Cibatu, juga Polresta Bogor.",
    "xpolres Garut polres garut Polres  Sumedang Polsek",
    "Polres Garut",
    "İstanbul Polres Garut",  # a capital that lower-cases to two characters
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_gated_scan_matches_plain_finditer(text: str) -> None:
    gate = WordGate(UNIT, ["Polres", "Polsek", "Polresta"])
    plain = [(m.span(), m.groupdict()) for m in re.finditer(UNIT, text)]
    assert [(m.span(), m.groupdict()) for m in gate.finditer(text, lower_text(text))] == plain


def test_lookbehind_boundaries_are_accepted() -> None:
    gate = WordGate(r"(?<![\w-])(?i:kapolsek)\s+\w+", ["Kapolsek"])
    text = "Kapolsek Cibatu dan eks-Kapolsek Garut"
    assert [m.group() for m in gate.finditer(text, text.lower())] == ["Kapolsek Cibatu"]


def test_a_pattern_without_a_leading_boundary_is_refused() -> None:
    with pytest.raises(ValueError, match="must start with"):
        WordGate(r"(?i:polres)\s+\w+", ["Polres"])


def test_opening_words_must_start_with_a_letter_or_digit() -> None:
    with pytest.raises(ValueError, match="letter or digit"):
        WordGate(r"\b\(?polres", ["(polres"])
