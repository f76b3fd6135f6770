"""The Kemendagri gazetteer: every provinsi, kabupaten/kota, kecamatan and kelurahan/desa by code.

Built from cahyadsn/wilayah (MIT, see `patterns/gazetteer/LICENSE`) by
`scripts/build_gazetteer.py` into `patterns/gazetteer/wilayah.tsv.gz` (code, name). The
level and the parent follow from the code itself (`32.75.01.1001`: provinsi 32, kota
32.75 because 75 >= 71, kecamatan 32.75.01, kelurahan because the village part starts
with 1), so the file stays small and one load serves every worker (~0.3 s, ~40 MB).

Names are looked up by a spelling-tolerant key (`name_key`): case, spaces and
punctuation ignored, so "Suka Makmur", "Sukamakmur" and "Pangkal Pinang" find their
areas. Short forms, old and popular names ("Jaksel", "Jatim", "Yogya", "Ujung Pandang")
come from `patterns/locations.yaml`.
"""
from __future__ import annotations

import bisect
import difflib
import functools
import gzip
import re
from dataclasses import dataclass
from collections.abc import Iterable

from .resources import load_yaml, patterns_dir

DATA_FILE = "gazetteer/wilayah.tsv.gz"

#: Levels from the top; kabupaten and kota share the second tier, kelurahan and desa the fourth.
ADMIN_LEVELS = ("provinsi", "kabupaten", "kota", "kecamatan", "kelurahan", "desa")
#: Tier (number of code segments) of each level.
TIER = {"provinsi": 1, "kabupaten": 2, "kota": 2, "kecamatan": 3, "kelurahan": 4, "desa": 4}

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
#: Similarity (difflib ratio of name keys) a misspelt name needs to match an area's name.
_FUZZY_CUTOFF = 0.85
_MEMO_SIZE = 4096
#: "Kurau (Timur)", "Misool (Misool Utara)": the name without and with the bracketed part.
_BRACKET = re.compile(r"\s*\(([^)]*)\)\s*")


@functools.lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """Spelling-tolerant lookup key: lower case, letters and digits only ("Suka Makmur" =
    "Sukamakmur"). The key of a name is the concatenation of its words' keys, which lets
    scanners build keys word by word."""
    return _NON_ALNUM.sub("", text.lower())


@functools.lru_cache(maxsize=1 << 17)
def level_of(code: str) -> str:
    """The administrative level a Kemendagri code denotes (cached: scanners ask often)."""
    parts = code.count(".")
    if parts == 0:
        return "provinsi"
    if parts == 1:
        return "kota" if int(code[3:5]) >= 71 else "kabupaten"
    if parts == 2:
        return "kecamatan"
    return "kelurahan" if code[9] == "1" else "desa"


def within(code: str, area: str) -> bool:
    """Whether `code` is `area` or lies inside it."""
    return code == area or (code.startswith(area) and code[len(area)] == ".")


#: Code length -> tier ("32" 1, "32.75" 2, "32.75.01" 3, "32.75.01.1001" 4); segments have fixed widths.
_TIER_OF_LENGTH = {2: 1, 5: 2, 8: 3, 13: 4}
_TIER_ENDS = ((4, 13), (3, 8), (2, 5), (1, 2))


def tier(code: str) -> int:
    """1 for a provinsi ... 4 for a kelurahan/desa."""
    return _TIER_OF_LENGTH[len(code)]


def shared_tiers(a: str, b: str) -> int:
    """How many top tiers two codes share (0: different provinsi ... 4: same village)."""
    for count, cut in _TIER_ENDS:
        if len(a) >= cut and len(b) >= cut and a[:cut] == b[:cut]:
            return count
    return 0


@dataclass
class Hierarchy:
    """Names of an area and the areas above it, as the `locations` columns want them."""

    provinsi: str | None = None
    kabupaten_kota: str | None = None
    kecamatan: str | None = None
    kelurahan_desa: str | None = None


class Gazetteer:
    """Names by code and codes by name key, with the hierarchy helpers the extractors need."""

    def __init__(self, rows: Iterable[tuple[str, str]], aliases: Iterable[tuple[str, str]] = ()) -> None:
        self.names: dict[str, str] = {}
        index: dict[str, list[str]] = {}
        for code, name in rows:
            self.names[code] = name
            for variant in _variants(name):
                index.setdefault(name_key(variant), []).append(code)
        for alias, code in aliases:
            if code not in self.names:
                raise ValueError(f"alias {alias!r}: unknown code {code}")
            codes = index.setdefault(name_key(alias), [])
            if code not in codes:
                codes.append(code)
        self._index: dict[str, tuple[str, ...]] = {k: tuple(dict.fromkeys(v)) for k, v in index.items()}
        self._keys = sorted(self._index)
        self._prefixes: dict[str, bool] = {}  # memo of has_prefix: running text repeats its words
        self._at_levels: dict[tuple[str, tuple[str, ...] | frozenset[str]], tuple[str, ...]] = {}  # of lookup_key
        self._codes = sorted(self.names)
        self._regional = [c for c in self._codes if len(c) <= 5]  # provinsi, kabupaten, kota
        self._keyed_pools: dict[tuple[str | None, tuple[str, ...]], dict[str, tuple[str, ...]]] = {}
        self._closest_memo: dict[tuple[str, tuple[str | None, ...], tuple[str, ...]], str | None] = {}

    def lookup(self, text: str, levels: Iterable[str] | None = None) -> tuple[str, ...]:
        """Codes of the areas called `text` (any spelling variant), optionally of some levels only."""
        return self.lookup_key(name_key(text), levels)

    def lookup_key(self, key: str, levels: Iterable[str] | None = None) -> tuple[str, ...]:
        """Like `lookup`, for a key already made with `name_key`. The codes of some levels are
        memoised: extractors ask for the same names at the same levels over and over."""
        codes = self._index.get(key, ())
        if levels is None or not codes:
            return codes
        wanted = levels if isinstance(levels, (tuple, frozenset)) else tuple(levels)
        found = self._at_levels.get((key, wanted))
        if found is None:
            found = tuple(c for c in codes if level_of(c) in wanted)
            if len(self._at_levels) < _MEMO_SIZE * 16:
                self._at_levels[(key, wanted)] = found
        return found

    def has_key(self, key: str) -> bool:
        """Whether any area is called by this key."""
        return key in self._index

    @staticmethod
    def is_regional(codes: tuple[str, ...]) -> bool:
        """Whether some of the areas is a provinsi, kabupaten or kota (tiers 1-2)."""
        return any(len(code) <= 5 for code in codes)

    def has_prefix(self, prefix: str) -> bool:
        """Whether some area's key starts with `prefix`: lets a scanner stop extending a name early."""
        known = self._prefixes.get(prefix)
        if known is None:
            at = bisect.bisect_left(self._keys, prefix)
            known = at < len(self._keys) and self._keys[at].startswith(prefix)
            if len(self._prefixes) < _MEMO_SIZE * 16:
                self._prefixes[prefix] = known
        return known

    def known_prefixes(self, keys: Iterable[str | None]) -> list[tuple[int, str]]:
        """(n, key) for every n such that the first n word keys (`name_key`) together are an area's
        key, shortest first; reading stops at a None word and as soon as no area's key starts with
        the words read."""
        found = []
        key = ""
        for count, word in enumerate(keys, 1):
            if word is None:
                break
            key += word
            if not self.has_prefix(key):
                break
            if key in self._index:
                found.append((count, key))
        return found

    def descendants(self, area: str, levels: Iterable[str] | None = None) -> list[str]:
        """Codes of the areas inside `area` (codes sort so that they form one contiguous block)."""
        lo = bisect.bisect_left(self._codes, area + ".")
        hi = bisect.bisect_left(self._codes, area + "/")  # "/" sorts right after "."
        codes = self._codes[lo:hi]
        if levels is not None:
            wanted = set(levels)
            codes = [c for c in codes if level_of(c) in wanted]
        return codes

    def _keyed(self, area: str | None, levels: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
        """Name key -> codes of the areas of `levels` inside `area` (nationwide when None), memoised."""
        pool_key = (area, levels)
        if pool_key in self._keyed_pools:
            return self._keyed_pools[pool_key]
        if area:
            codes = self.descendants(area, levels)
        else:
            pool = self._regional if set(levels) <= {"provinsi", "kabupaten", "kota"} else self._codes
            codes = [c for c in pool if level_of(c) in levels]
        by_key: dict[str, list[str]] = {}
        for code in codes:
            by_key.setdefault(name_key(self.names[code]), []).append(code)
        pool = {k: tuple(v) for k, v in by_key.items()}
        if len(self._keyed_pools) < _MEMO_SIZE:
            self._keyed_pools[pool_key] = pool
        return pool

    def closest(self, text: str, areas: tuple[str | None, ...], levels: tuple[str, ...]) -> str | None:
        """The area of `levels` inside one of `areas` (None: anywhere) whose name is most like
        `text` (a misspelling), if similar enough and not tied with another name; memoised."""
        memo_key = (text, areas, levels)
        if memo_key not in self._closest_memo:
            found = self._closest(text, areas, levels)
            if len(self._closest_memo) >= _MEMO_SIZE:
                self._closest_memo.clear()
            self._closest_memo[memo_key] = found
        return self._closest_memo[memo_key]

    def _closest(self, text: str, areas: tuple[str | None, ...], levels: tuple[str, ...]) -> str | None:
        key = name_key(text)
        by_key: dict[str, set[str]] = {}
        for area in areas:
            for name_of, codes in self._keyed(area, levels).items():
                if abs(len(name_of) - len(key)) <= 0.36 * len(key):  # cannot reach the cutoff otherwise
                    by_key.setdefault(name_of, set()).update(codes)
        match = difflib.get_close_matches(key, list(by_key), n=2, cutoff=_FUZZY_CUTOFF)
        if not match or len(by_key[match[0]]) > 1:
            return None
        if len(match) > 1 and difflib.SequenceMatcher(None, key, match[1]).ratio() == \
                difflib.SequenceMatcher(None, key, match[0]).ratio():
            return None
        return next(iter(by_key[match[0]]))

    def hierarchy(self, code: str) -> Hierarchy:
        """The names of the area and of every area above it."""
        names = [self.names.get(code[:cut]) for count, cut in reversed(_TIER_ENDS) if len(code) >= cut]
        return Hierarchy(*names)


def _variants(name: str) -> list[str]:
    if "(" not in name:
        return [name]
    bracket = _BRACKET.search(name)
    outer = _BRACKET.sub(" ", name).strip()
    inner = bracket.group(1).strip() if bracket else ""
    return [name, outer] + ([inner] if inner else [])


def _read_rows() -> list[tuple[str, str]]:
    with gzip.open(patterns_dir() / DATA_FILE, "rt", encoding="utf-8") as fh:
        return [tuple(line.rstrip("\n").split("\t", 1)) for line in fh]  # type: ignore[misc]


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer with the aliases of `patterns/locations.yaml`, loaded once per process."""
    config = load_yaml("locations.yaml")
    aliases = [(alias, entry["code"]) for entry in config["aliases"] for alias in entry["names"]]
    return Gazetteer(_read_rows(), aliases)


@dataclass(frozen=True)
class _UnitRules:
    prefixes: dict[str, re.Pattern[str]]
    city_prefix: re.Pattern[str]
    regions: dict[str, str]


@functools.lru_cache(maxsize=1)
def _unit_rules() -> _UnitRules:
    config = load_yaml("locations.yaml")
    return _UnitRules(
        prefixes={level: re.compile(pattern, re.I) for level, pattern in config["unit_prefixes"].items()},
        city_prefix=re.compile(config["unit_city_prefix"], re.I),
        regions={name_key(name): code for name, code in config["unit_regions"].items()},
    )


def best_in_context(codes: Iterable[str], context_codes: Iterable[str]) -> tuple[str, ...]:
    """The codes that share the most tiers with any context area (all of them when none shares any)."""
    codes = tuple(codes)
    context = tuple(context_codes)
    if len(codes) <= 1 or not context:
        return codes
    scored = [(max(shared_tiers(code, area) for area in context), code) for code in codes]
    best = max(score for score, _ in scored)
    return tuple(code for score, code in scored if score == best) if best > 0 else codes


def resolve_unit_region(unit_name: str, level: str, context_codes: Iterable[str] = ()) -> tuple[str, str] | None:
    """The area a police unit covers, as (Kemendagri code, area name), or None when unsure.

    Polda -> provinsi; Polres X -> kabupaten/kota X ("... Kota" and Polrestabes mean the
    kota, otherwise the kabupaten wins when both exist, domain reference 4.7); Polsek Y ->
    kecamatan Y, chosen inside `context_codes` (the Polres/Polda areas) when Y repeats.
    """
    return _resolve_unit_region(unit_name, level, tuple(context_codes))


@functools.lru_cache(maxsize=1 << 12)
def _resolve_unit_region(unit_name: str, level: str, context: tuple[str, ...]) -> tuple[str, str] | None:
    """`resolve_unit_region`, cached: the same units come back in story after story."""
    gazetteer = load_gazetteer()
    rules = _unit_rules()
    special = rules.regions.get(name_key(unit_name))
    if special is not None:
        return special, gazetteer.names[special]
    prefix = rules.prefixes.get(level)
    if prefix is None or not prefix.match(unit_name):
        return None
    rest = prefix.sub("", unit_name).strip()
    if level == "polda":
        codes = gazetteer.lookup(rest, ("provinsi",))
    elif level == "polres":
        city = bool(rules.city_prefix.match(unit_name))
        if rest.lower().endswith(" kota"):
            rest, city = rest[:-5].strip(), True
        codes = best_in_context(gazetteer.lookup(rest, ("kabupaten", "kota")), context)
        preferred = "kota" if city else "kabupaten"
        codes = tuple(c for c in codes if level_of(c) == preferred) or codes
    else:
        codes = gazetteer.lookup(rest, ("kecamatan",))
        inside = tuple(c for c in codes if any(within(c, area) for area in context))
        codes = best_in_context(inside or codes, context)
    if len(codes) != 1:
        return None
    return codes[0], gazetteer.names[codes[0]]
