"""Seizures: items seized, secured or shown as evidence, with quantity and unit of measure.

An item of the vocabulary in `patterns/seizures.yaml` is a seizure when its sentence has a
seizure cue ("disita", "diamankan", "barang bukti", "ditemukan"; a weaker one such as "mengungkap"
or "menangkap" only when the mention states an amount) and the words before it do
not make it a vehicle ridden, a hiding place or a field ("mengendarai sepeda motor", "di
dalam tas", "ladang ganja"). Quantities are read with the shared number parser from the
count or weight before the item ("35 sepeda motor", "dua bilah celurit", "sebilah pisau")
or after it ("sabu seberat 2,5 gram", "uang tunai Rp 1,5 juta"). Releases repeat an item
in the headline, the lead and the quote, so mentions merge into one row per item: a total
weight wins over counts of packets, and among counts the largest. A class named for a kind
("senjata tajam berupa celurit") gives the kind; a bare class mention yields to the specific
item of its category; packaging right before a drug ("paket plastik klip ganja") counts the
drug. A list sentence ("berupa ...", "di antaranya ...") right after a cued one continues it.
Each row is linked to the incident reported nearest before it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from .facts import add_fact, sentence_bounds, sentence_of, text_views
from .incidents import nearest_incident
from .numbers import FRACTION, NUMBER, RUPIAH, parse_amount, parse_rupiah
from .regexes import Alternation, phrase_pattern
from .resources import load_yaml


@dataclass(frozen=True)
class _Item:
    name: str
    category: str
    unit: str | None
    money: bool
    generic: bool  # names a class ("senjata tajam"): yields to a specific item of its category
    wraps: frozenset[str]  # packaging ("plastik klip", "jeriken"): right before an item of these categories it is its packet
    lower_case_only: bool  # also a place or an operation's title ("Batu Bara"): an item only in lower case
    counted_only: bool  # often an operation's target ("razia knalpot brong"): evidence only with a quantity


@dataclass(frozen=True)
class _Rules:
    items: re.Pattern[str]
    item_of: dict[str, _Item | None]  # phrase as written (spaces collapsed) -> item; None: not an item
    cues: Alternation
    cue_of: dict[str, tuple[str, float]]  # rule key -> (cue id, confidence)
    quantity_cues: frozenset[str]  # cue ids that make a mention evidence only when a quantity is read
    continuation: re.Pattern[str]
    continuation_cue: tuple[str, float]
    list_opener: re.Pattern[str]  # searched in a sentence: it ends by opening a list
    list_item: re.Pattern[str]  # matched at a sentence's start: a list entry ("- 1 unit HP", "3) Uang tunai")
    unit_of: dict[str, str]  # written unit -> canonical unit
    weights: frozenset[str]
    before: re.Pattern[str]  # quantity (and stray words) that end right before an item
    after: re.Pattern[str]  # quantity right after an item
    money_after: re.Pattern[str]
    late_weight: re.Pattern[str]  # a weight further on in the sentence ("... di dalam kotak rokok dengan berat total 2,5 gram")
    not_seized: re.Pattern[str]
    not_seized_adjacent: re.Pattern[str]
    not_seized_after: re.Pattern[str]
    law_reference: re.Pattern[str]
    blocked: re.Pattern[str]
    found_violations: re.Pattern[str]
    container_after: re.Pattern[str]
    kind_bridge: re.Pattern[str]
    wrapped_bridge: re.Pattern[str]
    total_marker: re.Pattern[str]
    lower_bound: re.Pattern[str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = load_yaml("seizures.yaml")
    item_of: dict[str, _Item | None] = {phrase: None for phrase in data["not_items"]}
    for entry in data["items"]:
        item = _Item(entry["item"], entry["category"], entry.get("unit"), bool(entry.get("money")),
                     bool(entry.get("generic")), frozenset(entry.get("wraps", ())),
                     bool(entry.get("lower_case_only")), bool(entry.get("counted_only")))
        item_of.update((variant, item) for variant in entry["variants"])
    items = re.compile(rf"\b{phrase_pattern(item_of)}\b")
    cue_of = {f"c{i}": (c["id"], float(c["confidence"])) for i, c in enumerate(data["cues"])}
    cues = Alternation((f"c{i}", c["id"], c["pattern"]) for i, c in enumerate(data["cues"]))
    unit_of = {word: unit for unit, words in data["units"].items() for word in words}
    unit_words = "|".join(sorted(map(re.escape, unit_of), key=len, reverse=True))
    collective = r"ke(?:dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh)(?:nya)?"
    number = rf"(?<![\w.,/])(?P<num>{FRACTION}|{NUMBER}|{collective})"
    hedge, connector = data["hedge"], data["post_connector"]
    # A number may be spelled out again in brackets ("1 (satu) unit sepeda motor").
    # Both run with match()/search() between explicit bounds: `before` must end where the item
    # starts, `after` must start where it ends (bridging words need a connector, or "yang ...").
    before = re.compile(
        rf"(?:{number}(?:\s*\([a-z\s]{{1,24}}\))?\s*(?:(?P<unit>{unit_words})\b(?:\s*\([^)]{{1,12}}\))?)?"
        rf"|\bse(?P<se>{unit_words}))"
        rf"\s+(?:{data['generic_before_kind']})?$")
    bridge = r"(?:\s+(?!dan\b|serta\b|atau\b)[a-z]+)"
    after = re.compile(
        rf"(?:\s*\([^)]{{1,40}}\))?"
        rf"(?:\s*,?\s+yang{bridge}{{1,3}}?|\s*,?{bridge}{{0,3}}?\s+{connector})?"
        rf"\s+(?:{hedge}\s+)?{number}\s*(?P<unit>{unit_words})\b"
        rf"(?:\s*,?\s*(?:dengan\s+(?:total\s+)?berat|seberat)(?:\s+\w+)?\s+(?:{hedge}\s+)?"
        rf"(?P<wnum>{NUMBER})\s*(?P<wunit>{unit_words})\b)?")
    weight_words = "|".join(sorted((re.escape(w) for w, u in unit_of.items() if u in data["weights"]),
                                   key=len, reverse=True))
    late_weight = re.compile(rf"{data['late_weight']}(?:{hedge}\s+)?(?P<num>{NUMBER})\s*(?P<unit>{weight_words})\b")
    money_after = re.compile(rf"(?:\s+(?!rp)\w+){{0,4}}?\s*(?P<rp>{RUPIAH})", re.IGNORECASE)
    words = int(data["context_words"])
    return _Rules(
        items=items, item_of=item_of, cues=cues, cue_of=cue_of, unit_of=unit_of,
        quantity_cues=frozenset(c["id"] for c in data["cues"] if c.get("needs_quantity")),
        continuation=re.compile(data["continuation"]["pattern"]),
        continuation_cue=(data["continuation"]["id"], float(data["continuation"]["confidence"])),
        list_opener=re.compile(data["list_opener"]),
        list_item=re.compile(data["list_item"]),
        weights=frozenset(data["weights"]),
        before=before, after=after, money_after=money_after, late_weight=late_weight,
        not_seized=re.compile(rf"{data['not_seized_before']}(?:(?!dan\b|serta\b|atau\b)[^\s,]+\s+){{0,{words}}}$"),
        not_seized_adjacent=re.compile(rf"{data['not_seized_adjacent']}(?:{data['generic_before_kind']})?$"),
        not_seized_after=re.compile(data["not_seized_after"]),
        law_reference=re.compile(data["law_reference"]),
        blocked=re.compile(data["blocked"]),
        found_violations=re.compile(data["found_violations"]),
        container_after=re.compile(data["container_after"]),
        kind_bridge=re.compile(data["kind_bridge"]),
        wrapped_bridge=re.compile(data["wrapped_bridge"]),
        total_marker=re.compile(data["total_marker"]),
        lower_bound=re.compile(data["lower_bound"]),
    )


@dataclass(frozen=True)
class _Quantity:
    value: float
    unit: str | None
    weight: bool
    total: bool
    lower_bound: bool
    explicit: bool  # the unit is written ("lima buah celurit"), not the item's default ("5 celurit")
    position: int
    evidence: bool  # read under a seizure cue, not only an "ungkap" headline ("Ungkap 1,8 Kg Sabu")


@dataclass
class _Seizure:
    item: _Item
    start: int
    end: int
    cue: str
    confidence: float
    quantities: list[_Quantity] = field(default_factory=list)

    def best(self) -> _Quantity | None:
        """A stated total weight, else the first precise weight, else the largest count (a written unit first).

        Amounts read as evidence win over those of an arrest or a headline, which round them.
        """
        weights = [q for q in self.quantities if q.weight]
        if weights:
            return max(weights, key=lambda q: (q.evidence, q.total, not q.lower_bound, -q.position))
        if self.quantities:
            return max(self.quantities, key=lambda q: (q.evidence, q.value, q.explicit, -q.position))
        return None


_LOOKBEHIND = 70
_LOOKAHEAD = 120


class SeizureExtractor:
    """spaCy component: records `seizures` facts, one per item per document."""

    def __init__(self) -> None:
        self.rules = _rules()

    def __call__(self, doc: Doc) -> Doc:
        text, lower = text_views(doc)
        rules = self.rules
        bounds = sentence_bounds(doc)
        starts = [s for s, _ in bounds]
        cued = self._cued_sentences(lower, bounds, starts)
        if not cued:
            return doc
        found: dict[str, _Seizure] = {}
        # Only cued sentences can hold seizures: scan those, not the whole text.
        mentions = [m for index in sorted(cued) for m in rules.items.finditer(lower, *bounds[index])]
        next_drug: list[int] = []
        drug_starts = len(lower)
        for match in reversed(mentions):  # where the next drug is named: a later weight is no longer ours
            next_drug.append(drug_starts)
            named = rules.item_of[" ".join(match.group(0).split())]
            if named is not None and named.category == "drug":
                drug_starts = match.start()
        next_drug.reverse()
        for position, match in enumerate(mentions):
            following = mentions[position + 1] if position + 1 < len(mentions) else None
            index = sentence_of(starts, match.start())
            if not self._is_seized(lower, match, following, bounds[index][0]):
                continue
            item = rules.item_of[" ".join(match.group(0).split())]
            if item is None or (item.lower_case_only and not text[match.start()].islower()):
                continue  # "Batu Bara" names a place, "sejumlah batu" evidence
            cue, confidence = cued[index]
            mention = _Seizure(item, match.start(), match.end(), cue, confidence)
            self._read_quantity(text, lower, match, item, bounds[index], mention, next_drug[position])
            if (cue in rules.quantity_cues or item.counted_only) and not mention.quantities:
                continue  # "mengungkap jaringan sabu" names no evidence; "mengungkap 2,7 kg sabu" does
            seizure = found.setdefault(item.name, mention)
            if seizure is not mention:
                if seizure.cue in rules.quantity_cues and cue not in rules.quantity_cues:
                    seizure.start, seizure.end, seizure.cue = mention.start, mention.end, cue  # the evidence itself
                seizure.confidence = max(seizure.confidence, confidence)
                seizure.quantities.extend(mention.quantities)
        specific = {s.item.category for s in found.values() if not s.item.generic}
        for seizure in sorted(found.values(), key=lambda s: s.start):
            if seizure.item.generic and seizure.item.category in specific and seizure.best() is None:
                continue  # "ratusan kantong miras" after "200 kantong cap tikus": the same evidence
            self._record(doc, seizure)
        return doc

    def _cued_sentences(self, lower: str, bounds: list[tuple[int, int]],
                        starts: list[int]) -> dict[int, tuple[str, float]]:
        """Sentence index -> its strongest seizure cue (id, confidence), for sentences that can hold seizures.

        A sentence without a cue that lists items ("berupa ...") right after a cued one continues its list,
        and so do the entries of a list the cued sentence opens ("yakni:" then "1. Satu unit ...", "- 2 buah HP").
        """
        rules = self.rules
        cued: dict[int, tuple[str, float]] = {}
        for key, start, _ in rules.cues.scan(lower):
            cue = rules.cue_of[key]
            index = sentence_of(starts, start)
            if cue[1] > cued.get(index, ("", 0.0))[1]:
                cued[index] = cue
        strongest = max(confidence for _, confidence in rules.cue_of.values())
        for index, (_, confidence) in list(cued.items()):
            start, end = bounds[index]
            if rules.blocked.search(lower, start, end) or (
                    confidence < strongest and rules.found_violations.search(lower, start, end)):
                del cued[index]
        for index in sorted(cued):
            if cued[index][0] in rules.quantity_cues:
                continue  # a list after "menangkap tiga pelaku" is not evidence
            previous, following = index, index + 1
            while following < len(bounds) and following not in cued:
                start, end = bounds[following]
                if rules.blocked.search(lower, start, end):
                    break
                listed = rules.list_opener.search(lower, *bounds[previous]) or rules.list_item.match(lower, start, end)
                if listed or (following == index + 1 and rules.continuation.search(lower, start, end)):
                    cued[following] = rules.continuation_cue
                if not listed:
                    break
                previous, following = following, following + 1
        return cued

    def _is_seized(self, lower: str, match: re.Match[str], following: re.Match[str] | None, floor: int) -> bool:
        rules = self.rules
        if following is not None:
            if rules.kind_bridge.match(lower, match.end(), following.start()):
                return False  # "minuman keras jenis cap tikus": the kind named next is the item
            item, packed = (rules.item_of[" ".join(m.group(0).split())] for m in (match, following))
            if (item is not None and packed is not None and packed.category in item.wraps
                    and rules.wrapped_bridge.match(lower, match.end(), following.start())):
                return False  # "plastik klip ganja", "dua jeriken tuak": packets of the item, counted with it
        window = max(floor, match.start() - _LOOKBEHIND)
        if (rules.not_seized.search(lower, window, match.start())
                or rules.not_seized_adjacent.search(lower, window, match.start())
                or rules.law_reference.search(lower, floor, match.start())):
            return False
        return not (rules.container_after.match(lower, match.end()) or rules.not_seized_after.match(lower, match.end()))

    def _read_quantity(self, text: str, lower: str, match: re.Match[str], item: _Item,
                       sentence: tuple[int, int], seizure: _Seizure, next_drug: int) -> None:
        rules = self.rules
        start, end = match.start(), match.end()
        if item.money:
            money = rules.money_after.match(text, end, min(sentence[1], end + _LOOKAHEAD))
            value = parse_rupiah(money.group("rp")) if money else None
            if value is not None:
                seizure.quantities.append(_Quantity(value, "rupiah", False, False, False, True, start,
                                                    seizure.cue not in rules.quantity_cues))
            return
        floor = max(sentence[0], start - _LOOKBEHIND)
        before = rules.before.search(lower, floor, start)
        if before:
            unit = before.group("unit") or before.group("se")
            self._add(seizure, lower, before.group("num") or "satu", unit, floor, before.start(), before.end(), start)
        after = rules.after.match(lower, end, min(sentence[1], end + _LOOKAHEAD))
        if after:
            self._add(seizure, lower, after.group("num"), after.group("unit"), floor, after.start("num"),
                      after.end(), start)
            if after.group("wnum"):
                self._add(seizure, lower, after.group("wnum"), after.group("wunit"), floor, after.start("wnum"),
                          after.end(), start)
        stated = after and (after.group("wnum") or rules.unit_of[after.group("unit")] in rules.weights)
        if item.category == "drug" and not stated:
            late = rules.late_weight.search(lower, end, min(sentence[1], next_drug))
            if late:
                self._add(seizure, lower, late.group("num"), late.group("unit"), floor, late.start("num"),
                          late.end(), start)

    def _add(self, seizure: _Seizure, lower: str, number: str, written_unit: str | None, floor: int,
             number_start: int, quantity_end: int, position: int) -> None:
        amount = parse_amount(number)
        if amount is None or amount.vague:  # "puluhan sepeda motor" states no quantity
            return
        rules = self.rules
        unit = rules.unit_of.get(written_unit) if written_unit else seizure.item.unit
        seizure.quantities.append(_Quantity(
            value=amount.value, unit=unit, weight=unit in rules.weights,
            total=bool(rules.total_marker.search(lower, floor, quantity_end)),
            lower_bound=bool(rules.lower_bound.search(lower, max(floor, number_start - 12), quantity_end + 7)),
            explicit=written_unit is not None, position=position, evidence=seizure.cue not in rules.quantity_cues))

    def _record(self, doc: Doc, seizure: _Seizure) -> None:
        best = seizure.best()
        add_fact(doc, "seizures", seizure.start, seizure.end, confidence=seizure.confidence, extractor="rule",
                 rule=seizure.cue, incident_id=nearest_incident(doc, seizure.start), item=seizure.item.name,
                 category=seizure.item.category, quantity=best.value if best else None,
                 unit_of_measure=best.unit if best else None)


@Language.factory("kamtibmas_seizures")
def make_seizures(nlp: Language, name: str) -> SeizureExtractor:
    """Factory of the seizures component (no settings: the rules are in patterns/seizures.yaml)."""
    return SeizureExtractor()
