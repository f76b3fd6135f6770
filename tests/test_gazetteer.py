from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest

from kamtibmas_extract.gazetteer import (
    Gazetteer, level_of, load_gazetteer, name_key, resolve_unit_region, shared_tiers, tier, within,
)
from kamtibmas_extract.resources import patterns_dir

REPO = Path(__file__).resolve().parents[1]


def _build_module():
    spec = importlib.util.spec_from_file_location("build_gazetteer", REPO / "scripts" / "build_gazetteer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SQL_SAMPLE = """
INSERT INTO wilayah (kode, nama)
VALUES
('32','Jawa Barat'),
('32.75','Kota Bekasi'),
('32.75.04','Bekasi Selatan'),
('32.75.04.1001','Pekayon Jaya'),
('31.72','Kota Administrasi Jakarta Utara '),
('11.01','Kabupaten Aceh Selatan'),
('11.01.02.2018','Pasi Kuala Ba''u');
"""


def test_build_parses_rows_strips_level_words_and_unescapes():
    rows = dict(_build_module().parse(SQL_SAMPLE))
    assert rows["32.75"] == "Bekasi"
    assert rows["31.72"] == "Jakarta Utara"
    assert rows["11.01"] == "Aceh Selatan"
    assert rows["11.01.02.2018"] == "Pasi Kuala Ba'u"
    assert list(rows) == sorted(rows)


def test_build_rejects_a_code_that_contradicts_its_level_word():
    with pytest.raises(ValueError):
        _build_module().parse("('32.01','Kota Bogor')")


def test_build_is_byte_reproducible(tmp_path):
    build = _build_module()
    rows = build.parse(SQL_SAMPLE)
    build.write(rows, tmp_path / "a.tsv.gz")
    build.write(rows, tmp_path / "b.tsv.gz")
    assert (tmp_path / "a.tsv.gz").read_bytes() == (tmp_path / "b.tsv.gz").read_bytes()


def test_committed_file_is_the_build_of_the_shared_sql(shared, tmp_path):
    build = _build_module()
    build.write(build.parse((shared / "gazetteer" / "wilayah" / "wilayah.sql").read_text(encoding="utf-8")),
                tmp_path / "wilayah.tsv.gz")
    assert (tmp_path / "wilayah.tsv.gz").read_bytes() == (patterns_dir() / "gazetteer" / "wilayah.tsv.gz").read_bytes()


def test_licence_notice_ships_with_the_data():
    assert "MIT License" in (patterns_dir() / "gazetteer" / "LICENSE").read_text(encoding="utf-8")


def test_every_level_is_complete():
    gazetteer = load_gazetteer()
    counts: dict[int, int] = {}
    for code in gazetteer.names:
        counts[code.count(".")] = counts.get(code.count("."), 0) + 1
    assert counts == {0: 38, 1: 514, 2: 7285, 3: 83762}


def test_load_is_fast():
    load_gazetteer.cache_clear()
    started = time.perf_counter()
    load_gazetteer()
    assert time.perf_counter() - started < 1.5  # ~0.3 s on a quiet machine


@pytest.mark.parametrize("code, level", [
    ("31", "provinsi"), ("32.01", "kabupaten"), ("32.75", "kota"), ("32.75.04", "kecamatan"),
    ("32.75.04.1001", "kelurahan"), ("35.07.33.2007", "desa"), ("91.03.01.3007", "desa"),
])
def test_level_follows_from_the_code(code, level):
    assert level_of(code) == level


def test_code_helpers():
    assert tier("32") == 1 and tier("32.75.04.1001") == 4
    assert within("32.75.04.1001", "32.75") and not within("32.75", "32.7")
    assert shared_tiers("32.75.04.1001", "32.75.01") == 2
    assert shared_tiers("32.75", "33.75") == 0


@pytest.mark.parametrize("written, code", [
    ("Bekasi Selatan", "32.75.04"),
    ("BEKASI SELATAN", "32.75.04"),
    ("Pangkal Pinang", "19.71"),       # spaces ignored
    ("Pangkalpinang", "19.71"),
    ("Palangka Raya", "62.71"),        # gazetteer writes Palangkaraya
    ("Tanjung Balai", "12.74"),        # gazetteer writes Tanjungbalai
    ("Bau-Bau", "74.72"),
    ("Ujung Pandang", "73.71"),        # old name
    ("Jaksel", "31.74"),               # short forms
    ("Jakpus", "31.71"),
    ("Jatim", "35"),
    ("DKI Jakarta", "31"),
    ("Yogya", "34.71"),
    ("Misool Utara", "96.03.01"),      # "Misool (Misool Utara)"
])
def test_name_variants(written, code):
    assert code in load_gazetteer().lookup(written)


def test_lookup_by_level_and_hierarchy():
    gazetteer = load_gazetteer()
    assert gazetteer.lookup("Malang", ["kabupaten"]) == ("35.07",)
    assert gazetteer.lookup("Malang", ["kota"]) == ("35.73",)
    assert len(gazetteer.lookup("Sukamaju")) > 100  # why bare village names need context
    place = gazetteer.hierarchy("32.75.04.1001")
    assert (place.provinsi, place.kabupaten_kota, place.kecamatan, place.kelurahan_desa) == \
        ("Jawa Barat", "Bekasi", "Bekasi Selatan", "Pekayonjaya")


def test_lookup_by_level_is_the_same_however_the_levels_are_given():
    gazetteer = load_gazetteer()
    key = name_key("Malang")
    for levels in (("kabupaten", "kota"), ["kota", "kabupaten"], frozenset({"kabupaten", "kota"})):
        assert gazetteer.lookup_key(key, levels) == ("35.07", "35.73")
        assert gazetteer.lookup_key(key, levels) == ("35.07", "35.73")  # memoised
    assert gazetteer.lookup_key(key, ("provinsi",)) == ()


def test_known_prefixes_reads_words_until_no_name_can_follow():
    gazetteer = load_gazetteer()
    keys = [name_key(word) for word in ("Bekasi", "Selatan", "Polisi", "Bekasi")]
    assert gazetteer.known_prefixes(keys) == [(1, "bekasi"), (2, "bekasiselatan")]
    assert gazetteer.known_prefixes(["bekasi", None, "selatan"]) == [(1, "bekasi")]  # None ends the name
    assert gazetteer.known_prefixes(["suka", "makmur"])[-1] == (2, "sukamakmur")  # "Suka Makmur" = "Sukamakmur"
    assert gazetteer.known_prefixes(["xqz"]) == []


def test_descendants_and_closest_name():
    gazetteer = load_gazetteer()
    assert gazetteer.descendants("31.71", ["kecamatan"])[:2] == ["31.71.01", "31.71.02"]
    assert gazetteer.closest("Mayang Mengurai", ("15.71",), ("kelurahan", "desa")) == "15.71.09.1003"
    assert gazetteer.closest("Papua Pengunungan", (None,), ("provinsi",)) == "95"
    assert gazetteer.closest("Polisi", ("15.71",), ("kelurahan", "desa")) is None


def test_aliases_must_name_known_codes():
    with pytest.raises(ValueError):
        Gazetteer([("31", "Daerah Khusus Ibukota Jakarta")], aliases=[("Jaksel", "31.74")])


def test_name_key():
    assert name_key("Suka Makmur") == name_key("Sukamakmur") == "sukamakmur"
    assert name_key("Wua-wua") == name_key("Wua Wua")


@pytest.mark.parametrize("unit, level, context, code", [
    ("Polda Metro Jaya", "polda", (), "31"),
    ("Polda Jawa Timur", "polda", (), "35"),
    ("Polda Daerah Istimewa Yogyakarta", "polda", (), "34"),
    ("Polres Metro Bekasi Kota", "polres", (), "32.75"),
    ("Polres Metro Bekasi", "polres", (), "32.16"),
    ("Polres Bogor", "polres", (), "32.01"),
    ("Polresta Bogor Kota", "polres", (), "32.71"),
    ("Polrestabes Bandung", "polres", (), "32.73"),
    ("Polresta Tangerang", "polres", (), "36.03"),   # Polresta is not necessarily a kota
    ("Polresta Denpasar", "polres", (), "51.71"),    # only a kota has that name
    ("Polres Metro Jakarta Pusat", "polres", (), "31.71"),
    ("Polresta Barelang", "polres", (), "21.71"),    # special area: Batam
    ("Polsek Metro Menteng", "polsek", ("31.71",), "31.71.06"),
    ("Polsek Pagelaran", "polsek", ("35.07",), "35.07.33"),
    ("Polsek Pagelaran", "polsek", ("18.10",), "18.10.05"),
])
def test_unit_regions(unit, level, context, code):
    assert resolve_unit_region(unit, level, context)[0] == code


def test_unit_region_left_open_when_unsure():
    assert resolve_unit_region("Polsek Pagelaran", "polsek", ()) is None  # Malang or Pringsewu?
    assert resolve_unit_region("Polres Pelabuhan", "polres", ()) is None
    assert resolve_unit_region("Satreskrim Polres Garut", "satuan", ()) is None
