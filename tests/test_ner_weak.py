"""Weak supervision: rule facts become NER labels, unexplained capitalised words stay missing,
and gold articles never feed training."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kamtibmas_extract.ner.weak import entity_spans, gold_ids, label_doc, surface_forms, unannotated_documents
from kamtibmas_extract.pipeline import make_tokenizer_nlp


@pytest.fixture(scope="module")
def splitter():
    nlp = make_tokenizer_nlp()
    nlp.add_pipe("kamtibmas_sentences")
    return nlp


RECORD = {
    "persons": [{"name": "Budi Santoso", "extractor": "rule"}, {"name": "Honda Vario", "extractor": "ner"}],
    "units": [{"mention": "Polres Garut", "name": "Polres Garut", "extractor": "rule"}],
    "locations": [{"mention": "Tarogong Kidul", "extractor": "gazetteer"}, {"mention": "Garut", "extractor": "gazetteer"}],
}


def test_surface_forms_take_rule_facts_only_first_label_kept():
    forms = dict(surface_forms(RECORD))
    assert forms == {"Budi Santoso": "PER", "Polres Garut": "ORG", "Tarogong Kidul": "LOC", "Garut": "LOC"}


def test_every_occurrence_is_labelled_longest_form_first():
    text = "Kapolres Garut AKBP Budi Santoso datang ke Polres Garut. Budi Santoso lalu ke Tarogong Kidul."
    found = [(text[s:e], label) for s, e, label in entity_spans(text, surface_forms(RECORD))]
    assert found == [("Garut", "LOC"), ("Budi Santoso", "PER"), ("Polres Garut", "ORG"), ("Budi Santoso", "PER"),
                     ("Tarogong Kidul", "LOC")]


def test_unexplained_capitalised_words_are_missing_not_outside(splitter):
    text = "AKBP Budi Santoso menemui Pak Ujang di Tarogong Kidul, Senin."
    (sentence,) = label_doc(splitter(text), entity_spans(text, surface_forms(RECORD)))
    tags = dict(zip(sentence.words, sentence.tags))
    assert (tags["Budi"], tags["Santoso"]) == ("B-PER", "I-PER")
    assert (tags["Tarogong"], tags["Kidul"]) == ("B-LOC", "I-LOC")
    assert tags["Ujang"] is None and tags["Senin"] is None
    assert tags["AKBP"] == "O"  # ranks are never part of an entity
    assert tags["menemui"] == "O" and tags[","] == "O"


def test_sentences_without_rule_entities_and_spans_over_a_break_are_left_out(splitter):
    assert label_doc(splitter("Warga berkumpul di balai.\nSetelah itu Ujang pulang."), []) == []
    text = "Hadir Budi\nSantoso di sini. Lalu Garut ramai."
    sentences = label_doc(splitter(text), [(6, 18, "PER"), (33, 38, "LOC")])
    assert [(s.words, s.tags) for s in sentences] == [(["Lalu", "Garut", "ramai", "."], [None, "B-LOC", "O", "O"])]


def test_gold_ids_need_both_gold_files(tmp_path: Path):
    (tmp_path / "dev.jsonl").write_text(json.dumps({"doc_id": "dev-0001"}) + "\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="test.jsonl"):
        gold_ids(tmp_path)
    (tmp_path / "test.jsonl").write_text(json.dumps({"doc_id": "dev-0002"}) + "\n\n", encoding="utf-8")
    assert gold_ids(tmp_path) == {"dev-0001", "dev-0002"}


def test_gold_articles_never_feed_training(shared: Path):
    gold = Path(__file__).resolve().parents[1] / "data" / "gold"
    ids = {raw.doc_id for raw in unannotated_documents(shared, gold)}
    assert ids and not ids & gold_ids(gold)
