"""NER back ends behind one small interface, so the extractors never see which library
found an entity; each back end loads only from a local directory (no downloads)."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from kamtibmas_extract.resources import models_dir

Entity = tuple[int, int, str]
"""(start, end, label): character offsets for `entities`, token indices for `token_entities`."""


class NerModelError(RuntimeError):
    """The NER model directory is missing or cannot be loaded; the message names the path."""


def default_model_path(backend: str = "spacy") -> Path:
    """Where a back end's model lives: models/ner-id (shipped) or models/stanza-id (trained locally)."""
    return models_dir() / ("stanza-id" if backend == "stanza" else "ner-id")


class NerBackend(ABC):
    """Finds PER/ORG/LOC entities."""

    path: Path

    @abstractmethod
    def entities(self, text: str) -> list[Entity]:
        """(start_char, end_char, label) of each entity in raw `text`, in text order."""

    @abstractmethod
    def token_entities(self, sentences: list[list[str]]) -> list[list[Entity]]:
        """(start_token, end_token, label) per already tokenised sentence: how the test
        splits are scored, on their gold tokens."""

    def span_entities(self, spans: list[Span]) -> list[Span]:
        """Entities of a few sentences of a tokenised Doc, as Spans of that Doc.

        The extraction pipeline tags only the sentences where NER can add a fact, on the
        pipeline's own tokens (whitespace tokens left out), so entity offsets need no
        character alignment.
        """
        kept = [[t for t in span if not t.is_space] for span in spans]
        found = self.token_entities([[t.text for t in tokens] for tokens in kept])
        return [Span(tokens[0].doc, tokens[start].i, tokens[end - 1].i + 1, label=label)
                for tokens, entities in zip(kept, found) for start, end, label in entities]


def _check_dir(path: Path, required: tuple[str, ...]) -> None:
    if not path.is_dir():
        raise NerModelError(f"NER model directory not found: {path}")
    missing = [name for name in required if not (path / name).is_file()]
    if missing:
        raise NerModelError(f"NER model at {path} is incomplete: missing {', '.join(missing)}")


@Language.component("kamtibmas_ner_case_trim")
def trim_person_case(doc: Doc) -> Doc:
    """In cased text, drop lowercase words at the edges of PER entities.

    Names are capitalised in edited Indonesian text, but NERP, the largest training set,
    is all lowercase, so the model sometimes runs a name on into the next word ("Budi
    Santoso meninjau"). Only PER is trimmed: ORG and LOC spans may start with a lowercase
    head noun ("gedung DPR" in idner-news-2k), and trimming those scored worse.
    """
    if doc.text == doc.text.lower():
        return doc
    ents = []
    for ent in doc.ents:
        start, end = ent.start, ent.end
        if ent.label_ == "PER":
            while start < end and doc[start].text[:1].islower():
                start += 1
            while end > start and doc[end - 1].text[:1].islower():
                end -= 1
        if start < end:
            ents.append(ent if (start, end) == (ent.start, ent.end) else Span(doc, start, end, label=ent.label))
    doc.ents = ents
    return doc


def load_spacy_ner(path: Path | str) -> Language:
    """Load a spaCy pipeline with an "ner" component, failing with the path in the message;
    the PER case trim runs after it (see `trim_person_case`)."""
    path = Path(path)
    _check_dir(path, ("config.cfg", "meta.json"))
    try:
        nlp = spacy.load(path)
    except Exception as exc:  # any failure here means the files on disk are unusable
        raise NerModelError(f"NER model at {path} could not be loaded ({type(exc).__name__}: {exc})") from exc
    if "ner" not in nlp.pipe_names:
        raise NerModelError(f"NER model at {path} has no 'ner' component (pipes: {nlp.pipe_names})")
    nlp.add_pipe("kamtibmas_ner_case_trim", after="ner")
    return nlp


class SpacyNer(NerBackend):
    """The spaCy pipeline trained by `kamtibmas train-ner` (models/ner-id)."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_model_path("spacy")
        self.nlp = load_spacy_ner(self.path)

    def entities(self, text: str) -> list[Entity]:
        return [(ent.start_char, ent.end_char, ent.label_) for ent in self.nlp(text).ents]

    def token_entities(self, sentences: list[list[str]]) -> list[list[Entity]]:
        docs = self.nlp.pipe(Doc(self.nlp.vocab, words=words) for words in sentences)
        return [[(ent.start, ent.end, ent.label_) for ent in doc.ents] for doc in docs]


STANZA_FILES = ("ner.pt", "pretrain.pt", "resources.json")
_SENTENCE_END = frozenset({".", "!", "?"})


class StanzaNer(NerBackend):
    """A stanza BiLSTM-CRF tagger trained by `train_stanza_ner` (models/stanza-id, not in git).

    Stanza has no Indonesian tokenizer here without a download, so the text is tokenised
    by spaCy's Indonesian rules and split into sentences after . ! ? and line breaks;
    stanza then tags the tokens ("pretokenized" mode) with downloads disabled.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_model_path("stanza")
        _check_dir(self.path, STANZA_FILES)
        try:
            import stanza
        except ImportError as exc:
            raise NerModelError(
                f"NER model at {self.path} needs stanza: pip install 'kamtibmas-extract[stanza]'"
            ) from exc
        try:
            self.pipeline = stanza.Pipeline(
                lang="id",
                dir=str(self.path),
                processors="tokenize,ner",
                tokenize_pretokenized=True,
                ner_model_path=str(self.path / "ner.pt"),
                ner_pretrain_path=str(self.path / "pretrain.pt"),
                download_method=None,
                allow_unknown_language=True,
                use_gpu=False,
                logging_level="ERROR",
            )
        except Exception as exc:  # any failure here means the files on disk are unusable
            raise NerModelError(f"NER model at {self.path} could not be loaded ({type(exc).__name__}: {exc})") from exc
        self.tokenizer = spacy.blank("id").tokenizer

    def entities(self, text: str) -> list[Entity]:
        sentences: list[list[Any]] = [[]]
        for token in self.tokenizer(text):
            if token.is_space:
                if "\n" in token.text and sentences[-1]:
                    sentences.append([])
                continue
            sentences[-1].append(token)
            if token.text in _SENTENCE_END:
                sentences.append([])
        sentences = [s for s in sentences if s]
        found = self.token_entities([[t.text for t in s] for s in sentences])
        return [
            (tokens[start].idx, tokens[end - 1].idx + len(tokens[end - 1]), label)
            for tokens, spans in zip(sentences, found)
            for start, end, label in spans
        ]

    def token_entities(self, sentences: list[list[str]]) -> list[list[Entity]]:
        if not sentences:
            return []
        doc = self.pipeline(sentences)
        return [
            [(ent.tokens[0].id[0] - 1, ent.tokens[-1].id[0], ent.type) for ent in sentence.ents]
            for sentence in doc.sentences
        ]


BACKENDS: dict[str, type[NerBackend]] = {"spacy": SpacyNer, "stanza": StanzaNer}


def model_info(backend: str) -> dict[str, Any]:
    """Which NER model a run used (for the run manifest): the default path of `backend`
    and, for spaCy, the name and version recorded in its meta.json."""
    if backend not in BACKENDS:
        raise NerModelError(f"unknown NER back end {backend!r} (expected one of {', '.join(BACKENDS)})")
    path = default_model_path(backend)
    if backend == "stanza":
        return {"path": str(path), "files": list(STANZA_FILES)}
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NerModelError(f"NER model at {path} has no readable meta.json ({exc})") from exc
    return {"path": str(path), "name": meta.get("name"), "version": meta.get("version"),
            "spacy_version": meta.get("spacy_version")}
