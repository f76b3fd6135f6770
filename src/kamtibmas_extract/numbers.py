"""Numbers as Indonesian press releases write them: digits, words, scales and vague plurals.

Digits use a dot for thousands and a comma for decimals ("1.021 gram", "2,5 gram",
"2.048,26 gram"); words may stand alone or follow digits as a scale ("dua puluh satu",
"Rp 1,5 juta", "10 ribu butir"); the prefix "se-" means one ("sebilah", "seorang");
"puluhan"/"ratusan" are vague amounts. Extractors embed `NUMBER` (and `RUPIAH`) in their own
regexes and turn the matched text into a value with `parse_amount` (`parse_rupiah`), so
that every family reads numbers the same way.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_UNITS = {"nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
          "delapan": 8, "sembilan": 9}
_TEENS_AND_TENS = {"sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000, "sejuta": 1_000_000}
#: Multipliers inside a word number ("dua puluh", "tiga ratus") and scales after digits ("1,5 juta").
_SMALL_SCALES = {"puluh": 10, "ratus": 100}
_SCALES = {"ribu": 1_000, "rb": 1_000, "juta": 1_000_000, "jt": 1_000_000, "miliar": 1_000_000_000,
           "milyar": 1_000_000_000, "triliun": 1_000_000_000_000}
#: Vague plurals: the value is the smallest amount they can mean, flagged vague.
_VAGUE = {"belasan": 11, "puluhan": 10, "ratusan": 100, "ribuan": 1_000, "puluhan ribu": 10_000,
          "ratusan ribu": 100_000, "jutaan": 1_000_000}
#: "se-" fractions.
_FRACTIONS = {"setengah": 0.5, "seperempat": 0.25, "sepertiga": 1 / 3}
#: "se-" + a classifier means one ("seorang", "sebilah"); extractors match these with their own classifiers.
_SE_ONE = re.compile(r"^se(?:orang|ekor|buah|bilah|pucuk|butir|unit|batang|botol|lembar|paket|pasang|set|bungkus|kotak"
                     r"|karung|linting|biji|keping)$")
#: Collective forms: "kedua pelaku" = both, "ketiga tersangka" = all three.
_COLLECTIVE = re.compile(r"^ke(dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas)(?:nya)?$", re.I)

_WORD_ATOMS = sorted([*_UNITS, *_TEENS_AND_TENS, "belas", *_SMALL_SCALES, *_SCALES], key=len, reverse=True)
_WORD_NUMBER = (r"(?:(?:" + "|".join(_UNITS) + "|" + "|".join(_TEENS_AND_TENS) + r")"
                r"(?:\s+(?:" + "|".join(_WORD_ATOMS) + r")\b)*)")
_DIGITS = r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
_SCALE = r"(?:\s*(?:" + "|".join(sorted(_SCALES, key=len, reverse=True)) + r")\b)"

#: A number expression (no groups): digits with an optional scale, number words, or a vague plural.
NUMBER = (r"(?:" + _DIGITS + _SCALE + r"?"
          r"|" + "|".join(sorted(_VAGUE, key=len, reverse=True)) +
          r"|" + "|".join(_FRACTIONS) +
          r"|" + _WORD_NUMBER + r")")
#: A written fraction ("1/2 kg sabu"); kept out of NUMBER, where digits around a slash are dates ("6/11").
FRACTION = r"\d+/[1-9]\d*"
#: Rupiah amounts: "Rp 1,5 juta", "Rp300.000", "Rp800.000.000,00". "juga" is a frequent typo of "juta".
RUPIAH = r"Rp\.?\s?(?:" + _DIGITS + r")(?:\s*(?:" + "|".join(sorted(_SCALES, key=len, reverse=True)) + r"|juga)\b)?"

_FRACTION_RE = re.compile(r"^(\d+)/(\d+)$")
_DIGIT_SCALE_RE = re.compile(r"^(" + _DIGITS + r")\s*([a-z]+)?$", re.I)


@dataclass(frozen=True)
class Amount:
    """A parsed number; `vague` for plurals such as "puluhan" (the value is a lower bound)."""

    value: float
    vague: bool = False


def _digits_value(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def _words_value(words: list[str]) -> float | None:
    """ "dua ratus lima puluh" -> 250, "seribu dua ratus" -> 1200, "tiga ratus ribu" -> 300000."""
    total, current, last = 0.0, 0.0, 0.0
    for word in words:
        if word in _UNITS:
            current, last = current + _UNITS[word], _UNITS[word]
        elif word in _TEENS_AND_TENS:
            value = _TEENS_AND_TENS[word]
            if value >= 1000:
                total, current = total + current + value, 0.0
            else:
                current += value
            last = 0.0
        elif word == "belas":
            current += 10
        elif word in _SMALL_SCALES:
            current += last * (_SMALL_SCALES[word] - 1)
            last = 0.0
        elif word in _SCALES:
            total, current, last = total + (current or 1) * _SCALES[word], 0.0, 0.0
        else:
            return None
    return total + current if words else None


@functools.lru_cache(maxsize=4096)
def parse_amount(text: str) -> Amount | None:
    """The amount a number expression stands for ("1.021" -> 1021, "dua puluh" -> 20, "1/2" -> 0.5, "puluhan" -> vague 10)."""
    cleaned = " ".join(text.lower().split())
    if not cleaned:
        return None
    if cleaned in _VAGUE:
        return Amount(float(_VAGUE[cleaned]), vague=True)
    if cleaned in _FRACTIONS:
        return Amount(_FRACTIONS[cleaned])
    if _SE_ONE.match(cleaned):
        return Amount(1.0)
    fraction = _FRACTION_RE.match(cleaned)
    if fraction and int(fraction.group(2)):
        return Amount(int(fraction.group(1)) / int(fraction.group(2)))
    match = _DIGIT_SCALE_RE.match(cleaned)
    if match:
        value = _digits_value(match.group(1))
        scale = match.group(2)
        if scale:
            if scale not in _SCALES:
                return None
            value *= _SCALES[scale]
        return Amount(value)
    collective = _COLLECTIVE.match(cleaned)
    if collective:
        return parse_amount(collective.group(1))
    value = _words_value(cleaned.split())
    return Amount(value) if value is not None else None


def parse_number(text: str) -> float | None:
    """The value of a number expression, None when it is not one (vague plurals give their lower bound)."""
    amount = parse_amount(text)
    return amount.value if amount else None


def parse_rupiah(text: str) -> float | None:
    """Rupiah amount of "Rp 1,5 juta" (1500000), "Rp300.000", "Rp800.000.000,00"; None if unreadable."""
    match = re.match(r"Rp\.?\s?(" + _DIGITS + r")(?:\s*([a-z]+))?", text.strip(), re.I)
    if not match:
        return None
    value = _digits_value(match.group(1))
    scale = (match.group(2) or "").lower()
    if scale == "juga":
        scale = "juta"
    return value * _SCALES.get(scale, 1)
