"""Places: administrative areas resolved to Kemendagri codes, RT/RW numbers, streets and venues.

Finding. A level word ("Kecamatan Johar Baru", "Kab. Bogor", "Ds. Mekar Jaya") takes the
longest following name the gazetteer knows at that level; a bare capitalised name is a
candidate when the gazetteer knows it. Bare kabupaten/kota/provinsi names count on their
own; a bare kecamatan or village name (most of them repeat across the country and many
are ordinary words) counts only inside an address chain ("di Pekayon Jaya, Bekasi
Selatan, Kota Bekasi") or when it lies inside an area the document is about.

Resolving. Every candidate area is scored by the tiers it shares with its chain
neighbours and with the document's anchors: the areas of its police units (Polda ->
provinsi, Polres -> kabupaten/kota, Polsek -> kecamatan), the dateline and the
unambiguous places. The best area wins; a tie leaves the code null with a low
confidence, never a silent guess.

Units. This component runs after `units` and fills their `region_code` (see
`gazetteer.resolve_unit_region`); place names inside unit names are not places.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc

from .facts import add_fact, get_facts, meta
from .gazetteer import (
    ADMIN_LEVELS, Gazetteer, level_of, load_gazetteer, name_key, resolve_unit_region, shared_tiers,
)
from .resources import load_yaml

#: Words of a name: letters/digits with inner apostrophes and hyphens ("Wua-wua", "Ba'u").
_WORD = r"[^\W_][\w'’-]*"
_NAME_WINDOW = re.compile(rf"{_WORD}(?:[ \t]+{_WORD}){{0,5}}")
_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)*")
_WORD_IN_RUN = re.compile(r"\S+")
#: Tokens of a street or venue name: anything up to a space or punctuation that ends a name.
_NAME_TOKEN = re.compile(r"[^\s,;:()\"“”]+")
#: Text between two parts of one address: commas, spaces, a dash.
_CHAIN_GAP = re.compile(r"^[ \t]*(?:[,–-][ \t]*)?$")
#: Longest bare name tried, in words.
_MAX_NAME_WORDS = 6
_REGENCY_LEVELS = ("kabupaten", "kota")
#: Bare-name level preference when the context cannot decide (guidelines: kabupaten over kota).
_LEVEL_PREFERENCE = {"kabupaten": 5, "kota": 4, "provinsi": 3, "kecamatan": 2, "kelurahan": 1, "desa": 1}
#: Weights of the evidence a candidate area gets from other places (per shared tier).
_CHAIN_WEIGHT = 3.0
_ANCHOR_WEIGHTS = {"polda": 1.0, "polres": 2.0, "polsek": 2.0, "dateline": 2.0, "cue": 2.0, "bare": 1.0}


@dataclass
class _Cue:
    rule: str
    level: str
    levels: tuple[str, ...]


@dataclass
class Mention:
    """A place mention under construction (admin area, RT/RW, street or venue)."""

    start: int
    end: int
    name: str
    level: str
    rule: str
    candidates: tuple[str, ...] = ()
    cued: bool = False
    kind: str = "admin"  # admin | rt_rw | street | venue | other
    locative: bool = False
    dateline: bool = False
    stop_word: bool = False
    accepted: bool = False
    code: str | None = None
    confidence: float = 0.0
    chain: list["Mention"] = field(default_factory=list, repr=False)
    extra: dict[str, Any] = field(default_factory=dict)


class LocationExtractor:
    """Finds place mentions, resolves them against the gazetteer and fills the units' areas."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        config = load_yaml("locations.yaml")
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
        self.cues: list[_Cue] = []
        alternatives = []
        for index, cue in enumerate(config["cues"]):
            self.cues.append(_Cue(cue["id"], cue["level"], tuple(cue["levels"])))
            alternatives.append(f"(?P<c{index}>{cue['pattern']})")
        self.cue_re = re.compile(rf"(?<![^\W\d_])(?:{'|'.join(alternatives)})(?![\w])[ \t]*", re.I)
        self.name_stop = {w.lower() for w in config["name_stop_words"]}
        self.street_res = [(s["id"], re.compile(rf"\b(?:{s['pattern']})(?![\w])[ \t]*")) for s in config["streets"]]
        self.venue_res = [(v["id"], re.compile(rf"\b(?:{v['pattern']})(?![\w])[ \t]*")) for v in config["venues"]]
        self.street_max = int(config["street_max_words"])
        self.venue_max = int(config["venue_max_words"])
        self.rt_rw = [(r["id"], re.compile(r["pattern"], re.I)) for r in config["rt_rw"]]
        self.unit_span = re.compile(config["unit_span"])
        self.name_guard = re.compile(config["name_guard"])
        self.locative = re.compile(config["locative_before"], re.I)
        self.stop_keys = {name_key(w) for w in config["stop_words"]}
        self.bare_levels = set(config["bare_levels"])
        self.conf: dict[str, float] = config["confidence"]

    # ----------------------------------------------------------------- entry point
    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        units = get_facts(doc, "units")
        blocked = self._blocked_spans(doc, text, units)
        anchors = self._resolve_units(units, ())
        mentions = self._rt_rw(text)
        taken = [(m.start, m.end) for m in mentions]
        mentions += self._cued(text, blocked + taken)
        taken = [(m.start, m.end) for m in mentions]
        streets = self._streets_and_venues(text, blocked + taken)
        mentions += streets
        taken += [(m.start, m.end) for m in streets]
        mentions += self._bare(text, blocked + taken)
        mentions.sort(key=lambda m: m.start)
        self._mark_dateline(mentions, meta(doc).get("dateline"), text)
        self._link_chains(mentions, text)
        self._resolve(mentions, anchors)
        place_codes = [m.code for m in mentions if m.accepted and m.code]
        self._resolve_units(units, place_codes)
        self._emit(doc, mentions)
        return doc

    # ----------------------------------------------------------------- units
    def _resolve_units(self, units: list[dict[str, Any]], place_codes: Iterable[str]) -> list[tuple[str, float]]:
        """Fill `region_code` on the unit facts (Polda, then Polres, then Polsek); return anchors."""
        anchors: list[tuple[str, float]] = []
        context: list[str] = list(place_codes)
        by_name: dict[str, str] = {}
        for level in ("polda", "polres", "polsek"):
            for unit in units:
                if unit.get("level") != level:
                    continue
                code = unit.get("region_code")
                if code is None:
                    parent = by_name.get(unit.get("parent") or "")
                    scope = ([parent] if parent else []) + context
                    found = resolve_unit_region(unit["name"], level, scope)
                    code = found[0] if found else None
                    unit["region_code"] = code
                if code:
                    by_name[unit["name"]] = code
                    context.append(code)
                    anchors.append((code, _ANCHOR_WEIGHTS[level]))
        return anchors

    def _blocked_spans(self, doc: Doc, text: str, units: list[dict[str, Any]]) -> list[tuple[int, int]]:
        spans = [(u["start"], u["end"]) for u in units]
        if Doc.has_extension("unit_mentions") and doc._.unit_mentions:
            spans += [(u.start, u.end) for u in doc._.unit_mentions]  # every mention, not only the first
        spans += [span for p in get_facts(doc, "persons") if (span := _name_span(p)) is not None]
        spans += [m.span() for m in self.unit_span.finditer(text)]
        return spans

    # ----------------------------------------------------------------- finders
    def _rt_rw(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []
        for rule, pattern in self.rt_rw:
            for match in pattern.finditer(text):
                if _overlaps(match.start(), match.end(), taken):
                    continue
                taken.append(match.span())
                rt = _number(match.groupdict().get("rt"))
                rw = _number(match.groupdict().get("rw"))
                for level, value in (("rt", rt), ("rw", rw)):
                    if value is None:
                        continue
                    start, end = match.span(level)
                    if level == "rt" or rt is None:
                        start = match.start()
                    found.append(Mention(start, match.end() if level == "rw" or rw is None else end, value, level,
                                         rule, kind="rt_rw", accepted=True, confidence=self.conf["rt_rw"],
                                         extra={"rt": rt if level == "rt" else None, "rw": rw}))
        return found

    def _cued(self, text: str, blocked: list[tuple[int, int]]) -> list[Mention]:
        found: list[Mention] = []
        for match in self.cue_re.finditer(text):
            if _overlaps(match.start(), match.end(), blocked) or (found and match.start() < found[-1].end):
                continue
            cue = self.cues[int(match.lastgroup[1:])]  # type: ignore[index]
            window = _NAME_WINDOW.match(text, match.end())
            if window is None:
                continue
            mention = self._cued_name(text, match, cue, window)
            if mention is not None and not _overlaps(mention.start, mention.end, blocked):
                found.append(mention)
        return found

    def _cued_name(self, text: str, cue_match: re.Match[str], cue: _Cue, window: re.Match[str]) -> Mention | None:
        cue_text = cue_match.group(0).strip()
        lower_cue = cue_text.islower()
        words = list(re.finditer(_WORD, window.group(0)))
        base = window.start()
        if cue.levels:
            for count in range(len(words), 0, -1):
                end = base + words[count - 1].end()
                name = text[base:end]
                if lower_cue and not name[:1].isupper():
                    continue
                codes = self.gazetteer.lookup(name, cue.levels)
                if codes and name_key(name) not in self.stop_keys:
                    return Mention(cue_match.start(), end, name, cue.level, cue.rule, codes, cued=True,
                                   accepted=True)
            if cue.level in self.bare_levels:
                return None  # provinsi/kabupaten/kota names are all in the gazetteer
        if lower_cue:
            return None
        count = 0
        for word in words:
            if not word.group(0)[:1].isupper() and not word.group(0)[:1].isdigit() or \
                    word.group(0).lower().rstrip(".") in self.name_stop:
                break
            count += 1
        if count == 0 or not words[0].group(0)[:1].isupper():
            return None
        end = base + words[min(count, 4) - 1].end()
        level = cue.level
        return Mention(cue_match.start(), end, text[base:end], level, cue.rule, cued=True, accepted=True,
                       kind="other" if level == "other" else "admin")

    def _streets_and_venues(self, text: str, blocked: list[tuple[int, int]]) -> list[Mention]:
        found: list[Mention] = []
        for kind, patterns, limit in (("street", self.street_res, self.street_max),
                                      ("venue", self.venue_res, self.venue_max)):
            for rule, pattern in patterns:
                for match in pattern.finditer(text):
                    if _overlaps(match.start(), match.end(), blocked + [(m.start, m.end) for m in found]):
                        continue
                    if kind == "venue" and _previous_word_capitalised(text, match.start()):
                        continue
                    end = self._name_end(text, match.end(), limit)
                    if end is None:
                        continue
                    level = "jalan" if kind == "street" else "venue"
                    name = text[match.end():end] if kind == "street" else text[match.start():end]
                    found.append(Mention(match.start(), end, name, level, rule, kind=kind, accepted=True,
                                         confidence=self.conf[kind]))
        return found

    def _name_end(self, text: str, pos: int, limit: int) -> int | None:
        """End of a capitalised name starting at `pos` (numbers and "Jend."-style abbreviations
        allowed), or None when no name follows."""
        end = None
        count = 0
        for word in _NAME_TOKEN.finditer(text, pos, min(len(text), pos + 120)):
            if text[end if end is not None else pos:word.start()].strip(" \t"):
                break
            token = word.group(0)
            bare = token.rstrip(".")
            if not bare or (count and bare.lower() in self.name_stop):
                break
            if not (bare[:1].isupper() or bare[:1].isdigit()):
                break
            sentence_end = token.endswith(".") and not _is_abbreviation(bare)
            end = word.start() + (len(bare) if sentence_end else len(token))
            count += 1
            if count >= limit or sentence_end:
                break
        return end

    def _bare(self, text: str, blocked: list[tuple[int, int]]) -> list[Mention]:
        found: list[Mention] = []
        for run in _CAPITALISED_RUN.finditer(text):
            words = [(run.start() + w.start(), run.start() + w.end()) for w in _WORD_IN_RUN.finditer(run.group(0))]
            i = 0
            while i < len(words):
                match = self._longest_name(text, words, i)
                if match is None:
                    i += 1
                    continue
                j, codes = match
                start, end = words[i][0], words[j - 1][1]
                if not _overlaps(start, end, blocked) and not self.name_guard.search(text[max(0, start - 40):start]):
                    key = name_key(text[start:end])
                    mention = Mention(start, end, text[start:end], level_of(codes[0]), "bare_name", codes,
                                      locative=bool(self.locative.search(text[max(0, start - 25):start])),
                                      stop_word=key in self.stop_keys)
                    # followed by an unknown capitalised word: part of a longer non-place name
                    mention.extra["glued"] = j < len(words) and self._longest_name(text, words, j) is None \
                        and text[words[j][0]:words[j][1]].lower() != "kota"
                    found.append(mention)
                i = j
        return found

    def _longest_name(self, text: str, words: list[tuple[int, int]], i: int) -> tuple[int, tuple[str, ...]] | None:
        for j in range(min(len(words), i + _MAX_NAME_WORDS), i, -1):
            codes = self.gazetteer.lookup_key(name_key(text[words[i][0]:words[j - 1][1]]))
            if codes:
                return j, codes
        return None

    # ----------------------------------------------------------------- context
    def _mark_dateline(self, mentions: list[Mention], dateline: str | None, text: str) -> None:
        if not dateline:
            return
        key = name_key(dateline)
        head = text[:300].lower()
        at = head.find(dateline.lower())
        for mention in mentions:
            if mention.kind == "admin" and name_key(mention.name) == key and (at < 0 or mention.start == at):
                mention.dateline = True
                return

    def _link_chains(self, mentions: list[Mention], text: str) -> None:
        """Join mentions separated only by commas/spaces into address chains."""
        for left, right in zip(mentions, mentions[1:]):
            if right.start >= left.end and _CHAIN_GAP.match(text[left.end:right.start]):
                chain = left.chain or [left]
                chain.append(right)
                for member in chain:
                    member.chain = chain

    def _resolve(self, mentions: list[Mention], unit_anchors: list[tuple[str, float]]) -> None:
        admin = [m for m in mentions if m.kind == "admin" and m.candidates]
        anchors = list(unit_anchors)
        for mention in admin:
            if len(mention.candidates) == 1 and (mention.cued or mention.dateline or self._bare_ok(mention)):
                anchors.append((mention.candidates[0], _ANCHOR_WEIGHTS["cue" if mention.cued else "bare"]))
        for _ in range(2):
            for mention in admin:
                self._choose(mention, anchors)
            for mention in admin:
                if not mention.cued:
                    mention.accepted = self._accept(mention)
        for mention in mentions:
            if mention.kind == "admin" and not mention.candidates and mention.accepted:
                mention.confidence = self.conf["cue_unknown"]
            elif mention.kind == "other":
                mention.confidence = self.conf["other"]

    def _bare_ok(self, mention: Mention) -> bool:
        """A bare name that counts without support: a kabupaten/kota/provinsi, not a common word."""
        return (not mention.stop_word and not mention.extra.get("glued")
                and any(level_of(c) in self.bare_levels for c in mention.candidates))

    def _choose(self, mention: Mention, anchors: list[tuple[str, float]]) -> None:
        scores: dict[str, float] = {}
        for code in mention.candidates:
            score = sum(weight * affinity(code, area) for area, weight in anchors)
            for other in mention.chain:
                if other is mention or other.kind != "admin" or not other.candidates:
                    continue
                if other.code:
                    score += _CHAIN_WEIGHT * affinity(code, other.code)
                else:
                    score += _CHAIN_WEIGHT / 2 * max(affinity(code, c) for c in other.candidates)
            scores[code] = score
        best = max(scores.values())
        top = [c for c, s in scores.items() if s == best]
        if len(top) > 1:
            rank = max(self._preference(mention, c) for c in top)
            top = [c for c in top if self._preference(mention, c) == rank]
        mention.extra["support"] = best
        mention.extra["chain_support"] = any(
            o is not mention and o.kind == "admin" and o.candidates and o.accepted
            and max(shared_tiers(mention_code, c) for c in o.candidates for mention_code in top) >= 2
            for o in mention.chain)
        if len(top) == 1:
            mention.code = top[0]
            unique = len(mention.candidates) == 1
            if mention.cued:
                mention.confidence = self.conf["cue_unique" if unique else "cue_context"]
            elif mention.dateline:
                mention.confidence = self.conf["dateline"]
            elif level_of(top[0]) in self.bare_levels:
                mention.confidence = self.conf["bare_unique" if unique or best > 0 else "bare_default"]
            else:
                mention.confidence = self.conf["bare_chain" if mention.extra["chain_support"] else "bare_context"]
        else:
            mention.code = None
            mention.extra["top"] = tuple(top)
            mention.confidence = self.conf["cue_ambiguous" if mention.cued else "bare_ambiguous"]

    def _preference(self, mention: Mention, code: str) -> int:
        level = level_of(code)
        if mention.cued and level == mention.level:
            return 10
        return _LEVEL_PREFERENCE[level]

    def _accept(self, mention: Mention) -> bool:
        """Whether a bare candidate is a place: see the module docstring."""
        if mention.dateline and (self._bare_ok(mention) or mention.extra.get("support", 0) > 0):
            return True
        if mention.extra.get("chain_support"):
            return not mention.extra.get("glued")
        if self._bare_ok(mention):
            return True
        if mention.stop_word or mention.extra.get("glued") or mention.code is None:
            return False
        # a kecamatan/village name (or a common-word regency name) inside the document's areas
        return mention.locative and mention.extra.get("support", 0) >= _ANCHOR_WEIGHTS["polres"] * 2

    # ----------------------------------------------------------------- output
    def _emit(self, doc: Doc, mentions: list[Mention]) -> None:
        for mention in mentions:
            if not mention.accepted:
                continue
            columns: dict[str, Any] = {"name": mention.name.strip(), "level": mention.level, "code": None,
                                       "provinsi": None, "kabupaten_kota": None, "kecamatan": None,
                                       "kelurahan_desa": None, "rt": None, "rw": None}
            extractor = "rule"
            if mention.kind == "admin" and mention.candidates:
                extractor = "gazetteer"
                code = mention.code or _common_ancestor(mention.extra.get("top") or mention.candidates)
                if mention.code:
                    columns["name"] = self.gazetteer.names[mention.code]
                    columns["code"] = mention.code
                    if not mention.cued:
                        columns["level"] = level_of(mention.code)
                elif not mention.cued:
                    columns["level"] = max((level_of(c) for c in mention.extra.get("top") or mention.candidates),
                                           key=lambda lvl: _LEVEL_PREFERENCE[lvl])
                if code:
                    columns.update(vars(self.gazetteer.hierarchy(code)))
            elif mention.kind == "rt_rw":
                columns.update(rt=mention.extra.get("rt"), rw=mention.extra.get("rw"))
                area = _chain_area(mention)
                if area:
                    columns.update(vars(self.gazetteer.hierarchy(area)))
            add_fact(doc, "locations", mention.start, mention.end, confidence=mention.confidence,
                     extractor=extractor, rule=mention.rule, **columns)


def affinity(code: str, area: str) -> float:
    """How much an area the document names supports a candidate: the tiers they share, in full
    when one contains the other, half for neighbours (a kelurahan next to the named kecamatan)."""
    shared = shared_tiers(code, area)
    if shared == min(code.count("."), area.count(".")) + 1:
        return float(shared)
    return shared / 2


def _chain_area(mention: Mention) -> str | None:
    """The lowest resolved area of the address chain an RT/RW number belongs to."""
    codes = [m.code for m in mention.chain if m.kind == "admin" and m.code and m.accepted]
    return max(codes, key=lambda c: c.count(".")) if codes else None


def _common_ancestor(codes: Iterable[str]) -> str | None:
    codes = list(codes)
    if not codes:
        return None
    depth = min(min(shared_tiers(codes[0], c) for c in codes), min(c.count(".") + 1 for c in codes))
    return ".".join(codes[0].split(".")[:depth]) if depth else None


def _name_span(person: dict[str, Any]) -> tuple[int, int] | None:
    """Where a person's name lies in the mention (which may also hold a position and a unit)."""
    at = person["mention"].lower().find(str(person.get("name") or "").lower())
    if at < 0 or not person.get("name"):
        return None
    return person["start"] + at, person["start"] + at + len(person["name"])


def _number(value: str | None) -> str | None:
    return str(int(value)) if value else None


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _previous_word_capitalised(text: str, pos: int) -> bool:
    before = text[max(0, pos - 30):pos]
    match = re.search(r"(\S+)[ \t]+$", before)
    return bool(match and match.group(1)[:1].isupper() and match.group(1)[-1:].isalpha())


def _is_abbreviation(token: str) -> bool:
    """Short title words that end in a period inside names ("Jend.", "H.", "KH.")."""
    return len(token) <= 4 and token[:1].isupper()


@Language.factory("kamtibmas_locations")
def make_locations(nlp: Language, name: str) -> LocationExtractor:
    """spaCy factory: the `locations` extractor (also fills the units' `region_code`)."""
    return LocationExtractor()


__all__ = ["ADMIN_LEVELS", "LocationExtractor", "Mention", "make_locations"]
