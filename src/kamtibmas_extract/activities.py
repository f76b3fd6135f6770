"""Activities: what the police did in the story, named programs and named operations.

Keyword rules (`patterns/activities.yaml`) give the contract's activity types: community
programs (Ngopi Kamtibmas, Jumat Curhat, Cooling System, door to door, sambang, patroli
dialogis), outreach, social aid, security duty, raids, press conferences, arrests. Named
operations are read from the original text, where capitals tell a code name and region
from the words around them ("Operasi Zebra Mahakam 2024 resmi dimulai"); their year is kept
as written. One row per type and name per document, with the date and place of its
sentences (from the `dates` and `locations` facts) and the attendance when stated.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from .facts import add_fact, sentence_bounds, sentence_of, text_views
from .linker import link_date, link_location
from .numbers import NUMBER, parse_amount
from .regexes import Alternation, guarded_finditer, phrase_pattern, word_start_regex
from .resources import load_yaml


@dataclass(frozen=True)
class _Spec:
    id: str
    type: str
    name: str | None
    needs_person: bool
    not_in_sentence: re.Pattern[str] | None


@dataclass(frozen=True)
class _Rules:
    keywords: Alternation
    spec_of: dict[str, _Spec]  # rule key -> rule
    persons_taken: re.Pattern[str]
    not_before: re.Pattern[str]
    attendees: re.Pattern[str]
    attendance_verb: re.Pattern[str]  # starts every `attendees` match: found fast, tried there only
    named_confidence: float
    keyword_confidence: float
    operation: re.Pattern[str]
    operation_keyword: re.Pattern[str]  # the keyword of `operation` in lower case, to find where it may match
    code_of: dict[str, str]  # code name as written (lower case, spaces collapsed) -> canonical
    region_stop: frozenset[str]
    comparison: re.Pattern[str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = load_yaml("activities.yaml")
    spec_of = {f"a{i}": _Spec(a["id"], a["type"], a.get("name"), bool(a.get("needs_person")),
                              re.compile(a["not_in_sentence"]) if a.get("not_in_sentence") else None)
               for i, a in enumerate(data["activities"])}
    ops = data["operations"]
    code_of = {variant: code for code, variants in ops["code_names"].items() for variant in variants}
    # Case-insensitive keyword and code name, case-sensitive region: capitals end the name.
    operation = re.compile(
        rf"(?i:{ops['keyword']})(?:(?P<code>(?i:{phrase_pattern(code_of)}))\b"
        r"(?P<rest>(?:\s+(?:\([^)\n]{1,20}\)|[A-Z][\w-]*|\d{4}(?:\s*[/-]\s*\d{4})?)){0,6})"
        r"|(?P<unknown>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3})(?:\s+\([^)\n]{1,20}\))?\s+(?P<year>\d{4})\b)")
    return _Rules(
        keywords=Alternation((g, s.id, a["pattern"]) for (g, s), a in zip(spec_of.items(), data["activities"])),
        spec_of=spec_of,
        persons_taken=re.compile(data["persons_taken"]),
        not_before=re.compile(rf"{data['not_before']}(?:\S+\s+){{0,{int(data['context_words'])}}}$"),
        attendees=re.compile(data["attendees"].replace("{attendance_verb}", data["attendance_verb"])
                             .replace("{count}", rf"(?P<count>{NUMBER})")),
        attendance_verb=word_start_regex(data["attendance_verb"]),
        named_confidence=float(data["confidence"]["named"]),
        keyword_confidence=float(data["confidence"]["keyword"]),
        operation=operation,
        operation_keyword=word_start_regex(ops["keyword"]),
        code_of=code_of,
        region_stop=frozenset(ops["region_stop"]),
        comparison=re.compile(ops["comparison"]),
    )


@dataclass
class _Activity:
    type: str
    name: str | None
    start: int
    end: int
    rule: str
    sentences: list[int] = field(default_factory=list)
    attendees: int | None = None


_YEAR = re.compile(r"\d{4}(?:\s*[/-]\s*\d{4})?$")
_REST_WORD = re.compile(r"\([^)]*\)|\d{4}(?:\s*[/-]\s*\d{4})?|\S+")


@dataclass(frozen=True)
class _Operation:
    """A named operation: code name, region words and year as written."""

    code: str
    region: tuple[str, ...]
    year: str | None

    @property
    def name(self) -> str:
        return " ".join(["Operasi", self.code, *self.region, *([self.year] if self.year else [])])

    def covers(self, other: "_Operation") -> bool:
        """This name says all that `other` says ("Operasi Zebra Mahakam 2024" covers "Operasi Zebra")."""
        region = tuple(word.lower() for word in self.region)
        return (self.code == other.code and region[:len(other.region)] == tuple(w.lower() for w in other.region)
                and other.year in (None, self.year))


class ActivityExtractor:
    """spaCy component: records `activities` facts, one per type and name per document."""

    def __init__(self) -> None:
        self.rules = _rules()

    def __call__(self, doc: Doc) -> Doc:
        text, lower = text_views(doc)
        bounds = sentence_bounds(doc)
        starts = [s for s, _ in bounds]
        found: dict[tuple[str, str | None], _Activity] = {}
        for key, start, end in self.rules.keywords.scan(lower):
            spec = self.rules.spec_of[key]
            index = sentence_of(starts, start)
            if self._keeps(lower, start, spec, bounds[index]):
                self._add(found, spec.type, spec.name, start, end, spec.id, index)
        for operation, start, end, index in self._operations(text, lower, starts, bounds):
            self._add(found, "operasi", operation.name, start, end, "operation", index)
        if not found:
            return doc
        activities = self._fold_unnamed(found)
        self._attendance(lower, starts, activities)
        for activity in activities:
            add_fact(doc, "activities", activity.start, activity.end,
                     confidence=self.rules.named_confidence if activity.name else self.rules.keyword_confidence,
                     extractor="rule", rule=activity.rule, type=activity.type, name=activity.name,
                     date=link_date(doc, activity.sentences), location=link_location(doc, activity.sentences),
                     attendees=activity.attendees)
        return doc

    def _keeps(self, lower: str, start: int, spec: _Spec, sentence: tuple[int, int]) -> bool:
        if self.rules.not_before.search(lower, max(sentence[0], start - 40), start):
            return False
        if spec.not_in_sentence is not None and spec.not_in_sentence.search(lower, *sentence):
            return False
        return not spec.needs_person or bool(self.rules.persons_taken.search(lower, *sentence))

    @staticmethod
    def _add(found: dict[tuple[str, str | None], _Activity], kind: str, name: str | None, start: int, end: int,
             rule: str, index: int) -> None:
        activity = found.setdefault((kind, name), _Activity(kind, name, start, end, rule))
        if index not in activity.sentences:
            activity.sentences.append(index)

    def _operations(self, text: str, lower: str, starts: list[int],
                    bounds: list[tuple[int, int]]) -> list[tuple[_Operation, int, int, int]]:
        """(operation, start, end, sentence) per mention, each renamed to the fullest name it shares; none
        from a sentence that compares or lists operations."""
        mentions = []
        for match in guarded_finditer(self.rules.operation, text, self.rules.operation_keyword, lower):
            index = sentence_of(starts, match.start())
            if self.rules.comparison.search(lower, *bounds[index]):
                continue
            operation, end = self._operation(match)
            mentions.append((operation, match.start(), end, index))
        listed = {index for _, _, _, index in mentions
                  if len({o.code for o, _, _, i in mentions if i == index}) > 1}
        mentions = [m for m in mentions if m[3] not in listed]
        # fullest first; among equals the title-cased spelling ("Mahakam" before "MAHAKAM")
        names = sorted({m[0] for m in mentions}, key=lambda o: (len(o.region), o.year is not None,
                                                                 not any(w.isupper() for w in o.region)), reverse=True)
        kept: list[_Operation] = []
        for operation in names:
            if not any(k.covers(operation) for k in kept):
                kept.append(operation)
        return [(next(k for k in kept if k.covers(o)), start, end, index) for o, start, end, index in mentions]

    def _operation(self, match: re.Match[str]) -> tuple[_Operation, int]:
        """The operation a match names and where its name ends (the capitals after it may be a unit)."""
        if match.group("unknown"):
            return _Operation(match.group("unknown"), (), match.group("year")), match.end()
        code = self.rules.code_of[" ".join(match.group("code").lower().split())]
        region: list[str] = []
        year, end = None, match.end("code")
        for word in _REST_WORD.finditer(match.string, match.start("rest"), match.end("rest")):
            if word.group(0).startswith("("):
                continue
            if _YEAR.match(word.group(0)):
                year, end = "".join(word.group(0).split()), word.end()
                break
            if word.group(0).lower() in self.rules.region_stop or len(region) == 3:
                break
            region.append(word.group(0))
            end = word.end()
        return _Operation(code, tuple(region), year), end

    @staticmethod
    def _fold_unnamed(found: dict[tuple[str, str | None], _Activity]) -> list[_Activity]:
        """An unnamed mention of a type that also has a named program joins the first named row
        ("patroli" with "Patroli Dialogis"); "other" activities stay apart."""
        named = {}
        for (kind, name), activity in sorted(found.items(), key=lambda kv: kv[1].start):
            if name and kind != "other":
                named.setdefault(kind, activity)
        rows = []
        for (kind, name), activity in found.items():
            target = named.get(kind) if name is None else None
            if target is not None:
                target.sentences.extend(i for i in activity.sentences if i not in target.sentences)
                if activity.start < target.start:
                    target.start, target.end = activity.start, activity.end
            else:
                rows.append(activity)
        return sorted(rows, key=lambda a: a.start)

    def _attendance(self, lower: str, starts: list[int], activities: list[_Activity]) -> None:
        """Attendance goes to the activity mentioned nearest before it (two sentences back at most),
        else to the story's first activity."""
        mentions = sorted((index, position) for position, a in enumerate(activities) for index in a.sentences)
        for match in guarded_finditer(self.rules.attendees, lower, self.rules.attendance_verb, lower):
            amount = parse_amount(match.group("count"))
            if amount is None or amount.vague:
                continue
            index = sentence_of(starts, match.start())
            before = mentions[:bisect.bisect_right(mentions, (index, len(activities)))]
            target = activities[before[-1][1]] if before and index - before[-1][0] <= 2 else activities[0]
            if target.attendees is None:
                target.attendees = int(amount.value)


@Language.factory("kamtibmas_activities")
def make_activities(nlp: Language, name: str) -> ActivityExtractor:
    """Factory of the activities component (no settings: the rules are in patterns/activities.yaml)."""
    return ActivityExtractor()
