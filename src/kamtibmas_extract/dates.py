"""Dates extractor: calendar dates and clock times, resolved to ISO with an honest year.

Releases write "Rabu (6/11)" and leave the year to the reader. Every date row says how its
year was found (`resolution`): written in the date (`explicit`), taken from the publication
date (`publication_date`), from another date or year the document gives (`document_context`),
from the weekday alone (`weekday_consistent`), or not found at all (`unresolved`, value null:
a year is never invented). `resolve_year` is the reusable core of that rule.

The common forms are read by precompiled regexes (patterns/dates.yaml) straight into
integers; dateparser only sees "day word year" spans whose month word the rules do not
know, and its answers are cached.
"""
from __future__ import annotations

import bisect
import datetime as dt
import os
import functools
import re
from dataclasses import dataclass, replace
from typing import Any, Collection, Iterable, Literal, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from .facts import add_fact, doc_text, meta
from .resources import load_yaml

Resolution = Literal["explicit", "publication_date", "weekday_consistent", "document_context", "unresolved"]
Role = Literal["event", "publication"]


@dataclass(frozen=True, slots=True)
class DateCandidate:
    """A date mention before its year is resolved (day and month are always known)."""

    start: int
    end: int
    day: int
    month: int
    year: int | None
    weekday: int | None
    rule: str
    role: Role = "event"
    extractor: str = "rule"


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A clock time ("HH:MM") with its time zone, if written."""

    start: int
    end: int
    time: str
    timezone: str | None


@dataclass(frozen=True, slots=True)
class _DateRule:
    id: str
    regex: re.Pattern[str]
    role: Role
    needs_weekday: bool
    not_after: re.Pattern[str] | None


def _preceded_by(regex: re.Pattern[str] | None, text: str, start: int, window: int = 40) -> re.Match[str] | None:
    """`regex` (compiled to end in \\Z) matched right before `start`."""
    return regex.search(text, max(0, start - window), start) if regex is not None else None


def _alternation(words: Iterable[str], escape: bool = True) -> str:
    """Regex alternation, longest first so "Maret" wins over "Mar"."""
    items = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") if escape else w for w in items)


class _Grammar:
    """The compiled rules and vocabularies of patterns/dates.yaml."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.weekdays: dict[str, int] = {k.lower(): int(v) for k, v in data["weekdays"].items()}
        self.months: dict[str, int] = {k.lower(): int(v["month"]) for k, v in data["months"].items()}
        self.timezones: dict[str, str] = {k.lower(): v for k, v in data["timezones"].items()}
        fill = {
            "weekday": _alternation(self.weekdays),
            "month": _alternation(self.months),
            "month_full": _alternation(k for k, v in data["months"].items() if v.get("full")),
            "part": _alternation(data["parts_of_day"]),
            "connector": _alternation(data["range_connectors"], escape=False),
            "tz": _alternation(self.timezones),
        }

        def compile_(pattern: str) -> re.Pattern[str]:
            for key, value in fill.items():
                pattern = pattern.replace("{" + key + "}", value)
            return re.compile(pattern, re.I)

        def before(pattern: str | None) -> re.Pattern[str] | None:
            return compile_(f"(?:{pattern})\\Z") if pattern else None

        self.date_rules = tuple(
            _DateRule(r["id"], compile_(r["pattern"]), r.get("role", "event"), bool(r.get("needs_weekday")),
                      before(r.get("not_after"))) for r in data["date_rules"])
        fallback = data["dateparser_candidate"]
        self.fallback_id: str = fallback["id"]
        self.fallback = compile_(fallback["pattern"])
        self.fallback_not_after = before(fallback["not_after"])
        self.not_month_words = frozenset(w.lower() for w in fallback["not_month_words"])
        self.prefix = compile_(data["prefix"])
        self.header_stamp = compile_(data["publication_suffix"]["header_stamp"])
        self.dateline = compile_(data["publication_suffix"]["dateline"])
        self.dateline_max_offset = int(data["dateline_max_offset"])
        self.header_max_line = int(data["header_max_line"])
        self.range_gap = compile_(data["range_gap"])
        self.bare_year = compile_(data["bare_year"])
        self.bare_year_not_after = before(data["bare_year_not_after"])
        self.month_before_year = compile_(data["month_before_year"])
        self.bare_year_excluded = compile_(data["bare_year_excluded_before"])
        clock = data["time"]
        self.time = compile_(clock["pattern"])
        self.time_not_after = before(clock["not_after"])
        self.clock_word = compile_(clock["clock_word"])
        self.confidence: dict[str, float] = {k: float(v) for k, v in data["confidence"].items()}
        self.dateparser_penalty = float(data["dateparser_penalty"])
        self.two_digit_lookahead = int(data["two_digit_year_lookahead"])
        self.weekday_years = int(data["weekday_search_years"])
        self.future_weight = float(data["future_weight"])


@functools.lru_cache(maxsize=1)
def grammar() -> _Grammar:
    """The date grammar, compiled once per process."""
    return _Grammar(load_yaml("dates.yaml"))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _valid_day_month(day: int, month: int) -> bool:
    return _safe_date(2000, month, day) is not None  # 2000 is a leap year: 29/2 stays valid


def expand_year(text: str, today: dt.date) -> int:
    """A written year as four digits: "24" -> 2024, "98" -> 1998 (two-digit years near today are 20xx)."""
    year = int(text)
    if len(text) > 2:
        return year
    return 2000 + year if 2000 + year <= today.year + grammar().two_digit_lookahead else 1900 + year


def _closest(day: int, month: int, reference: dt.date, future_weight: float) -> dt.date | None:
    """The date with this day and month nearest to `reference` (later dates cost `future_weight` per day)."""
    best: tuple[float, dt.date] | None = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        candidate = _safe_date(year, month, day)
        if candidate is None:
            continue
        days = (candidate - reference).days
        cost = days * future_weight if days > 0 else -days
        if best is None or cost < best[0]:
            best = (cost, candidate)
    return best[1] if best else None


def resolve_year(day: int, month: int, *, weekday: int | None = None, published: dt.date | None = None,
                 anchor: dt.date | None = None, context_years: Collection[int] = (),
                 today: dt.date | None = None) -> tuple[dt.date | None, Resolution]:
    """The full date of a day and month written without a year, and how its year was found.

    In order: the publication date (`published`; the year that puts the date nearest it,
    so "(28/12)" published 2025-01-03 is 2024-12-28), another date of the document
    (`anchor`, nearest year either way), the weekday (years where the day falls on it and
    the date is not after `today`: one of `context_years` if any fits, else the latest),
    else `(None, "unresolved")`.
    """
    g = grammar()
    if not _valid_day_month(day, month):
        return None, "unresolved"
    if published is not None:
        return _closest(day, month, published, g.future_weight), "publication_date"
    if anchor is not None:
        return _closest(day, month, anchor, 1.0), "document_context"
    if weekday is not None:
        reference = today or dt.date.today()
        fitting = [d for year in range(reference.year, reference.year - g.weekday_years, -1)
                   if (d := _safe_date(year, month, day)) is not None and d <= reference and d.weekday() == weekday]
        named = [d for d in fitting if d.year in context_years]
        if named:
            return named[0], "document_context"
        if fitting:
            return fitting[0], "weekday_consistent"
    return None, "unresolved"


@functools.lru_cache(maxsize=4096)
def _dateparser_date(span: str) -> dt.date | None:
    """dateparser's reading of a "day word year" span (slow: cached, and only for unknown month words)."""
    import dateparser

    parsed = dateparser.parse(span, languages=["id", "en"],
                              settings={"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date() if parsed else None


class DateExtractor:
    """Finds date and time mentions in `doc.text` and writes `dates` rows with resolved years."""

    def __init__(self, today: dt.date | None = None) -> None:
        self.g = grammar()  # compiled here, not on the first document
        self.today = today

    # -- finding ---------------------------------------------------------------------------

    def _weekday_before(self, text: str, start: int) -> tuple[int, int | None]:
        """Where the mention starts given the words before it, and the day name there, if any."""
        match = _preceded_by(self.g.prefix, text, start)
        if match is None:
            return start, None
        if match.group("wd"):
            return match.start("span"), self.g.weekdays.get(match.group("wd").lower())
        return match.start("tgl"), None

    def _role(self, text: str, end: int, default: Role) -> tuple[Role, str | None]:
        """A page header's stamp (on a short line of its own) or a dated dateline is the publication date."""
        if self.g.header_stamp.match(text, end):
            line_end = text.find("\n", end)
            if (len(text) if line_end < 0 else line_end) - text.rfind("\n", 0, end) <= self.g.header_max_line:
                return "publication", "header_stamp"
        if end <= self.g.dateline_max_offset and self.g.dateline.match(text, end):
            return "publication", "dateline"
        return default, None

    def find_dates(self, text: str, today: dt.date) -> list[DateCandidate]:
        """Every date mention with a day and a month, overlaps resolved by rule priority."""
        found: list[DateCandidate] = []
        taken: list[tuple[int, int]] = []

        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e in taken)

        for rule in self.g.date_rules:
            for match in rule.regex.finditer(text):
                if not free(match.start(), match.end()) or _preceded_by(rule.not_after, text, match.start(), 2):
                    continue
                for candidate in self._candidates(text, match, rule, today):
                    found.append(candidate)
                    taken.append((candidate.start, candidate.end))
        for match in self.g.fallback.finditer(text):
            word = match.group("word").lower()
            if (word in self.g.months or word in self.g.not_month_words or not free(match.start(), match.end())
                    or _preceded_by(self.g.fallback_not_after, text, match.start(), 2)):
                continue
            parsed = _dateparser_date(match.group(0))
            if parsed is None or parsed.day != int(match.group("d")) or parsed.year != int(match.group("y")):
                continue
            start, weekday = self._weekday_before(text, match.start())
            role, _ = self._role(text, match.end(), "event")
            found.append(DateCandidate(start, match.end(), parsed.day, parsed.month, parsed.year, weekday,
                                       self.g.fallback_id, role, "dateparser"))
        found.sort(key=lambda c: c.start)
        return found

    def _candidates(self, text: str, match: re.Match[str], rule: _DateRule,
                    today: dt.date) -> list[DateCandidate]:
        groups = match.groupdict()
        month = self.g.months[groups["mon"].lower()] if groups.get("mon") else int(groups["m"])
        days = [int(groups["d"])] + ([int(groups["d2"])] if groups.get("d2") else [])
        year = expand_year(groups["y"], today) if groups.get("y") else None
        if not all(_valid_day_month(d, month) for d in days):
            return []
        if year is not None and any(_safe_date(year, month, d) is None for d in days):
            return []
        start, weekday = (match.start(), None) if rule.id == "page_stamp" else self._weekday_before(text, match.start())
        if groups.get("wd_in"):
            weekday = self.g.weekdays.get(groups["wd_in"].lower())
        if rule.needs_weekday and year is None and weekday is None:
            return []
        role, stamp_rule = self._role(text, match.end(), rule.role)
        return [DateCandidate(start, match.end(), d, month, year, weekday if len(days) == 1 else None,
                              stamp_rule or rule.id, role) for d in days]

    def find_times(self, text: str) -> list[TimeMention]:
        """Clock times after a clock word ("pukul 10.10") or with a time zone ("04:45 WIB")."""
        found: list[TimeMention] = []
        for match in self.g.time.finditer(text):
            hour, minute, zone = int(match.group("h")), int(match.group("mi")), match.group("tz")
            if hour > 23 or minute > 59 or _preceded_by(self.g.time_not_after, text, match.start(), 1):
                continue
            if zone or _preceded_by(self.g.clock_word, text, match.start(), 12):
                found.append(TimeMention(match.start(), match.end(), f"{hour:02d}:{minute:02d}",
                                         self.g.timezones[zone.lower()] if zone else None))
        return found

    def year_context(self, text: str, dates: list[DateCandidate]) -> tuple[set[int], list[tuple[int, dt.date]]]:
        """Years the text names outside its dates ("Pilkada Serentak 2020"; law citations
        excepted), and its month-years ("Mei 2024", as mid-month dates with their offsets)."""
        spans = [(c.start, c.end) for c in dates]
        years: set[int] = set()
        months: list[tuple[int, dt.date]] = []
        for match in self.g.bare_year.finditer(text):
            start = match.start()
            if (any(s <= start < e for s, e in spans) or _preceded_by(self.g.bare_year_not_after, text, start, 1)
                    or _preceded_by(self.g.bare_year_excluded, text, start, 30)):
                continue
            year = int(match.group("y"))
            years.add(year)
            month = _preceded_by(self.g.month_before_year, text, start, 15)
            if month is not None:
                months.append((month.start(), dt.date(year, self.g.months[month.group("mon").lower()], 15)))
        return years, months

    # -- resolving -------------------------------------------------------------------------

    def resolve(self, text: str, dates: list[DateCandidate], published: dt.date | None,
                today: dt.date) -> list[tuple[DateCandidate, dt.date | None, Resolution]]:
        """Each candidate with its full date and resolution (see `resolve_year`).

        Without a publication date in the metadata, the page's own publication stamp
        stands in. Anchors are the document's explicit event dates; a date with neither a
        weekday nor such an anchor may use a month-year ("Mei 2024"), and one still
        unresolved takes the year of the nearest resolved date. An unresolved row has a
        null value and precision "year", the least it can claim.
        """
        dates = self._close_ranges(text, dates)
        explicit = [(c, _safe_date(c.year, c.month, c.day)) for c in dates if c.year is not None]
        if published is None:
            published = next((d for c, d in explicit if c.role == "publication" and d is not None), None)
        anchors = [(c.start, d) for c, d in explicit if c.role == "event"]
        years: set[int] = set()
        months: list[tuple[int, dt.date]] = []
        if published is None and not anchors and any(c.year is None for c in dates):
            years, months = self.year_context(text, dates)
        out: list[tuple[DateCandidate, dt.date | None, Resolution]] = []
        for c in dates:
            if c.year is not None:
                out.append((c, _safe_date(c.year, c.month, c.day), "explicit"))
                continue
            anchor = _nearest(anchors, c.start) or (_nearest(months, c.start) if c.weekday is None else None)
            out.append((c, *resolve_year(c.day, c.month, weekday=c.weekday, published=published, anchor=anchor,
                                         context_years=years, today=today)))
        resolved = [(c.start, v) for c, v, _ in out if v is not None]
        if not resolved:
            return out
        return [(c, *resolve_year(c.day, c.month, anchor=_nearest(resolved, c.start))) if how == "unresolved"
                else (c, v, how) for c, v, how in out]

    def _close_ranges(self, text: str, dates: list[DateCandidate]) -> list[DateCandidate]:
        """"27 Agustus hingga 16 Desember 2024": the open end takes the year of the closing one."""
        out = list(dates)
        for i in range(len(out) - 1):
            first, second = out[i], out[i + 1]
            if first.year is not None or second.year is None:
                continue
            if not self.g.range_gap.fullmatch(text, first.end, second.start):
                continue
            year = second.year - 1 if (first.month, first.day) > (second.month, second.day) else second.year
            out[i] = replace(first, year=year)
        return out

    # -- the component ---------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        today = self.today or dt.date.today()
        dates = self.find_dates(text, today)
        if not dates:
            return doc
        resolved = self.resolve(text, dates, meta(doc).get("published"), today)
        times = self.find_times(text)
        attached = self._attach_times(doc, [c for c, _, _ in resolved], times) if times else {}
        for index, (c, value, how) in enumerate(resolved):
            confidence = self.g.confidence[how] - (self.g.dateparser_penalty if c.extractor == "dateparser" else 0.0)
            clock = attached.get(index)
            add_fact(doc, "dates", c.start, c.end, confidence=confidence, extractor=c.extractor, rule=c.rule,
                     value=value, time=clock.time if clock else None, timezone=clock.timezone if clock else None,
                     precision="day" if value is not None else "year", role=c.role, resolution=how)
        return doc

    @staticmethod
    def _attach_times(doc: Doc, dates: list[DateCandidate], times: list[TimeMention]) -> dict[int, TimeMention]:
        """Each time goes to the nearest date of its sentence; a date keeps the nearest time."""
        starts = doc.to_array("IDX")[doc.to_array("SENT_START") == 1].tolist()  # no Span objects: cheap
        sentence_of = [bisect.bisect_right(starts, c.start) for c in dates]
        best: dict[int, tuple[int, TimeMention]] = {}
        for t in times:
            sentence = bisect.bisect_right(starts, t.start)
            options = [(min(abs(t.start - c.end), abs(c.start - t.end)), i)
                       for i, c in enumerate(dates) if sentence_of[i] == sentence]
            if not options:
                continue
            distance, index = min(options)
            if index not in best or distance < best[index][0]:
                best[index] = (distance, t)
        return {i: t for i, (_, t) in best.items()}


def _nearest(anchors: Sequence[tuple[int, dt.date | None]], position: int) -> dt.date | None:
    """The anchor date written nearest to `position` in the text."""
    valid = [(abs(s - position), d) for s, d in anchors if d is not None]
    return min(valid, key=lambda x: x[0])[1] if valid else None


#: Environment variable that pins "today" for every worker of a run.
TODAY_ENV = "KAMTIBMAS_TODAY"


@Language.factory("kamtibmas_dates", default_config={"today": None})
def make_dates(nlp: Language, name: str, today: str | None) -> DateExtractor:
    """`today` (ISO) fixes the reference for the weekday rule, for reproducible runs; default: the
    environment's KAMTIBMAS_TODAY, else the clock. (Gold is scored with the date it was annotated.)"""
    today = today or os.environ.get(TODAY_ENV)
    return DateExtractor(dt.date.fromisoformat(today) if today else None)
