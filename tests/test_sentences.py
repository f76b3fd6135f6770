"""Tokenizer exceptions for police abbreviations, and the sentence boundaries that survive them."""
from __future__ import annotations

import pytest
from spacy.language import Language

from kamtibmas_extract.pipeline import make_tokenizer_nlp


@pytest.fixture(scope="module")
def sentencizer() -> Language:
    nlp = make_tokenizer_nlp()
    nlp.add_pipe("kamtibmas_sentences")
    return nlp


def sentences(nlp: Language, text: str) -> list[str]:
    return [s.text.strip() for s in nlp(text).sents if s.text.strip()]


@pytest.mark.parametrize("text, token", [
    ("Patroli di Jl. Raya Bogor.", "Jl."),
    ("Warga Kel. Cijantung hadir.", "Kel."),
    ("Warga Kec. Pasar Rebo hadir.", "Kec."),
    ("Posko di Rw. 09 ramai.", "Rw."),
    ("Hadir Kombes Pol. Dani Hamdani.", "Pol."),
    ("Hadir AKBP Budi Santoso, S.H., M.H.", "S.H."),
    ("Hadir AKBP Budi Santoso, S.I.K., M.H.", "S.I.K."),
    ("Hadir AKBP Budi Santoso, S.I.K. kemarin.", "S.I.K."),
    ("Hadir AKP Rina, S.Sos. kemarin.", "S.Sos."),
    ("Posko di JL. Merdeka.", "JL."),     # upper-case form
    ("posko di jl. merdeka.", "jl."),     # lower-case form
])
def test_abbreviations_stay_one_token(sentencizer, text, token):
    assert token in [t.text for t in sentencizer.make_doc(text)]


@pytest.mark.parametrize("text, expected", [
    ("Polisi mendatangi warga di Jl. Raya Bogor, Kel. Cijantung, Kec. Pasar Rebo. Warga menyambut baik.",
     ["Polisi mendatangi warga di Jl. Raya Bogor, Kel. Cijantung, Kec. Pasar Rebo.", "Warga menyambut baik."]),
    ("Kegiatan digelar di Rw. 09 Kel. Menteng. Kapolsek hadir.",
     ["Kegiatan digelar di Rw. 09 Kel. Menteng.", "Kapolsek hadir."]),
    ("Hal itu disampaikan Kombes Pol. Dani Hamdani, S.H., S.I.K., M.H., di Bekasi. Ia menambahkan patroli rutin.",
     ["Hal itu disampaikan Kombes Pol. Dani Hamdani, S.H., S.I.K., M.H., di Bekasi.", "Ia menambahkan patroli rutin."]),
    ("Kapolres AKBP Budi Santoso, S.I.K. mengatakan hal itu. Selanjutnya pelaku ditahan.",
     ["Kapolres AKBP Budi Santoso, S.I.K. mengatakan hal itu.", "Selanjutnya pelaku ditahan."]),
    ("Pelaku M. Rifai ditangkap. Dia warga Kp. Rawa Ds. Sukamaju.",
     ["Pelaku M. Rifai ditangkap.", "Dia warga Kp. Rawa Ds. Sukamaju."]),
    ("Kabag Ops Kompol H. Ahmad, S.Sos., M.M. memimpin apel. Apel berjalan lancar.",
     ["Kabag Ops Kompol H. Ahmad, S.Sos., M.M. memimpin apel.", "Apel berjalan lancar."]),
])
def test_boundaries_survive_abbreviations(sentencizer, text, expected):
    assert sentences(sentencizer, text) == expected


@pytest.mark.parametrize("text, expected", [
    ('"Kami akan terus berpatroli." Kata Kapolsek.', ['"Kami akan terus berpatroli."', "Kata Kapolsek."]),
    ('"Kami akan terus berpatroli," kata Kapolsek.', ['"Kami akan terus berpatroli," kata Kapolsek.']),
    ("Pelaku kabur (ke arah utara.) Polisi mengejar.", ["Pelaku kabur (ke arah utara.)", "Polisi mengejar."]),
    ("Hebat!!! Polisi datang?! Ya.", ["Hebat!!!", "Polisi datang?!", "Ya."]),
    ("Ini yang pertama... Kedua menyusul.", ["Ini yang pertama...", "Kedua menyusul."]),
    ("Sebanyak 3 orang ditangkap. 2 orang lagi kabur.", ["Sebanyak 3 orang ditangkap.", "2 orang lagi kabur."]),
    ("Pelaku kabur. lalu ditangkap.", ["Pelaku kabur. lalu ditangkap."]),   # lower case does not open a sentence
    ("Disita sabu, ganja, dll. Polisi menahan pelaku.", ["Disita sabu, ganja, dll.", "Polisi menahan pelaku."]),
    ("Pelaku A. Rahman dkk. ditangkap.", ["Pelaku A. Rahman dkk. ditangkap."]),
    ("Barang bukti yakni: 1. Satu unit motor. 2. Dua buah HP. Pelaku ditahan.",
     ["Barang bukti yakni: 1. Satu unit motor.", "2. Dua buah HP.", "Pelaku ditahan."]),
    ("Barang bukti:\n1. Satu unit motor.\n2. Dua buah HP.", ["Barang bukti:", "1. Satu unit motor.", "2. Dua buah HP."]),
    ("Pelaku dijerat Pasal 363 ayat 1. Polisi masih memburu pelaku lain.",
     ["Pelaku dijerat Pasal 363 ayat 1.", "Polisi masih memburu pelaku lain."]),
    ("Korban tewas pada 2024. 12 orang terluka.", ["Korban tewas pada 2024.", "12 orang terluka."]),
])
def test_sentence_final_punctuation(sentencizer, text, expected):
    assert sentences(sentencizer, text) == expected


def test_line_breaks_always_end_a_sentence(sentencizer):
    text = "Polisi Tangkap Pencuri Motor\nBEKASI – Polisi menangkap pelaku\ndi rumahnya.\n\nwarga lega."
    assert sentences(sentencizer, text) == ["Polisi Tangkap Pencuri Motor", "BEKASI – Polisi menangkap pelaku",
                                            "di rumahnya.", "warga lega."]


def test_every_token_has_a_decision_and_offsets_cover_the_text(sentencizer):
    text = "Satu dua. Tiga empat!\nLima."
    doc = sentencizer(text)
    assert all(t.is_sent_start is not None for t in doc)
    spans = list(doc.sents)
    assert spans[0].start_char == 0 and spans[-1].end_char == len(text)
    assert "".join(s.text_with_ws for s in spans) == text


@pytest.mark.parametrize("text", ["", "   ", "x", "\n\n"])
def test_degenerate_texts(sentencizer, text):
    assert "".join(s.text_with_ws for s in sentencizer(text).sents) == text
