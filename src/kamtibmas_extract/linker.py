"""Linker: ties facts to each other. The event extractors link an event to its date and place
(`link_date`, `link_location`); the last component ties units into the Polri hierarchy.

The units extractor links parents the text states ("Polsek Cibatu Polres Purwakarta"); the
locations component fills each unit's `region_code`. From those codes this component
derives what the text leaves implicit: a Polres's Polda (the Polda covering its
kabupaten/kota, Polda Metro Jaya's special areas included) and a Polsek's Polres (the
document's Polres whose area contains the Polsek's kecamatan).
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc

from .facts import get_facts, sentence_bounds, sentence_of
from .gazetteer import load_gazetteer
from .resources import load_yaml
from .units import UNIT_TABLE


#: Admin levels, most specific first: an event's place is the most specific area of its sentence.
ADMIN_LEVELS = ("desa", "kelurahan", "kecamatan", "kota", "kabupaten", "provinsi")


def link_date(doc: Doc, sentences: Iterable[int]) -> dt.date | None:
    """An event date in the given sentences, else in a neighbouring one (None when `dates` did not run)."""
    dates = [d for d in get_facts(doc, "dates") if d.get("value") and d.get("role", "event") == "event"]
    if not dates:
        return None
    starts = [s for s, _ in sentence_bounds(doc)]
    by_sentence: dict[int, dt.date] = {}
    for fact in dates:
        by_sentence.setdefault(sentence_of(starts, fact["start"]), fact["value"])
    wanted = list(sentences)
    for candidates in (wanted, [i + d for i in wanted for d in (-1, 1)]):
        for index in candidates:
            if index in by_sentence:
                return by_sentence[index]
    return None


def link_location(doc: Doc, sentences: Iterable[int]) -> str | None:
    """The most specific admin area named in the given sentences (None when `locations` did not run)."""
    places = [p for p in get_facts(doc, "locations") if p.get("level") in ADMIN_LEVELS]
    if not places:
        return None
    starts = [s for s, _ in sentence_bounds(doc)]
    wanted = set(sentences)
    found = [p for p in places if sentence_of(starts, p["start"]) in wanted]
    if not found:
        return None
    return min(found, key=lambda p: (ADMIN_LEVELS.index(p["level"]), p["start"]))["name"]


@lru_cache(maxsize=1)
def _polda_of_area() -> dict[str, str]:
    return {str(code): name for code, name in load_yaml("units.yaml")["polda_of_area"].items()}


def polda_for_code(code: str) -> str | None:
    """The canonical name of the Polda covering the area with this Kemendagri code."""
    special = _polda_of_area()
    parts = code.split(".")
    for tier in range(len(parts), 0, -1):
        name = special.get(".".join(parts[:tier]))
        if name:
            return f"Polda {name}"
    province = load_gazetteer().names.get(parts[0])
    return f"Polda {province}" if province else None


def link_parents(units: list[dict[str, Any]]) -> None:
    """Fill missing Polres -> Polda and Polsek -> Polres parents from region codes; a unit
    whose area is unknown gets the document's only unit of the level above, if there is one."""
    polres = [u for u in units if u["level"] == "polres" and u.get("region_code")]
    for unit in units:
        code = unit.get("region_code")
        if unit.get("parent") or not code:
            continue
        if unit["level"] == "polres":
            unit["parent"] = polda_for_code(code)
        elif unit["level"] == "polsek":
            area = ".".join(code.split(".")[:2])
            covering = [p["name"] for p in polres if p["region_code"] == area]
            if len(covering) == 1:
                unit["parent"] = covering[0]
    for child, parent_level in (("polsek", "polres"), ("polres", "polda")):
        candidates = {u["name"] for u in units if u["level"] == parent_level}
        if len(candidates) == 1:
            only = candidates.pop()
            for unit in units:
                if unit["level"] == child and not unit.get("parent") and not unit.get("region_code"):
                    unit["parent"] = only


class Linker:
    """spaCy component: cross-fact links that need every extractor's output."""

    def __call__(self, doc: Doc) -> Doc:
        link_parents(get_facts(doc, UNIT_TABLE))
        return doc


@Language.factory("kamtibmas_linker")
def make_linker(nlp: Language, name: str) -> Linker:
    return Linker()
