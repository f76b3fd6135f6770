from __future__ import annotations

from pathlib import Path

import pytest

from kamtibmas_extract.facts import get_facts
from kamtibmas_extract.ner.backend import NerBackend
from kamtibmas_extract.ner.component import OnDemandNer
from kamtibmas_extract.persons import NER_WINDOW
from kamtibmas_extract.pipeline import component_passes


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


class NamesAsPer(NerBackend):
    """A stand-in NER back end: tags the given word sequences PER and records what it was asked."""

    path = Path("names-as-per")

    def __init__(self, *names: str) -> None:
        self.names = [name.split() for name in names]
        self.asked: list[list[str]] = []

    def entities(self, text: str) -> list[tuple[int, int, str]]:
        raise NotImplementedError("the pipeline tags tokenised sentences only")

    def token_entities(self, sentences: list[list[str]]) -> list[list[tuple[int, int, str]]]:
        self.asked += sentences
        return [[(i, i + len(name), "PER") for name in self.names for i in range(len(words))
                 if words[i:i + len(name)] == name] for words in sentences]


def ner_persons(nlp, monkeypatch, text: str, *tagged: str) -> tuple[dict[str, dict], NamesAsPer]:
    backend = NamesAsPer(*tagged)
    monkeypatch.setattr(nlp.get_pipe("kamtibmas_persons"), "ner", OnDemandNer(backend))
    return persons_of(nlp, text), backend


def test_ner_adds_a_cued_name_that_no_rule_found(nlp, monkeypatch):
    people, _ = ner_persons(nlp, monkeypatch, "Sopir truk bernama Rudolf Simanjuntak meninggal di lokasi.",
                            "Rudolf Simanjuntak")
    assert people["Rudolf Simanjuntak"]["extractor"] == "ner"
    assert people["Rudolf Simanjuntak"]["rule"] == "persons.ner"


def test_ner_is_not_run_where_rules_explain_every_name(nlp, monkeypatch):
    people, backend = ner_persons(nlp, monkeypatch, "Kapolres Garut AKBP Budi Santoso memimpin apel warga.",
                                  "Budi Santoso")
    assert people["Budi Santoso"]["extractor"] == "rule"
    assert backend.asked == []


@pytest.mark.parametrize("text, tagged", [
    ("Pelaku membawa kabur sepeda motor milik korban, Honda Vario warna merah.", "Honda Vario"),
    ("Pelaku DP alias Ewin Belo (45) ditangkap.", "Ewin Belo"),
    ("Korban dibawa ke RSUP M Djamil Padang.", "Djamil Padang"),
    ("Rapat digelar di Gedung Sate Bandung pagi tadi.", "Gedung Sate"),  # no person cue nearby
    ("Pelaku diamankan.\nKesadaran Tertib Lalu Lintas Harus Lahir dari Diri Sendiri.", "Kesadaran Tertib"),
    ("Mataram (Kabar Rinjani) – Tiga pelaku diamankan polisi.", "Kabar Rinjani"),  # an outlet in the dateline
])
def test_ner_candidates_that_are_no_person_are_never_tagged(nlp, monkeypatch, text, tagged):
    people, backend = ner_persons(nlp, monkeypatch, text, tagged)
    assert tagged not in people and backend.asked == []


def test_ner_sees_only_a_window_around_the_candidate(nlp, monkeypatch):
    text = ("Dalam kegiatan yang berlangsung sejak pagi hingga sore hari itu hadir pula tokoh masyarakat "
            "Slamet Riyadi yang memberikan sambutan singkat kepada seluruh peserta yang hadir di lapangan desa.")
    people, backend = ner_persons(nlp, monkeypatch, text, "Slamet Riyadi")
    assert "Slamet Riyadi" in people
    (window,) = backend.asked
    assert "Slamet" in window and len(window) == 2 + 2 * NER_WINDOW


def test_ner_is_asked_once_for_a_whole_batch(nlp, monkeypatch):
    texts = ["Sopir truk bernama Ruslan Sitompul meninggal di lokasi.",
             "Korban bernama Darmaji Wiryono dibawa ke rumah sakit."]
    backend = NamesAsPer("Ruslan Sitompul", "Darmaji Wiryono")
    calls = []
    monkeypatch.setattr(backend, "token_entities", lambda sentences: calls.append(sentences) or
                        NamesAsPer.token_entities(backend, sentences))
    persons = nlp.get_pipe("kamtibmas_persons")
    monkeypatch.setattr(persons, "ner", OnDemandNer(backend))
    docs = [nlp(text) for text in texts]  # one call per document
    assert len(calls) == 2
    for _, batch in component_passes(nlp, [nlp.make_doc(text) for text in texts]):
        pass
    assert len(calls) == 3  # one more call, for both documents
    assert [get_facts(doc, "persons") for doc in batch] == [get_facts(doc, "persons") for doc in docs]
    assert [p["name"] for doc in batch for p in get_facts(doc, "persons")] == ["Ruslan Sitompul", "Darmaji Wiryono"]
