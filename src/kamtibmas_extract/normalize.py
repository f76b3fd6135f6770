"""Normalization stage: repair, clean and de-furnish raw text before any extraction.

Every offset the pipeline writes refers to the text this stage returns (kept in
`documents.text`), so all rewriting happens here, once, before tokenization. The
rules that decide what is page furniture are data (`patterns/furniture.yaml`,
`patterns/outlets.yaml`); this module only applies them.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Iterator

import ftfy

from .resources import load_yaml

_CHAR_MAP = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2033": '"', "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u0060": "'", "\u00b4": "'",
    "\u2014": "\u2013", "\u2015": "\u2013", "\u2012": "\u2013", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None, "\u00ad": None,
    "\t": " ", "\r": None, "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n",
})
#: The characters `_CHAR_MAP` rewrites: most texts hold only a few, so replacing the hits
#: is several times faster than `str.translate`, which visits every character.
_MAPPED = re.compile("[" + "".join(re.escape(chr(c)) for c in _CHAR_MAP) + "]")
_MAPPED_TO = {chr(c): "" if v is None else v for c, v in _CHAR_MAP.items()}
#: Mojibake, HTML entities, stray escapes; ligatures, widths and curly quotes are left to NFKC and _CHAR_MAP.
_FTFY = ftfy.TextFixerConfig(normalization="NFC", fix_latin_ligatures=False, fix_character_width=False,
                             uncurl_quotes=False, explain=False)
#: What ftfy could repair: UTF-8 read as Latin-1/cp1252 (a lead byte "Ã", "â", "ð" followed by a
#: continuation byte as either shows it: "Ã©", "â€œ", "â€“"), HTML entities, surrogates. Texts
#: without any of these skip ftfy, which is half of this stage's time otherwise.
#: (Patterns here start with a character or a class, and lookbehinds come after it: CPython's
#: re then skips ahead to candidate characters in C instead of trying every position.)
_NEEDS_FTFY = re.compile(r"[\u00c2-\u00f4&\ud800-\udfff](?:(?<=[\u00c2-\u00f4])[\u0080-\u00bf\u0152-\u017e\u0192"
                         r"\u02c6-\u02dc\u2013-\u2122]|(?<=&)#?\w+;|(?<=[\ud800-\udfff]))")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
#: "!!!!!!" -> "!!!": long runs of one punctuation mark carry nothing more than three do.
_REPEATED_PUNCT = re.compile(r"([^\w\s])\1{3,}")
#: Longer runs of mixed punctuation ("()()()...", 50,000 nested brackets) are cut: spaCy's
#: tokenizer strips affixes one at a time, quadratic in the run's length.
_PUNCT_RUN = re.compile(r"[^\w\s]{33,}")
#: Both punctuation rules only ever touch runs of four or more marks: found once, fixed in place.
_PUNCTUATION = re.compile(r"[^\w\s][^\w\s]{3,}")
#: Runs of spaces and line breaks: spaces collapse to one, vanish at line edges, and
#: paragraphs are separated by at most one blank line.
_WHITESPACE = re.compile(r"[ \n][ \n]+")
#: "Jakarta,kabarmetro.co," -> "Jakarta, kabarmetro.co," (a comma glued to a letter, not inside a number).
_GLUED_COMMA = re.compile(r",(?<=[A-Za-z)],)(?=[A-Za-z(])")
#: "kabar.Dia" -> "kabar. Dia" (only after a lower-case word of 3+ letters: leaves S.H., Jl.Raya alone).
_GLUED_PERIOD = re.compile(r"\.(?<=[a-z]{3}\.)(?=[A-Z][a-z])")
#: "Bekasi—Polisi" -> "Bekasi – Polisi".
_GLUED_DASH = re.compile(r"[\s\u2013](?<=\w[\s\u2013])(?:(?<=\u2013)|\s*\u2013)\s*(?=\w)")
#: "...Polda Metro JayaJAKARTA – ..." (caption glued to the dateline) -> line break before the dateline.
_GLUED_DATELINE = re.compile(r"[A-Z](?<=[a-z.][A-Z])(?=[A-Z]{3,}(?: [A-Z]{2,})* ?\u2013 )")
#: A line break before a lower-case word never starts a paragraph (the text was hard-wrapped),
#: unless the word is a host name opening a dateline ("jpnn.com, JAKARTA -"); nor does a
#: break after a dangling dateline dash ("Penajam Paser Utara (ANTARA) -").
_SOFT_BREAK = re.compile(
    r"\n(?:(?<=[^\s.!?:;]\n)(?=[a-z])(?![\w-]+(?:\.[\w-]+)*\.(?:com|co|id|net|org|info)\b)|(?<=\s[\u2013-]\n)(?=\S))")
#: In a hard-wrapped text, any break after a line that does not end a sentence (not before a list item).
_OPEN_BREAK = re.compile(r"\n(?<=[^\s.!?:;\"']\n)(?=[^\s\-\u2022\u00b7*])")
_SENTENCE_END = (".", "!", "?", '"', "'")
_STAMP = re.compile(r"^date \d{4}-\d{2}-\d{2}\s*")
_WORD = re.compile(r"[A-Za-z][\w'-]*")
_DASH = r"(?:\u2013|--?)"
#: A dateline opens a body line: "BEKASI \u2013", "jpnn.com, JAKARTA -", "Denpasar (ANTARA News) -",
#: "DEPOK (MERAPI)-", "Tangerang - detikrakyat.com, ...".
_DATELINE = re.compile(
    r"^(?:date \d{4}-\d{2}-\d{2}\s+)?(?!date \d)(?P<head>\w[^\n!?\"]{0,89}?)"
    rf"(?:\s+{_DASH}\s*|\s*{_DASH}\s+|(?<=\)){_DASH})"
    r"(?:(?P<host>[\w.-]+\.(?:com|co|id|net|org|info)(?:\.id)?)\s*[,|\u2013-]+\s*)?"
    r"(?=[A-Z0-9\"'])(?P<rest>[^\n]*)",
    re.M,
)
_SEGMENT_SPLIT = re.compile(r"\s*(?:[,|()]|\s[\u2013-]+\s)\s*")
_DATELINE_MAX_WORDS = 8
_DATELINE_MIN_REST = 60
#: Hard-wrapped text: at least this many open lines (30-100 characters, no final punctuation)...
_WRAPPED_MIN_LINES = 4
#: ...making up at least this share of the non-blank lines.
_WRAPPED_MIN_SHARE = 0.4


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
    max_len: int | None = None

    def matches(self, line: str) -> bool:
        """The pattern is found in the line, and the line is no longer than the rule allows."""
        return (self.max_len is None or len(line) <= self.max_len) and self.regex.search(line) is not None


@dataclass(frozen=True)
class _Furniture:
    drop: tuple[_LineRule, ...]
    any_drop: re.Pattern[str]
    cut_markers: tuple[_LineRule, ...]
    cut_min_fraction: float
    bullet: re.Pattern[str]
    link_list: dict[str, Any]
    headline: dict[str, Any]
    common_words: frozenset[str]
    headline_keep: re.Pattern[str]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    duplicate: dict[str, Any]


@lru_cache(maxsize=1)
def _furniture() -> _Furniture:
    data = load_yaml("furniture.yaml")

    def rules(items: list[dict[str, Any]]) -> tuple[_LineRule, ...]:
        return tuple(_LineRule(i["id"], re.compile(i["pattern"], re.I), i.get("max_len")) for i in items)

    return _Furniture(
        drop=rules(data["drop_line"]),
        any_drop=re.compile("|".join(f"(?:{i['pattern']})" for i in data["drop_line"]), re.I),
        cut_markers=rules(data["cut_from"]["markers"]),
        cut_min_fraction=float(data["cut_from"]["min_fraction"]),
        bullet=re.compile(data["link_list"]["bullet"]), link_list=data["link_list"],
        headline=data["inline_headline"], common_words=frozenset(data["inline_headline"]["common_words"]),
        headline_keep=re.compile(data["inline_headline"]["keep"]),
        prefixes=("", *data["inline_headline"]["prefixes"]), suffixes=("", *data["inline_headline"]["suffixes"]),
        duplicate=data["duplicate_line"],
    )


@lru_cache(maxsize=1)
def _outlets() -> tuple[frozenset[str], re.Pattern[str], re.Pattern[str]]:
    data = load_yaml("outlets.yaml")
    return (frozenset(o.lower() for o in data["outlets"]), re.compile(data["outlet_pattern"], re.I),
            re.compile(data["publisher_pattern"], re.I))


def _headline_shape(line: str, max_words: int, min_share: float) -> bool:
    """Short, unpunctuated at the end, mostly capitalised words: how headlines look."""
    if not line or line[-1] in '.!?:;,"\')' or len(line) < 15:
        return False
    words = _WORD.findall(line)
    if not 2 <= len(words) <= max_words:
        return False
    capitalised = sum(1 for w in words if w[0].isupper() or w[0].isdigit())
    return capitalised / len(words) >= min_share


def _affixed_forms(word: str, prefixes: tuple[str, ...], suffixes: tuple[str, ...]) -> Iterator[str]:
    """Indonesian derivations of a word by affixation (dictionary lookups, not a substring scan)."""
    for prefix in prefixes:
        for suffix in suffixes:
            if prefix or suffix:
                yield f"{prefix}{word}{suffix}"


class _FurnitureFilter:
    """One pass over the lines of a text, deciding for each whether it is furniture."""

    def __init__(self, text: str, removed: list[str]) -> None:
        self.rules = _furniture()
        self.lines = [line.strip() for line in text.split("\n")]
        self.total = max(len(text), 1)
        self.removed = removed
        self.text = text
        min_paragraph = int(self.rules.headline["min_next_paragraph"])
        self.last_paragraph = max((i for i, ln in enumerate(self.lines) if len(ln) > min_paragraph), default=-1)

    def run(self) -> str:
        kept: list[str] = []
        seen: set[str] = set()
        consumed = 0
        for index, line in enumerate(self.lines):
            consumed += len(line) + 1
            if line and consumed / self.total >= self.rules.cut_min_fraction:
                cut = next(((r, m) for r in self.rules.cut_markers if (m := r.regex.search(line))), None)
                if cut is not None:
                    self.removed.append(f"cut_from:{cut[0].id}")
                    if cut[1].start() > 0:
                        kept.append(line[:cut[1].start()].rstrip())
                    break
            reason = self._drop_reason(index, line, kept, seen) if line else None
            if reason is not None:
                self.removed.append(reason)
                continue
            kept.append(line)
            if len(line) >= int(self.rules.duplicate["min_len"]):
                seen.add(line)
        return "\n".join(kept)

    def _drop_reason(self, index: int, line: str, kept: list[str], seen: set[str]) -> str | None:
        if self.rules.any_drop.search(line):  # one search for the common case: no rule matches
            rule = next((r for r in self.rules.drop if r.matches(line)), None)
            if rule is not None:
                return f"drop_line:{rule.id}"
        if line in seen:
            return str(self.rules.duplicate["id"])
        before = next((ln for ln in reversed(kept) if ln), "")
        if self.rules.bullet.match(line):  # list items are links or the article's own list, never headlines
            in_list = before.endswith(":") or self.rules.bullet.match(before) is not None
            return str(self.rules.link_list["id"]) if self._is_link_item(line) and not in_list else None
        if index >= int(self.rules.headline["skip_first_lines"]) and before.endswith(_SENTENCE_END) \
                and self._is_inline_ad(index, line):
            return str(self.rules.headline["id"])
        return None

    def _is_link_item(self, line: str) -> bool:
        bullet = self.rules.bullet.match(line)
        config = self.rules.link_list
        return bullet is not None and _headline_shape(
            line[bullet.end():], int(config["max_words"]), float(config["min_capitalised_share"]))

    def _is_inline_ad(self, index: int, line: str) -> bool:
        """A headline inside the body whose words the article does not otherwise use."""
        config = self.rules.headline
        if not _headline_shape(line, int(config["max_words"]), float(config["min_capitalised_share"])):
            return False
        if index >= self.last_paragraph or self.rules.headline_keep.search(line):
            return False
        own = Counter(w.lower() for w in _WORD.findall(line))
        content = [w for w in own if len(w) >= int(config["min_word_len"]) and w not in self.rules.common_words]
        if not content:
            return False
        elsewhere = sum(1 for w in content if self._used_elsewhere(w, own[w]))
        return elsewhere / len(content) < float(config["min_topic_share"])

    @cached_property
    def word_counts(self) -> Counter[str]:
        """Lower-cased word frequencies of the whole text (only needed for headline candidates)."""
        return Counter(w.lower() for w in _WORD.findall(self.text))

    def _used_elsewhere(self, word: str, own_count: int) -> bool:
        """The word occurs outside the headline, bare or affixed ("dialog" in "berdialog", "kehadiran")."""
        if self.word_counts[word] > own_count:
            return True
        return any(self.word_counts[form] for form in _affixed_forms(word, self.rules.prefixes, self.rules.suffixes))


def _unwrap(text: str) -> str:
    """Join hard-wrapped lines back into paragraphs (sentences never span a line break)."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    open_lines = sum(1 for ln in lines if 30 <= len(ln) <= 100 and ln[-1] not in ".!?:;\"'")
    text = _SOFT_BREAK.sub(" ", text)
    if open_lines >= _WRAPPED_MIN_LINES and open_lines >= _WRAPPED_MIN_SHARE * len(lines):
        text = _OPEN_BREAK.sub(" ", text)
    return text


def _is_outlet(part: str) -> bool:
    names, pattern, _publisher = _outlets()
    return part.lower() in names or pattern.search(part) is not None


def _split_dateline(text: str) -> tuple[str | None, str | None]:
    """The dateline place and outlet ("BEKASI \u2013", "jpnn.com, JAKARTA -", "Makassar, IDN Times -").

    Of several candidate parts, one the gazetteer knows is the place ("Matanusa, Bogor -":
    Bogor); a part with digits (a date) or in lower case ("by -") never is."""
    from .gazetteer import load_gazetteer  # the normalizer needs it only for datelines

    publisher, known = _outlets()[2], load_gazetteer().lookup
    for match in _DATELINE.finditer(text[:1500]):
        head = match.group("head").strip()
        if len(head.split()) > _DATELINE_MAX_WORDS or len(match.group("rest")) < _DATELINE_MIN_REST:
            continue
        parts = [p.strip(" .") for p in _SEGMENT_SPLIT.split(head)]
        parts = [p for p in parts if any(ch.isalpha() for ch in p)]
        outlet = next((p for p in parts if _is_outlet(p)), match.group("host"))
        places = [p for p in parts if not _is_outlet(p) and not publisher.search(p) and len(p.split()) <= 4
                  and not any(ch.isdigit() for ch in p) and not p.islower()]
        place = next((p for p in places if known(p)), places[0] if places else None)
        if place is None and outlet is None:
            continue
        if place is not None and place.isupper():
            place = place.title()
        return place, outlet
    return None, None


def _title(text: str) -> str | None:
    """The headline: the first line of a few words that is not a dateline, a fragment or a body sentence."""
    for line in _STAMP.sub("", text).split("\n")[:2]:
        line = line.strip()
        if len(line.split()) < 3:
            continue
        if not 10 <= len(line) <= 200 or line.endswith(",") or _DATELINE.match(line) is not None:
            return None
        if line.endswith(".") and not _headline_shape(line[:-1], 40, 0.6):
            return None
        return line
    return None


def _shorten_punctuation(run: re.Match[str]) -> str:
    return _PUNCT_RUN.sub(lambda m: m.group()[:32], _REPEATED_PUNCT.sub(r"\1\1\1", run.group()))


def normalize(raw: str) -> NormalizedText:
    """Repair encoding, unify characters and whitespace, drop page furniture, find the dateline."""
    text = ftfy.fix_text(raw, _FTFY) if _NEEDS_FTFY.search(raw) else raw
    text = _MAPPED.sub(lambda m: _MAPPED_TO[m.group()], unicodedata.normalize("NFKC", text))
    text = _CONTROL.sub(" ", text)
    text = _PUNCTUATION.sub(_shorten_punctuation, text)
    text = _GLUED_DATELINE.sub("\n\\g<0>", text)
    text = _GLUED_DASH.sub(" \u2013 ", text)
    text = _GLUED_COMMA.sub(", ", text)
    text = _GLUED_PERIOD.sub(". ", text)
    removed: list[str] = []
    text = _FurnitureFilter(text, removed).run()
    text = _unwrap(text)
    text = _WHITESPACE.sub(lambda m: "\n" * min(m.group().count("\n"), 2) or " ", text).strip()
    dateline, outlet = _split_dateline(text)
    return NormalizedText(text=text, title=_title(text), dateline=dateline, outlet=outlet, removed=removed)
