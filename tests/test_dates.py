"""Dates: the surface forms of releases, the year-resolution rule, times, roles and non-dates."""
from __future__ import annotations

import datetime as dt

import pytest
from pipeline_run import run_text
from spacy.language import Language

from kamtibmas_extract.dates import expand_year, resolve_year
from kamtibmas_extract.facts import get_facts
from kamtibmas_extract.io.readers import RawDocument, read_inputs
from kamtibmas_extract.pipeline import make_tokenizer_nlp
from kamtibmas_extract.process import DocumentProcessor
from kamtibmas_extract.schema import DateMention

TODAY = dt.date(2026, 6, 1)
D = dt.date


@pytest.fixture(scope="module")
def dates_nlp() -> Language:
    """Tokenizer, sentences and the date component with a fixed "today" (the weekday rule depends on it)."""
    nlp = make_tokenizer_nlp()
    nlp.add_pipe("kamtibmas_sentences")
    nlp.add_pipe("kamtibmas_dates", config={"today": TODAY.isoformat()})
    return nlp


def dates_of(nlp: Language, text: str, published: dt.date | None = None) -> list[dict]:
    return get_facts(run_text(nlp, text, doc_id="t", published=published), "dates")


def one(nlp: Language, text: str, published: dt.date | None = None) -> dict:
    rows = dates_of(nlp, text, published)
    assert len(rows) == 1, rows
    return rows[0]


# -- surface forms ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, mention, value", [
    ("Patroli digelar di Pasar Baru, Kamis (31/7/2025).", "Kamis (31/7/2025)", D(2025, 7, 31)),
    ("Kegiatan berlangsung di aula desa. Jumat, (8/11/2024).", "Jumat, (8/11/2024)", D(2024, 11, 8)),
    ("Warga berkumpul pada Senin (24/11/25) siang.", "Senin (24/11/25)", D(2025, 11, 24)),
    ("Tim tiba pada Jumat pagi (06/02/2026) di lokasi.", "Jumat pagi (06/02/2026)", D(2026, 2, 6)),
    ("Rapat dibuka Selasa (15-10-2024) dini hari.", "Selasa (15-10-2024)", D(2024, 10, 15)),
    ("Sosialisasi dilakukan di balai RW, pada (Jumat, 5/12/2025).", "(Jumat, 5/12/2025)", D(2025, 12, 5)),
    ("Kunjungan itu dilakukan Rabu(24/04/2019) di kampung.", "Rabu(24/04/2019)", D(2019, 4, 24)),
    ("Rilis dibacakan di Mabes Polri, Rabu 31 Oktober 2012.", "Rabu 31 Oktober 2012", D(2012, 10, 31)),
    ("Penyerahan bantuan dijadwalkan 14 Agt 2024 di kantor camat.", "14 Agt 2024", D(2024, 8, 14)),
    ("Acara ditutup pada hari Jumat tanggal 17 Oktober 2025.", "Jumat tanggal 17 Oktober 2025", D(2025, 10, 17)),
    ("Data dihimpun hingga 9/2/2024 oleh petugas.", "9/2/2024", D(2024, 2, 9)),
])
def test_explicit_forms(dates_nlp, text, mention, value):
    row = one(dates_nlp, text)
    assert (row["mention"], row["value"], row["resolution"], row["precision"]) == (mention, value, "explicit", "day")
    assert row["role"] == "event"


def test_weekday_and_short_bracket(dates_nlp):
    row = one(dates_nlp, "Pertemuan warga digelar di Pekayon, Rabu (6/11).", published=D(2024, 11, 7))
    assert (row["mention"], row["value"], row["rule"]) == ("Rabu (6/11)", D(2024, 11, 6), "bracket_dm")


def test_part_of_day_between_weekday_and_bracket(dates_nlp):
    row = one(dates_nlp, "Penggerebekan dilakukan Kamis malam (8/1) di gudang.", published=D(2026, 1, 9))
    assert row["mention"] == "Kamis malam (8/1)"
    assert row["value"] == D(2026, 1, 8)


def test_range_gives_both_ends(dates_nlp):
    rows = dates_of(dates_nlp, "Operasi berlangsung dari tanggal 15-28 November 2021 di seluruh wilayah.")
    assert [r["value"] for r in rows] == [D(2021, 11, 15), D(2021, 11, 28)]
    assert rows[0]["mention"] == rows[1]["mention"] == "tanggal 15-28 November 2021"


def test_open_range_end_takes_the_closing_year(dates_nlp):
    rows = dates_of(dates_nlp, "Tahapan berjalan mulai 27 Desember hingga 5 Januari 2025 tanpa gangguan.")
    assert [(r["value"], r["resolution"]) for r in rows] == [(D(2024, 12, 27), "explicit"),
                                                              (D(2025, 1, 5), "explicit")]


def test_yearless_bracket_date_before_a_dated_one_takes_its_year(dates_nlp):
    rows = dates_of(dates_nlp, "Posko dibuka Jumat (13/3) sampai Rabu (25/3/2026) di terminal.")
    assert [(r["value"], r["resolution"]) for r in rows] == [(D(2026, 3, 13), "explicit"),
                                                              (D(2026, 3, 25), "explicit")]


def test_unknown_month_spelling_goes_to_dateparser(dates_nlp):
    row = one(dates_nlp, "Peristiwa itu terjadi pada 6 Pebruari 2020 menjelang subuh.")
    assert (row["value"], row["extractor"], row["rule"]) == (D(2020, 2, 6), "dateparser", "dateparser_dmy")


# -- publication stamps ----------------------------------------------------------------------

def test_page_stamp_is_a_publication_date(dates_nlp):
    rows = dates_of(dates_nlp, "date 2025-08-11 JAKARTA - Polisi membubarkan kerumunan remaja, Minggu (10/8).")
    stamp, event = rows
    assert (stamp["mention"], stamp["value"], stamp["role"]) == ("date 2025-08-11", D(2025, 8, 11), "publication")
    assert (event["value"], event["resolution"]) == (D(2025, 8, 10), "publication_date")


def test_header_stamp_sets_role_time_and_the_year_of_short_dates(dates_nlp):
    text = "Jumat, 12 Mei 2023 | 21:40 WIB\nPolisi menggelar razia kendaraan, Kamis (11/5) malam."
    stamp, event = dates_of(dates_nlp, text)
    assert (stamp["role"], stamp["rule"], stamp["time"], stamp["timezone"]) == ("publication", "header_stamp",
                                                                               "21:40", "WIB")
    assert (event["value"], event["resolution"]) == (D(2023, 5, 11), "publication_date")


def test_colon_time_inside_a_paragraph_is_no_header_stamp(dates_nlp):
    text = ("Dalam keterangan tertulisnya polisi menyebut kejadian itu berlangsung di jalan lintas desa pada "
            "Senin, 1 Januari 2024, 06:50 WIT saat warga pulang.")
    assert one(dates_nlp, text)["role"] == "event"


def test_dated_dateline_is_a_publication_date(dates_nlp):
    row = one(dates_nlp, "KUPANG, 7 Februari 2026 - Warga desa menggelar ronda malam bersama polisi setempat.")
    assert (row["role"], row["rule"], row["value"]) == ("publication", "dateline", D(2026, 2, 7))


def test_processor_fills_documents_published_from_the_stamp(dates_nlp):
    raw = RawDocument(doc_id="x", source="x", text="Kamis 14 Nov 2019 04:45 WIB\nPolisi berpatroli, Rabu (13/11).")
    record = DocumentProcessor(nlp=dates_nlp)(raw)
    assert record.document.published == D(2019, 11, 14)
    assert [d.value for d in record.dates] == [D(2019, 11, 14), D(2019, 11, 13)]


# -- year resolution -------------------------------------------------------------------------

def test_publication_year_allows_announced_dates_just_after(dates_nlp):
    rows = dates_of(dates_nlp, "Operasi berlangsung mulai Jumat (13/3) hingga Rabu (25/3).", published=D(2026, 3, 12))
    assert [r["value"] for r in rows] == [D(2026, 3, 13), D(2026, 3, 25)]


def test_another_full_date_in_the_document(dates_nlp):
    text = ("Korban ditikam pada Rabu tanggal 27 Desember 2023 di pasar. "
            "Pelaku menyerahkan diri Senin (1/1) pagi.")
    full, short = dates_of(dates_nlp, text)
    assert full["resolution"] == "explicit"
    assert (short["value"], short["resolution"]) == (D(2024, 1, 1), "document_context")


@pytest.mark.parametrize("text, published, value, resolution", [
    pytest.param("Pelaku ditangkap Sabtu (28/12) di terminal.", D(2025, 1, 3), D(2024, 12, 28), "publication_date",
                 id="publication-year-boundary"),
    pytest.param("Menjelang Pilkada Serentak 2019, polisi berpatroli Rabu (6/11).", None, D(2019, 11, 6),
                 "document_context", id="weekday-and-named-year"),
    pytest.param("Pelaku dijerat UU Nomor 35 Tahun 2019 setelah ditangkap Rabu (6/11).", None, D(2024, 11, 6),
                 "weekday_consistent", id="law-citation-year-is-no-context"),
    pytest.param("Setelah kebakaran Mei 2024, pasar dibuka lagi pada 1 Juli mendatang.", None, D(2024, 7, 1),
                 "document_context", id="month-year-context"),
    pytest.param("Warga diminta waspada sejak 25 Juli lalu.", None, None, "unresolved", id="no-clue"),
    pytest.param("Razia digelar Selasa (14/9/2025) malam.", None, D(2025, 9, 14), "explicit",
                 id="wrong-weekday-keeps-explicit-year"),  # 14/9/2025 was a Sunday
])
def test_year_resolution(dates_nlp, text, published, value, resolution):
    row = one(dates_nlp, text, published)
    assert (row["value"], row["resolution"]) == (value, resolution)
    assert row["precision"] == ("day" if value else "year")


def test_weekday_alone_takes_the_latest_fitting_year(dates_nlp):
    row = one(dates_nlp, "Dua pemuda diamankan di jembatan, Minggu (9/2).")
    assert (row["value"], row["resolution"]) == (D(2025, 2, 9), "weekday_consistent")
    assert row["confidence"] < one(dates_nlp, "Pelaku diamankan Minggu (9/2/2025).")["confidence"]


def test_resolve_year_paths():
    assert resolve_year(28, 12, published=D(2025, 1, 3)) == (D(2024, 12, 28), "publication_date")
    assert resolve_year(1, 1, anchor=D(2023, 12, 27)) == (D(2024, 1, 1), "document_context")
    assert resolve_year(6, 11, weekday=2, context_years={2013}, today=TODAY) == (D(2013, 11, 6), "document_context")
    assert resolve_year(6, 11, weekday=2, today=TODAY) == (D(2024, 11, 6), "weekday_consistent")
    assert resolve_year(6, 11, weekday=2, today=D(2024, 11, 5)) == (D(2019, 11, 6), "weekday_consistent")
    assert resolve_year(29, 2, weekday=3, today=TODAY) == (D(2024, 2, 29), "weekday_consistent")
    assert resolve_year(6, 11) == (None, "unresolved")
    assert resolve_year(31, 2, published=D(2025, 1, 1)) == (None, "unresolved")


def test_two_digit_years():
    assert expand_year("25", TODAY) == 2025
    assert expand_year("98", TODAY) == 1998
    assert expand_year("2019", TODAY) == 2019


# -- times -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, time, zone", [
    ("Acara dimulai Kamis (31/7/2025) sejak pukul 10.10 WIB di balai warga.", "10:10", "WIB"),
    ("Pelaku ditangkap Sabtu (14/3/2026) sekitar pukul 02.00 dini hari.", "02:00", None),
    ("Kapal bersandar Senin, 16 Juni 2025 sekitar pukul 06.00 Wita di dermaga.", "06:00", "WITA"),
    ("Patroli dilaksanakan Sabtu (6/4/2024) pukul 23.00 hingga 02.30 WIT.", "23:00", "WIT"),
    ("Kejadian pada Jumat tanggal 17 Oktober 2025 sekira jam 09.10 Wib.", "09:10", "WIB"),
])
def test_time_attaches_to_the_date_of_its_sentence(dates_nlp, text, time, zone):
    row = one(dates_nlp, text)
    assert (row["time"], row["timezone"]) == (time, zone)


def test_time_in_another_sentence_stays_apart(dates_nlp):
    row = one(dates_nlp, "Razia digelar Sabtu (3/5/2025). Petugas bubar pukul 08.00 WIB.")
    assert row["time"] is None and row["timezone"] is None


def test_time_goes_to_the_nearest_date(dates_nlp):
    text = "Korban lapor Jumat (5/4/2024), lalu pelaku ditangkap Sabtu (6/4/2024) pukul 19.00 WIT."
    first, second = dates_of(dates_nlp, text)
    assert first["time"] is None and second["time"] == "19:00"


# -- things that are not dates ---------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Kenaikan tarif mencapai 12% tahun ini.",
    "Pemerintah menetapkan PPN 12 Persen untuk barang mewah.",
    "Rumah korban berada di RT 05/02 Kelurahan Sukamaju.",
    "Posko siaga melayani warga 24/7 selama libur panjang.",
    "Hubungi layanan pengaduan di 0812-3456-7890 atau (021) 12-34.",
    "Laporan polisi nomor LP/B/123/XI/2024/SPKT sudah diterima.",
    "Surat telegram ST/2517/XI/KEP./2024 mengatur pengamanan.",
    "Pelaku dijerat Pasal 363 KUHP dengan ancaman tujuh tahun.",
    "Pertandingan berakhir (2-1) untuk tim tuan rumah.",
    "Kompol II memimpin apel pagi itu.",
    "Pelaku dijerat UU Nomor 35 Tahun 2009 tentang Narkotika.",
    "Sebanyak 1.021 gram sabu disita dari 10.10 paket.",
])
def test_no_false_dates(dates_nlp, text):
    assert dates_of(dates_nlp, text) == []


def test_rows_validate_and_offsets_point_at_the_mention(dates_nlp):
    text = "Polisi berjaga di pos, Kamis (24/7) sekitar pukul 21.30 Wita, sesuai jadwal Operasi Patuh 2025."
    for row in dates_of(dates_nlp, text):
        assert text[row["start"]:row["end"]] == row["mention"]
        DateMention(doc_id="t", sentence=text, **row)


def test_seed_articles_yield_dated_rows(dates_nlp, shared):
    for raw in read_inputs([shared / "corpus" / "seeds"]):
        record = DocumentProcessor(nlp=dates_nlp)(raw)
        assert record.document.status == "ok", record.document.error
        assert any(d.value is not None and d.precision == "day" for d in record.dates), raw.doc_id
