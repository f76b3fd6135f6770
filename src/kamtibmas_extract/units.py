"""Police and military units: explicit names, position + place compounds, functional units.

"Polres Metro Bekasi Kota", "Polrestro Bekasi Kota", "Polda Jatim", "Kapolsek Metro Menteng"
(-> Polsek Metro Menteng), "Satresnarkoba Polres Kendari", "Kodim 0316/Batam". One row per
distinct unit per document; a Polsek's Polres and a Polres's Polda are linked as `parent`
when the text chains them ("Polsek Cibatu Polres Purwakarta").
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .facts import add_fact, lower_text, text_views
from .gazetteer import load_gazetteer
from .regexes import WordGate, alternation
from .resources import load_yaml

UNIT_TABLE = "units"
if not Doc.has_extension("unit_mentions"):
    #: Every unit mention (not only the first of each unit), for the person linker.
    Doc.set_extension("unit_mentions", default=None)
#: Gazetteer levels a unit's place name may be, by unit level.
AREA_LEVELS = {"polres": ("kabupaten", "kota"), "polsek": ("kecamatan", "kabupaten", "kota", "kelurahan", "desa")}


def tidy_place(place: str) -> str:
    """Collapse spaces; title-case all-caps words longer than three letters ("GARUT" -> "Garut")."""
    words = [w.title() if w.isupper() and len(w) > 3 else w for w in place.split()]
    return " ".join(words).strip(" .,-")


def _key(written: str) -> str:
    """Lookup key of a written form: lower case, dots and spaces removed."""
    return re.sub(r"[\s.]+", "", written.lower())


@dataclass(frozen=True)
class UnitFound:
    start: int
    end: int
    name: str
    level: str
    rule: str
    confidence: float
    territorial: str | None = None  # for functional units: their territorial unit


class UnitVocabulary:
    """Compiled unit patterns from `patterns/units.yaml` and the positions that head units."""

    def __init__(self) -> None:
        data = load_yaml("units.yaml")
        positions = load_yaml("positions.yaml")["positions"]
        ranks = load_yaml("ranks.yaml")
        stop = set(data["name_stop_words"])
        for position in positions:
            stop.update(v.split()[0] for v in position["variants"])
        for group in ("polri", "tni"):
            for rank in ranks[group]:
                stop.update(v.split()[0].rstrip(".") for v in rank["variants"])
        word = rf"(?!(?i:{alternation(stop)})\b)[A-Z][\w'-]*"
        #: A place name after a unit word: capitalised words, not a stop word, at most five
        #: (a lower-case "kota" is taken too: "Polres Serang kota").
        self.place = rf"(?:Metro\s+)?{word}(?:[ \t]+(?:{word}|kota\b)){{0,4}}"
        self.special = {_key(name): name for name in data["special_places"]}
        self.abbreviations = {_key(k): v for k, v in data["place_abbreviations"].items() if _key(k) != _key(v)}
        self.area_prefixes = {w.lower() for w in data["area_prefixes"]}
        self.territorial = {_key(t["word"]): t for t in data["territorial"]}
        self.polda_names: dict[str, str] = {}
        for polda in data["polda"]:
            for form in [polda["name"], *polda["short"]]:
                self.polda_names[form.lower().replace(".", "")] = polda["name"]
        polda_alt = alternation([p["name"] for p in data["polda"]] + [s for p in data["polda"] for s in p["short"]])
        territorial_words = [t["word"] for t in data["territorial"] if t["level"] != "polda"]
        polda_words = [t["word"] for t in data["territorial"] if t["level"] == "polda"]
        #: The long form may carry its abbreviation in brackets: "Kepolisian Resor (Polres) Kendari".
        bracket = r"(?:\s*\([A-Za-z]+\))?"
        self.territorial_re = WordGate(
            rf"\b(?P<word>(?i:{alternation(territorial_words)})){bracket}\s+(?P<place>{self.place})"
            rf"|\b(?P<pword>(?i:{alternation(polda_words)})){bracket}\s+(?P<polda>(?i:{polda_alt})\b)",
            [*territorial_words, *polda_words])
        heads = [p for p in positions if p.get("heads")]
        self.head_of = {_key(v): p["heads"] for p in heads for v in p["variants"]}
        acting = load_yaml("positions.yaml")["acting_prefixes"]
        head_variants = [v for p in heads for v in p["variants"]]
        self.position_re = WordGate(
            rf"\b(?:(?:{alternation(acting)})\.?\s+)?(?P<pos>(?i:{alternation(head_variants)}))"
            rf"\s+(?P<place>{self.place})", [*acting, *head_variants])
        fixed_variants = [v for p in positions if p.get("unit") for v in p["variants"]]
        self.fixed_re = WordGate(rf"\b(?P<pos>(?i:{alternation(fixed_variants)}))\b", fixed_variants)
        self.fixed_unit = {_key(v): p["unit"] for p in positions if p.get("unit") for v in p["variants"]}
        self.functional = {}
        for unit in data["functional"]:
            for variant in unit["variants"]:
                self.functional[_key(variant)] = unit
        functional_variants = [v for u in data["functional"] for v in u["variants"]]
        self.functional_re = WordGate(
            rf"\b(?P<func>{alternation(functional_variants)})"
            rf"(?:\s*\([A-Za-z ]+\))?\s+(?=(?i:polres|polresta|polrestabes|polsek|polda|polrestro)\b)",
            functional_variants)
        self.mabes = {_key(v): m for m in data["mabes"] for v in m["variants"]}
        mabes_variants = [v for m in data["mabes"] for v in m["variants"]]
        self.mabes_re = WordGate(rf"\b(?:{alternation(mabes_variants)})\b", mabes_variants)
        tni_kinds = ["Kodim", "Dandim", "Koramil", "Danramil", "Korem", "Danrem", "Kodam", "Pangdam"]
        self.tni_re = WordGate(
            rf"\b(?P<kind>{'|'.join(tni_kinds)})\s*"
            rf"(?P<num>\d{{2,4}}(?:\s*/\s*\d{{1,2}})?)?\s*/?\s*(?P<place>{self.place})?", tni_kinds)
        self.tni_prefix = {t["heads_position"].lower(): t["prefix"] for t in data["tni"]}
        self.tni_prefix.update({t["prefix"].lower(): t["prefix"] for t in data["tni"]})

    def known_place(self, head: str, place: str) -> str | None:
        """The part of `place` that names a known area for a unit headed by `head`, else None."""
        info = self.territorial[_key(head)]
        if info["level"] != "polda":
            return self.trim_place(place, info["level"]) or None
        words = place.split()
        for cut in range(len(words), 0, -1):
            candidate = " ".join(words[:cut])
            if candidate.lower().replace(".", "") in self.polda_names:
                return candidate
        return None

    def polda_name(self, written: str) -> str:
        key = written.lower().replace(".", "").strip()
        return self.polda_names.get(key, tidy_place(written))

    def canonical(self, word: str, place: str) -> tuple[str, str, int] | None:
        """(canonical name, level, characters of `place` used) of a territorial unit word + place,
        or None when the place names no area.

        The place is cut to its longest prefix that names an area of the unit's level in the
        gazetteer (or a known special area such as "Pelabuhan Tanjung Priok"), so headline
        words ("Polres Bogor Terima ...") never become part of a unit name. An unknown place
        keeps its first word, unless that word is too short or generic to be an area ("Polres
        P.Siantar", "Polres Metro (Satresnarkoba ...)"): a guess there is only noise.
        """
        info = self.territorial.get(_key(word))
        if info is None or info["level"] == "polda":
            return f"Polda {self.polda_name(place)}", "polda", len(place)
        prefix = info.get("canonical", info["word"])
        kept = self.trim_place(place, info["level"])
        if not kept:
            first = place.split()[0].strip(".,-")
            if len(first) <= 2 or first.lower() in self.area_prefixes or first.lower() == "metro":
                return None
            return f"{prefix} {tidy_place(first)}", info["level"], len(place.split()[0])
        return f"{prefix} {tidy_place(self.expand(kept))}", info["level"], len(kept)

    def expand(self, place: str) -> str:
        """Short forms of unit areas written out ("Loteng" -> "Lombok Tengah", "Jaksel" and
        "Metro Jaksel" -> "Metro Jakarta Selatan")."""
        words = place.split()
        metro = 1 if len(words) > 1 and words[0].lower() == "metro" else 0
        for cut in range(len(words), metro, -1):
            full = self.abbreviations.get(_key(" ".join(words[metro:cut])))
            if full:
                prefix = [] if not metro or full.lower().startswith("metro ") else words[:1]
                return " ".join([*prefix, full, *words[cut:]])
        return place

    def trim_place(self, place: str, level: str) -> str:
        """The longest prefix of `place` naming an area of the unit's level, or "" when none does.

        "Metro" before the area stays in the name but is not looked up; so does an area prefix
        ("Kota", "Pulau") when the words with it name no area: "Polres Kota Bengkulu",
        "Polresta Pulau Ambon", but "Polsek Kota Bangun" is an area by itself."""
        words = place.split()
        start = 1 if words and words[0].lower() == "metro" and len(words) > 1 else 0
        starts = [start]
        if len(words) > start + 1 and words[start].lower() in self.area_prefixes:
            starts.append(start + 1)
        levels = AREA_LEVELS[level]
        gazetteer = load_gazetteer()
        for start in starts:
            for end in range(len(words), start, -1):
                candidate = " ".join(words[start:end])
                if _key(candidate) in self.special or _key(candidate) in self.abbreviations \
                        or gazetteer.lookup(candidate, levels):
                    if end < len(words) and words[end].lower() == "kota":
                        end += 1
                    return " ".join(words[:end])
        return ""


@lru_cache(maxsize=1)
def vocabulary() -> UnitVocabulary:
    return UnitVocabulary()


def find_units(text: str, vocab: UnitVocabulary | None = None, lower: str | None = None) -> list[UnitFound]:
    """Every unit mention in the text, longest first where they overlap (`lower`: the text
    lower-cased with the same offsets, when the caller has it)."""
    vocab = vocab or vocabulary()
    lower = lower_text(text) if lower is None else lower
    found: list[UnitFound] = []
    for m in vocab.territorial_re.finditer(text, lower):
        if m.group("word"):
            unit = vocab.canonical(m.group("word"), m.group("place"))
            if unit is None or _cut_off(text, m, unit[2]):
                continue
            name, level, used = unit
            end = m.start("place") + used
        else:
            name, level, end = f"Polda {vocab.polda_name(m.group('polda'))}", "polda", m.end()
        found.append(UnitFound(m.start(), end, name, level, "units.territorial", 0.95))
    for m in vocab.position_re.finditer(text, lower):
        head = vocab.head_of[_key(m.group("pos"))]
        place = vocab.known_place(head, m.group("place"))
        if place is None:
            continue  # "Kapolres Danang ..." is a position + name, not a unit
        unit = vocab.canonical(head, place)
        if unit is None or _cut_off(text, m, unit[2]):
            continue
        name, level, used = unit
        found.append(UnitFound(m.start("place"), m.start("place") + used, name, level, "units.position_place", 0.85))
    for m in vocab.fixed_re.finditer(text, lower):
        unit = vocab.fixed_unit.get(_key(m.group("pos")))
        if unit:
            found.append(UnitFound(m.start(), m.end(), unit, "mabes", "units.position_implies", 0.8))
    for m in vocab.mabes_re.finditer(text, lower):
        entry = vocab.mabes[_key(m.group(0))]
        found.append(UnitFound(m.start(), m.end(), entry["canonical"], entry.get("level", "mabes"), "units.mabes", 0.9))
    territorial = sorted((u for u in found if u.rule == "units.territorial"), key=lambda u: u.start)
    for m in vocab.functional_re.finditer(text, lower):
        parent = next((u for u in territorial if u.start == m.end()), None)
        if parent is None:
            continue
        entry = vocab.functional[_key(m.group("func"))]
        found.append(UnitFound(m.start(), parent.end, f"{entry['canonical']} {parent.name}",
                               entry.get("level", "satuan"), "units.functional", 0.9, territorial=parent.name))
    for m in vocab.tni_re.finditer(text, lower):
        prefix = vocab.tni_prefix[m.group("kind").lower()]
        number, place = m.group("num"), m.group("place")
        if not number and not place:
            continue
        number = re.sub(r"\s", "", number) if number else None
        name = f"{prefix} {number}/{tidy_place(place)}" if number and place else f"{prefix} {number or tidy_place(place)}"
        end = m.end("place") if place else m.end("num")
        found.append(UnitFound(m.start(), end, name, "tni", "units.tni", 0.85))
    return found


def _cut_off(text: str, match: re.Match[str], used: int) -> bool:
    """Whether the text ends inside this unit's place, past the part that names an area: a
    text cut at a length limit ("... Polsek Prabumulih B") may have cut the name short."""
    return match.end("place") == len(text.rstrip()) and used < len(match.group("place"))


_CHAIN_GAP = re.compile(r"[\s,]*(?:jajaran\s+|wilayah\s+)?", re.I)
_CHAIN_RANK = {"polsek": 1, "polres": 2, "polda": 3}


def _chain_parent(unit: UnitFound, ordered: list[UnitFound], starts: list[int], text: str) -> str | None:
    """The unit named right after this one ("Polsek Cibatu Polres Purwakarta", "Polres X, Polda Y").

    `ordered` is sorted by start and `starts` holds their starts: only the units beginning
    within 12 characters after this one are looked at, so long documents stay linear."""
    if unit.territorial:
        return unit.territorial
    wanted = _CHAIN_RANK.get(unit.level, 0) + 1
    for index in range(bisect.bisect_left(starts, unit.end), bisect.bisect_right(starts, unit.end + 12)):
        other = ordered[index]
        if _CHAIN_RANK.get(other.level, 0) == wanted and _CHAIN_GAP.fullmatch(text, unit.end, other.start):
            return other.name
    return None


def one_spelling(found: list[UnitFound]) -> list[UnitFound]:
    """The units with one spelling per unit: a name written two ways in the same text
    ("Polresta Palangka Raya", "Polresta Palangkaraya"; "Polresta Gorontalo", "Polres Gorontalo
    Kota") is one unit, named as it is first written, so it is neither listed twice nor
    linked to persons under two names."""
    names = {u.name for u in found}
    if len({_spelling_key(name) for name in names}) == len(names):
        return found  # every unit has one spelling already
    first: dict[str, str] = {}
    for unit in sorted(found, key=lambda u: u.start):
        first.setdefault(_spelling_key(unit.name), unit.name)

    def named(name: str | None) -> str | None:
        return first.get(_spelling_key(name), name) if name else name
    return [replace(u, name=named(u.name), territorial=named(u.territorial)) for u in found]


_CITY_POLRES = re.compile(r"polres(?:ta)? (.+?) kota$|polresta (.+)$")
_METRO = re.compile(r"^(pol\w+) metro (?=\S)")


def _spelling_key(name: str) -> str:
    """Names of one unit written differently: spaces, dots and dashes, "Metro" inside Jakarta
    names, and a city's Polres as "Polresta X" or "Polres X Kota" (both: Kepolisian Resor Kota X)."""
    lower = _METRO.sub(r"\1 ", name.lower())
    city = _CITY_POLRES.match(lower)
    if city:
        lower = f"polresta {city.group(1) or city.group(2)}"
    return re.sub(r"[\s.-]+", "", lower)


class UnitExtractor:
    """spaCy component: records one `units` fact per distinct unit."""

    def __init__(self) -> None:
        self.vocab = vocabulary()

    def __call__(self, doc: Doc) -> Doc:
        text, lower = text_views(doc)
        found = one_spelling(find_units(text, self.vocab, lower))
        ordered = sorted(found, key=lambda u: (u.start, -(u.end - u.start)))
        doc._.unit_mentions = ordered
        starts = [u.start for u in ordered]
        seen: dict[str, dict[str, Any]] = {}
        for unit in ordered:
            parent = _chain_parent(unit, ordered, starts, text)
            fact = seen.get(unit.name)
            if fact is None:
                seen[unit.name] = add_fact(doc, UNIT_TABLE, unit.start, unit.end, confidence=unit.confidence,
                                           extractor="rule", rule=unit.rule, name=unit.name, level=unit.level,
                                           parent=parent, region_code=None)
            elif parent and not fact["parent"]:
                fact["parent"] = parent
        return doc


@Language.factory("kamtibmas_units")
def make_unit_extractor(nlp: Language, name: str) -> UnitExtractor:
    return UnitExtractor()
