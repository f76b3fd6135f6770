"""Quotes: the three attribution shapes, speakers resolved to persons or positions, pronouns, anonymous speakers."""
from __future__ import annotations

import pytest
from spacy.language import Language

from kamtibmas_extract import quotes  # noqa: F401  (registers kamtibmas_quotes)
from kamtibmas_extract.facts import add_fact, get_facts, meta
from kamtibmas_extract.normalize import normalize
from kamtibmas_extract.pipeline import make_tokenizer_nlp


@pytest.fixture(scope="module")
def quotes_nlp() -> Language:
    nlp = make_tokenizer_nlp()
    nlp.add_pipe("kamtibmas_sentences")
    nlp.add_pipe("kamtibmas_quotes")
    return nlp


def quotes_of(nlp: Language, text: str, persons: list[dict] | None = None) -> list[tuple[str | None, str]]:
    """(speaker, quote) pairs; `persons` stand in for the persons stage (name, position, offsets)."""
    doc = nlp.make_doc(normalize(text).text)
    meta(doc).update(doc_id="t", published=None)
    for person in persons or []:
        start = doc.text.index(person["mention"])
        add_fact(doc, "persons", start, start + len(person["mention"]), confidence=0.9, extractor="rule", rule=None,
                 name=person["name"], position=person.get("position"))
    for _, component in nlp.pipeline:
        doc = component(doc)
    return [(row["speaker"], row["quote"]) for row in get_facts(doc, "quotes")]


DANI = {"name": "Dani Hamdani", "position": "Kapolres", "mention": "Kombes Pol Dani Hamdani"}


def test_quote_then_speaker_with_curly_quotes(quotes_nlp: Language) -> None:
    text = ("“Program ini juga dilakukan di wilayah kami,” tutur Kapolres Metro Bekasi Kota Kombes Pol "
            "Dani Hamdani, Kamis (7/11).")
    assert quotes_of(quotes_nlp, text, [DANI]) == [("Dani Hamdani", "Program ini juga dilakukan di wilayah kami")]


def test_a_first_name_resolves_to_the_person(quotes_nlp: Language) -> None:
    text = ("Kapolres Kombes Pol Dani Hamdani hadir di sana. \"Kami mendengar keluhan warga secara langsung,\" "
            "tambah Dani.")
    assert quotes_of(quotes_nlp, text, [DANI]) == [("Dani Hamdani", "Kami mendengar keluhan warga secara langsung")]


def test_without_persons_the_name_after_the_rank_is_kept(quotes_nlp: Language) -> None:
    text = "\"Kami akan menindak tegas,\" kata Kapolres Manokwari AKBP Dadang Kurniawan dalam konferensi pers."
    assert quotes_of(quotes_nlp, text) == [("Dadang Kurniawan", "Kami akan menindak tegas")]


def test_unnamed_position_stays_a_position(quotes_nlp: Language) -> None:
    text = "Dalam sambutannya, Kapolres menyampaikan, \"Saya mengapresiasi antusiasme warga.\""
    assert quotes_of(quotes_nlp, text) == [("Kapolres", "Saya mengapresiasi antusiasme warga.")]


def test_a_position_names_its_only_holder(quotes_nlp: Language) -> None:
    text = "Kapolres Kombes Pol Dani Hamdani membuka acara. \"Kegiatan ini rutin,\" kata Kapolres."
    assert quotes_of(quotes_nlp, text, [DANI]) == [("Dani Hamdani", "Kegiatan ini rutin")]


def test_pronouns_point_back_to_the_last_speaker(quotes_nlp: Language) -> None:
    text = ("\"Pelaku sudah kami tangkap,\" ujar AKP Roni Saputra. \"Barang bukti sudah kami amankan,\" katanya. "
            "\"Kasus ini masih kami kembangkan,\" ujar dia.")
    speakers = [speaker for speaker, _ in quotes_of(quotes_nlp, text)]
    assert speakers == ["Roni Saputra", "Roni Saputra", "Roni Saputra"]


def test_verb_and_speaker_inside_the_quote_marks(quotes_nlp: Language) -> None:
    text = "Warga diajak menjaga lingkungan dan melapor bila ada hal mencurigakan.”ujar Roby”."
    quote = "Warga diajak menjaga lingkungan dan melapor bila ada hal mencurigakan."
    assert quotes_of(quotes_nlp, text) == [("Roby", quote)]


def test_anonymous_speakers_are_left_empty(quotes_nlp: Language) -> None:
    text = "\"Kami merasa lebih aman sekarang,\" kata salah satu warga yang hadir."
    assert quotes_of(quotes_nlp, text) == [(None, "Kami merasa lebih aman sekarang")]


def test_quoted_names_without_a_speech_verb_are_not_quotes(quotes_nlp: Language) -> None:
    assert quotes_of(quotes_nlp, "Polsek Menteng melalui program \"Ngopi Kamtibmas\" mengadakan pertemuan.") == []


def test_speakers_resolve_through_the_full_pipeline(nlp: Language) -> None:
    text = ("BEKASI - Kapolres Metro Bekasi Kota Kombes Pol Dani Hamdani menghadiri acara warga.\n"
            "\"Kami ingin dekat dengan warga,\" tambah Dani.")
    doc = nlp.make_doc(normalize(text).text)
    meta(doc).update(doc_id="t", published=None)
    for _, component in nlp.pipeline:
        doc = component(doc)
    found = [(r["speaker"], r["quote"]) for r in get_facts(doc, "quotes")]
    assert found == [("Dani Hamdani", "Kami ingin dekat dengan warga")]
