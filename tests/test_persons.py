from __future__ import annotations

import pytest

from kamtibmas_extract.facts import get_facts


def persons_of(nlp, text: str) -> dict[str, dict]:
    return {p["name"]: p for p in get_facts(nlp(text), "persons")}


@pytest.mark.parametrize("text, name, rank", [
    ("Hadir AKBP Wiwit Ari Wibisono,SH SIK MH dalam acara itu.", "Wiwit Ari Wibisono", "AKBP"),
    ("Acara dibuka Kombes Pol. Dani Hamdani di aula.", "Dani Hamdani", "Kombes Pol"),
    ("Menurut AKP Totok Wijanarko, S.Pd. situasi aman.", "Totok Wijanarko", "AKP"),
    ("Apel dipimpin Kompol II Sutasman pagi ini.", "Sutasman", "Kompol"),
    ("Kegiatan dihadiri Kombespol Harry Muharram di lokasi.", "Harry Muharram", "Kombes Pol"),
    ("Hadir pula IPTU ZULHAM ABDILLAH bersama warga.", "Zulham Abdillah", "Iptu"),
    ("Hadir pula iptu Zulham Abdillah bersama warga.", "Zulham Abdillah", "Iptu"),
    ("Laporan diterima Brigadir Polisi Kepala Anton Wibowo kemarin.", "Anton Wibowo", "Bripka"),
    ("Kapolres AKBP Erwin S. Manik, S.H., S.I.K., M.H. memimpin.", "Erwin S. Manik", "AKBP"),
    ("Babinsa Serda Kanthi Wibowo ikut berpatroli.", "Kanthi Wibowo", "Serda"),
])
def test_rank_and_name(nlp, text, name, rank):
    people = persons_of(nlp, text)
    assert name in people, people
    assert people[name]["rank"] == rank


def test_rank_order_and_group(nlp):
    person = persons_of(nlp, "Irjen Pol Budi Santoso tiba dan Bripda Sari Lestari menyambut.")
    assert person["Budi Santoso"]["rank_group"] == "pati"
    assert person["Sari Lestari"]["rank_group"] == "bintara"
    assert person["Budi Santoso"]["rank_order"] > person["Sari Lestari"]["rank_order"]


def test_position_unit_rank_name(nlp):
    person = persons_of(nlp, "Kapolres Metro Bekasi Kota Kombes Pol Dani Hamdani hadir.")["Dani Hamdani"]
    assert (person["position"], person["unit"], person["organization"]) == (
        "Kapolres", "Polres Metro Bekasi Kota", "polri")


def test_functional_position_gets_territorial_unit(nlp):
    person = persons_of(nlp, "Kasat Reskrim Polres Garut AKP Totok Wijanarko menjelaskan.")["Totok Wijanarko"]
    assert (person["position"], person["unit"]) == ("Kasat Reskrim", "Polres Garut")


def test_name_selaku_position(nlp):
    person = persons_of(nlp, "Ujang selaku Ketua RT 05 menyambut kedatangan petugas.")["Ujang"]
    assert (person["position"], person["organization"]) == ("Ketua RT", "civilian")


def test_speech_verb_position_name(nlp):
    person = persons_of(nlp, '"Warga sangat terbantu," tutur Lurah Indrawan.')["Indrawan"]
    assert (person["position"], person["organization"]) == ("Lurah", "government")


def test_place_after_civil_position_is_not_a_name(nlp):
    assert persons_of(nlp, "Acara digelar di Kantor Lurah Kolhua pada pagi hari.") == {}


def test_mentions_of_one_person_are_merged(nlp):
    doc = nlp('Kapolres Metro Bekasi Kota Kombes Pol Dani Hamdani hadir. "Kami siap," tambah Dani.')
    people = get_facts(doc, "persons")
    assert [p["name"] for p in people] == ["Dani Hamdani"]
    assert people[0]["mention"].startswith("Kapolres")


def test_bare_speaker_name(nlp):
    assert "Roby" in persons_of(nlp, '"Lingkungan kami aman," ujar Roby.')


def test_unit_of_a_bare_head_position_is_the_documents_only_unit(nlp):
    text = "Polres Garut menggelar razia. Kapolres AKBP Rohman Yonky memimpin langsung."
    assert persons_of(nlp, text)["Rohman Yonky"]["unit"] == "Polres Garut"


def test_headline_words_are_not_names(nlp):
    assert persons_of(nlp, "Warga Apresiasi Peran Polsek Maulafa dan Bhabinkamtibmas, Soroti Pesta Miras\nIsi.") == {}


@pytest.mark.parametrize("text, name, position", [
    ("Jakarta-Kepala Divisi Humas Polri, Irjen Pol. Raden Prabowo Argo Yuwono, S.I.K., mengungkapkan hal itu.",
     "Prabowo Argo Yuwono", "Kadiv Humas"),
    ("Dir Reskoba Polda Kaltim, Kombes Pol Arif Bastari, mengatakan pengungkapan itu besar.", "Arif Bastari",
     "Dirresnarkoba"),
    ("Warga berterima kasih kepada Bhabinkamtibmas setempat, Aiptu I Ketut A. Widiantara, atas patrolinya.",
     "I Ketut A. Widiantara", "Bhabinkamtibmas"),
])
def test_position_variants_before_rank(nlp, text, name, position):
    assert persons_of(nlp, text)[name]["position"] == position
