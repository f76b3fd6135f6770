"""Incidents: crimes, accidents and disasters a release reports as having happened or been foiled.

Trigger vocabulary (`patterns/incidents.yaml`) finds candidate mentions ("tawuran",
"sabu", "dibacok"); the cues of the trigger's sentence decide whether the text reports an
incident ("diamankan", "terjadi", "mengungkap kasus") or only names a topic of outreach or
warning ("bahaya narkoba", "jangan terprovokasi"). Releases describe one case in many
sentences, so mentions are merged into one incident per type per document, which also
gathers the counts of suspects and victims, the legal articles, and the date and place
(from the `dates` and `locations` facts, when those stages ran before this one).

Seizures link to the incident reported nearest before them (`nearest_incident`).
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
from .regexes import Alternation, word_start_regex
from .resources import load_yaml

_ANCHORS_KEY = "kamtibmas.incident_anchors"


# --------------------------------------------------------------------------- incident anchors

def incident_anchors(doc: Doc) -> list[tuple[int, str]]:
    """(offset, incident_id) of every sentence that reported an incident, sorted by offset."""
    return doc.user_data.get(_ANCHORS_KEY, [])


def nearest_incident(doc: Doc, offset: int) -> str | None:
    """The incident whose report comes nearest before `offset` (else the first one after it)."""
    anchors = incident_anchors(doc)
    if not anchors:
        return None
    index = bisect.bisect_right([a for a, _ in anchors], offset) - 1
    return anchors[max(index, 0)][1]


# --------------------------------------------------------------------------- rules

@dataclass(frozen=True)
class _Trigger:
    id: str
    type: str
    base: int
    requires: re.Pattern[str] | None


@dataclass(frozen=True)
class _Cue:
    id: str
    weight: int


@dataclass(frozen=True)
class _Rules:
    triggers: Alternation
    trigger_info: dict[str, _Trigger]  # rule key -> trigger
    legal_hint: re.Pattern[str]
    legal_hint_id: str
    legal_hint_types: dict[str, str]
    sentence_cues: Alternation
    before_cues: Alternation
    cues: dict[str, _Cue]  # rule key -> cue
    threshold: int
    before_window: int
    subsumes: dict[str, frozenset[str]]  # type -> trigger ids whose incidents it covers
    suspect_count: re.Pattern[str]
    suspect_noun: re.Pattern[str]  # found wherever `suspect_count` is: a cheap test first
    initials: re.Pattern[str]
    victim_words: re.Pattern[str]
    victim_counts: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]  # (cheap test, count pattern)
    article: re.Pattern[str]
    law: re.Pattern[str]
    law_window: int


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = load_yaml("incidents.yaml")
    triggers = {f"t{i}": _Trigger(r["id"], r["type"], int(r.get("base", 0)),
                                  re.compile(r["requires"]) if r.get("requires") else None)
                for i, r in enumerate(data["triggers"])}
    cues = {f"c{i}": _Cue(c["id"], int(c["weight"])) for i, c in enumerate(data["cues"])}
    scoped: dict[str, list[tuple[str, str, str]]] = {"sentence": [], "before": []}
    for key, cue in zip(cues, data["cues"]):
        scoped[cue["scope"]].append((key, cue["id"], cue["pattern"]))
    hint = data["legal_hints"][0]
    suspects, victims, legal = data["suspects"], data["victims"], data["legal"]
    collective = r"ke(?:dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas)(?:nya)?"
    count = rf"(?P<count>\b(?:{NUMBER}|seorang|{collective})\b)"
    return _Rules(
        triggers=Alternation((g, t.id, r["pattern"]) for (g, t), r in zip(triggers.items(), data["triggers"])),
        trigger_info=triggers,
        legal_hint=word_start_regex(hint["pattern"]),
        legal_hint_id=hint["id"],
        legal_hint_types={str(k): v for k, v in hint["articles"].items()},
        sentence_cues=Alternation(scoped["sentence"]),
        before_cues=Alternation(scoped["before"]),
        cues=cues,
        threshold=int(data["threshold"]),
        before_window=int(data["before_window"]),
        subsumes={k: frozenset(v) for k, v in data["subsumes"].items()},
        suspect_count=re.compile(rf"{count}\s+{suspects['nouns']}\b"),
        suspect_noun=re.compile(rf"\s{suspects['nouns']}\b"),
        initials=re.compile(suspects["initials"]),
        victim_words=re.compile(suspects["victim_words"]),
        victim_counts=(
            (re.compile(rf"\s{victims['nouns']}\b"), re.compile(rf"{count}\s+{victims['nouns']}\b")),
            (re.compile(victims["harm"]), re.compile(rf"{victims['harmed_count']}\s+(?:orang\s+)?(?:\w+\s+){{0,2}}?{victims['harm']}")),
        ),
        article=word_start_regex(legal["article"]),
        law=word_start_regex(legal["law"]),
        law_window=int(legal["law_window"]),
    )


# --------------------------------------------------------------------------- extraction

@dataclass
class _Mention:
    start: int
    end: int
    type: str
    rule: str
    score: int
    sentence: int


@dataclass(frozen=True)
class _Counts:
    """What one sentence states about the people involved in its incident."""

    suspects: int
    initials: frozenset[str]  # suspects named by initials
    victims: int


@dataclass
class _Incident:
    first: _Mention
    score: int
    sentences: list[int] = field(default_factory=list)
    rules: set[str] = field(default_factory=set)


def _confidence(score: int) -> float:
    """Score 2 (one arrest verb) -> 0.75; each further cue adds 0.1, up to 0.95."""
    return min(0.95, 0.55 + 0.1 * score)


class IncidentExtractor:
    """spaCy component: records `incidents` facts, one per type per document."""

    def __init__(self) -> None:
        self.rules = _rules()

    def __call__(self, doc: Doc) -> Doc:
        text, lower = text_views(doc)
        candidates = list(self._candidates(lower))
        if not candidates:
            return doc
        bounds = sentence_bounds(doc)
        starts = [s for s, _ in bounds]
        placed = [(candidate, sentence_of(starts, candidate[0])) for candidate in candidates]
        # cues only where they matter: the candidates' sentences and the next ones (counted for suspects)
        sentence_cues = {i: self._cues(lower, bounds[i])
                         for i in {index + d for _, index in placed for d in (0, 1)} if i < len(bounds)}
        mentions = []
        for (start, end, kind, trigger_id, base, requires), index in placed:
            sent_start, sent_end = bounds[index]
            if requires is not None and not requires.search(lower, sent_start, sent_end):
                continue
            before = self.rules.before_cues.scan(lower, max(sent_start, start - self.rules.before_window), start)
            score = base + sum(sentence_cues[index].values()) + sum(self.rules.cues[key].weight for key, _, _ in before)
            if score >= self.rules.threshold:
                mentions.append(_Mention(start, end, kind, trigger_id, score, index))
        if mentions:
            aggregates = {i for i, cues in sentence_cues.items() if "aggregate" in cues}
            self._record(doc, text, lower, mentions, bounds, aggregates)
        return doc

    def _candidates(self, lower: str):
        rules = self.rules
        for key, start, end in rules.triggers.scan(lower):
            trigger = rules.trigger_info[key]
            yield start, end, trigger.type, trigger.id, trigger.base, trigger.requires
        for match in rules.legal_hint.finditer(lower):
            kind = rules.legal_hint_types.get(match.group("article"))
            if kind:
                yield match.start(), match.end(), kind, rules.legal_hint_id, 0, None

    def _cues(self, lower: str, sentence: tuple[int, int]) -> dict[str, int]:
        """{cue id: weight} of the sentence cues found in a sentence."""
        found = {}
        for key, _, _ in self.rules.sentence_cues.scan(lower, *sentence):
            cue = self.rules.cues[key]
            found[cue.id] = cue.weight
        return found

    def _record(self, doc: Doc, text: str, lower: str, mentions: list[_Mention],
                bounds: list[tuple[int, int]], aggregates: set[int]) -> None:
        incidents: dict[str, _Incident] = {}
        for mention in mentions:
            incident = incidents.setdefault(mention.type, _Incident(mention, mention.score))
            incident.score = max(incident.score, mention.score)
            incident.rules.add(mention.rule)
            if mention.sentence not in incident.sentences:
                incident.sentences.append(mention.sentence)
        for covering, covered in self.rules.subsumes.items():
            if covering in incidents:
                for kind, incident in list(incidents.items()):
                    if incident.rules <= covered:
                        del incidents[kind]
        numbered = [(f"i{n}", incident)
                    for n, incident in enumerate(sorted(incidents.values(), key=lambda i: i.first.start), 1)]
        doc.user_data[_ANCHORS_KEY] = sorted((bounds[i][0], incident_id)
                                             for incident_id, incident in numbered for i in incident.sentences)
        legal: dict[str, list[str]] = {}
        for offset, article in self._legal_articles(text, lower):
            incident_id = nearest_incident(doc, offset)
            if incident_id and article not in legal.setdefault(incident_id, []):
                legal[incident_id].append(article)
        counts: dict[int, _Counts] = {}  # by sentence: incidents often share sentences
        for incident_id, incident in numbered:
            counted = []
            for index in {i + d for i in incident.sentences for d in (0, 1)}:
                if index < len(bounds) and index not in aggregates:
                    if index not in counts:
                        counts[index] = self._counts(text, lower, bounds[index])
                    counted.append(counts[index])
            first = incident.first
            add_fact(doc, "incidents", first.start, first.end, confidence=_confidence(incident.score),
                     extractor="rule", rule=first.rule, incident_id=incident_id, type=first.type,
                     date=link_date(doc, incident.sentences), location=link_location(doc, incident.sentences),
                     suspects=max(max((c.suspects for c in counted), default=0),
                                  len(frozenset().union(*(c.initials for c in counted)))) or None,
                     victims=max((c.victims for c in counted), default=0) or None,
                     legal_articles=legal.get(incident_id, []))

    def _counts(self, text: str, lower: str, sentence: tuple[int, int]) -> _Counts:
        """The counts a sentence states; a count is only looked for where its noun or harm word occurs."""
        rules, (start, end) = self.rules, sentence
        suspects = max((_count(m.group("count")) for m in rules.suspect_count.finditer(lower, start, end)), default=0) \
            if rules.suspect_noun.search(lower, start, end) else 0
        initials = frozenset() if rules.victim_words.search(lower, start, end) else frozenset(
            m.group("initials") or m.group("named") for m in rules.initials.finditer(text, start, end))
        victims = max((_count(m.group("count")) for needed, pattern in rules.victim_counts
                       if needed.search(lower, start, end) for m in pattern.finditer(lower, start, end)), default=0)
        return _Counts(suspects, initials, victims)

    def _legal_articles(self, text: str, lower: str) -> list[tuple[int, str]]:
        """(offset, "Pasal 114 ayat (2) UU RI Nomor 35 Tahun 2009"); a statute no article claims stands
        alone ("UU Darurat No 12 Tahun 1951"), a bare "KUHP" does not ("UU No 1 Tahun 2023 tentang KUHP")."""
        laws = [(m.start(), " ".join(text[m.start():m.end()].split())) for m in self.rules.law.finditer(lower)]
        claimed: set[int] = set()
        found: list[tuple[int, str]] = []
        for match in self.rules.article.finditer(lower):
            limit = min(match.end() + self.rules.law_window, _sentence_end(text, match.end()))
            law = next((law for law in laws if match.end() <= law[0] <= limit), None)
            article = " ".join(text[match.start():match.end()].split())
            if law is not None:
                claimed.add(law[0])
                article = f"{article} {law[1]}"
            found.append((match.start(), article))
        found.extend(law for law in laws if law[0] not in claimed and not law[1].upper().startswith("KUH"))
        return sorted(found)


def _count(expression: str) -> int:
    """A definite count ("tiga", "ketiga", "seorang"); 0 for vague or unreadable ones ("puluhan")."""
    amount = parse_amount(expression)
    return int(amount.value) if amount and not amount.vague else 0


_SENTENCE_STOP = re.compile(r"\.\s+[A-Z\"]|\n")


def _sentence_end(text: str, offset: int) -> int:
    match = _SENTENCE_STOP.search(text, offset)
    return match.start() if match else len(text)


@Language.factory("kamtibmas_incidents")
def make_incidents(nlp: Language, name: str) -> IncidentExtractor:
    """Factory of the incidents component (no settings: the rules are in patterns/incidents.yaml)."""
    return IncidentExtractor()
