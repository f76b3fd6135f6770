"""Normalization: character repair, glued punctuation, datelines, page furniture, hard wraps."""
from __future__ import annotations

import time

import pytest

from kamtibmas_extract.normalize import normalize
from kamtibmas_extract.pipeline import make_tokenizer_nlp

BODY = ("Polisi menangkap dua pria yang diduga mencuri sepeda motor milik warga di Desa Sukamaju, "
        "Kecamatan Cibinong, pada Senin malam setelah menerima laporan dari masyarakat setempat.")
MORE = ("Kapolsek Cibinong Kompol Agus Salim mengatakan kedua pelaku kini ditahan di markas kepolisian "
        "dan dijerat pasal pencurian dengan pemberatan, dengan ancaman tujuh tahun penjara.")
LAST = ("Polisi juga mengimbau warga agar selalu mengunci kendaraan dan memasang alarm tambahan ketika "
        "memarkir sepeda motor di halaman rumah pada malam hari.")


def article(*middle: str, tail: tuple[str, ...] = ()) -> str:
    return "\n".join(["Polisi Tangkap Dua Pencuri Motor", f"BOGOR – {BODY}", *middle, MORE, LAST, *tail])


# --- characters ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("\uff30\uff4f\uff4c\uff52\uff45\uff53 Bogor", "Polres Bogor"),            # full-width letters (NFKC)
    ("\ufb01lm", "film"),                                                      # ligature (NFKC)
    ("\u201cSiap,\u201d katanya", '"Siap," katanya'),                          # curly double quotes
    ("\u2018siap\u2019", "'siap'"),                                            # curly single quotes
    ("A\u2014B", "A – B"),                                                     # em dash, glued
    ("satu\u00a0dua\u200btiga", "satu duatiga"),                              # nbsp, zero-width space
    ("satu  \t dua", "satu dua"),                                              # runs of spaces and tabs
    ("Polisi datang \u00e2\u20ac\u201c kata dia", "Polisi datang – kata dia"),  # mojibake of an en dash
    ("Caf\u00c3\u00a9 itu", "Café itu"),                                       # mojibake of é
    ("Baris\r\nBaru", "Baris\nBaru"),
])
def test_characters_are_repaired_and_unified(raw, expected):
    assert normalize(raw).text == expected


def _as_cp1252(text: str) -> str:
    """UTF-8 bytes read as cp1252 (Latin-1 for the five bytes cp1252 leaves undefined): mojibake."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8"))


@pytest.mark.parametrize("char", list("éñü–—“”‘’…•€Žž") + ["\U0001F600"])
def test_mojibake_of_any_character_is_repaired(char):
    clean = f"Polisi berkata {char} warga {char}."
    assert normalize(_as_cp1252(clean)).text == normalize(clean).text


@pytest.mark.parametrize("raw, expected", [
    ("Jakarta,kabarmetro.co, Polisi datang.", "Jakarta, kabarmetro.co, Polisi datang."),
    ("Polisi datang.Dia pergi.", "Polisi datang. Dia pergi."),
    ("Bekasi\u2014Polisi datang.", "Bekasi – Polisi datang."),
    ("Foto: Humas Polda Metro JayaJAKARTA \u2013 Polisi datang.", "JAKARTA – Polisi datang."),
])
def test_glued_punctuation_is_separated(raw, expected):
    assert normalize(raw).text == expected


@pytest.mark.parametrize("raw", ["berat 1,5 kg", "Rp1.500.000", "S.H., M.H.", "Jl.Raya Bogor", "pukul 10.30 WIB"])
def test_numbers_and_abbreviations_are_left_alone(raw):
    assert normalize(raw).text == raw


def test_long_punctuation_runs_are_shortened_and_stay_fast_to_tokenize():
    raw = "(" * 50_000 + "x" + ")" * 50_000 + " " + "()" * 20_000 + " Hebat!!!!!!! Lalu......"
    text = normalize(raw).text
    assert text.startswith("(((x)))")
    assert "Hebat!!! Lalu..." in text
    assert len(text) < 100
    nlp = make_tokenizer_nlp()
    started = time.perf_counter()
    nlp.make_doc(text)
    assert time.perf_counter() - started < 1.0


# --- datelines and outlets ------------------------------------------------------------------

@pytest.mark.parametrize("first_line, dateline, outlet", [
    ("BEKASI \u2013 ", "Bekasi", None),
    ("Bekasi\u2014", "Bekasi", None),
    ("Jakarta Pusat \u2013 ", "Jakarta Pusat", None),
    ("Jakarta Pusat- ", "Jakarta Pusat", None),
    ("VIVAnews - ", None, "VIVAnews"),
    ("jpnn.com, JAKARTA - ", "Jakarta", "jpnn.com"),
    ("Makassar, IDN Times - ", "Makassar", "IDN Times"),
    ("Denpasar (ANTARA News) - ", "Denpasar", "ANTARA News"),
    ("REPUBLIKA.CO.ID, ACEH BESAR -- ", "Aceh Besar", "REPUBLIKA.CO.ID"),
    ("KOTABARU (MERAPI)-", "Kotabaru", None),
    ("SERANG - wartabaru.com - ", "Serang", "wartabaru.com"),
    ("Tangerang - kabarkota.com, ", "Tangerang", "kabarkota.com"),
    ("Polda Maluku, Beritasatu.com \u2013 ", None, "Beritasatu.com"),
])
def test_dateline_place_and_outlet(first_line, dateline, outlet):
    result = normalize(f"Judul Berita Tentang Patroli Malam\n{first_line}{BODY}")
    assert (result.dateline, result.outlet) == (dateline, outlet)


@pytest.mark.parametrize("text", [
    f"Polisi Tangkap Pelaku \u2013 Warga Lega\n{BODY}",         # a dash in a headline, no body after it
    f"Kapolres Bogor AKBP Budi Santoso mengatakan pelaku \u2013 seorang remaja \u2013 sudah ditahan. {BODY}",
])
def test_no_dateline_in_headlines_or_sentences(text):
    assert normalize(text).dateline is None


def test_dateline_dash_at_the_end_of_its_own_line_joins_the_body():
    result = normalize(f"Sukamaju (ANTARA) -\n{BODY}")
    assert result.text.startswith("Sukamaju (ANTARA) - Polisi menangkap")
    assert (result.dateline, result.outlet) == ("Sukamaju", "ANTARA")


def test_title_is_the_headline_not_a_dateline_fragment_or_body_sentence():
    assert normalize(article()).title == "Polisi Tangkap Dua Pencuri Motor"
    assert normalize(f"Jakarta, kabarmetro.co,\nJakarta Pusat \u2013 {BODY}").title is None
    assert normalize(f"date 2025-03-04 menu\nPolisi Tangkap Dua Pencuri Motor\n{BODY}").title == \
        "Polisi Tangkap Dua Pencuri Motor"
    assert normalize(f"{BODY}\n{MORE}").title is None


# --- page furniture -------------------------------------------------------------------------

@pytest.mark.parametrize("line, rule", [
    ("Advertisement", "advertisement"),
    ("SCROLL TO CONTINUE WITH CONTENT", "advertisement"),
    ("Baca berita dengan sedikit iklan, klik di sini", "ad_prompt"),
    ("Ikuti Kami di Google News", "follow_prompt"),
    ("Sebarkan artikel ini", "share_widget"),
    ("Baca Juga: Polisi Amankan Pengedar Sabu di Cibinong", "read_also"),
    ("Penulis: Rina Wulandari", "byline"),
    ("Editor: Budi", "byline"),
    ("Rep: Rina Wulandari/ Red: Budi Santoso", "byline_initials"),
    ("(abc/def)", "editor_initials"),
    ("Ilustrasi penangkapan", "image_placeholder"),
    ("162", "lone_number"),
    ("in", "stray_token"),
    ("Berita Daerah", "section_label"),
])
def test_furniture_lines_are_dropped_with_their_rule_id(line, rule):
    result = normalize(article(line))
    assert line not in result.text.split("\n")
    assert f"drop_line:{rule}" in result.removed
    assert BODY in result.text and MORE in result.text


def test_a_headline_that_starts_like_a_section_label_is_kept():
    assert normalize(f"Berita Hoaks Bikin Resah\n{BODY}").title == "Berita Hoaks Bikin Resah"


@pytest.mark.parametrize("line", [
    "Editor senior itu menyebut pelaku sudah lama diincar polisi sejak bulan lalu di wilayah itu.",
    "2 unit sepeda motor",
])
def test_body_lines_that_look_like_furniture_are_kept(line):
    assert line in normalize(article(line)).text


@pytest.mark.parametrize("marker", ["Berita Trending", "BERITA TERKINI", "Berita Terkait", "Komentar", "Tags:"])
def test_everything_from_a_late_marker_on_is_cut(marker):
    tail = (marker, "- 1 Artis Ibu Kota Menikah Lagi di Bali", "- 2 Harga Cabai Naik Menjelang Lebaran")
    text = normalize(article(tail=tail)).text
    assert text.endswith(LAST)
    assert "Artis" not in text and "Cabai" not in text


def test_a_marker_in_the_first_part_of_the_text_cuts_nothing():
    text = normalize(f"Terkini\n{BODY}\n{MORE}\n{LAST}").text
    assert MORE in text and LAST in text


def test_bulleted_links_to_other_articles_are_dropped_but_introduced_lists_kept():
    links = ("- Harga Cabai Naik Menjelang Lebaran di Pasar Induk", "• Artis Ibu Kota Menikah Lagi di Bali",
             "Baca Juga")
    result = normalize(article(*links))
    assert "Cabai" not in result.text and "Artis" not in result.text
    assert result.removed.count("link_list") == 2
    listed = ("Barang bukti yang disita antara lain:", "- Dua Unit Sepeda Motor Honda Beat", "- Satu Kunci Letter T")
    assert all(line in normalize(article(*listed)).text for line in listed)


def test_off_topic_inline_headline_is_dropped_but_subheading_kept():
    advert = "Mobil Listrik Terbaru Sudah Tersedia di Diler, Segini Harganya"
    subheading = "Pelaku Pencurian Ditangkap Polisi di Rumahnya"
    result = normalize(article(advert, subheading))
    assert advert not in result.text
    assert subheading in result.text
    assert result.removed == ["inline_headline"]


def test_subheading_whose_words_appear_only_in_affixed_forms_is_kept():
    body = BODY + " Warga berdialog dengan petugas tentang kehadiran polisi di kampung."
    subheading = "Dialog dan Hadir di Tengah Warga Kampung"
    text = normalize(f"Judul Berita\nBOGOR \u2013 {body}\n{subheading}\n{MORE}").text
    assert subheading in text


def test_repeated_lines_are_kept_once():
    caption = "Dua pelaku pencurian sepeda motor diamankan di Polsek Cibinong."
    title = "Polisi Tangkap Dua Pencuri Motor"
    text = normalize(f"{title}\n{caption}\n{caption}\n{BODY}\n{title}").text
    assert text.count(caption) == 1
    assert text.count(title) == 1


def test_hard_wrapped_text_is_joined_into_paragraphs():
    wrapped = ("BOGOR - Polisi menangkap dua pria yang diduga mencuri\n"
               "sepeda motor milik warga di Desa Sukamaju, Kecamatan\n"
               "Cibinong. Kapolsek Cibinong Kompol Agus Salim mengatakan\n"
               "kedua pelaku ditangkap bersama Budi Santoso dan Andi\n"
               "Saputra di rumah mereka pada Senin malam setelah\n"
               "polisi menerima laporan warga.\n"
               "Kapolres Bogor AKBP Rudi Hartono mengapresiasi warga.")
    text = normalize(wrapped).text
    assert "mencuri sepeda motor" in text
    assert "Andi Saputra" in text                 # a break before a capital joins too, in a wrapped text
    assert "warga.\nKapolres Bogor" in text       # a break after a full stop stays


def test_a_single_break_before_a_capital_stays_in_a_normal_text():
    text = normalize(f"Polisi Tangkap Dua Pencuri Motor\n{BODY}\nPelaku Pencurian Ditangkap\n{MORE}").text
    assert "Motor\nPolisi" in text and "Ditangkap\nKapolsek" in text


# --- the seeds ------------------------------------------------------------------------------

def _seed(shared, prefix: str) -> str:
    return next((shared / "corpus" / "seeds").glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def test_seed_000_loses_its_trending_lists_and_keeps_its_body(shared):
    result = normalize(_seed(shared, "000"))
    for furniture in ("Berita Trending", "Berita Terkini", "Kunto Aji", "Gunung Raung", "Foto: ANTARA"):
        assert furniture not in result.text
    for body in ("Menjelang Pilkada Serentak 2024", "Operasi Mantap Praja", "35 sepeda motor",
                 "kerja sama dengan kepolisian."):
        assert body in result.text
    assert result.text.endswith("kerja sama dengan kepolisian.")
    assert result.dateline == "Jakarta"


def test_seed_004_loses_the_advert_and_the_appended_article(shared):
    result = normalize(_seed(shared, "004"))
    for furniture in ("Toyota Fortuner", "Amicus Curiae", "amicus curiae", "Lihat juga profil", "img_title",
                      "19 April 2024", "Ikhwan Yanuar"):
        assert furniture not in result.text
    for body in ("VIVAnews - Tawuran dan konflik", "door to door system", "pencegahan dini",
                 "Tokoh masyarakat kita ajak", "aksi kejahatan di Jakarta."):
        assert body in result.text
    assert result.outlet == "VIVAnews"


def test_seed_003_keeps_its_subheadings(shared):
    text = normalize(_seed(shared, "003")).text
    assert "Membangun Dialog yang Konstruktif" in text
    assert text.startswith("Bekasi – Upaya membangun")


def test_normalization_is_idempotent_on_the_seeds(shared):
    for path in sorted((shared / "corpus" / "seeds").glob("*.txt")):
        once = normalize(path.read_text(encoding="utf-8")).text
        assert normalize(once).text == once, path.name


@pytest.mark.parametrize("raw, place", [
    ("Kabarkita, Bogor – Polisi membubarkan sekelompok pemuda yang hendak tawuran di jalan desa pada malam hari.",
     "Bogor"),
    ("Polres Sigi, 3 Juni 2025 – Polisi menggelar penyuluhan keselamatan berlalu lintas di halaman sekolah dasar.",
     None),
    ("by - WARTAKITA.COM-Dalam kunjungan kerja dua hari, Kapolda meninjau pos pengamanan di wilayah perbatasan.",
     None),
])
def test_dateline_place_is_the_part_the_gazetteer_knows_never_a_date_or_a_lowercase_word(raw, place):
    assert normalize(raw).dateline == place
