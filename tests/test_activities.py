"""Activities: named programs, named operations, keyword types, attendance, and mentions that are not activities."""
from __future__ import annotations

import pytest
from pipeline_run import run_text
from spacy.language import Language

from kamtibmas_extract import activities  # noqa: F401  (registers kamtibmas_activities)
from kamtibmas_extract.facts import get_facts
from kamtibmas_extract.pipeline import make_tokenizer_nlp


@pytest.fixture(scope="module")
def activities_nlp() -> Language:
    nlp = make_tokenizer_nlp()
    nlp.add_pipe("kamtibmas_sentences")
    nlp.add_pipe("kamtibmas_activities")
    return nlp


def activities_of(nlp: Language, text: str) -> list[dict]:
    return get_facts(run_text(nlp, text, doc_id="t", published=None), "activities")


def kinds(rows: list[dict]) -> set[tuple[str, str | None]]:
    return {(row["type"], row["name"]) for row in rows}


@pytest.mark.parametrize("text, expected", [
    ("Polsek Menteng menggelar Ngopi Kamtibmas bersama warga RW 09.", ("ngopi_kamtibmas", "Ngopi Kamtibmas")),
    ("Kapolres hadir dalam kegiatan Jum'at Curhat di balai desa.", ("jumat_curhat", "Jumat Curhat")),
    ("Bhabinkamtibmas melakukan patroli dialogis di permukiman warga.", ("patroli", "Patroli Dialogis")),
    ("Giat cooling system digelar menjelang pilkada.", ("cooling_system", "Cooling System")),
    ("Anggota menjalankan door to door system ke rumah warga.", ("door_to_door", "Door to Door System")),
    ("Bhabinkamtibmas rutin menyambangi warga binaannya.", ("sambang", None)),
    ("Petugas memberikan sosialisasi tertib berlalu lintas kepada pelajar.", ("penyuluhan", None)),
    ("Polres membagikan paket sembako kepada warga kurang mampu.", ("bakti_sosial", None)),
    ("Ratusan personel dikerahkan untuk pengamanan TPS.", ("pengamanan", None)),
    ("Satlantas menggelar razia kendaraan di jalan protokol.", ("razia", None)),
    ("Hal itu disampaikan Kapolres dalam konferensi pers di mapolres.", ("konferensi_pers", None)),
    ("Dalam rilisnya, polisi menjelaskan kronologi kejadian.", ("konferensi_pers", None)),
    ("Polres menggelar rapat koordinasi lintas sektoral.", ("rapat_koordinasi", None)),
    ("Polisi menangkap dua tersangka di rumah kontrakan.", ("penangkapan", None)),
    ("Petugas melakukan olah TKP dan memeriksa saksi.", ("other", None)),
    ("Apel gelar pasukan digelar di halaman polda.", ("other", None)),
])
def test_activity_types(activities_nlp: Language, text: str, expected: tuple[str, str | None]) -> None:
    assert expected in kinds(activities_of(activities_nlp, text))


@pytest.mark.parametrize("text, name", [
    ("Operasi Zebra 2018 resmi dimulai hari ini.", "Operasi Zebra 2018"),
    ("Ops Ketupat Candi 2026 berlangsung 13 hari.", "Operasi Ketupat Candi 2026"),
    ("Pengamanan pilkada dilakukan melalui operasi mantap praja di seluruh wilayah.", "Operasi Mantap Praja"),
    ("Hari kedua Operasi Penyakit Masyarakat (Pekat) Marano 2026 menyasar miras.", "Operasi Pekat Marano 2026"),
    ("Operasi Kepolisian Terpusat Ketupat Candi 2026 digelar serentak.", "Operasi Ketupat Candi 2026"),
    ("Operasi Mantap Brata 2023/2024 masih berjalan.", "Operasi Mantap Brata 2023/2024"),
    ("Operasi Nila Jaya 2019 menyasar kampung narkoba.", "Operasi Nila Jaya 2019"),
])
def test_named_operations_keep_their_year_as_written(activities_nlp: Language, text: str, name: str) -> None:
    assert ("operasi", name) in kinds(activities_of(activities_nlp, text))


def test_mentions_of_one_operation_merge_into_its_fullest_name(activities_nlp: Language) -> None:
    rows = activities_of(activities_nlp, "Operasi Zebra Mahakam 2024 dimulai Senin. Dalam apel persiapan Operasi "
                                         "Zebra, Kapolresta memberi arahan. Operasi Zebra Mahakam menyasar pelanggar.")
    assert [r["name"] for r in rows if r["type"] == "operasi"] == ["Operasi Zebra Mahakam 2024"]


@pytest.mark.parametrize("text", [
    "Jumlah pelanggaran turun dibandingkan Operasi Zebra 2023.",
    "Petugas datang menggunakan mobil patroli.",
    "Polisi mengamankan dua sepeda motor yang ditinggalkan di pinggir jalan.",
    "Kami berharap warga membantu polisi menangkap pelaku.",
    "Kapolres menjelaskan kronologi kejadian kepada wartawan.",
    "Dokter melakukan operasi bibir sumbing di rumah sakit.",
    "Operasi Balap Liar digelar malam minggu.",
])
def test_not_activities(activities_nlp: Language, text: str) -> None:
    assert not [r for r in activities_of(activities_nlp, text) if r["type"] in
                {"operasi", "patroli", "penangkapan", "konferensi_pers"}]


def test_attendance(activities_nlp: Language) -> None:
    rows = activities_of(activities_nlp, "Ngopi Kamtibmas digelar di balai RW. Acara itu dihadiri sekitar 30 orang "
                                         "warga serta tokoh masyarakat.")
    (row,) = [r for r in rows if r["type"] == "ngopi_kamtibmas"]
    assert row["attendees"] == 30


def test_vague_attendance_is_not_a_count(activities_nlp: Language) -> None:
    (row,) = activities_of(activities_nlp, "Jumat Curhat di kantor lurah dihadiri puluhan warga.")
    assert row["attendees"] is None


def test_one_row_per_type_and_name(activities_nlp: Language) -> None:
    rows = activities_of(activities_nlp, "Patroli dialogis digelar pagi. Patroli kota berlanjut siang. "
                                         "Patroli malam menyasar objek vital.")
    assert kinds(rows) == {("patroli", "Patroli Dialogis")}
