"""Normalization stage: repair, clean and de-furnish raw text before any extraction.

Every offset the pipeline writes refers to the text this stage returns (kept in
`documents.text`), so all rewriting happens here, once, before tokenization.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import ftfy

from .resources import load_yaml

_CHAR_MAP = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2033": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u0060": "'", "\u00b4": "'",
    "\u2014": "\u2013", "\u2015": "\u2013", "\u2012": "\u2013", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None, "\u00ad": None,
    "\t": " ", "\r": None, "\x0b": "\n", "\x0c": "\n",
})
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SPACES = re.compile(r" {2,}")
_BLANK_LINES = re.compile(r"\n{3,}")
#: "Jakarta,kabarmetro.co," -> "Jakarta, kabarmetro.co," (a comma glued to a letter, not inside a number).
_GLUED_COMMA = re.compile(r"(?<=[A-Za-z)]),(?=[A-Za-z(])")
#: "kabar.Dia" -> "kabar. Dia" (only after a lower-case word of 3+ letters: leaves S.H., Jl.Raya alone).
_GLUED_PERIOD = re.compile(r"(?<=[a-z]{3})\.(?=[A-Z][a-z])")
#: "Bekasi—Polisi" -> "Bekasi – Polisi".
_GLUED_DASH = re.compile(r"(?<=\w)\s*\u2013\s*(?=\w)")
#: "...Polda Metro JayaJAKARTA – ..." (caption glued to the dateline) -> line break before the dateline.
_GLUED_DATELINE = re.compile(r"(?<=[a-z.])(?=[A-Z]{4,}(?: [A-Z]{2,})* ?\u2013 )")
_STAMP = re.compile(r"^date \d{4}-\d{2}-\d{2}\s*")
_WORD = re.compile(r"[A-Za-z][\w'-]*")
#: A dateline opens a body line: "BEKASI \u2013", "jpnn.com, JAKARTA -", "Denpasar (ANTARA News) -".
_DATELINE = re.compile(
    r"^(?:date \d{4}-\d{2}-\d{2}\s+)?(?!date \d)(?P<seg>\w[^\n!?\"]{1,80}?)"
    r"(?:\s+(?:\u2013|--?)\s*|\s*(?:\u2013|--?)\s+)(?=[A-Z0-9\"'])(?P<rest>[^\n]*)",
    re.M,
)


@dataclass
class NormalizedText:
    """The normalized text plus what the normalizer learned about the page."""

    text: str
    title: str | None = None
    dateline: str | None = None
    outlet: str | None = None
    removed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _LineRule:
    id: str
    regex: re.Pattern[str]
    max_len: int | None


@lru_cache(maxsize=1)
def _furniture() -> tuple[tuple[_LineRule, ...], tuple[_LineRule, ...], float, dict[str, Any]]:
    data = load_yaml("furniture.yaml")

    def rules(items: list[dict[str, Any]]) -> tuple[_LineRule, ...]:
        return tuple(_LineRule(i["id"], re.compile(i["pattern"], re.I), i.get("max_len")) for i in items)

    cut = data["cut_from"]
    return rules(data["drop_line"]), rules(cut["markers"]), float(cut["min_fraction"]), data["inline_headline"]


_SEGMENT_SPLIT = re.compile(r"\s*[,|()]\s*")
_HOST = re.compile(r"\.(?:com|co\.id|id|net|org)$|news$|^antara|net$", re.I)


@lru_cache(maxsize=1)
def _outlets() -> frozenset[str]:
    return frozenset(o.lower() for o in load_yaml("outlets.yaml")["outlets"])


def _matches(rule: _LineRule, line: str) -> bool:
    return (rule.max_len is None or len(line) <= rule.max_len) and rule.regex.search(line) is not None


def _is_inline_headline(line: str, config: dict[str, Any]) -> bool:
    if not line or line[-1] in '.!?:;,"\')' or len(line) < 15:
        return False
    words = _WORD.findall(line)
    if not 2 <= len(words) <= int(config["max_words"]):
        return False
    capitalised = sum(1 for w in words if w[0].isupper() or w[0].isdigit())
    return capitalised / len(words) >= float(config["min_capitalised_share"])


def _remove_furniture(text: str, removed: list[str]) -> str:
    drop, cut_markers, min_fraction, headline = _furniture()
    lines = text.split("\n")
    total = max(len(text), 1)
    kept: list[str] = []
    consumed = 0
    for index, raw in enumerate(lines):
        line = raw.strip()
        consumed += len(raw) + 1
        if line and consumed / total >= min_fraction:
            hit = next(((r, m) for r in cut_markers if (m := r.regex.search(line))), None)
            if hit is not None:
                removed.append(f"cut_from:{hit[0].id}")
                if hit[1].start() > 0:
                    kept.append(line[:hit[1].start()].rstrip())
                break
        rule = next((r for r in drop if line and _matches(r, line)), None)
        if rule is not None:
            removed.append(f"drop_line:{rule.id}")
            continue
        if index >= int(headline["skip_first_lines"]) and _is_inline_headline(line, headline):
            before = next((ln.strip() for ln in reversed(kept) if ln.strip()), "")
            after = next((ln.strip() for ln in lines[index + 1:] if ln.strip()), "")
            if before.endswith((".", '"')) and len(after) > 80:
                removed.append("inline_headline")
                continue
        kept.append(line)
    return "\n".join(kept)


def _split_dateline(text: str) -> tuple[str | None, str | None]:
    """The dateline place and outlet ("BEKASI \u2013", "jpnn.com, JAKARTA -", "Makassar, IDN Times -")."""
    for match in _DATELINE.finditer(text[:1500]):
        parts = [p for p in _SEGMENT_SPLIT.split(match.group("seg").strip()) if p]
        if not parts or len(match.group("seg").split()) > 6 or len(match.group("rest")) < 60:
            continue
        outlet = next((p for p in parts if _HOST.search(p) or p.lower() in _outlets()), None)
        place = next((p for p in parts if p != outlet and not _HOST.search(p) and p.lower() not in _outlets()), None)
        if place:
            place = place.strip(" .")
            place = place.title() if place.isupper() else place
        return place, outlet
    return None, None


def normalize(raw: str) -> NormalizedText:
    """Repair encoding, unify characters and whitespace, drop page furniture, find the dateline."""
    text = ftfy.fix_text(raw, normalization="NFC")
    text = unicodedata.normalize("NFKC", text).translate(_CHAR_MAP)
    text = _CONTROL.sub(" ", text)
    text = _GLUED_DATELINE.sub("\n", text)
    text = _GLUED_DASH.sub(" \u2013 ", text)
    text = _GLUED_COMMA.sub(", ", text)
    text = _GLUED_PERIOD.sub(". ", text)
    removed: list[str] = []
    text = _remove_furniture(text, removed)
    text = _SPACES.sub(" ", text)
    text = _BLANK_LINES.sub("\n\n", text).strip()
    dateline, outlet = _split_dateline(text)
    first_line = _STAMP.sub("", text.split("\n", 1)[0]).strip()
    title = first_line if 10 <= len(first_line) <= 200 and _DATELINE.match(first_line) is None else None
    return NormalizedText(text=text, title=title, dateline=dateline, outlet=outlet, removed=removed)
