"""Named people: officers with rank, position and unit; officials and residents.

Rules, in the canonical release order "jabatan -> unit -> pangkat -> nama -> gelar":
- rank + name ("AKBP Wiwit Ari Wibisono, S.H., S.I.K., M.H."), with the position and unit
  written before the rank attached ("Kasat Reskrim Polres Garut AKP Totok Wijanarko");
- position + name without a rank ("tutur Lurah Indrawan", "Kepala Desa Sukamaju Ahmad");
- name + role link + position ("Ujang selaku Ketua RT 05");
- speech verb + name ("ujar Roby");
- NER PER spans (when an NER back end runs) for names no rule sees.
Mentions of one person are merged (the fullest name wins, the first mention's offsets stay),
"tambah Dani" resolving to "Dani Hamdani".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from .facts import add_fact, doc_text, text_views
from .gazetteer import load_gazetteer
from .ner.component import OnDemandNer, pipeline_ner
from .resources import load_yaml
from .regexes import WordGate, alternation
from .units import UnitFound, vocabulary as unit_vocabulary

PERSON_TABLE = "persons"
#: Gazetteer levels of the place a civil position governs ("Camat Bekasi Selatan").
POSITION_AREA_LEVELS = {
    "Camat": ("kecamatan",), "Sekcam": ("kecamatan",), "Lurah": ("kelurahan", "desa"),
    "Kepala Desa": ("desa", "kelurahan"), "Perbekel": ("desa",), "Sekretaris Desa": ("desa",),
    "Bupati": ("kabupaten",), "Wakil Bupati": ("kabupaten",), "Wali Kota": ("kota",),
    "Wakil Wali Kota": ("kota",), "Gubernur": ("provinsi",), "Wakil Gubernur": ("provinsi",),
}
_POLRI_HEADS = {"Polda": "polda", "Polres": "polres", "Polresta": "polres", "Polrestabes": "polres",
                "Polsek": "polsek", "Polsubsektor": "polsek"}


@dataclass(frozen=True)
class Rank:
    canonical: str
    order: int
    group: str
    organization: str


@dataclass(frozen=True)
class Position:
    canonical: str
    organization: str
    heads: str | None
    unit: str | None
    unit_level: str | None


@dataclass
class PersonMention:
    start: int
    end: int
    name: str
    rule: str
    confidence: float
    rank: Rank | None = None
    position: Position | None = None
    unit: str | None = None
    organization: str | None = None
    extractor: str = "rule"
    tokens: frozenset[str] = field(default_factory=frozenset)


def _key(text: str) -> str:
    return re.sub(r"[\s.]+", "", text.lower())


class PersonVocabulary:
    """Compiled rank, position and name patterns."""

    def __init__(self) -> None:
        ranks = load_yaml("ranks.yaml")
        positions = load_yaml("positions.yaml")
        rules = load_yaml("persons.yaml")
        self.ranks: dict[str, Rank] = {}
        for entry in ranks["polri"]:
            for variant in entry["variants"]:
                self.ranks[_key(variant)] = Rank(entry["canonical"], 23 - entry["order"], entry["group"], "polri")
        for entry in ranks["tni"]:
            for variant in entry["variants"]:
                self.ranks[_key(variant)] = Rank(entry["canonical"], 23 - entry["order"], "tni", "tni")
        rank_forms = [v for group in ("polri", "tni") for e in ranks[group] for v in e["variants"]]
        corps = alternation([c for c in ranks["tni_corps"] if c[0] != "("])
        stray = r"(?:II|III|IV)"
        self.positions: dict[str, Position] = {}
        for entry in positions["positions"]:
            for variant in entry["variants"]:
                self.positions[_key(variant)] = Position(entry["canonical"], entry["org"], entry.get("heads"),
                                                         entry.get("unit"), entry.get("unit_level"))
        position_forms = [v for e in positions["positions"] for v in e["variants"]]
        position_alt = alternation(position_forms)
        stop = set(rules["stop_words"]) | {v.split()[0] for v in rank_forms} | {
            v.split()[0] for e in positions["positions"] for v in e["variants"]}
        self.stop = {w.lower() for w in stop}
        self.degrees = set(rules["degrees"])
        degrees = alternation(rules["degrees"])
        self.titles = {t.lower() for t in rules["titles"]}
        titles = alternation(rules["titles"])
        particles = "|".join(rules["name_particles"])
        token = (r"(?:[A-Z][a-z]{1,3}\.(?=\s+[A-Z][a-z])|[A-Z]{2,3}\.(?=\s+[A-Z]{2,})"
                 r"|[A-Z][a-z'\u2019]+(?:-[A-Z]?[a-z]+)?|[A-Z]{2,}(?![a-z])|[A-Z]\.?(?=\s+[A-Z][a-z]))")
        self.name = rf"(?:(?:{titles})\.?\s+)*(?P<name>{token}(?:\s+(?:(?:{particles})\s+)?{token}){{0,5}})"
        self.rank_re = re.compile(
            rf"(?<![\w-])(?P<rank>(?:Pol\.?\s+)?(?i:{alternation(rank_forms)}))(?:\s*\(?(?i:Pol(?:isi)?)\.?\)?)?"
            rf"(?:\s+(?:{corps})\b)?(?:\s+{stray}\b)?\.?\s+{self.name}")
        self.position_re = re.compile(rf"(?<!\w)(?P<pos>(?i:{position_alt}))(?![\w-])")
        degree_tail = rf"(?:\s*,?\s*(?:(?:{degrees})\b|[A-Z][A-Za-z]{{0,4}}\.(?:[A-Za-z]{{1,5}}\.?)*))*"
        self.appositive_re = re.compile(rf"{degree_tail}\s*,\s*(?P<pos>(?i:{position_alt}))(?![\w-])\s*")
        self.position_name_re = WordGate(
            rf"(?<![\w-])(?P<pos>(?i:{position_alt}))(?:\s*(?:RT|RW)?\.?\s*\d{{1,3}}(?:\s*/\s*\d{{1,3}})?)?"
            rf"\s*,?\s+{self.name}", position_forms)
        links = alternation(rules["role_links"])
        #: Anchors after a name; the name itself is read backwards from the anchor (`name_before`),
        #: which is far cheaper than trying a name pattern at every capitalised word.
        self.role_re = re.compile(rf"\s*,?\s+(?:{links})\s+(?P<pos>(?i:{position_alt}))(?![\w-])")
        self.name_end_re = re.compile(rf"{self.name}$")
        roles = alternation(rules["civilian_roles"])
        self.role_after_re = re.compile(rf"\s*,\s+(?:salah (?:satu|seorang) |seorang )?(?i:{roles})\b")
        self.role_before_re = WordGate(rf"(?<![\w-])(?i:{roles})(?:\s+[a-z]+){{0,2}}\s*,\s+{self.name}\s*(?=[,.(])",
                                       rules["civilian_roles"])
        self.age_re = re.compile(r"(?<=\w)\s*\(\d{1,2}(?:\s*(?:tahun|th))?\)")
        #: Runs of two or more title-case words: where a name no rule found can still hide (the
        #: capital comes first, then the check of what precedes it, so re skips ahead to capitals).
        self.capitalised_run_re = re.compile(r"[A-Z](?<![\w-][A-Z])[a-z'\u2019-]+(?:\s[A-Z][a-z'\u2019-]+)+(?![\w-])")
        self.ner_rejected = {w.lower() for group in rules["ner_rejected"].values() for w in group}
        #: Capitalised words that may stand right before a name but are no part of it.
        self.name_openers = self.titles | {v for v in rules["speech_verbs"] if " " not in v}
        degree_cue = rf"\s*,\s*(?:{degrees})\b|\s*,\s*[A-Z][A-Za-z]{{0,3}}\.[A-Z]"
        self.ner_context = re.compile(rf"(?i:\b(?:{alternation(rules['ner_context'])})\b)|\(\d{{1,2}}\)|{degree_cue}")
        verbs = alternation(rules["speech_verbs"])
        self.speech_re = WordGate(rf"(?<![\w-])(?i:{verbs})\s+{self.name}(?=\s*[.,;:\"'!?)]|\s+\(|\s*$)",
                                  rules["speech_verbs"])

    def name_span(self, m: re.Match[str], from_end: bool = False) -> tuple[str, int, int]:
        """The name and its offsets, cut at words that cannot be part of a name (a position, unit or
        rank word, a weekday, a degree): the regexes match names generously and this cuts them.
        `from_end` keeps the last run of name words (a name that ends where a role link starts)."""
        words = list(re.finditer(r"\S+", m.group("name")))
        if from_end:
            words.reverse()
        kept = []
        for word in words:
            if self.ends_name(word.group(0)):
                break
            kept.append(word)
        if not kept:
            return "", m.start("name"), m.start("name")
        kept.sort(key=lambda w: w.start())
        base = m.start("name")
        start, end = base + kept[0].start(), base + kept[-1].end()
        return clean_name(m.string[start:end]), start, end

    def name_segments(self, run: re.Match[str]) -> list[tuple[int, int]]:
        """Offsets of the stretches of a capitalised run between words that cannot be part of a name."""
        segments, current = [], []
        for word in [*re.finditer(r"\S+", run.group()), None]:
            if word is not None and not self.ends_name(word.group()):
                current.append(word)
                continue
            if current:
                segments.append((run.start() + current[0].start(), run.start() + current[-1].end()))
            current = []
        return segments

    def name_before(self, text: str, index: int) -> tuple[str, int, int]:
        """The name ending right before `index` (its last run of name words), or ""."""
        window_start = max(0, index - 80)
        m = self.name_end_re.search(text, window_start, index)
        if m is None:
            return "", index, index
        return self.name_span(m, from_end=True)

    def ends_name(self, word: str) -> bool:
        """Whether `word` cannot be part of a name (a position, unit or rank word, a degree ...)."""
        bare = word.rstrip(".")
        return bare.lower() in self.stop or bare in self.degrees

    def cut_name(self, name: str) -> str:
        """`name` up to the first word that cannot be part of a name."""
        kept = []
        for word in name.split():
            if self.ends_name(word):
                break
            kept.append(word)
        return " ".join(kept)

    def rank(self, written: str) -> Rank | None:
        return self.ranks.get(_key(re.sub(r"^Pol\.?\s+", "", written)))

    def position(self, written: str) -> Position | None:
        return self.positions.get(_key(written))


@lru_cache(maxsize=1)
def vocabulary() -> PersonVocabulary:
    return PersonVocabulary()


def clean_name(name: str) -> str:
    """Drop leading titles, title-case an all-caps name ("ZULHAM ABDILLAH" -> "Zulham Abdillah")."""
    words = name.split()
    titles = vocabulary().titles
    while len(words) > 1 and words[0].lower().rstrip(".") in titles:
        words = words[1:]
    if all(w.isupper() for w in words if len(w) > 1) and any(len(w) > 3 for w in words):
        words = [w.title() if len(w) > 1 and not w.endswith(".") else w for w in words]
    return " ".join(words)


def _name_tokens(name: str) -> frozenset[str]:
    titles = vocabulary().titles
    return frozenset(t for t in re.findall(r"[a-z0-9']+", name.lower()) if t not in titles and len(t) > 1)


class PersonExtractor:
    """spaCy component: one `persons` fact per distinct person, linked to rank, position and unit."""

    def __init__(self, ner: OnDemandNer | None = None) -> None:
        self.vocab = vocabulary()
        self.units = unit_vocabulary()
        self.ner = ner

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc]) -> Iterator[Doc]:
        """Persons of several documents at once: the NER model, where it runs, is called once
        for all of them, since a call costs about a millisecond however few tokens it tags."""
        docs = list(docs)
        mentions = [self._rule_mentions(doc) for doc in docs]
        if self.ner is not None:
            for doc_mentions, more in zip(mentions, self._ner_mentions(docs, mentions)):
                doc_mentions.extend(more)
        for doc, doc_mentions in zip(docs, mentions):
            self._add_facts(doc, doc_mentions)
            yield doc

    def _rule_mentions(self, doc: Doc) -> list[PersonMention]:
        text, lower = text_views(doc)
        units: list[UnitFound] = doc._.unit_mentions or []
        mentions = self._rank_mentions(text, units) + self._position_mentions(text, lower, units)
        mentions += self._role_mentions(text) + self._speech_mentions(text, lower)
        return mentions + self._civilian_mentions(text, lower)

    def _add_facts(self, doc: Doc, mentions: list[PersonMention]) -> None:
        units: list[UnitFound] = doc._.unit_mentions or []
        for person in _merge(mentions):
            self._fill_unit_by_family(person, units)
            add_fact(doc, PERSON_TABLE, person.start, person.end, confidence=person.confidence,
                     extractor=person.extractor, rule=person.rule, name=person.name,
                     rank=person.rank.canonical if person.rank else None,
                     rank_order=person.rank.order if person.rank else None,
                     rank_group=person.rank.group if person.rank else None,
                     position=person.position.canonical if person.position else None,
                     unit=person.unit, organization=person.organization)

    def _position_before(self, text: str, end: int, units: list[UnitFound]) -> tuple[Position | None, str | None, int]:
        """The position written just before `end` (only unit/place words between) and its unit."""
        window_start = max(0, end - 120)
        window = text[window_start:end]
        cut = max(window.rfind("."), window.rfind("\n"), window.rfind('"'))
        if cut >= 0 and not re.search(r"\b[A-Z][a-z]{0,3}\.$", window[:cut + 1]):
            window_start += cut + 1
            window = text[window_start:end]
        best: tuple[Position | None, str | None, int] = (None, None, end)
        for m in self.vocab.position_re.finditer(window):
            position = self.vocab.position(m.group("pos"))
            if position is None:
                continue
            gap_start, gap_end = window_start + m.end(), end
            gap = text[gap_start:gap_end]
            inside = [u for u in units if u.start >= window_start + m.start() and u.end <= gap_end]
            rest = gap
            for unit in sorted(inside, key=lambda u: -u.start):
                if unit.start >= gap_start:
                    rest = rest[:unit.start - gap_start] + rest[unit.end - gap_start:]
            if re.search(r"\b[a-z]{3,}", re.sub(r"\b(?:kota|setempat)\b", "", rest)) and not inside:
                continue
            if re.search(r"\b(?:dan|serta|bersama|melalui)\b|[;:]", rest):
                continue
            unit = self._unit_for(position, inside)
            best = (position, unit, window_start + m.start())
        return best

    def _position_after(self, text: str, end: int, units: list[UnitFound]) -> tuple[Position | None, str | None]:
        """An appositive position after the name ("AKP Gunawan Sinurat, Kasat Narkoba Polres Tapteng")."""
        m = self.vocab.appositive_re.match(text, end)
        if m is None:
            return None, None
        position = self.vocab.position(m.group("pos"))
        if position is None:
            return None, None
        inside = [u for u in units if m.end() <= u.start <= m.end() + 2 and u.end <= m.end() + 60]
        return position, self._unit_for(position, inside)

    def _unit_for(self, position: Position, inside: list[UnitFound]) -> str | None:
        if position.unit:
            return position.unit
        territorial = [u for u in inside if u.level in ("polda", "polres", "polsek", "tni", "mabes", "brimob")
                       or u.territorial]
        if not territorial:
            return None
        if position.heads:
            wanted = _POLRI_HEADS.get(position.heads)
            for unit in territorial:
                if unit.level == wanted:
                    return unit.name
        chosen = sorted(territorial, key=lambda u: u.start)[0]
        return chosen.territorial or chosen.name

    def _rank_mentions(self, text: str, units: list[UnitFound]) -> list[PersonMention]:
        found = []
        for m in self.vocab.rank_re.finditer(text):
            rank = self.vocab.rank(m.group("rank"))
            if rank is None:
                continue
            name, _, end = self.vocab.name_span(m)
            if not name:
                continue
            position, unit, start = self._position_before(text, m.start(), units)
            if position is None:
                position, unit = self._position_after(text, end, units)
            organization = rank.organization
            found.append(PersonMention(start, end, name, "persons.rank_name", 0.92, rank=rank,
                                       position=position, unit=unit, organization=organization))
        return found

    def _position_mentions(self, text: str, lower: str, units: list[UnitFound]) -> list[PersonMention]:
        found = []
        for m in self.vocab.position_name_re.finditer(text, lower):
            position = self.vocab.position(m.group("pos"))
            if position is None or position.organization == "polri" or _in_headline(text, m.start()):
                continue  # police officers are written with their rank: the rank rule covers them
            name, _, end = self.vocab.name_span(m)
            levels = POSITION_AREA_LEVELS.get(position.canonical)
            if levels:
                name = _strip_place(name, levels)
            if not name or len(name) < 3:
                continue
            inside = [u for u in units if u.start >= m.end("pos") and u.end <= m.start("name")]
            found.append(PersonMention(m.start(), end, clean_name(name), "persons.position_name", 0.8,
                                       position=position, unit=self._unit_for(position, inside),
                                       organization=position.organization))
        return found

    def _role_mentions(self, text: str) -> list[PersonMention]:
        found = []
        for m in self.vocab.role_re.finditer(text):
            position = self.vocab.position(m.group("pos"))
            if position is None:
                continue
            name, start, _ = self.vocab.name_before(text, m.start())
            if not name:
                continue
            found.append(PersonMention(start, m.end("pos"), name, "persons.name_role", 0.8, position=position,
                                       organization=position.organization))
        return found

    def _civilian_mentions(self, text: str, lower: str) -> list[PersonMention]:
        """Residents named next to a description or an age ("Kasmuri, warga ...", "Asep Saepulloh (38)");
        initials ("AS (25)") are not names."""
        spans = [self.vocab.name_before(text, m.start()) for regex in (self.vocab.role_after_re, self.vocab.age_re)
                 for m in regex.finditer(text)]
        spans += [self.vocab.name_span(m) for m in self.vocab.role_before_re.finditer(text, lower)]
        found = []
        for name, start, end in spans:
            alias = re.search(r"\balias\s*$", text[max(0, start - 8):start])
            if name and re.search(r"[a-z]{2}", name) and not alias and not _in_headline(text, start):
                found.append(PersonMention(start, end, name, "persons.civilian_role", 0.65, organization="civilian"))
        return found

    def _speech_mentions(self, text: str, lower: str) -> list[PersonMention]:
        found = []
        for m in self.vocab.speech_re.finditer(text, lower):
            name, start, end = self.vocab.name_span(m)
            if name and not _in_headline(text, m.start()):
                found.append(PersonMention(start, end, name, "persons.speech_verb", 0.6, organization="civilian"))
        return found

    def _ner_candidates(self, text: str, mentions: list[PersonMention],
                        units: list[UnitFound]) -> list[tuple[int, int]]:
        """Where NER may still add a person: runs of two or more capitalised name words that no
        rule person or unit covers, that are no place name, vehicle, unit or institution, not
        an alias, and have a person cue nearby. Elsewhere NER is never run."""
        covered = [(m.start, m.end) for m in mentions] + [(u.start, u.end) for u in units]
        gazetteer = load_gazetteer()
        found = []
        lowercase: set[str] | None = None
        for run in self.vocab.capitalised_run_re.finditer(text):
            start, end = run.span()
            if any(s < end and start < e for s, e in covered):
                continue
            for seg_start, seg_end in self.vocab.name_segments(run):
                words = text[seg_start:seg_end].split()
                while words and words[0].lower() in self.vocab.name_openers:  # "Pak Warno", "Ujar Eko Widodo"
                    seg_start += len(words.pop(0)) + 1
                before = re.findall(r"\w{2,}", text[max(0, seg_start - 16):seg_start])[-1:]  # initials skipped
                if (len(words) < 2 or any(w.lower() in self.vocab.ner_rejected for w in words + before)
                        or gazetteer.lookup(text[seg_start:seg_end]) or _OUTLET_AFTER.match(text, seg_end)):
                    continue
                line_start, line_end = text.rfind("\n", 0, seg_start) + 1, text.find("\n", seg_end)
                window_end = seg_end + 30 if line_end < 0 else min(line_end, seg_end + 30)
                if not self.vocab.ner_context.search(text, max(line_start, seg_start - 30), window_end):
                    continue  # the cue must stand in the same paragraph
                if lowercase is None:
                    lowercase = set(re.findall(r"\b[a-z]+\b", text))
                if not _in_headline(text, seg_start) and not any(w.lower() in lowercase for w in words):
                    found.append((seg_start, seg_end))  # a word also written lowercase is a common noun
        return found

    def _ner_mentions(self, docs: list[Doc], mentions: list[list[PersonMention]]) -> list[list[PersonMention]]:
        """Per document, the candidates (`_ner_candidates`) that the NER model tags PER, cut to
        the words of the entity, two to five words. The model sees only `NER_WINDOW` tokens on
        each side of a candidate: its encoder looks four tokens each way, and whole sentences
        gave the same persons on the gold articles at several times the tokens."""
        assert self.ner is not None
        candidates = [self._ner_candidates(doc_text(doc), doc_mentions, doc._.unit_mentions or [])
                      for doc, doc_mentions in zip(docs, mentions)]
        windows = [window for doc, doc_candidates in zip(docs, candidates) for window in _windows(doc, doc_candidates)]
        found: list[list[PersonMention]] = [[] for _ in docs]
        index = {id(doc): i for i, doc in enumerate(docs)}
        for ent in self.ner.entities(windows):
            if ent.label_ != "PER":
                continue
            i = index[id(ent.doc)]
            text = doc_text(docs[i])
            for start, end in candidates[i]:
                name_start, name_end = max(start, ent.start_char), min(end, ent.end_char)
                name = text[name_start:name_end].strip()
                if name_start < name_end and 2 <= len(name.split()) <= 5:
                    found[i].append(PersonMention(name_start, name_end, name, "persons.ner", 0.55,
                                                  organization="civilian", extractor="ner"))
        return found

    @staticmethod
    def _fill_unit_by_family(person: PersonMention, units: list[UnitFound]) -> None:
        """A position with no unit written ("Kapolres AKBP X", "Kasat Lantas AKP Y") belongs to the
        document's only unit of the level the position works at, if there is exactly one."""
        position = person.position
        if person.unit or position is None:
            return
        level = _POLRI_HEADS.get(position.heads or "") or position.unit_level
        names = {u.name for u in units if u.level == level}
        if len(names) == 1:
            person.unit = names.pop()


def _in_headline(text: str, index: int) -> bool:
    """Whether `index` lies in a title-case line (a headline or caption), where capitalised
    words are not names."""
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    line = text[start:end if end >= 0 else len(text)].strip()
    words = re.findall(r"[A-Za-z]+", line)
    if len(words) < 4 or len(line) > 160 or re.search(r"[.!?]\s", line + " "):
        return False
    return sum(1 for w in words if w[0].isupper()) / len(words) >= 0.7


def _strip_place(name: str, levels: tuple[str, ...]) -> str:
    """Drop the governed area in front of a name ("Bekasi Selatan Ahmad Yani" -> "Ahmad Yani")."""
    words = name.split()
    gazetteer = load_gazetteer()
    for cut in range(len(words), 0, -1):
        if gazetteer.lookup(" ".join(words[:cut]), levels):
            return " ".join(words[cut:])
    return name


#: What follows a news outlet's name in a dateline ("Mataram (Inside Lombok) – ...").
_OUTLET_AFTER = re.compile(r"\)\s*[-\u2013\u2014]")
#: Tokens the NER model sees on each side of a candidate name (clipped to its sentence).
NER_WINDOW = 6


def _windows(doc: Doc, candidates: list[tuple[int, int]]) -> list[Span]:
    """The stretches of `doc` the NER model reads: each candidate with `NER_WINDOW` tokens on
    each side, within its sentence, overlapping stretches joined."""
    windows: list[Span] = []
    for start, end in candidates:
        span = doc.char_span(start, end, alignment_mode="expand")
        sentence = span.sent
        first, last = max(sentence.start, span.start - NER_WINDOW), min(sentence.end, span.end + NER_WINDOW)
        if windows and windows[-1].end >= first and windows[-1].sent == sentence:
            windows[-1] = doc[windows[-1].start:last]
        else:
            windows.append(doc[first:last])
    return windows

_RULE_PRIORITY = {"persons.rank_name": 0, "persons.position_name": 1, "persons.name_role": 1,
                  "persons.speech_verb": 2, "persons.civilian_role": 2, "persons.ner": 3}


def _merge(mentions: list[PersonMention]) -> list[PersonMention]:
    """One person per set of name tokens: later, shorter mentions fold into the fullest one."""
    people: list[PersonMention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, _RULE_PRIORITY[m.rule])):
        mention.tokens = _name_tokens(mention.name)
        if not mention.tokens:
            continue
        same = next((p for p in people if mention.tokens <= p.tokens or p.tokens <= mention.tokens), None)
        if same is None:
            overlapping = next((p for p in people if p.start <= mention.start < p.end), None)
            if overlapping is not None and _RULE_PRIORITY[mention.rule] >= 2:
                continue
            people.append(mention)
            continue
        if len(mention.tokens) > len(same.tokens) and _RULE_PRIORITY[mention.rule] <= _RULE_PRIORITY[same.rule]:
            same.name, same.tokens = mention.name, mention.tokens
        if _RULE_PRIORITY[mention.rule] < _RULE_PRIORITY[same.rule]:
            same.rule, same.confidence, same.extractor = mention.rule, mention.confidence, mention.extractor
        same.rank = same.rank or mention.rank
        same.position = same.position or mention.position
        same.unit = same.unit or mention.unit
        if mention.organization and (same.organization in (None, "civilian")):
            same.organization = mention.organization
    return people


@Language.factory("kamtibmas_persons")
def make_person_extractor(nlp: Language, name: str) -> PersonExtractor:
    return PersonExtractor(pipeline_ner(nlp))
