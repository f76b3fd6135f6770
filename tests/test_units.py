from __future__ import annotations

import pytest

from kamtibmas_extract.facts import get_facts
from kamtibmas_extract.units import find_units


def units_of(nlp, text: str) -> dict[str, dict]:
    return {u["name"]: u for u in get_facts(nlp(text), "units")}


@pytest.mark.parametrize("text, name, level", [
    ("Polres Metro Bekasi Kota menggelar patroli.", "Polres Metro Bekasi Kota", "polres"),
    ("Personel Polrestro Bekasi Kota berjaga.", "Polres Metro Bekasi Kota", "polres"),
    ("Polda Jatim merilis kasus itu.", "Polda Jawa Timur", "polda"),
    ("Polda Metro Jaya menggelar apel.", "Polda Metro Jaya", "polda"),
    ("Kapolsek Metro Menteng AKBP Raka Wijaya hadir.", "Polsek Metro Menteng", "polsek"),
    ("Kasat Reskrim Polres Garut AKP Totok Wijanarko menjelaskan.", "Polres Garut", "polres"),
    ("Kapolresta Kendari Kombes Pol Adi Saputra memimpin.", "Polresta Kendari", "polres"),
    ("POLRES GARUT – Anggota berjaga.", "Polres Garut", "polres"),
    ("Kapolri Jenderal Pol Budi Santoso berpesan.", "Mabes Polri", "mabes"),
    ("Dandim 0316 Batam hadir bersama Kodim 0502/Jakarta Utara.", "Kodim 0316/Batam", "tni"),
])
def test_surface_forms(nlp, text, name, level):
    units = units_of(nlp, text)
    assert name in units, units
    assert units[name]["level"] == level


def test_functional_unit_and_its_territorial_unit(nlp):
    units = units_of(nlp, "Satresnarkoba Polres Kendari menangkap seorang pengedar.")
    assert units["Satresnarkoba Polres Kendari"]["level"] == "satuan"
    assert units["Satresnarkoba Polres Kendari"]["parent"] == "Polres Kendari"
    assert units["Polres Kendari"]["level"] == "polres"


def test_long_form_with_abbreviation_in_brackets(nlp):
    units = units_of(nlp, "Satuan Reserse Narkoba (Satresnarkoba) Polresta Kendari mengungkap kasus.")
    assert "Satresnarkoba Polresta Kendari" in units


def test_chain_gives_parents(nlp):
    units = units_of(nlp, "Kapolsek Cibatu Polres Purwakarta Polda Jabar meninjau pos.")
    assert units["Polsek Cibatu"]["parent"] == "Polres Purwakarta"
    assert units["Polres Purwakarta"]["parent"] == "Polda Jawa Barat"


def test_headline_words_are_not_part_of_a_unit_name():
    names = {u.name for u in find_units("Polres Bogor Terima 2.778 Aduan di Jumat Curhat")}
    assert names == {"Polres Bogor"}


def test_position_without_place_gives_no_unit(nlp):
    assert units_of(nlp, "Kapolres menyampaikan terima kasih kepada warga.") == {}


def test_one_row_per_unit(nlp):
    facts = get_facts(nlp("Polres Garut bergerak. Lalu Polres Garut merilis hasilnya."), "units")
    assert [u["name"] for u in facts] == ["Polres Garut"]
    assert facts[0]["start"] == 0


@pytest.mark.parametrize("text, name", [
    ("Kapolres Metro Jaksel Kombes Pol Azis Santoso hadir.", "Polres Metro Jakarta Selatan"),
    ("Polres Loteng merilis kasus itu.", "Polres Lombok Tengah"),
    ("Kapolresta Serkot Kombes Pol Adi Nugroho hadir.", "Polresta Serang Kota"),
])
def test_short_area_forms_are_written_out(nlp, text, name):
    assert name in units_of(nlp, text)


def test_polres_gets_its_polda_from_its_area(nlp):
    units = units_of(nlp, "Polres Garut dan Polres Metro Bekasi Kota menggelar patroli.")
    assert units["Polres Garut"]["parent"] == "Polda Jawa Barat"
    assert units["Polres Metro Bekasi Kota"]["parent"] == "Polda Metro Jaya"
    assert units["Polres Garut"]["region_code"] == "32.05"


@pytest.mark.parametrize("text, name", [
    ("Tersangka dibawa ke Polres Kota Bengkulu untuk diperiksa.", "Polres Kota Bengkulu"),
    ("Tim Polresta Pulau Ambon dan PP. Lease menjaga perbatasan desa.", "Polresta Pulau Ambon"),
    ("Kapolsek Kota Bangun Iptu Rian Saputra meninjau pos.", "Polsek Kota Bangun"),
])
def test_area_prefix_stays_in_the_name(text, name):
    assert name in {u.name for u in find_units(text)}


@pytest.mark.parametrize("text", [
    "kata Kasat Narkoba Polres P.Siantar AKP Dodi Lubis.",  # abbreviated area: no guess "Polres P"
    "Personel gabungan Polresta Pa",  # cut-off text
    "Anggota Polres Pulau mengecek dermaga.",  # an area prefix alone names no area
])
def test_no_unit_from_a_fragment_of_an_area(text):
    assert [u.name for u in find_units(text) if u.level == "polres"] == []


def test_trailing_dash_is_not_part_of_the_name():
    assert "Polresta Surakarta" in {u.name for u in find_units("Polresta Surakarta- Polda Jateng menggelar patroli.")}


def test_one_spelling_per_unit(nlp):
    doc = nlp("Polresta Palangka Raya menggelar patroli. Kasat Reskrim Polresta Palangkaraya AKP Budi Lestari hadir.")
    assert [u["name"] for u in get_facts(doc, "units") if u["level"] == "polres"] == ["Polresta Palangka Raya"]
    assert {u.name for u in doc._.unit_mentions} == {"Polresta Palangka Raya"}
    assert [p["unit"] for p in get_facts(doc, "persons")] == ["Polresta Palangka Raya"]


@pytest.mark.parametrize("text, name, level", [
    ("Kepolisian Sektor Pandawai menggelar ronda malam.", "Polsek Pandawai", "polsek"),
    ("Kepolisian Resor (Polres) Kendari menyita miras.", "Polres Kendari", "polres"),
    ("Kepolisian Resort Bangkalan membagikan masker.", "Polres Bangkalan", "polres"),
    ("Kepolisian Resor Kota Besar Medan menangkap dua pelaku.", "Polrestabes Medan", "polres"),
    ("Kepolisian Daerah (Polda) Sulsel merilis kasus itu.", "Polda Sulawesi Selatan", "polda"),
])
def test_long_forms(text, name, level):
    assert (name, level) in {(u.name, u.level) for u in find_units(text)}


def test_a_name_cut_by_the_end_of_the_text_gives_no_unit():
    assert find_units("Warga melapor ke Polsek Prabumulih B") == []
    assert [u.name for u in find_units("Warga melapor ke Polsek Prabumulih Barat")] == ["Polsek Prabumulih Barat"]


@pytest.mark.parametrize("first, second", [
    ("Polresta Gorontalo", "Polres Gorontalo Kota"),
    ("Polsek Metro Menteng", "Polsek Menteng"),
])
def test_two_spellings_of_one_unit_are_one_row(nlp, first, second):
    doc = nlp(f"{first} menggelar razia. Personel {second} berjaga di pos.")
    assert [u["name"] for u in get_facts(doc, "units") if u["level"] in ("polres", "polsek")] == [first]


def test_kabupaten_and_city_polres_stay_apart(nlp):
    doc = nlp("Polres Bogor dan Polresta Bogor Kota menggelar patroli bersama.")
    assert {"Polres Bogor", "Polresta Bogor Kota"} <= {u["name"] for u in get_facts(doc, "units")}
