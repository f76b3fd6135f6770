"""Tests of the regex building blocks: the fast forms must find exactly what the plain regexes find."""
import re

import pytest

from kamtibmas_extract.facts import lower_text
from kamtibmas_extract.regexes import (
    Alternation, WordGate, alternation, guarded_finditer, phrase_pattern, word_start_regex,
)

TEXT = ("polisi menangkap dua tersangka pencurian sepeda motor pada pukul 02.00 wib; 12 kasus pencurian "
        "ditangani. pencuri motor itu tertangkap. di tkp, kejadian 3/4/2024) dan sepeda motor hasil curian "
        "disita. penangkapan bandar sabu-sabu. tangkapan ikan")

RULES = [
    ("curanmor", "curanmor.term", r"\b(?:curanmor|pencurian\s+(?:(?:sepeda\s+)?motor|mobil)|pencuri\s+motor)\b"),
    ("stolen", "curanmor.stolen", r"\b(?:(?:sepeda\s+)?motor|mobil)\s+(?:hasil\s+)?curian\b"),
    ("pencurian", "pencurian.term", r"\b(?:pencurian|curat)\b"),
    ("arrest", "arrest", r"\b(?:di|ber|ter)?tangkap\b|\bmenangkap\b|\bpenangkapan\b"),
    ("time", "time", r"\bpukul\s+\d|\b\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?\)"),
    ("aggregate", "aggregate", r"\b(?:\d[\d.]*|puluhan)\s+(?:kasus|perkara)\b"),
    ("event", "event", r"\bkejadian\b|\btkp\b|\bkasus\b"),
    ("drug", "drug", r"\bsabu(?:-sabu)?\b"),
]


def _plain_scan(rules, text, pos=0, endpos=None):
    """The reference: one plain alternation of the rules, each hit given to the first rule matching there."""
    combined = re.compile(r"\b(?:" + "|".join(f"(?:{p})" for _, _, p in rules) + ")")
    compiled = [(key, re.compile(p)) for key, _, p in rules]
    for match in combined.finditer(text, pos, len(text) if endpos is None else endpos):
        key = next(key for key, pattern in compiled if pattern.match(text, match.start()))
        yield key, match.start(), match.end()


def test_alternation_finds_what_a_plain_alternation_finds():
    scanner = Alternation(RULES)
    hits = list(scanner.scan(TEXT))
    assert hits == list(_plain_scan(RULES, TEXT))
    assert [key for key, _, _ in hits][:4] == ["arrest", "curanmor", "time", "aggregate"]
    assert ("stolen", TEXT.index("sepeda motor hasil"), TEXT.index(" disita")) in hits
    assert ("drug", TEXT.index("sabu-sabu"), TEXT.index(". tangkapan")) in hits
    assert "tangkapan ikan" not in {TEXT[s:e] for _, s, e in hits}


@pytest.mark.parametrize("bounds", [(0, 40), (30, 120), (TEXT.index("pencuri motor"), len(TEXT)), (5, 6)])
def test_alternation_scans_between_bounds_like_a_plain_alternation(bounds):
    assert list(Alternation(RULES).scan(TEXT, *bounds)) == list(_plain_scan(RULES, TEXT, *bounds))


def test_alternation_keeps_the_listed_order_of_rules_starting_alike():
    rules = [("long", "long", r"\bpencurian\s+motor\b"), ("short", "short", r"\bpencurian\b")]
    assert [key for key, _, _ in Alternation(rules).scan("pencurian motor dan pencurian")] == ["long", "short"]
    assert [key for key, _, _ in Alternation(rules[::-1]).scan("pencurian motor")] == ["short"]


def test_alternation_rejects_patterns_without_leading_boundary_or_in_upper_case():
    with pytest.raises(ValueError):
        Alternation([("x", "x", "pencurian")])
    with pytest.raises(ValueError):
        Alternation([("x", "x", r"\bPencurian")])


@pytest.mark.parametrize("pattern", [
    r"\bpasal\s+(?P<article>\d{3})\b[^.]{0,40}?\bkuhp\b",
    r"\b(?:kuhp|kuh\s?pidana|(?:uu|undang-undang)(?:\s+ri)?\s+(?:nomor\s*)?\d+)",
    r"\b(?:operasi|ops\.?)\s+(?:kepolisian\s+)?",
])
def test_word_start_regex_matches_like_the_pattern(pattern):
    text = ("dijerat pasal 363 kuhp dan uu ri nomor 35 tahun 2009; kuh pidana, operasi kepolisian zebra, "
            "ops. ketupat; xpasal 363 kuhp; operasional")
    fast = word_start_regex(pattern)
    assert fast.pattern != pattern  # the fast form was built
    assert [(m.span(), m.groupdict()) for m in fast.finditer(text)] == \
        [(m.span(), m.groupdict()) for m in re.finditer(pattern, text)]


def test_word_start_regex_keeps_patterns_it_cannot_speed_up():
    for pattern in (r"\b\d+\s+kasus", r"pasal\s+\d", r"\bpasal|kuhp"):
        assert word_start_regex(pattern).pattern == pattern


def test_guarded_finditer_finds_what_finditer_finds():
    text = 'Kapolres MENYAMPAIKAN, "Aman." Lalu ia menyampaikan bahwa "Tertib." Menyampaikan saja.'
    pattern = re.compile(r'\b(?P<verb>(?i:menyampaikan))\s*[,:]?\s*(?:bahwa\s*,?\s*)?"(?P<quote>[^"\n]{2,80}?)"')
    guard = word_start_regex(r"\bmenyampaikan")
    found = list(guarded_finditer(pattern, text, guard, text.lower()))
    assert [m.group("quote") for m in found] == ["Aman.", "Tertib."]
    assert [m.span() for m in found] == [m.span() for m in pattern.finditer(text)]


def test_alternation_and_phrase_pattern_build_tries():
    assert re.fullmatch(alternation(["Kasat Reskrim"]), "KasatReskrim")
    assert re.fullmatch(alternation(["Brigadir", "Brigadir Jenderal"]), "Brigadir Jenderal")
    assert re.match(phrase_pattern(["sabu", "sabu-sabu"]), "sabu-sabu").group(0) == "sabu-sabu"


# -- WordGate ------------------------------------------------------------------------------

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


def test_matches_inside_words_are_found_as_the_plain_regex_finds_them() -> None:
    pattern = r"(?i:res)\w*"
    text = "Polres Garut, Resmob dan presisi"
    gate = WordGate(pattern, ["res"])
    assert [m.span() for m in gate.finditer(text, text.lower())] == [m.span() for m in re.finditer(pattern, text)]


def test_opening_words_must_start_with_a_letter_or_digit() -> None:
    with pytest.raises(ValueError, match="letter or digit"):
        WordGate(r"\b\(?polres", ["(polres"])
