"""NER: CoNLL conversion and label mapping per data set, the shipped model, load errors, and
the on-demand component of the extraction pipeline."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kamtibmas_extract.facts import get_facts
from kamtibmas_extract.ner import NerModelError, SpacyNer, default_model_path
from kamtibmas_extract.ner.backend import STANZA_FILES, StanzaNer, trim_person_case
from kamtibmas_extract.ner.conll import (
    DATASETS,
    ConllFormatError,
    bio_spans,
    parse_lines,
    read_split,
    to_docbin,
)
from kamtibmas_extract.pipeline import build_pipeline, make_tokenizer_nlp

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

IDNER = """Kapolda PROPN O\r
Jawa PROPN B-LOC\r
Barat PROPN I-LOC\r
Irjen PROPN O\r
Rudi PROPN B-PER\r
Setiawan PROPN I-PER\r
di ADP O\r
Polda PROPN B-ORG\r
\r
Ia PRON O\r
"""

NERP = "kepala\tO\ndinas\tB-IND\nkota\tI-IND\nmanado\tB-PLC\namos\tB-PPL\nkenda\tI-PPL\nhut\tB-EVT\nri\tI-EVT\nsoto\tB-FNB\ndi\tO\njawa tengah\tB-PLC\n\n"

NERGRIT = "Joetata\tB-PERSON\nHadihardaja\tI-PERSON\noleh\tO\nRektor\tO\nUndip\tB-ORGANISATION\ndi\tO\nSemarang\tB-PLACE\n"


def _spans(text: str, name: str) -> list[list[tuple[str, str]]]:
    """(entity text, label) per sentence, which is what the mapping must get right."""
    out = []
    for sentence in parse_lines(text.splitlines(keepends=True), DATASETS[name]):
        out.append([(" ".join(sentence.words[s:e]), label) for s, e, label in bio_spans(sentence.tags)])
    return out


def test_idner_iob_with_crlf() -> None:
    assert _spans(IDNER, "idner-news-2k") == [
        [("Jawa Barat", "LOC"), ("Rudi Setiawan", "PER"), ("Polda", "ORG")],
        [],
    ]


def test_nerp_mapping_drops_event_and_food_and_splits_spaced_tokens() -> None:
    (sentence,) = parse_lines(NERP.splitlines(keepends=True), DATASETS["nerp"])
    assert sentence.words[-2:] == ["jawa", "tengah"]
    assert _spans(NERP, "nerp") == [
        [("dinas kota", "ORG"), ("manado", "LOC"), ("amos kenda", "PER"), ("jawa tengah", "LOC")]
    ]


def test_nergrit_mapping() -> None:
    assert _spans(NERGRIT, "nergrit") == [[("Joetata Hadihardaja", "PER"), ("Undip", "ORG"), ("Semarang", "LOC")]]


def test_stray_inside_tag_starts_an_entity_as_seqeval_reads_it() -> None:
    text = "di\tO\npekanbaru\tI-PLC\nkota\tI-PLC\nwakil\tI-EVT\nriau\tI-PLC\n"
    assert _spans(text, "nerp") == [[("pekanbaru kota", "LOC"), ("riau", "LOC")]]


def test_unknown_label_names_the_line() -> None:
    with pytest.raises(ConllFormatError, match="line 2"):
        list(parse_lines(["a\tO\n", "b\tB-MISC\n"], DATASETS["nergrit"]))


def test_docbin_keeps_gold_entities() -> None:
    vocab = Vocab()
    sentences = list(parse_lines(NERGRIT.splitlines(keepends=True), DATASETS["nergrit"]))
    (doc,) = to_docbin(sentences, vocab).get_docs(vocab)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Joetata Hadihardaja", "PER"),
        ("Undip", "ORG"),
        ("Semarang", "LOC"),
    ]


def _trimmed(words: list[str], tags: list[str]) -> list[tuple[str, str]]:
    doc = trim_person_case(Doc(Vocab(), words=words, ents=tags))
    return [(e.text, e.label_) for e in doc.ents]


def test_case_trim_drops_lowercase_words_at_person_edges_in_cased_text() -> None:
    words = ["AKBP", "Budi", "Santoso", "meninjau", "gedung", "DPR"]
    tags = ["O", "B-PER", "I-PER", "I-PER", "B-LOC", "I-LOC"]
    assert _trimmed(words, tags) == [("Budi Santoso", "PER"), ("gedung DPR", "LOC")]


def test_case_trim_leaves_lowercased_text_alone() -> None:
    assert _trimmed(["budi", "santoso", "meninjau"], ["B-PER", "I-PER", "I-PER"]) == [
        ("budi santoso meninjau", "PER")
    ]


@pytest.fixture(scope="module")
def shipped() -> SpacyNer:
    return SpacyNer()


def test_shipped_model_finds_person_and_place(shipped: SpacyNer) -> None:
    text = "Kapolres Garut AKBP Budi Santoso meninjau lokasi di Kecamatan Tarogong Kidul."
    found = {(text[s:e], label) for s, e, label in shipped.entities(text)}
    assert ("Budi Santoso", "PER") in found
    assert any(label == "LOC" and "Tarogong" in span for span, label in found)


def test_missing_model_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(NerModelError, match=str(missing)):
        SpacyNer(missing)


def test_corrupt_model_names_the_path(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(default_model_path(), broken)
    (broken / "ner" / "model").write_bytes(b"not a model")
    with pytest.raises(NerModelError, match=str(broken)):
        SpacyNer(broken)


@pytest.mark.skipif(not (SHARED / "ner").is_dir(), reason="../shared/ner (the NER data sets) is not present")
def test_shared_test_splits_parse() -> None:
    for name in DATASETS:
        sentences = read_split(SHARED, name, "test")
        assert sentences and all(len(s.words) == len(s.tags) for s in sentences)


def test_missing_stanza_model_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "stanza-id"
    with pytest.raises(NerModelError, match=str(missing)):
        StanzaNer(missing)


@pytest.mark.skipif(
    not all((default_model_path("stanza") / name).is_file() for name in STANZA_FILES)
    or importlib.util.find_spec("stanza") is None,
    reason="no local stanza model (models/stanza-id is trained by train_stanza_ner, not shipped) or stanza missing",
)
def test_stanza_model_finds_person() -> None:
    text = "Kapolres Garut AKBP Budi Santoso meninjau lokasi di Kecamatan Tarogong Kidul."
    found = {(text[s:e], label) for s, e, label in StanzaNer().entities(text)}
    assert ("Budi Santoso", "PER") in found


def test_span_entities_are_spans_of_the_pipeline_doc(shipped: SpacyNer) -> None:
    nlp = make_tokenizer_nlp()
    doc = nlp("Hadir  pula.\nSeorang sopir bernama Rudolf Simanjuntak meninggal di lokasi.")
    (ent,) = [e for e in shipped.span_entities([doc[3:]]) if e.label_ == "PER"]
    assert ent.doc is doc and ent.text == "Rudolf Simanjuntak"


def test_pipeline_ner_runs_on_demand_only() -> None:
    nlp = build_pipeline(ner="spacy")
    text = "Seorang sopir truk tronton bernama Rudolf Simanjuntak meninggal dunia di lokasi."
    doc = nlp(text)
    assert nlp.pipe_names[:2] == ["kamtibmas_sentences", "kamtibmas_ner"]
    assert list(doc.ents) == []  # passing through the component tags nothing
    people = {p["name"]: p for p in get_facts(doc, "persons")}
    assert people["Rudolf Simanjuntak"]["extractor"] == "ner"
