"""Numbers: digits with dot thousands and decimal commas, number words, scales, "se-", vague plurals."""
from __future__ import annotations

import re

import pytest

from kamtibmas_extract.numbers import NUMBER, RUPIAH, parse_amount, parse_number, parse_rupiah


@pytest.mark.parametrize("text, value", [
    ("35", 35), ("2,5", 2.5), ("1.021", 1021), ("2.048,26", 2048.26), ("15.000", 15000), ("0,72", 0.72),
    ("satu", 1), ("dua", 2), ("sepuluh", 10), ("sebelas", 11), ("dua belas", 12), ("dua puluh", 20),
    ("dua puluh satu", 21), ("seratus", 100), ("seratus dua puluh", 120), ("dua ratus lima puluh", 250),
    ("seribu", 1000), ("seribu dua ratus", 1200), ("tiga ratus ribu", 300_000), ("sejuta", 1_000_000),
    ("1,5 juta", 1_500_000), ("10 ribu", 10_000), ("2 miliar", 2_000_000_000), ("setengah", 0.5),
    ("ketiga", 3), ("kedua", 2), ("Tiga", 3), ("seorang", 1), ("sebilah", 1), ("sepucuk", 1),
    ("1/2", 0.5), ("3/4", 0.75),
])
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text, value", [("puluhan", 10), ("belasan", 11), ("ratusan", 100), ("ribuan", 1000)])
def test_vague_plurals_are_flagged(text: str, value: float) -> None:
    amount = parse_amount(text)
    assert amount is not None and amount.vague and amount.value == value


@pytest.mark.parametrize("text", ["", "pelaku", "dua orang", "12 kilo", "sebanyak", "seberat", "1/0"])
def test_non_numbers(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize("text, value", [
    ("Rp 1,5 juta", 1_500_000), ("Rp1,5 miliar", 1_500_000_000), ("Rp300.000", 300_000), ("Rp 300 juta", 300_000_000),
    ("Rp800.000.000,00", 800_000_000), ("Rp2.000", 2000), ("Rp. 50 ribu", 50_000), ("Rp18 juga", 18_000_000),
])
def test_parse_rupiah(text: str, value: float) -> None:
    assert re.fullmatch(RUPIAH, text)
    assert parse_rupiah(text) == pytest.approx(value)


def test_number_regex_finds_numbers_in_a_sentence() -> None:
    text = "polisi menyita dua bilah celurit, 35 sepeda motor dan sabu seberat 2,5 gram serta puluhan botol."
    found = [m.group(0) for m in re.finditer(rf"\b{NUMBER}\b", text)]
    assert found == ["dua", "35", "2,5", "puluhan"]
    assert [parse_amount(f).vague for f in found] == [False, False, False, True]
    assert re.fullmatch(NUMBER, "dua puluh satu")
