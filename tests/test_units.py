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
