"""Weak supervision: police news labelled by the rule extractors, as extra NER training text.

The public NER sets are general news; police releases have their own names (units, ranks
in front of names, villages). The articles of shared/corpus/dev.jsonl that have no gold
annotation (neither data/gold dev nor test) are run through the rule pipeline, and every
occurrence of what it found becomes an entity: person names PER, units ORG, places LOC.

The rules miss names, so an unlabelled capitalised word may still be an entity: it is
marked missing (spaCy learns nothing about it) instead of O. Only lowercase words,
numbers and punctuation outside the rule spans are O. Sentences without any rule entity
are left out: they would add little but O for lowercase words.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from functools import lru_cache

from spacy.tokens import Doc

from kamtibmas_extract.ner.conll import Sentence
from kamtibmas_extract.resources import load_yaml

#: Which table feeds which label, and which of its columns hold the written forms. Earlier
#: labels win where spans overlap (a person's name inside a place name is rare, a unit's
#: place inside the unit is common and belongs to the ORG).
SOURCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("PER", "persons", ("name",)),
    ("ORG", "units", ("mention", "name")),
    ("LOC", "locations", ("mention",)),
)
GOLD_SPLITS = ("dev.jsonl", "test.jsonl")


def gold_ids(gold_dir: Path) -> set[str]:
    """Ids of every document with a gold annotation; they never feed training."""
    ids: set[str] = set()
    for name in GOLD_SPLITS:
        path = Path(gold_dir) / name
        if not path.is_file():
            raise FileNotFoundError(f"{path}: gold file not found; weak supervision needs it to leave gold documents out")
        ids.update(json.loads(line)["doc_id"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return ids


def unannotated_documents(shared: Path, gold_dir: Path) -> Iterator[Any]:
    """The RawDocuments of shared/corpus/dev.jsonl that have no gold annotation."""
    from kamtibmas_extract.io.readers import read_inputs

    excluded = gold_ids(gold_dir)
    for raw in read_inputs([str(Path(shared) / "corpus" / "dev.jsonl")]):
        if raw.doc_id not in excluded and raw.text:
            yield raw


def surface_forms(record: dict[str, Any]) -> list[tuple[str, str]]:
    """(written form, label) of every rule fact of a record, each form once, first label kept."""
    forms: dict[str, str] = {}
    for label, table, columns in SOURCES:
        for row in record.get(table) or []:
            if row.get("extractor") == "ner":
                continue
            for column in columns:
                value = (row.get(column) or "").strip()
                if len(value) >= 3 and value not in forms:
                    forms[value] = label
    return list(forms.items())


def entity_spans(text: str, forms: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Every whole-word occurrence of the forms in `text` (longest form first, no overlaps)."""
    if not forms:
        return []
    labels = dict(forms)
    alternation = "|".join(re.escape(f) for f in sorted(labels, key=len, reverse=True))
    return [(m.start(), m.end(), labels[m.group()]) for m in re.finditer(rf"(?<![\w-])(?:{alternation})(?![\w-])", text)]


def label_doc(doc: Doc, spans: Iterable[tuple[int, int, str]]) -> list[Sentence]:
    """The sentences of `doc` (whitespace tokens dropped) with BIO tags: entity spans, O for
    lowercase words and for rank and position words (never part of an entity in the public
    sets: "Kapolda/O Jawa Barat Irjen/O Rudi Setiawan"), None (missing) for other capitalised words. A span that
    does not fall on token boundaries or runs over a sentence break makes its tokens missing."""
    outside = _outside_words()
    tags: list[str | None] = [None if t.text[:1].isupper() and t.lower_.rstrip(".") not in outside else "O"
                              for t in doc]
    for start, end, label in spans:
        span = doc.char_span(start, end)
        if span is None or any(t.is_sent_start for t in span[1:]):
            loose = doc.char_span(start, end, alignment_mode="expand")
            for i in range(loose.start, loose.end) if loose is not None else ():
                tags[i] = None
            continue
        for i in range(span.start, span.end):
            tags[i] = ("B-" if i == span.start else "I-") + label
    sentences = []
    for sent in doc.sents:
        kept = [t for t in sent if not t.is_space]
        sentence_tags = [tags[t.i] for t in kept]
        if any(tag and tag != "O" for tag in sentence_tags):
            sentences.append(Sentence([t.text for t in kept], sentence_tags))  # type: ignore[arg-type]
    return sentences


@lru_cache(maxsize=1)
def _outside_words() -> frozenset[str]:
    """Lowercased one-word rank and position forms ("akbp", "kapolres", "bhabinkamtibmas")."""
    ranks, positions = load_yaml("ranks.yaml"), load_yaml("positions.yaml")["positions"]
    forms = [v for group in ("polri", "tni") for e in ranks[group] for v in e["variants"]]
    forms += [v for e in positions for v in e["variants"]]
    return frozenset(f.lower().rstrip(".") for f in forms if " " not in f)


def weak_sentences(shared: Path, gold_dir: Path) -> list[Sentence]:
    """Rule-labelled sentences of the unannotated corpus articles (see the module docstring)."""
    from kamtibmas_extract.pipeline import make_tokenizer_nlp
    from kamtibmas_extract.process import DocumentProcessor

    processor = DocumentProcessor()
    splitter = make_tokenizer_nlp()
    splitter.add_pipe("kamtibmas_sentences")
    sentences: list[Sentence] = []
    for raw in unannotated_documents(shared, gold_dir):
        record = json.loads(processor(raw).model_dump_json())
        text = record["document"]["text"]
        if record["document"]["status"] != "ok":
            continue
        sentences += label_doc(splitter(text), entity_spans(text, surface_forms(record)))
    return sentences
