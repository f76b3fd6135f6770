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

from spacy.language import Language
from spacy.tokens import Doc

from .facts import add_fact, doc_text
from .gazetteer import load_gazetteer
from .resources import load_yaml
from .regexes import alternation
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
        position_alt = alternation([v for e in positions["positions"] for v in e["variants"]])
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
        self.position_name_re = re.compile(
            rf"(?<![\w-])(?P<pos>(?i:{position_alt}))(?:\s*(?:RT|RW)?\.?\s*\d{{1,3}}(?:\s*/\s*\d{{1,3}})?)?"
            rf"\s*,?\s+{self.name}")
        links = alternation(rules["role_links"])
        #: Anchors after a name; the name itself is read backwards from the anchor (`name_before`),
        #: which is far cheaper than trying a name pattern at every capitalised word.
        self.role_re = re.compile(rf"\s*,?\s+(?:{links})\s+(?P<pos>(?i:{position_alt}))(?![\w-])")
        self.name_end_re = re.compile(rf"{self.name}$")
        roles = alternation(rules["civilian_roles"])
        self.role_after_re = re.compile(rf"\s*,\s+(?:salah (?:satu|seorang) |seorang )?(?i:{roles})\b")
        self.role_before_re = re.compile(rf"(?<![\w-])(?i:{roles})(?:\s+[a-z]+){{0,2}}\s*,\s+{self.name}\s*(?=[,.(])")
        self.age_re = re.compile(r"(?<=\w)\s*\(\d{1,2}(?:\s*(?:tahun|th))?\)")
        self.ner_context = re.compile(rf"(?i:\b(?:{alternation(rules['ner_context'])})\b)|\(\d{{1,2}}\)")
        verbs = alternation(rules["speech_verbs"])
        self.speech_re = re.compile(rf"(?<![\w-])(?i:{verbs})\s+{self.name}(?=\s*[.,;:\"'!?)]|\s+\(|\s*$)")

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

    def __init__(self) -> None:
        self.vocab = vocabulary()
        self.units = unit_vocabulary()

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        units: list[UnitFound] = doc._.unit_mentions or []
        mentions = self._rank_mentions(text, units) + self._position_mentions(text, units)
        mentions += self._role_mentions(text) + self._speech_mentions(text) + self._civilian_mentions(text)
        mentions += self._ner_mentions(doc)
        for person in _merge(mentions):
            self._fill_unit_by_family(person, units)
            add_fact(doc, PERSON_TABLE, person.start, person.end, confidence=person.confidence,
                     extractor=person.extractor, rule=person.rule, name=person.name,
                     rank=person.rank.canonical if person.rank else None,
                     rank_order=person.rank.order if person.rank else None,
                     rank_group=person.rank.group if person.rank else None,
                     position=person.position.canonical if person.position else None,
                     unit=person.unit, organization=person.organization)
        return doc

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

    def _position_mentions(self, text: str, units: list[UnitFound]) -> list[PersonMention]:
        found = []
        for m in self.vocab.position_name_re.finditer(text):
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

    def _civilian_mentions(self, text: str) -> list[PersonMention]:
        """Residents named next to a description or an age ("Kasmuri, warga ...", "Asep Saepulloh (38)");
        initials ("AS (25)") are not names."""
        spans = [self.vocab.name_before(text, m.start()) for regex in (self.vocab.role_after_re, self.vocab.age_re)
                 for m in regex.finditer(text)]
        spans += [self.vocab.name_span(m) for m in self.vocab.role_before_re.finditer(text)]
        found = []
        for name, start, end in spans:
            alias = re.search(r"\balias\s*$", text[max(0, start - 8):start])
            if name and re.search(r"[a-z]{2}", name) and not alias and not _in_headline(text, start):
                found.append(PersonMention(start, end, name, "persons.civilian_role", 0.65, organization="civilian"))
        return found

    def _speech_mentions(self, text: str) -> list[PersonMention]:
        found = []
        for m in self.vocab.speech_re.finditer(text):
            name, start, end = self.vocab.name_span(m)
            if name and not _in_headline(text, m.start()):
                found.append(PersonMention(start, end, name, "persons.speech_verb", 0.6, organization="civilian"))
        return found

    def _ner_mentions(self, doc: Doc) -> list[PersonMention]:
        """PER spans of the NER model that look like names: capitalised words only, rank, position
        and unit words cut off, initials and lone place names left out."""
        found = []
        text = doc_text(doc)
        gazetteer = load_gazetteer()
        for ent in doc.ents:
            if ent.label_ != "PER" or _in_headline(text, ent.start_char):
                continue
            words = [w for w in re.findall(r"\S+", ent.text.strip(" ,.\"'"))]
            while words and (self.vocab.rank(words[0]) or words[0].lower().rstrip(".") in self.vocab.stop):
                words = words[1:]
            name = clean_name(self.vocab.cut_name(" ".join(words)))
            tokens = name.split()
            if not tokens or len(tokens) > 5 or not all(_NAME_WORD.fullmatch(t) for t in tokens):
                continue
            if not any(re.fullmatch(r"[A-Z][a-z'\u2019-]+", t) for t in tokens):
                continue  # initials ("AS") or all-caps datelines ("JATISARI")
            if len(tokens) < 2 or gazetteer.lookup(name):
                continue  # lone words are mostly capitalised verbs or places ("Diketahui", "warga Asahan")
            start = ent.start_char + ent.text.find(tokens[0])
            if not self.vocab.ner_context.search(text, max(0, start - 30), min(len(text), start + len(name) + 30)):
                continue  # no person cue nearby: products, places and units look like names too
            found.append(PersonMention(start, start + len(name), name, "persons.ner", 0.55,
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


#: A word of a name as NER may give it: capitalised, an initial, or a lower-case particle.
_NAME_WORD = re.compile(r"[A-Z][\w'\u2019.-]*|bin|binti|van|de|al")

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
    return PersonExtractor()
