"""Readers for the three Indonesian NER sets, their label mapping onto PER/ORG/LOC,
and conversion to spaCy DocBin.

The sets differ in layout and label names, so everything below is driven by the
`DATASETS` table: one entry per set says where its files are, which column holds the
tag and how its labels map. A label mapped to None becomes O (NERP's EVT and FNB
have no counterpart in PER/ORG/LOC).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

LABELS: tuple[str, ...] = ("PER", "ORG", "LOC")

LABEL_MAP: dict[str, dict[str, str | None]] = {
    "idner-news-2k": {"PER": "PER", "ORG": "ORG", "LOC": "LOC"},
    "nerp": {"PPL": "PER", "IND": "ORG", "PLC": "LOC", "EVT": None, "FNB": None},
    "nergrit": {"PERSON": "PER", "ORGANISATION": "ORG", "PLACE": "LOC"},
}


@dataclass(frozen=True)
class Dataset:
    """Where one NER set lives under shared/ner and how its lines are laid out."""

    name: str
    splits: dict[str, str]  # split name ("train", "dev", "test") -> file name
    sep: str | None  # column separator; None splits on any whitespace
    ncols: int  # columns per token line; the tag is the last one


DATASETS: dict[str, Dataset] = {
    "idner-news-2k": Dataset(
        "idner-news-2k", {"train": "train.txt", "dev": "dev.txt", "test": "test.txt"}, None, 3
    ),
    "nerp": Dataset(
        "nerp", {"train": "train.txt", "dev": "valid.txt", "test": "test.txt"}, "\t", 2
    ),
    "nergrit": Dataset(
        "nergrit", {"train": "train.txt", "dev": "valid.txt", "test": "test.txt"}, "\t", 2
    ),
}


@dataclass
class Sentence:
    """Tokens with BIO tags already mapped to PER/ORG/LOC; None marks a tag that is unknown
    (weakly labelled text, see `ner.weak`), which spaCy's training leaves out of the loss."""

    words: list[str]
    tags: list[str | None]


class ConllFormatError(ValueError):
    """A line that does not fit its data set's layout or label set."""


def map_tag(tag: str, mapping: dict[str, str | None]) -> str:
    """Map one source tag (B-X, I-X or O) to B-/I- PER/ORG/LOC or O."""
    if tag == "O":
        return "O"
    prefix, _, label = tag.partition("-")
    if prefix not in ("B", "I") or label not in mapping:
        raise ConllFormatError(f"unknown tag {tag!r}")
    target = mapping[label]
    return "O" if target is None else f"{prefix}-{target}"


def repair_bio(tags: list[str]) -> list[str]:
    """Turn an I- that does not continue an entity of its type into B-.

    This is how seqeval (default mode) and conlleval read such tags; NERP has a few,
    and dropping EVT/FNB can create more (I-EVT then I-PLC).
    """
    out: list[str] = []
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and (prev == "O" or prev[2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return out


def parse_lines(lines: Iterable[str], dataset: Dataset) -> Iterator[Sentence]:
    """Parse CoNLL lines; blank lines end sentences.

    NERP has tokens holding a space ("jawa tengah"); spaCy never produces such a token,
    so they are split into words, the tag's entity continuing over the extra words.
    """
    mapping = LABEL_MAP[dataset.name]
    words: list[str] = []
    tags: list[str] = []
    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            if words:
                yield Sentence(words, repair_bio(tags))
                words, tags = [], []
            continue
        cols = line.split(dataset.sep)
        if len(cols) != dataset.ncols or not cols[0].strip():
            raise ConllFormatError(f"{dataset.name} line {lineno}: expected {dataset.ncols} columns: {line!r}")
        try:
            tag = map_tag(cols[-1].strip(), mapping)
        except ConllFormatError as exc:
            raise ConllFormatError(f"{dataset.name} line {lineno}: {exc}") from None
        for i, part in enumerate(cols[0].split()):
            words.append(part)
            tags.append(tag if i == 0 or tag == "O" else "I-" + tag[2:])
    if words:
        yield Sentence(words, repair_bio(tags))


def read_split(shared: Path, name: str, split: str) -> list[Sentence]:
    """Read one split ("train", "dev" or "test") of a data set under shared/ner."""
    dataset = DATASETS[name]
    path = Path(shared) / "ner" / name / dataset.splits[split]
    with path.open(encoding="utf-8") as handle:
        return list(parse_lines(handle, dataset))


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans (start token, end token exclusive, label) of repaired BIO tags."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if start >= 0 and not (tag.startswith("I-") and tag[2:] == label):
            spans.append((start, i, label))
            start = -1
        if tag.startswith("B-") or (tag.startswith("I-") and start < 0):
            start, label = i, tag[2:]
    return spans


def to_doc(sentence: Sentence, vocab: Vocab) -> Doc:
    """A spaCy Doc with the sentence's words and gold entities."""
    return Doc(vocab, words=sentence.words, ents=sentence.tags)


def to_docbin(sentences: Iterable[Sentence], vocab: Vocab) -> DocBin:
    """Serialisable gold Docs for spaCy training."""
    return DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], docs=(to_doc(s, vocab) for s in sentences))
