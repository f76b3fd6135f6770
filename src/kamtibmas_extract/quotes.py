"""Quotes: direct quotes with their speaker, resolved to a person or a position.

Releases attribute quotes after them ('"...," tutur Kapolres Metro Bekasi Kota Kombes Pol
Dani Hamdani'), before them ('Kapolres menyampaikan, "..."'), or, in some, with the verb
and speaker inside the quote marks after an unmarked paragraph ('..."ujar Roby".'). The
speaker phrase is matched against the `persons` facts by name tokens ("tambah Dani" ->
Dani Hamdani), then by position ("kata Kapolres" -> the only Kapolres of the story); an
unnamed position stays a position; "katanya", "ujar dia" point back to the last speaker.
Without a `persons` stage the phrase itself is kept, trimmed to the speaker.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .facts import add_fact, get_facts, text_views
from .regexes import guarded_finditer, word_start_regex
from .resources import load_yaml

_WORD = re.compile(r"[A-Za-z][\w'.-]*")


@dataclass(frozen=True)
class _Rules:
    after: re.Pattern[str]
    before: re.Pattern[str]
    before_verb: re.Pattern[str]  # the verbs of `before` in lower case, to find where it may match
    inverted: re.Pattern[str]
    pronouns: frozenset[str]
    stop: frozenset[str]
    anonymous: frozenset[str]
    epithets: re.Pattern[str]
    modifiers: frozenset[str]
    subject: re.Pattern[str]  # a speech verb of a paragraph ("Kapolsek menyampaikan bahwa ...")
    positions: dict[str, str]  # position as written (lower case) -> canonical
    rank: re.Pattern[str] | None  # a rank as written, to find the name after it when `persons` did not run
    confidence: dict[str, float]


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = load_yaml("quotes.yaml")
    after, before = _alternation(data["verbs_after"]), _alternation(data["verbs_before"])
    longest = int(data["max_quote_chars"])
    return _Rules(
        after=re.compile(rf'"(?P<quote>[^"\n]{{2,{longest}}}?)\s*"\s*,?\s*(?P<verb>(?i:{after}))(?P<nya>nya)?\b'
                         r'(?P<speaker>[^\n"]{0,160})'),
        before_verb=word_start_regex(rf"\b(?:{before.lower()})"),
        before=re.compile(rf'\b(?P<verb>(?i:{before}))\s*[,:]?\s*(?:bahwa\s*,?\s*)?'
                          rf'"(?P<quote>[^"\n]{{2,{longest}}}?)"'),
        inverted=re.compile(rf'(?m)^(?P<quote>[^"\n]{{2,{longest}}}?)\s*"(?P<verb>(?i:{after}))(?P<nya>nya)?\s+'
                            r'(?P<speaker>[^"\n]{1,60}?)\s*"'),
        pronouns=frozenset(data["pronouns"]),
        stop=frozenset(data["speaker_stop"]),
        anonymous=frozenset(data["anonymous"]),
        epithets=re.compile(data["epithets"], re.I),
        modifiers=frozenset(data["position_modifiers"]),
        subject=re.compile(rf'\b(?:{before})\b', re.I),
        positions=_position_variants(),
        rank=_rank_pattern(),
        confidence={k: float(v) for k, v in data["confidence"].items()},
    )


def _position_variants() -> dict[str, str]:
    """Position names as written -> canonical, from the persons stage's `positions.yaml` when present."""
    try:
        entries = load_yaml("positions.yaml")["positions"]
    except (FileNotFoundError, KeyError, TypeError):
        return {}
    return {variant.lower(): entry["canonical"] for entry in entries for variant in entry.get("variants", [])}


def _lead_in(text: str, offset: int, width: int = 160) -> str:
    """The text of the line before `offset` (at most `width` characters, not across a quote mark)."""
    start = max(text.rfind("\n", 0, offset) + 1, text.rfind('"', 0, offset) + 1, offset - width)
    return text[start:offset]


def _rank_pattern() -> re.Pattern[str] | None:
    """Ranks as written, from the persons stage's `ranks.yaml` when present."""
    try:
        data = load_yaml("ranks.yaml")
        variants = [v for group in ("polri", "tni") for r in data[group] for v in r["variants"]]
    except (FileNotFoundError, KeyError, TypeError, AttributeError):
        return None
    return re.compile(rf"\b(?:{_alternation(variants)})\b\.?(?:\s+Pol(?:isi)?\b\.?)?", re.I) if variants else None


@dataclass(frozen=True)
class _Quote:
    start: int
    end: int
    speaker_text: str  # the phrase naming the speaker, "" for a pronoun or an epithet


class QuoteExtractor:
    """spaCy component: records `quotes` facts, one per attributed direct quote."""

    def __init__(self) -> None:
        self.rules = _rules()

    def __call__(self, doc: Doc) -> Doc:
        text, lower = text_views(doc)
        if '"' not in text:
            return doc
        persons = get_facts(doc, "persons")
        last: str | None = None
        for quote in self._quotes(text, lower):
            if quote.speaker_text:
                speaker, how = self._resolve(quote.speaker_text, persons)
            elif last:
                speaker, how = last, "pronoun"
            else:
                speaker, how = self._paragraph_subject(text, quote.start, persons)
            last = speaker or last
            add_fact(doc, "quotes", quote.start, quote.end, confidence=self.rules.confidence[how], extractor="rule",
                     rule=f"quote.{how}", speaker=speaker, quote=text[quote.start:quote.end])
        return doc

    def _quotes(self, text: str, lower: str) -> list[_Quote]:
        """Attributed quotes in text order; a span found by one shape is not taken again by another."""
        rules = self.rules
        found: list[_Quote] = []
        taken: list[tuple[int, int]] = []

        def add(start: int, end: int, speaker: str) -> None:
            while end > start and text[end - 1] in " ,":
                end -= 1
            if end > start and not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
                found.append(_Quote(start, end, speaker))

        for match in rules.after.finditer(text):
            speaker = "" if match.group("nya") else self._speaker_after(match.group("speaker"))
            add(match.start("quote"), match.end("quote"), speaker)
        for match in rules.inverted.finditer(text):
            speaker = "" if match.group("nya") else self._speaker_after(match.group("speaker"))
            add(match.start("quote"), match.end("quote"), speaker)
        for match in guarded_finditer(rules.before, text, rules.before_verb, lower):
            add(match.start("quote"), match.end("quote"), self._speaker_before(_lead_in(text, match.start())))
        return sorted(found, key=lambda q: q.start)

    def _speaker_after(self, phrase: str) -> str:
        """The speaker phrase after a verb: up to a comma, a stop word or a sentence end; "" for a pronoun."""
        words = []
        for match in _WORD.finditer(phrase.split(",")[0]):
            word = match.group(0).rstrip(".")
            if word.lower() in self.rules.stop:
                break
            words.append(word)
            if match.group(0).endswith(".") and len(word) > 2:
                break  # the sentence ends ("kata Heru.")
        phrase = " ".join(words)
        if (len(words) == 1 and words[0].lower() in self.rules.pronouns) or self.rules.epithets.match(phrase):
            return ""
        return phrase

    def _speaker_before(self, phrase: str) -> str:
        """The speaker phrase before a verb: its last clause ("Dalam sambutannya, Kapolres" -> "Kapolres")."""
        clause = re.split(r"[,.;:]\s", phrase.strip())[-1]
        words = clause.split()
        if len(words) == 1 and words[0].lower() in self.rules.pronouns:
            return ""
        return " ".join(words[-8:])

    def _resolve(self, phrase: str, persons: list[dict[str, Any]]) -> tuple[str | None, str]:
        """(speaker, how it was found) for a speaker phrase."""
        words = phrase.split()
        while words and words[0].lower() in self.rules.modifiers:
            words = words[1:]
        phrase = " ".join(words)
        tokens = {t.lower() for t in _WORD.findall(phrase)}
        if not tokens or words[0].lower() in self.rules.anonymous:
            return None, "unknown"
        scored = [(sum(t.lower() in tokens for t in p["name"].split()), -i, p["name"])
                  for i, p in enumerate(persons) if p.get("name")]
        best = max(scored, default=(0, 0, None))
        if best[0]:
            return best[2], "name"
        named = self._name_after_rank(phrase) if not persons else None
        if named:
            return named, "name"
        position = self._position(phrase)
        if position:
            holders = {p["name"] for p in persons if p.get("position") == position and p.get("name")}
            if len(holders) == 1:
                return holders.pop(), "position_person"
            return position, "position"
        return phrase, "as_written"

    def _name_after_rank(self, phrase: str) -> str | None:
        """Without `persons` facts: the capitalized words after the last rank ("... Kombes Pol Dani Hamdani")."""
        ranks = list(self.rules.rank.finditer(phrase)) if self.rules.rank else []
        if not ranks:
            return None
        words = re.findall(r"[A-Z][\w'-]*", phrase[ranks[-1].end():])
        return " ".join(words) or None

    def _position(self, phrase: str) -> str | None:
        """The canonical position a phrase opens with ("Kasat Binmas Polresta ..." -> "Kasat Binmas")."""
        words = phrase.lower().split()
        for size in range(min(4, len(words)), 0, -1):
            canonical = self.rules.positions.get(" ".join(words[:size]))
            if canonical:
                return canonical
        return None

    def _paragraph_subject(self, text: str, offset: int, persons: list[dict[str, Any]]) -> tuple[str | None, str]:
        """For "katanya" before any other quote: who speaks in the quote's paragraph ("Kapolsek menyampaikan
        bahwa ... "...," ujarnya"), else the last person named before the quote."""
        paragraph = text.rfind("\n", 0, offset) + 1
        subjects = list(self.rules.subject.finditer(text, paragraph, offset))
        if subjects:
            speaker, how = self._resolve(self._speaker_before(_lead_in(text, subjects[-1].start())), persons)
            if speaker and how != "as_written":
                return speaker, "pronoun"
        before = [p for p in persons if p.get("start", offset) < offset and p.get("name")]
        if not before:
            return None, "unknown"
        return max(before, key=lambda p: p["start"])["name"], "pronoun"


@Language.factory("kamtibmas_quotes")
def make_quotes(nlp: Language, name: str) -> QuoteExtractor:
    """Factory of the quotes component (no settings: the rules are in patterns/quotes.yaml)."""
    return QuoteExtractor()
