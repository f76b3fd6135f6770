"""Places: administrative areas resolved to Kemendagri codes, RT/RW numbers, streets and venues.

Finding. A level word ("Kecamatan Johar Baru", "Kab. Bogor", "Ds. Mekar Jaya") takes the
longest following name the gazetteer knows at that level; a bare capitalised name is a
candidate when the gazetteer knows it. Bare kabupaten/kota/provinsi names count on their
own; a bare kecamatan or village name (most of them repeat across the country and many
are ordinary words) counts only inside an address chain ("di Pekayon Jaya, Bekasi
Selatan, Kota Bekasi") or after a locative word inside an area the document is about.

Resolving. Every candidate area is scored by its affinity with its chain neighbours and
with the document's anchors: the areas of its police units (Polda -> provinsi, Polres ->
kabupaten/kota, Polsek -> kecamatan), the dateline and the unambiguous places. The best
area wins; a tie leaves the code null with a low confidence, never a silent guess.

Units. This component runs after `units`, fills their `region_code` (see
`gazetteer.resolve_unit_region`) and skips place names inside unit names.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from .facts import add_fact, get_facts, meta, text_views
from .gazetteer import Gazetteer, level_of, load_gazetteer, name_key, resolve_unit_region, shared_tiers, tier
from .regexes import WordGate, opening_word, top_level
from .resources import load_yaml

#: One word of a place name: inner apostrophes, and hyphens before lower case ("Api-api", "Ba'u").
_WORD = r"[^\W_][\w'’]*(?:-[a-z0-9][\w'’]*)*"
#: Between the words of a name: spaces, or a hyphen before a capital ("Bau-Bau", "Lanny Jaya-Papua").
_SEP = r"(?:[ \t]+|-(?=[A-Z]))"
_WORD_RE = re.compile(_WORD)
_NAME_WINDOW = re.compile(rf"{_WORD}(?:{_SEP}{_WORD}){{0,5}}")
_CAP_WORD = r"[A-Z][\w'’]*(?:-[a-z0-9][\w'’]*)*"
_CAP_WORD_RE = re.compile(_CAP_WORD)
_CAPITALISED_RUN = re.compile(rf"(?<![^\W\d_]){_CAP_WORD}(?:{_SEP}{_CAP_WORD})*")
#: The run without its lookbehind, and what the lookbehind rules out (see `_capitalised_runs`).
_CAPITALISED_RUN_GATE = re.compile(rf"{_CAP_WORD}(?:{_SEP}{_CAP_WORD})*")
_LETTER = re.compile(r"[^\W\d_]")
#: Tokens of a street or venue name: anything up to a space or a punctuation mark that ends a name.
_NAME_TOKEN = re.compile(r"[^\s,;:()\"“”]+")
#: Text between two parts of one address: spaces, then at most one comma or dash (matched with
#: pos and endpos: `$` is the endpos).
_CHAIN_GAP = re.compile(r"[ \t]*(?P<mark>[,–-])?[ \t]*$")
#: A dateline that can be a town name: one to three words of letters.
_TOWN = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}")
_CHAIN_MARKS = ",–-"
#: A bare name this close to the start may be the dateline place.
_DATELINE_ZONE = 400
#: Where an RT/RW number may start: the patterns of `rt_rw` are only tried there.
_RT_RW_START = re.compile(r"(?i)\br[tw](?![a-z])")
#: The non-ASCII letters re.IGNORECASE matches to ASCII ones ("\u212a" Kelvin sign = "k"), which
#: str.lower() leaves alone: folded in the lower-cased text that lower-case patterns and gates search.
_FOLD_TO_ASCII = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_FOLDABLE = re.compile("[\u0130\u0131\u017f\u212a]")
_PREVIOUS_WORD = re.compile(r"(\S+)[ \t]+$")
#: Longest bare name tried, in words.
_MAX_NAME_WORDS = 6
_LOWER_LEVELS = ("kecamatan", "kelurahan", "desa")
#: Bare-name level preference when the context cannot decide (guidelines: kabupaten over kota).
_LEVEL_PREFERENCE = {"kabupaten": 5, "kota": 4, "provinsi": 3, "kecamatan": 2, "kelurahan": 1, "desa": 1}
#: Evidence weights (per shared tier): chain neighbours, and anchors by where they come from.
_CHAIN_WEIGHT = 3.0
_ANCHOR_WEIGHTS = {"polda": 1.0, "polres": 2.0, "polsek": 2.0, "cue": 2.0, "bare": 1.0}
#: Support a bare kecamatan/village name needs from the document: one kabupaten-tier anchor.
_CONTEXT_SUPPORT = 4.0


@dataclass(frozen=True)
class _Anchor:
    """An area the document is about, with how much it counts and the name it came from."""

    code: str
    weight: float
    name_key: str


@dataclass(frozen=True)
class _Cue:
    rule: str
    level: str
    levels: tuple[str, ...]
    unknown_level: str | None
    only_in: tuple[str, ...]  # provinces where the cue's gazetteer level holds; elsewhere it is `unknown_level`


@dataclass(slots=True)
class Mention:
    """A place mention under construction (admin area, RT/RW, street, venue, or an unknown name)."""

    start: int
    end: int
    name: str
    level: str
    rule: str
    kind: str = "admin"  # admin | rt_rw | street | venue | other | unknown
    candidates: tuple[str, ...] = ()
    cue: _Cue | None = None
    locative: bool = False
    dateline: bool = False
    stop_word: bool = False
    glued: bool = False  # next to a capitalised word that is no place: part of a longer name
    accepted: bool = False
    code: str | None = None
    top: tuple[str, ...] = ()
    support: float = 0.0
    chain_support: bool = False
    confidence: float = 0.0
    fuzzy_text: str | None = None  # the written name to match approximately, when the exact lookup fell short
    name_start: int = -1  # where the name starts (after the level word)
    chain: list[Mention] = field(default_factory=list, repr=False)
    rt: str | None = None
    rw: str | None = None

    @property
    def cued(self) -> bool:
        return self.cue is not None


class LocationExtractor:
    """Finds place mentions, resolves them against the gazetteer and fills the units' areas."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        config = load_yaml("locations.yaml")
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
        self.cues: list[_Cue] = []
        alternatives = []
        for index, cue in enumerate(config["cues"]):
            if cue["pattern"] != cue["pattern"].lower():
                raise ValueError(f"cue {cue['id']}: patterns are written in lower case (they match in any case)")
            self.cues.append(_Cue(cue["id"], cue["level"], tuple(cue["levels"]), cue.get("unknown_level"),
                                  tuple(cue.get("only_in", ()))))
            alternatives.append(f"(?P<c{index}>{cue['pattern']})")
        self.cues_found = WordGate(
            re.compile(rf"(?<![^\W\d_])(?:{'|'.join(alternatives)})(?!\w)[ \t]*", re.I),
            _openings(cue["pattern"] for cue in config["cues"]))
        self.name_stop = {w.lower() for w in config["name_stop_words"]}
        self.markers: list[tuple[str, str, int]] = []  # (rule, kind, longest name in words)
        groups, openings = [], set()
        for kind, entries, limit in (("street", config["streets"], config["street_max_words"]),
                                     ("venue", config["venues"], config["venue_max_words"])):
            for entry in entries:
                pattern = entry["pattern"]
                if entry.get("any_case"):  # the gate looks for its first two letters in any case
                    openings.update(form for word in _openings([pattern]) for form in _any_case(word[:2]))
                    pattern = f"(?i:{pattern})"
                else:
                    openings.update(_openings([pattern]))
                groups.append(f"(?P<m{len(self.markers)}>{pattern})")
                self.markers.append((entry["id"], kind, int(limit)))
        self.markers_found = WordGate(rf"\b(?:{'|'.join(groups)})(?!\w)[ \t]*", openings, cased=True)
        self.abbreviations = {w.lower() for w in config["name_abbreviations"]}
        self.street_area_words = {w.lower() for w in config["street_area_words"]}
        self.title_words = {w.lower() for w in config["title_words"]}
        self.rt_rw = [(r["id"], re.compile(r["pattern"], re.I)) for r in config["rt_rw"]]
        spans = [f"(?:{'|'.join(entry['words'])}){entry['rest']}" for entry in config["unit_spans"]]
        self.unit_spans = WordGate(rf"\b(?:{'|'.join(spans)})",
                                   [word for entry in config["unit_spans"] for word in entry["words"]], cased=True)
        self.name_guard = re.compile(config["name_guard"])
        if config["locative_before"] != config["locative_before"].lower():
            raise ValueError("locative_before is written in lower case: it is matched on the lower-cased text")
        self.locative = re.compile(config["locative_before"])  # on folded text: see `_fold`
        self.stop_keys = {name_key(w) for w in config["stop_words"]}
        self.bare_levels = frozenset(config["bare_levels"])
        self.conf: dict[str, float] = config["confidence"]
        #: Short forms of area names ("Tapteng", "Kuansing"), shared with the unit names.
        self.place_short_forms = frozenset(name_key(short) for short in load_yaml("units.yaml")["place_abbreviations"])
        self._run_names = functools.lru_cache(maxsize=1 << 14)(self._names_in_run)
        self._area_columns = functools.lru_cache(maxsize=1 << 12)(self._hierarchy_columns)

    def __call__(self, doc: Doc) -> Doc:
        text, lower = text_views(doc)
        if _FOLDABLE.search(lower):
            lower = lower.translate(_FOLD_TO_ASCII)  # what `_fold` does, offsets kept
        units = get_facts(doc, "units")
        taken = self._blocked_spans(doc, text, units)
        anchors = self._resolve_units(units, ())
        dateline = meta(doc).get("dateline")
        mentions: list[Mention] = []
        for finder in (self._rt_rw, self._unknown_dateline, self._cued, self._streets_and_venues, self._bare):
            found = finder(text, lower, taken, dateline)
            for mention in found:
                taken.add(mention.start, mention.end)
            mentions += found
        mentions.sort(key=lambda m: (m.start, m.end))
        self._mark_dateline(mentions, dateline)
        self._link_chains(mentions, text)
        self._resolve(mentions, anchors)
        self._resolve_units(units, [m.code for m in mentions if m.accepted and m.code])
        self._emit(doc, mentions)
        return doc

    # ----------------------------------------------------------------- units
    def _resolve_units(self, units: list[dict[str, Any]], place_codes: Iterable[str]) -> list[tuple[str, float]]:
        """Fill `region_code` on the unit facts (Polda, then Polres, then Polsek, then the
        functional units of a resolved territorial unit); return the areas as anchors.

        A first pass uses the units alone; a second one (after the places) retries the
        units still open with the document's places as context.
        """
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
                    found = resolve_unit_region(unit["name"], level, ([parent] if parent else []) + context)
                    code = found[0] if found else None
                    unit["region_code"] = code
                if code:
                    by_name[unit["name"]] = code
                    context.append(code)
                    anchors.append((code, _ANCHOR_WEIGHTS[level]))
        for unit in units:  # "Satresnarkoba Polres Kendari" covers what Polres Kendari covers
            if unit.get("level") == "satuan" and unit.get("region_code") is None:
                unit["region_code"] = by_name.get(unit.get("parent") or "")
        return anchors

    def _blocked_spans(self, doc: Doc, text: str, units: list[dict[str, Any]]) -> _Taken:
        """Unit names (every mention, also the ones the units table merged), person names."""
        taken = _Taken(len(text))
        for unit in units:
            taken.add(unit["start"], unit["end"])
        for mention in (doc._.unit_mentions if Doc.has_extension("unit_mentions") else None) or ():
            taken.add(mention.start, mention.end)
        for person in get_facts(doc, "persons"):
            span = _name_span(person)
            if span is not None:
                taken.add(*span)
        for match in self.unit_spans.finditer(text, text):
            taken.add(*match.span())
        return taken

    # ----------------------------------------------------------------- finders
    def _rt_rw(self, text: str, lower: str, taken: _Taken, dateline: str | None = None) -> list[Mention]:
        found: list[Mention] = []
        starts = [m.start() for m in _RT_RW.finditer(text, lower)]
        for rule, pattern in self.rt_rw:
            for start in starts:
                match = pattern.match(text, start)
                if match is None or taken.hits(match.start(), match.end()):
                    continue
                taken.add(match.start(), match.end())
                groups = match.groupdict()
                rt, rw = _number(groups.get("rt")), _number(groups.get("rw"))
                pair: list[Mention] = []
                if rt is not None:
                    end = match.end("rt") if rw is not None else match.end()
                    pair.append(Mention(match.start(), end, rt, "rt", rule, kind="rt_rw", rt=rt, rw=rw))
                if rw is not None:
                    start = match.start("rw") if rt is not None else match.start()
                    pair.append(Mention(start, match.end(), rw, "rw", rule, kind="rt_rw", rw=rw))
                for mention in pair:
                    mention.chain = pair  # one address: the RT and RW numbers share their chain
                found += pair
        for mention in found:
            mention.accepted, mention.confidence = True, self.conf["rt_rw"]
        return found

    def _cued(self, text: str, lower: str, taken: _Taken, dateline: str | None = None) -> list[Mention]:
        found: list[Mention] = []
        for match in self.cues_found.finditer(text, lower):
            if taken.hits(match.start(), match.end()) or (found and match.start() < found[-1].end):
                continue
            window = _NAME_WINDOW.match(text, match.end())
            if window is None:
                continue
            cue = self.cues[int(match.lastgroup[1:])]  # type: ignore[index]
            mention = self._cued_name(text, match, cue, window)
            if mention is not None and not taken.hits(mention.start, mention.end):
                found.append(mention)
        return found

    def _cued_name(self, text: str, cue_match: re.Match[str], cue: _Cue, window: re.Match[str]) -> Mention | None:
        """The name after a level word: the longest the gazetteer knows, else the capitalised words."""
        lower_cue = cue_match.group(0).strip().islower()
        words = [(window.start() + w.start(), window.start() + w.end()) for w in _WORD_RE.finditer(window.group(0))]
        run = self._capitalised_prefix(text, words)
        start = cue_match.start()
        known = []  # (words, key) of the names the gazetteer knows, shortest first
        if cue.levels and (text[words[0][0]].isupper() or not lower_cue):
            known = self.gazetteer.known_prefixes([name_key(text[s:e]) for s, e in words])
        for count, key in reversed(known):
            codes = self.gazetteer.lookup_key(key, cue.levels)
            if codes and key not in self.stop_keys:
                name = text[words[0][0]:words[count - 1][1]]
                mention = Mention(start, words[count - 1][1], name, cue.level, cue.rule, candidates=codes, cue=cue,
                                  name_start=words[0][0])
                if run > count and cue.level in self.bare_levels:  # "Provinsi Papua Pengunungan": misspelt?
                    mention.fuzzy_text = text[words[0][0]:words[min(run, count + 2) - 1][1]]
                return mention
        if lower_cue or cue.unknown_level is None or run == 0:
            return None
        end = words[min(run, 4) - 1][1]
        mention = Mention(start, end, text[words[0][0]:end], cue.unknown_level, cue.rule, cue=cue,
                          kind="other" if cue.unknown_level == "other" else "admin", name_start=words[0][0])
        mention.fuzzy_text = mention.name
        return mention

    def _capitalised_prefix(self, text: str, words: list[tuple[int, int]]) -> int:
        """How many leading words form a capitalised name (stopping at level words, RT, dates...)."""
        count = 0
        for start, end in words:
            word = text[start:end]
            if not (word[:1].isupper() or (count and word[:1].isdigit())) or word.lower() in self.name_stop:
                break
            count += 1
        return count

    def _streets_and_venues(self, text: str, lower: str, taken: _Taken, dateline: str | None = None) -> list[Mention]:
        found: list[Mention] = []
        for match in self.markers_found.finditer(text, text):
            rule, kind, limit = self.markers[int(match.lastgroup[1:])]  # type: ignore[index]
            if taken.hits(match.start(), match.end()):
                continue
            if kind == "venue" and _previous_word_capitalised(text, match.start()):
                continue  # "Tanjung Balai", "Simpang Pasar ...": inside another name
            end = self._name_end(text, match.end(), limit)
            if end is None:
                continue
            end = self._without_trailing_area(text, match.end(), end)
            name = text[match.end():end] if kind == "street" else text[match.start():end]
            found.append(Mention(match.start(), end, name, "jalan" if kind == "street" else "venue", rule,
                                 kind=kind, accepted=True, confidence=self.conf[kind]))
            taken.add(match.start(), end)
        return found

    def _is_abbreviation(self, word: str) -> bool:
        """A title abbreviation ("Jend.", "KH.") or an initial ("M.") inside a name."""
        return word.lower() in self.abbreviations or (len(word) == 1 and word.isupper())

    def _without_trailing_area(self, text: str, start: int, end: int) -> int:
        """Cut a kabupaten/kota/provinsi name off the end of a street or venue name: in "Jalan Gunung
        Cemara Denpasar" Denpasar is a place of its own, in "Jalan Raya Bogor" it names the road."""
        words = [m.span() for m in re.finditer(r"\S+", text[start:end])]
        for k in range(1, min(3, len(words) - 1) + 1):
            if text[start + words[-k - 1][0]:start + words[-k - 1][1]].lower() in self.street_area_words:
                break
            tail = text[start + words[-k][0]:end]
            codes = self.gazetteer.lookup(tail, self.bare_levels)
            if codes and name_key(tail) not in self.stop_keys:
                return start + words[-k - 1][1]
        return end

    def _name_end(self, text: str, pos: int, limit: int) -> int | None:
        """End of a capitalised street/venue name from `pos` (numbers and "Jend."-style
        abbreviations allowed), or None when no name follows."""
        end = None
        for index, word in enumerate(_NAME_TOKEN.finditer(text, pos, min(len(text), pos + 120))):
            if text[end if end is not None else pos:word.start()].strip(" \t"):
                break  # punctuation or a line break between the words
            token = word.group(0)
            bare = token.rstrip(".")
            if not bare or (index and bare.lower() in self.name_stop) or not (bare[:1].isupper() or bare[:1].isdigit()):
                break
            sentence_end = token.endswith(".") and not self._is_abbreviation(bare)
            end = word.start() + (len(bare) if sentence_end else len(token))
            if index + 1 >= limit or sentence_end:
                break
        return end

    def _bare(self, text: str, lower: str, taken: _Taken, dateline: str | None = None) -> list[Mention]:
        """Capitalised names the gazetteer knows, and unknown names that open an address chain."""
        found: list[Mention] = []
        runs = _capitalised_runs(text)
        # most runs hold no name (their analysis is cached): nothing per run but two tests
        for run, (names, unknown) in zip(runs, map(self._run_names, map(re.Match.group, runs), repeat(None))):
            if names:
                found += self._known_names(text, lower, taken, run, names)
            if unknown and text.startswith(",", run.end()):
                found += self._unknown_run(text, lower, taken, run)
        return found

    def _known_names(self, text: str, lower: str, taken: _Taken, run: re.Match[str],
                     names: tuple[_Name, ...]) -> list[Mention]:
        """The candidates among a run's known names (see the module docstring)."""
        found = []
        base = run.start()
        if taken.hits(base, run.end()):
            names = self._run_names(run.group(), taken.part(base, run.end()))[0]
        for name in names:
            start, end = base + name.start, base + name.end
            if taken.hits(start, end):
                continue
            locative = self._is_locative(lower, start)
            if not (locative or name.regional or start < _DATELINE_ZONE or _may_chain(text, start, end, taken)):
                continue  # a kecamatan/village name alone in running text: never taken
            if self.name_guard.search(text, max(0, start - 40), start):
                continue
            mention = Mention(start, end, text[start:end], level_of(name.codes[0]), "bare_name",
                              candidates=name.codes, locative=locative, stop_word=name.stop_word, glued=name.glued)
            if name.cities:  # "Bekasi Kota": the kota
                mention.candidates, mention.end = name.cities, base + name.city_end
            found.append(mention)
        return found

    def _names_in_run(self, written: str, taken: bytes | None) -> tuple[tuple[_Name, ...], bool]:
        """The known names of a capitalised run, read left to right (each the longest one at its
        first word), and whether the run is a short name the gazetteer does not know, neither a
        stop word nor opened by a word that ends names (it may open an address chain). Words with
        a character `taken` (the run's part of the `_Taken` mask: unit or person names) start no
        place and end any name. Cached per instance (`_run_names`): names, titles and units
        repeat from one story to the next."""
        words = tuple(word.span() for word in _CAP_WORD_RE.finditer(written))
        keys = [None if taken and taken.find(1, s, e) >= 0 else name_key(written[s:e]) for s, e in words]
        # the longest name at each word: None when there is none, False on a taken word
        longest = [self._longest_name(keys, i) if keys[i] is not None else False for i in range(len(words))]
        names = []
        after = 0
        for first, match in enumerate(longest):
            if not match or first < after:
                continue
            after, codes = match
            start, end = words[first][0], words[after - 1][1]
            following = written[words[after][0]:words[after][1]].lower() if after < len(words) else ""
            cities = tuple(c for c in codes if level_of(c) == "kota") if following == "kota" else ()
            names.append(_Name(start, end, codes, self.gazetteer.is_regional(codes),
                               name_key(written[start:end]) in self.stop_keys,
                               self._glued(written, words, longest, first, after),
                               cities, words[after][1] if cities else end))
        key = name_key(written)
        unknown = (len(words) <= 4 and not self.gazetteer.has_key(key) and key not in self.stop_keys
                   and written.split()[0].lower() not in self.name_stop)
        return tuple(names), unknown

    def _unknown_run(self, text: str, lower: str, taken: _Taken, run: re.Match[str]) -> list[Mention]:
        """A capitalised name the gazetteer does not know (no stop word, see `_names_in_run`), after a
        locative word and before a comma: maybe a misspelt area that opens an address chain ("di
        Mayang Mengurai, Kota Jambi")."""
        written = run.group(0)
        if taken.hits(run.start(), run.end()) or not self._is_locative(lower, run.start()):
            return []
        return [Mention(run.start(), run.end(), written, "other", "fuzzy_chain", kind="unknown",
                        fuzzy_text=written, name_start=run.start())]

    def _glued(self, written: str, words: _Words, longest: list[Any], i: int, j: int) -> bool:
        """Whether the name words[i:j] of the run `written` sit inside a longer capitalised name that
        is no place ("Kuala Kapuas", "Bima Arya"): a neighbour word that is neither a place, a level
        word nor a locative word ("Warga Bekasi", "Di Bekasi" in a headline). `longest[k]` is the name
        starting at word k, None for an unknown word, False for a word of a unit or person name."""
        if j < len(words) and longest[j] is None and written[words[j][0]:words[j][1]].lower() not in self.name_stop:
            return True
        if i > 0 and longest[i - 1] is None:
            before = written[words[i - 1][0]:words[i - 1][1]]
            if before.lower() not in self.name_stop and before.lower() not in self.title_words \
                    and not self.locative.search(_fold(before) + " ") \
                    and not any(longest[k] for k in range(max(0, i - 3), i - 1)):
                return True
        return False

    def _is_locative(self, lower: str, start: int) -> bool:
        """Whether a locative word ends right before `start` (`lower`: the folded text)."""
        return self.locative.search(lower, max(0, start - 25), start) is not None

    def _longest_name(self, keys: list[str | None], i: int) -> tuple[int, tuple[str, ...]] | None:
        """(end word, codes) of the longest known name starting at word i."""
        known = self.gazetteer.known_prefixes(keys[i:i + _MAX_NAME_WORDS])
        return (i + known[-1][0], self.gazetteer.lookup_key(known[-1][1])) if known else None

    # ----------------------------------------------------------------- context
    def _unknown_dateline(self, text: str, lower: str, taken: _Taken, dateline: str | None) -> list[Mention]:
        """A dateline town the gazetteer does not know ("KUALA KAPUAS -"): a place of level
        `other`, and no source of bare names ("Kapuas").

        Outlets, rubrics and headline words stand where a dateline does ("SAIBETIK -",
        "NARKOBA -", "Halmaherapedia -"), so the name must also be a town by one more sign:
        the seat of a kecamatan ("Masohi": "Kota Masohi"), a known short form ("Tapteng"), or
        written again in the story with none of its words used as a common word ("narkoba").
        Either way the dateline's words are no source of bare names ("Bogor" of "BOGOR DAILY -")."""
        if not dateline or not _TOWN.fullmatch(dateline) or self.gazetteer.has_key(name_key(dateline)) \
                or self.cues_found.pattern.match(dateline):
            return []
        wanted = dateline.lower()
        at = lower.find(wanted, 0, 400)
        if at < 0 or taken.hits(at, at + len(dateline)):
            return []
        town_sign = (self.gazetteer.lookup(f"Kota {dateline}") or name_key(dateline) in self.place_short_forms
                     or (lower.find(wanted, at + len(wanted)) >= 0
                         and not any(re.search(rf"\b{re.escape(word)}\b", text) for word in wanted.split())))
        if not town_sign:
            taken.add(at, at + len(dateline))
            return []
        return [Mention(at, at + len(dateline), text[at:at + len(dateline)], "other", "dateline", kind="other")]

    def _mark_dateline(self, mentions: list[Mention], dateline: str | None) -> None:
        """The dateline place ("KENDARI -") is a place of the story even as a bare name."""
        if not dateline:
            return
        key = name_key(dateline)
        for mention in mentions:
            if mention.start > _DATELINE_ZONE:
                return
            if mention.kind == "admin" and not mention.cued and name_key(mention.name) == key:
                mention.dateline = True
                return

    def _link_chains(self, mentions: list[Mention], text: str) -> None:
        """Join neighbouring mentions into address chains: a comma or dash between them, or
        only spaces when one of the two has its own marker (a level word, RT/RW, Jalan)."""
        for left, right in zip(mentions, mentions[1:], strict=False):
            gap = _CHAIN_GAP.match(text, left.end, right.start) if right.start >= left.end else None
            if gap is None:
                continue
            marked = left.cued or right.cued or left.kind not in ("admin", "unknown") \
                or right.kind not in ("admin", "unknown")
            if gap.group("mark") or marked:
                chain = left.chain or [left]
                chain.append(right)
                for member in chain:
                    member.chain = chain

    def _resolve(self, mentions: list[Mention], unit_anchors: list[tuple[str, float]]) -> None:
        """Choose each admin mention's area and decide which bare names are places."""
        self._same_name_as_cued(mentions)
        admin = [m for m in mentions if m.kind == "admin" and m.candidates and self._may_be_place(m)]
        anchors = [_Anchor(code, weight, "") for code, weight in unit_anchors]
        undecided = []
        for mention in admin:
            certain = len(mention.candidates) == 1 and (mention.cued and not mention.cue.only_in
                                                        or self._bare_ok(mention))
            if certain or (len(mention.candidates) == 1 and mention.dateline):
                weight = _ANCHOR_WEIGHTS["cue" if mention.cued else "bare"]
                anchors.append(_Anchor(mention.candidates[0], weight, name_key(mention.name)))
            if certain:  # one area and nothing to doubt: no scoring needed
                mention.code, mention.top, mention.accepted = mention.candidates[0], mention.candidates, True
                mention.confidence = self._confidence(mention)
            else:
                undecided.append(mention)
        for mention in undecided:
            self._choose(mention, anchors)
            mention.accepted = self._accept(mention)
        scored = {id(mention) for mention in undecided}
        for mention in undecided:  # again where a chain neighbour scored above may have changed its mind
            if any(id(other) in scored for other in mention.chain if other is not mention):
                self._choose(mention, anchors)
                mention.accepted = self._accept(mention)
        for mention in mentions:
            if mention.fuzzy_text:
                self._fuzzy(mention, anchors)
            if mention.cued and mention.cue.only_in and not (
                    mention.code and mention.code[:2] in mention.cue.only_in and mention.support >= _CONTEXT_SUPPORT):
                mention.level, mention.kind, mention.code = "other", "other", None  # a hamlet, not the desa
            if mention.kind == "other":
                mention.accepted, mention.confidence = True, self.conf["other"]
            elif mention.kind == "admin" and not mention.candidates and mention.cued:
                mention.accepted, mention.confidence = True, self.conf["cue_unknown"]
        self._doubt_far_villages(mentions, unit_anchors)

    def _doubt_far_villages(self, mentions: list[Mention], unit_anchors: list[tuple[str, float]]) -> None:
        """A kecamatan or village resolved outside every province the document's units and
        dateline are about keeps its code, with the confidence of a guess ("Kelurahan Ciledug"
        in a Jakarta story: the one kelurahan of that name is in Bekasi, the place meant is
        the kecamatan in Tangerang)."""
        regions = {code[:2] for code, _ in unit_anchors}
        regions.update(m.code[:2] for m in mentions if m.dateline and m.code)
        if not regions:
            return
        for mention in mentions:
            if mention.accepted and mention.code and tier(mention.code) >= 3 and mention.code[:2] not in regions:
                mention.confidence = min(mention.confidence, self.conf["outside_context"])

    @staticmethod
    def _same_name_as_cued(mentions: list[Mention]) -> None:
        """One name, one place per document: a bare name the text elsewhere writes with a level
        word takes that level's areas ("Kota Semarang" ... "Semarang"), or is no admin area when
        the level word was a hamlet's ("Lingkungan Sukadiri" ... "warga Sukadiri")."""
        named: dict[str, Mention] = {}
        for mention in mentions:
            if mention.cued and mention.kind in ("admin", "other"):
                named.setdefault(name_key(mention.name), mention)
        for mention in mentions:
            cued = named.get(name_key(mention.name)) if not mention.cued and mention.kind == "admin" else None
            if cued is None:
                continue
            if cued.kind == "other":
                mention.candidates, mention.kind = (), "unknown"
                continue
            same = tuple(c for c in mention.candidates if c in cued.candidates)
            if same:
                mention.candidates = same

    @staticmethod
    def _support(mention: Mention, code: str, anchors: dict[str, float]) -> float:
        """Evidence for one candidate area: the document's anchors and the chain neighbours."""
        score = sum(weight * affinity(code, area) for area, weight in anchors.items())
        own_tier = tier(code)
        before = True
        for other in mention.chain:
            if other is mention:
                before = False
                continue
            if other.kind != "admin" or not other.candidates or not (other.accepted or other.cued):
                continue
            codes = (other.code,) if other.code else other.candidates
            # chains run from the small area to the large one: "Kelurahan X, Kecamatan Y, Kota Z"
            fitting = [c for c in codes if (tier(c) >= own_tier if before else tier(c) <= own_tier)]
            if fitting:
                weight = _CHAIN_WEIGHT if other.code else _CHAIN_WEIGHT / 2
                score += weight * max(affinity(code, c) for c in fitting)
        return score

    def _choose(self, mention: Mention, anchors: list[_Anchor]) -> None:
        """Pick the candidate area with the most support (see the module docstring)."""
        key = name_key(mention.name)
        usable: dict[str, float] = {}
        for anchor in anchors:
            if anchor.name_key != key:  # a name repeated is no evidence for itself
                usable[anchor.code] = usable.get(anchor.code, 0.0) + anchor.weight
        provinces = {code[:2] for code in usable}
        provinces.update(c[:2] for other in mention.chain if other is not mention for c in other.candidates)
        scores = {code: self._support(mention, code, usable) if code[:2] in provinces else 0.0
                  for code in mention.candidates}
        best = max(scores.values())
        if mention.cued:
            top = [c for c, s in scores.items() if s == best]
            rank = max(self._preference(mention, c) for c in top)
            top = [c for c in top if self._preference(mention, c) == rank]
        else:
            # a bare name is the larger area unless a smaller one is clearly better supported
            eligible = [c for c, s in scores.items() if s >= best / 2]
            rank = max(_LEVEL_PREFERENCE[level_of(c)] for c in eligible)
            eligible = [c for c in eligible if _LEVEL_PREFERENCE[level_of(c)] == rank]
            top_score = max(scores[c] for c in eligible)
            top = [c for c in eligible if scores[c] == top_score]
        mention.support = scores[top[0]]
        mention.top = tuple(top)
        mention.chain_support = any(
            other is not mention and other.kind == "admin" and other.code and (other.accepted or other.cued)
            and max(affinity(c, other.code) for c in top) >= 2 for other in mention.chain)
        mention.code = top[0] if len(top) == 1 else None
        mention.confidence = self._confidence(mention)

    def _confidence(self, mention: Mention) -> float:
        unique = len(mention.candidates) == 1
        if mention.code is None:
            return self.conf["cue_ambiguous" if mention.cued else "bare_ambiguous"]
        if mention.cued:
            return self.conf["cue_unique" if unique else "cue_context"]
        if mention.dateline:
            return self.conf["dateline"]
        if level_of(mention.code) in self.bare_levels:
            return self.conf["bare_unique" if unique or mention.support > 0 else "bare_default"]
        return self.conf["bare_chain" if mention.chain_support else "bare_context"]

    def _preference(self, mention: Mention, code: str) -> int:
        level = level_of(code)
        return 10 if mention.cued and level == mention.level else _LEVEL_PREFERENCE[level]

    def _may_be_place(self, mention: Mention) -> bool:
        """Cheap test before scoring: a bare name with no cue, chain, dateline or locative word
        (or a common word, or glued into a longer name) can never be accepted."""
        return (mention.cued or mention.dateline or len(mention.chain) > 1 or self._bare_ok(mention)
                or (mention.locative and not mention.stop_word and not mention.glued))

    def _bare_ok(self, mention: Mention) -> bool:
        """A bare name that counts without support: a kabupaten/kota/provinsi, not a common word."""
        return (not mention.stop_word and not mention.glued
                and any(level_of(c) in self.bare_levels for c in mention.candidates))

    def _accept(self, mention: Mention) -> bool:
        """Whether a candidate is a place: see the module docstring."""
        if mention.cued:
            return True
        if mention.dateline and (self._bare_ok(mention) or mention.support > 0):
            return True
        if mention.glued:
            return False
        if mention.chain_support or self._bare_ok(mention):
            return True
        return (not mention.stop_word and mention.code is not None and mention.locative
                and mention.support >= _CONTEXT_SUPPORT)

    def _fuzzy(self, mention: Mention, anchors: list[_Anchor]) -> None:
        """A misspelt name ("Mayang Mengurai, Kota Jambi", "Provinsi Papua Pengunungan"): the closest
        area name at its level, searched inside its chain's areas (or the document's) below the
        kabupaten tier, and nationwide for provinsi/kabupaten/kota."""
        levels = mention.cue.levels if mention.cue else _LOWER_LEVELS
        if not levels or mention.fuzzy_text is None:
            return
        areas: list[str | None]
        if set(levels) <= self.bare_levels:
            areas = [None]
        else:
            areas = [o.code for o in mention.chain
                     if o is not mention and o.code and o.accepted and tier(o.code) in (2, 3)]
            if not areas and mention.cued:
                areas = [a.code for a in anchors if tier(a.code) in (2, 3) and a.weight >= 2]
        code = self.gazetteer.closest(mention.fuzzy_text, tuple(sorted(set(areas))), tuple(levels)) if areas else None
        if code is None or code == mention.code:
            return
        mention.end = max(mention.end, mention.name_start + len(mention.fuzzy_text))
        mention.name, mention.candidates, mention.code, mention.top = mention.fuzzy_text, (code,), code, (code,)
        mention.kind, mention.accepted, mention.confidence = "admin", True, self.conf["fuzzy"]
        if not mention.cued:
            mention.level = level_of(code)

    # ----------------------------------------------------------------- output
    def _emit(self, doc: Doc, mentions: list[Mention]) -> None:
        """One `locations` fact per accepted mention; the hierarchy columns from its area (or
        from what its candidate areas share when the code stays open)."""
        for mention in mentions:
            if not mention.accepted:
                continue
            columns: dict[str, Any] = {"name": mention.name.strip(), "level": mention.level, "code": None,
                                       "provinsi": None, "kabupaten_kota": None, "kecamatan": None,
                                       "kelurahan_desa": None, "rt": mention.rt, "rw": mention.rw}
            extractor = "rule"
            area = None
            if mention.kind == "admin" and mention.candidates:
                extractor = "gazetteer"
                area = mention.code or _common_ancestor(mention.top or mention.candidates)
                if mention.code:
                    columns.update(name=self.gazetteer.names[mention.code], code=mention.code)
                    if not mention.cued:
                        columns["level"] = level_of(mention.code)
                elif not mention.cued:
                    columns["level"] = max((level_of(c) for c in mention.top or mention.candidates),
                                           key=lambda lvl: _LEVEL_PREFERENCE[lvl])
            elif mention.kind == "rt_rw":
                area = _chain_area(mention)
            if area:
                columns.update(self._area_columns(area))
            add_fact(doc, "locations", mention.start, mention.end, confidence=mention.confidence,
                     extractor=extractor, rule=mention.rule, **columns)

    def _hierarchy_columns(self, code: str) -> dict[str, str | None]:
        """The hierarchy columns of an area (cached per instance as `_area_columns`; read, never changed)."""
        return vars(self.gazetteer.hierarchy(code))


@functools.lru_cache(maxsize=1 << 16)
def affinity(code: str, area: str) -> float:
    """How much an area the document names supports a candidate: the tiers they share, in full
    when one contains the other, half for neighbours (a kelurahan next to the named kecamatan).
    Cached: scoring asks it for every candidate against every anchor."""
    shared = shared_tiers(code, area)
    return float(shared) if shared == min(tier(code), tier(area)) else shared / 2


def _chain_area(mention: Mention) -> str | None:
    """The lowest resolved area of the address chain an RT/RW number belongs to."""
    codes = [m.code for m in mention.chain if m.kind == "admin" and m.code and m.accepted]
    return max(codes, key=tier) if codes else None


def _common_ancestor(codes: Iterable[str]) -> str | None:
    """The deepest area containing all the codes (None when they lie in different provinces)."""
    codes = list(codes)
    if not codes:
        return None
    depth = min(min(shared_tiers(codes[0], c) for c in codes), min(tier(c) for c in codes))
    return ".".join(codes[0].split(".")[:depth]) if depth else None


def _may_chain(text: str, start: int, end: int, taken: _Taken) -> bool:
    """Whether a name could be part of an address chain: a comma or dash next to it, or another
    place, RT/RW or street right beside it."""
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    before = start
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    return (after < len(text) and (text[after] in _CHAIN_MARKS or taken.hits(after, after + 1))) or \
        (before > 0 and (text[before - 1] in _CHAIN_MARKS or taken.hits(before - 1, before)))


def _name_span(person: dict[str, Any]) -> tuple[int, int] | None:
    """Where a person's name lies in the mention (which may also hold a position and a unit)."""
    name = str(person.get("name") or "")
    at = person["mention"].lower().find(name.lower()) if name else -1
    return (person["start"] + at, person["start"] + at + len(name)) if at >= 0 else None


def _number(value: str | None) -> str | None:
    return str(int(value)) if value else None


#: Word spans (start, end) of a capitalised run.
_Words = tuple[tuple[int, int], ...]


class _Name(NamedTuple):
    """A known name inside a capitalised run, with what follows from the run's text alone."""

    start: int  # offsets in the run
    end: int
    codes: tuple[str, ...]
    regional: bool  # some area is a provinsi, kabupaten or kota
    stop_word: bool
    glued: bool  # see LocationExtractor._glued
    cities: tuple[str, ...]  # "Bekasi Kota": the name followed by "Kota" means these kota areas
    city_end: int  # where the name ends with that "Kota"


def _openings(patterns: Iterable[str]) -> list[str]:
    """The literal text every top-level alternative of the patterns opens with ("kab\\.?(?:...)" ->
    "kab", "desa(?:...)?" -> "desa"): a gate made of these words hits wherever a pattern matches."""
    openings = []
    for pattern in patterns:
        for alternative in top_level(pattern):
            opening = opening_word(alternative)
            if alternative[len(opening):len(opening) + 1] in ("?", "*", "{"):
                opening = opening[:-1]  # "abc?" opens with "ab"
            if not opening:
                raise ValueError(f"every alternative of a gated pattern starts with a letter: {alternative!r}")
            openings.append(opening)
    return openings


def _any_case(word: str) -> list[str]:
    """Every form of `word` re.IGNORECASE matches: each letter in both cases or as one of the
    non-ASCII letters of `_FOLD_TO_ASCII`."""
    forms = [""]
    for char in word.lower():
        variants = {char, char.upper()} | {chr(code) for code, ascii in _FOLD_TO_ASCII.items() if ascii == char}
        forms = [form + variant for form in forms for variant in sorted(variants)]
    return forms


#: RT/RW starts, gated on the lower-cased text.
_RT_RW = WordGate(_RT_RW_START, ["rt", "rw"])


def _capitalised_runs(text: str) -> list[re.Match[str]]:
    """The matches of `_CAPITALISED_RUN`. Its lookbehind (no letter before a run) denies re its
    first-character scan, so the runs are found without it and the characters before them checked
    in one go; a document with a capital right after a letter ("eKTP"), rare, gets the exact scan."""
    runs = list(_CAPITALISED_RUN_GATE.finditer(text))
    if _LETTER.search("".join([text[run.start() - 1] for run in runs if run.start()])):
        return list(_CAPITALISED_RUN.finditer(text))
    return runs


def _fold(text: str) -> str:
    """`text` lower-cased with the letters of `_FOLD_TO_ASCII` folded, for lower-case patterns."""
    return text.translate(_FOLD_TO_ASCII).lower()


class _Taken:
    """Characters already claimed (unit names, person names, earlier place mentions)."""

    def __init__(self, size: int) -> None:
        self._mask = bytearray(size)

    def add(self, start: int, end: int) -> None:
        self._mask[start:end] = b"\x01" * (end - start)

    def hits(self, start: int, end: int) -> bool:
        return self._mask.find(1, start, end) >= 0

    def part(self, start: int, end: int) -> bytes:
        """The mask of text[start:end] (1: claimed)."""
        return bytes(self._mask[start:end])


def _previous_word_capitalised(text: str, pos: int) -> bool:
    match = _PREVIOUS_WORD.search(text[max(0, pos - 30):pos])
    return bool(match and match.group(1)[:1].isupper() and match.group(1)[-1:].isalpha())


@Language.factory("kamtibmas_locations")
def make_locations(nlp: Language, name: str) -> LocationExtractor:
    """spaCy factory: the `locations` extractor (also fills the units' `region_code`)."""
    return LocationExtractor()
