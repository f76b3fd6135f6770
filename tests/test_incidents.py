"""Incidents: reported vs. outreach mentions, types, counts, legal articles, linking to dates and places."""
from __future__ import annotations

import datetime as dt

import pytest
from pipeline_run import run_text
from spacy.language import Language

from kamtibmas_extract import incidents  # noqa: F401  (registers kamtibmas_incidents)
from kamtibmas_extract.facts import get_facts, meta
from kamtibmas_extract.pipeline import make_tokenizer_nlp


@pytest.fixture(scope="module")
def incidents_nlp() -> Language:
    """Tokenizer, sentences and the incidents component alone: no dates or places before it."""
    nlp = make_tokenizer_nlp()
    nlp.add_pipe("kamtibmas_sentences")
    nlp.add_pipe("kamtibmas_incidents")
    return nlp


def incidents_of(nlp: Language, text: str) -> dict[str, dict]:
    return {row["type"]: row for row in get_facts(run_text(nlp, text, doc_id="t", published=None), "incidents")}


@pytest.mark.parametrize("text, kind", [
    ("Polisi menangkap dua tersangka pencurian sepeda motor di pasar itu.", "curanmor"),
    ("Terjadi tawuran antarpelajar di jembatan kampung pada Sabtu malam.", "tawuran"),
    ("Petugas langsung mengamankan dan mencegah tawuran dua kelompok remaja.", "tawuran"),
    ("Satresnarkoba mengungkap kasus peredaran sabu di sebuah rumah kos.", "narkoba"),
    ("Seorang pemuda dibacok orang tak dikenal dan kini dirawat di rumah sakit.", "penganiayaan"),
    ("Tim gabungan meringkus pelaku begal yang beraksi di jalan lingkar.", "perampokan"),
    ("Kecelakaan maut terjadi di jalan provinsi, pengendara motor tewas di lokasi.", "kecelakaan_lalu_lintas"),
    ("Dalam razia itu petugas menindak puluhan pengendara yang memakai knalpot brong.", "pelanggaran_lalu_lintas"),
    ("Petugas menyita ratusan botol minuman keras dari sebuah warung.", "miras"),
    ("Polisi menggerebek arena judi sabung ayam dan menangkap lima orang.", "judi"),
    ("Dua remaja kedapatan membawa senjata tajam saat diperiksa petugas.", "senjata"),
    ("Pasar tradisional terbakar dan para pedagang menjadi korban kebakaran itu.", "kebakaran"),
    ("Banjir terjadi di tiga kecamatan dan ratusan warga terdampak.", "bencana"),
    ("Pelaku dijerat Pasal 378 KUHP karena menipu puluhan korban arisan.", "penipuan"),
    ("Massa menyerang Polsek setempat dan merusak pagar, 12 orang ditangkap.", "other"),
])
def test_reported_incidents(incidents_nlp: Language, text: str, kind: str) -> None:
    assert kind in incidents_of(incidents_nlp, text)


@pytest.mark.parametrize("text", [
    "Kapolsek mengingatkan bahaya narkoba bagi pelajar dalam sosialisasi di sekolah.",
    "Warga diimbau jangan terprovokasi dan menghindari tawuran menjelang pilkada.",
    "Bhabinkamtibmas memberikan edukasi tentang pencegahan curanmor kepada warga.",
    "Dalam Jumat Curhat, warga mengeluhkan maraknya pencurian ternak di desa itu.",
    "Sepanjang 2024 tercatat 250 kasus narkoba di wilayah hukum polres.",
    "Beberapa isu yang dibahas antara lain penyalahgunaan narkoba dan tawuran remaja.",
    "Dari razia di tiga tempat hiburan malam itu tidak ditemukan narkoba.",
    "Satuan Reserse Narkoba Polres Kota menggelar apel pagi di halaman mapolres.",
    "Operasi ini bertujuan menekan angka pelanggaran dan kecelakaan lalu lintas.",
    "Salah satu tersangka narkoba itu ternyata residivis kasus pencurian.",
])
def test_topics_of_outreach_are_not_incidents(incidents_nlp: Language, text: str) -> None:
    assert incidents_of(incidents_nlp, text) == {}


def test_one_incident_per_type_with_unique_ids(incidents_nlp: Language) -> None:
    found = incidents_of(incidents_nlp, "Tujuh terduga pelaku curas, curat, dan curanmor diamankan tim gabungan. "
                                        "Ketujuh pelaku ditangkap di lokasi berbeda.")
    assert set(found) == {"perampokan", "pencurian", "curanmor"}
    assert sorted(row["incident_id"] for row in found.values()) == ["i1", "i2", "i3"]
    assert {row["suspects"] for row in found.values()} == {7}


def test_a_robbery_covers_its_stabbing(incidents_nlp: Language) -> None:
    found = incidents_of(incidents_nlp, "Pelaku begal yang membacok korban dan membawa kabur motornya ditangkap "
                                        "polisi. Korban dibacok di bagian lengan.")
    assert set(found) == {"perampokan"}


@pytest.mark.parametrize("text, suspects", [
    ("Polisi menangkap dua tersangka pengedar sabu di rumahnya.", 2),
    ("Polisi mengungkap kasus sabu dengan tiga orang pelaku yang kini ditahan.", 3),
    ("Tersangka AS (25) dan BN (31) diamankan bersama barang bukti sabu.", 2),
    ("Pengedar sabu berinisial RK ditangkap di pelabuhan.", 1),
    ("Polisi meringkus pelaku curanmor. Ketiga pelaku masing-masing berinisial AB (20), CD (21) dan EF (22).", 3),
])
def test_suspect_counts(incidents_nlp: Language, text: str, suspects: int) -> None:
    (row,) = incidents_of(incidents_nlp, text).values()
    assert row["suspects"] == suspects


def test_victim_counts(incidents_nlp: Language) -> None:
    found = incidents_of(incidents_nlp, "Kecelakaan itu terjadi di jalan raya dan menyebabkan dua korban "
                                        "meninggal dunia.")
    assert found["kecelakaan_lalu_lintas"]["victims"] == 2


@pytest.mark.parametrize("text, articles", [
    ("Para pelaku pencurian itu ditangkap dan dijerat Pasal 363 KUHP.", ["Pasal 363 KUHP"]),
    ("Pelaku tawuran yang ditangkap membawa celurit dijerat UU Darurat No 12 Tahun 1951.",
     ["UU Darurat No 12 Tahun 1951"]),
    ("Tersangka sabu itu ditangkap dan dijerat Pasal 114 ayat (2) subsider Pasal 112 ayat (2) UU RI Nomor 35 "
     "Tahun 2009.", ["Pasal 114 ayat (2) UU RI Nomor 35 Tahun 2009", "Pasal 112 ayat (2) UU RI Nomor 35 Tahun 2009"]),
])
def test_legal_articles(incidents_nlp: Language, text: str, articles: list[str]) -> None:
    rows = list(incidents_of(incidents_nlp, text).values())
    assert any(row["legal_articles"] == articles for row in rows), rows


def test_without_dates_and_places_stages_the_links_stay_empty(incidents_nlp: Language) -> None:
    text = "Polisi menangkap pelaku tawuran di Kecamatan Tambora, Sabtu (9/11/2024)."
    (row,) = incidents_of(incidents_nlp, text).values()
    assert row["date"] is None and row["location"] is None


def test_date_and_place_come_from_earlier_stages(nlp: Language) -> None:
    doc = nlp.make_doc("JAKARTA - Polisi menangkap tiga pelaku tawuran di Kelurahan Galur, Kecamatan Johar Baru, "
                       "Jakarta Pusat, Sabtu (9/11/2024).")
    meta(doc).update(doc_id="t", published=None)
    for _, component in nlp.pipeline:
        doc = component(doc)
    (row,) = get_facts(doc, "incidents")
    assert row["type"] == "tawuran" and row["suspects"] == 3
    assert row["date"] == dt.date(2024, 11, 9)
    assert row["location"] in {"Galur", "Johar Baru"}


def test_an_appeal_to_report_is_not_an_incident(incidents_nlp):
    assert incidents_of(incidents_nlp, "Warga yang menemukan praktik pungutan liar diminta segera melapor ke petugas.") == {}


def test_caught_gambling_is_an_incident(incidents_nlp):
    found = incidents_of(incidents_nlp, "Petugas memergoki empat pria sedang bermain judi kartu di sebuah pos ronda.")
    assert list(found) == ["judi"]
