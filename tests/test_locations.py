from __future__ import annotations

import importlib
import json

import pytest
from pipeline_run import run_text
from spacy.language import Language

from kamtibmas_extract.facts import get_facts
from kamtibmas_extract.pipeline import make_tokenizer_nlp
from kamtibmas_extract.resources import load_yaml


@pytest.fixture(scope="module")
def places_nlp() -> Language:
    """Tokenizer, sentences and the extractors locations depends on (units, persons) and itself."""
    nlp = make_tokenizer_nlp()
    nlp.add_pipe("kamtibmas_sentences")
    for name in ("units", "persons", "locations"):
        importlib.import_module(f"kamtibmas_extract.{name}")
        nlp.add_pipe(f"kamtibmas_{name}")
    return nlp


def run(nlp: Language, text: str, dateline: str | None = None):
    return run_text(nlp, text, dateline=dateline)


def places(nlp: Language, text: str, dateline: str | None = None) -> dict[str, dict]:
    """Admin-area rows by name (the first row of each)."""
    rows: dict[str, dict] = {}
    for row in get_facts(run(nlp, text, dateline), "locations"):
        if row["level"] not in ("rt", "rw", "jalan", "venue"):
            rows.setdefault(row["name"], row)
    return rows


def rows_of(nlp: Language, text: str, *levels: str) -> list[dict]:
    return [r for r in get_facts(run(nlp, text), "locations") if r["level"] in levels]


def test_address_chain_without_level_words(places_nlp):
    text = "Polisi membubarkan kerumunan di Pekayon Jaya, Bekasi Selatan, Kota Bekasi, Sabtu malam."
    found = places(places_nlp, text)
    assert found["Pekayonjaya"]["code"] == "32.75.04.1001"  # the gazetteer's spelling
    assert found["Pekayonjaya"]["level"] == "kelurahan"
    assert found["Pekayonjaya"]["kecamatan"] == "Bekasi Selatan"
    assert found["Bekasi Selatan"]["code"] == "32.75.04"
    assert found["Bekasi"]["code"] == "32.75" and found["Bekasi"]["level"] == "kota"


def test_level_words_and_a_chain_without_comma(places_nlp):
    found = places(places_nlp, "Warga Kelurahan Galur, Kecamatan Johar Baru Jakarta Pusat ikut kerja bakti.")
    assert found["Galur"]["code"] == "31.71.08.1003"
    assert found["Galur"]["mention"] == "Kelurahan Galur"
    assert found["Johar Baru"]["code"] == "31.71.08"
    assert found["Jakarta Pusat"]["code"] == "31.71"
    assert found["Galur"]["provinsi"] == "Daerah Khusus Ibukota Jakarta"


@pytest.mark.parametrize("text, name, level, code", [
    ("Bantuan dikirim ke Provinsi Jawa Tengah.", "Jawa Tengah", "provinsi", "33"),
    ("Bantuan dikirim ke Prov. Jawa Tengah.", "Jawa Tengah", "provinsi", "33"),
    ("Petugas berjaga di Kabupaten Bogor.", "Bogor", "kabupaten", "32.01"),
    ("Petugas berjaga di Kab. Bogor.", "Bogor", "kabupaten", "32.01"),
    ("Petugas berjaga di Kota Bogor.", "Bogor", "kota", "32.71"),
    ("Petugas berjaga di Kota Adm. Jakarta Utara.", "Jakarta Utara", "kota", "31.72"),
    ("Petugas berjaga di Kota Administrasi Jakarta Barat.", "Jakarta Barat", "kota", "31.73"),
    ("Lokasinya di Kec. Pakisaji, Kab. Malang.", "Pakisaji", "kecamatan", "35.07.19"),
    ("Lokasinya di Kel. Galur.", "Galur", "kelurahan", "31.71.08.1003"),
    ("Pelaku tinggal di Ds. Sumanding, Kecamatan Kembang, Kabupaten Jepara.", "Sumanding", "desa",
     "33.20.14.2002"),
    ("Pelaku tinggal di Desa Sumanding, Kecamatan Kembang.", "Sumanding", "desa", "33.20.14.2002"),
    ("KEPOLISIAN menyisir KECAMATAN JOHAR BARU semalam.", "Johar Baru", "kecamatan", "31.71.08"),
    ("Patroli malam di Jaksel berjalan lancar.", "Jakarta Selatan", "kota", "31.74"),
    ("Acara dibuka Camat Tarogong Kidul pagi tadi.", "Tarogong Kidul", "kecamatan", "32.05.05"),
    ("Acara dibuka Bupati Garut Rudy Wijaya pagi tadi.", "Garut", "kabupaten", "32.05"),
    ("Acara dibuka Wali Kota Bekasi pagi tadi.", "Bekasi", "kota", "32.75"),
    ("Acara dibuka Gubernur Jawa Barat pagi tadi.", "Jawa Barat", "provinsi", "32"),
    ("Kasus serupa terjadi di Jatim.", "Jawa Timur", "provinsi", "35"),
])
def test_surface_forms(places_nlp, text, name, level, code):
    found = places(places_nlp, text)
    assert name in found, found
    assert (found[name]["level"], found[name]["code"]) == (level, code)


def test_bare_name_of_kabupaten_and_kota_is_the_kabupaten_unless_the_text_says_kota(places_nlp):
    assert places(places_nlp, "Arus mudik di Malang ramai lancar.")["Malang"]["code"] == "35.07"
    found = places(places_nlp, "Di Kota Malang arus lalu lintas padat. Malang juga diguyur hujan.")
    assert found["Malang"]["code"] == "35.73"
    assert all(r["code"] == "35.73" for r in rows_of(places_nlp, "Di Kota Malang padat. Malang hujan.", "kota",
                                                        "kabupaten"))
    assert places(places_nlp, "Tawuran pecah di wilayah Bekasi Kota semalam.")["Bekasi"]["code"] == "32.75"


@pytest.mark.parametrize("unit_sentence, code", [
    ("Patroli dipimpin Kapolres Malang AKBP Putu Hendra.", "35.07.33"),     # Kecamatan Pagelaran, Kab. Malang
    ("Patroli dipimpin Kapolres Pringsewu AKBP Putu Hendra.", "18.10.05"),  # Kecamatan Pagelaran, Kab. Pringsewu
])
def test_ambiguous_name_resolved_by_the_documents_units(places_nlp, unit_sentence, code):
    found = places(places_nlp, f"{unit_sentence} Warga Kecamatan Pagelaran diimbau waspada.")
    assert found["Pagelaran"]["code"] == code
    assert found["Pagelaran"]["kabupaten_kota"] in ("Malang", "Pringsewu")


def test_ambiguous_name_without_context_keeps_a_null_code_and_low_confidence(places_nlp):
    row = places(places_nlp, "Warga Kecamatan Pagelaran diimbau waspada.")["Pagelaran"]
    assert row["code"] is None
    assert row["confidence"] < 0.6


def test_ambiguous_name_resolved_by_the_dateline(places_nlp):
    text = "KENDARI - Polisi menyisir Kecamatan Mandonga. Warga diminta melapor."
    found = places(places_nlp, text, dateline="Kendari")
    assert found["Kendari"]["code"] == "74.71"
    assert found["Kendari"]["rule"] == "bare_name"
    assert found["Mandonga"]["code"].startswith("74.71.")


def test_ambiguous_village_resolved_by_the_other_places(places_nlp):
    found = places(places_nlp, "Warga Desa Sukamaju, Kecamatan Cikeusal, Kabupaten Serang melapor ke polisi.")
    assert found["Sukamaju"]["code"].startswith("36.04.")
    assert found["Sukamaju"]["kecamatan"] == "Cikeusal"


@pytest.mark.parametrize("text", [
    "Tim Jaya meraih juara pertama dalam lomba itu.",
    "Harapan kami, warga tetap waspada.",
    "Baru-baru ini polisi menggelar razia.",
    "Bayu mengatakan situasi aman terkendali.",
    "Sukamaju adalah nama tim voli yang menang.",
    "Tengah malam itu suasana sepi.",
    "Bima Arya Sugiarto hadir dalam acara tersebut.",
])
def test_ordinary_words_and_names_are_not_places(places_nlp, text):
    assert places(places_nlp, text) == {}


def test_a_bare_village_name_needs_a_chain_or_the_documents_area(places_nlp):
    assert "Senen" not in places(places_nlp, "Lomba itu dimenangi Senen dari kelas tiga.")
    found = places(places_nlp, "Kapolres Metro Jakarta Pusat memimpin patroli. Dua pemuda ditangkap di Senen.")
    assert found["Senen"]["code"] == "31.71.04"


def test_place_names_inside_unit_names_are_not_places(places_nlp):
    doc = run(places_nlp, "Kapolsek Metro Menteng AKBP Raka Wijaya dan Kapolres Metro Bekasi Kota hadir.")
    assert [r for r in get_facts(doc, "locations") if r["level"] not in ("jalan", "venue")] == []
    units = {u["name"]: u for u in get_facts(doc, "units")}
    assert units["Polsek Metro Menteng"]["region_code"] == "31.71.06"
    assert units["Polres Metro Bekasi Kota"]["region_code"] == "32.75"


@pytest.mark.parametrize("text, region", [
    ("Polda Metro Jaya menggelar apel.", {"Polda Metro Jaya": "31"}),
    ("Polda Jatim menggelar apel.", {"Polda Jawa Timur": "35"}),
    ("Personel Polres Bogor berjaga.", {"Polres Bogor": "32.01"}),
    ("Personel Polresta Bogor Kota berjaga.", {"Polresta Bogor Kota": "32.71"}),
    ("Polsek Sepatan Polres Metro Tangerang Kota menggelar Ngopi Kamtibmas.",
     {"Polsek Sepatan": "36.03.16", "Polres Metro Tangerang Kota": "36.71"}),
    ("Satresnarkoba Polres Garut menangkap pengedar.", {"Satresnarkoba Polres Garut": "32.05"}),
])
def test_units_get_the_area_they_cover(places_nlp, text, region):
    units = {u["name"]: u["region_code"] for u in get_facts(run(places_nlp, text), "units")}
    assert {name: units.get(name) for name in region} == region


@pytest.mark.parametrize("text, rt, rw", [
    ("Rumahnya di RT 001/RW 024 Kelurahan Kayuringin Jaya.", "1", "24"),
    ("Pos ronda di RT 05 RW 02.", "5", "2"),
    ("Pos ronda di RT 007/02.", "7", "2"),
    ("Pos ronda di RT.007 RW.002.", "7", "2"),
    ("Pos ronda di RT10/10.", "10", "10"),
    ("Pos ronda di RT/RW 003/005.", "3", "5"),
])
def test_rt_rw_pairs(places_nlp, text, rt, rw):
    rows = rows_of(places_nlp, text, "rt", "rw")
    assert [(r["level"], r["name"]) for r in rows] == [("rt", rt), ("rw", rw)]
    assert rows[0]["rt"] == rt and rows[0]["rw"] == rw and rows[1]["rw"] == rw


@pytest.mark.parametrize("text, level, number", [
    ("Warga Rw. 09 berkumpul.", "rw", "9"),
    ("Warga RW 13 berkumpul.", "rw", "13"),
    ("Warga RT 3 berkumpul.", "rt", "3"),
])
def test_single_rt_or_rw(places_nlp, text, level, number):
    assert [(r["level"], r["name"]) for r in rows_of(places_nlp, text, "rt", "rw")] == [(level, number)]


def test_rt_rw_take_the_area_of_their_address_chain(places_nlp):
    rows = rows_of(places_nlp, "Warga RT 05 RW 02 Kelurahan Galur, Kecamatan Johar Baru melapor.", "rt", "rw")
    assert {r["kelurahan_desa"] for r in rows} == {"Galur"}
    assert all(r["code"] is None for r in rows)


@pytest.mark.parametrize("text, level, name", [
    ("Tawuran pecah di Jalan Kramat Sentiong, Senen.", "jalan", "Kramat Sentiong"),
    ("Pelaku diamankan di Jl. Jend. Sudirman No. 5.", "jalan", "Jend. Sudirman"),
    ("Pelaku diamankan di Jalan Anyer Raya. Polisi lalu pergi.", "jalan", "Anyer Raya"),
    ("Rumah pelaku di Gang Mawar dekat sungai.", "jalan", "Mawar"),
    ("Razia digelar di Pasar Penfui pagi tadi.", "venue", "Pasar Penfui"),
    ("Sosialisasi digelar di SMP 243 kemarin.", "venue", "SMP 243"),
])
def test_streets_and_venues(places_nlp, text, level, name):
    assert (level, name) in [(r["level"], r["name"]) for r in rows_of(places_nlp, text, "jalan", "venue")]


def test_a_city_after_a_street_is_a_place_of_its_own(places_nlp):
    doc = run(places_nlp, "Kecelakaan terjadi di Jalan Gunung Cemara Denpasar pagi ini.")
    rows = {r["name"]: r for r in get_facts(doc, "locations")}
    assert rows["Gunung Cemara"]["level"] == "jalan"
    assert rows["Denpasar"]["code"] == "51.71"


def test_place_names_inside_a_street_name_are_not_places(places_nlp):
    assert places(places_nlp, "Macet panjang di Jalan Raya Bogor arah Cibinong pagi ini.").keys() <= {"Cibinong"}


def test_hamlets_and_unknown_villages_keep_the_written_name(places_nlp):
    rows = {r["name"]: r for r in get_facts(run(places_nlp, "Warga Dusun Krajan, Desa Sumanding berkumpul."),
                                            "locations")}
    assert rows["Krajan"]["level"] == "other" and rows["Krajan"]["code"] is None
    assert rows["Sumanding"]["level"] == "desa"
    unknown = places(places_nlp, "Warga Desa Sidoremuk berkumpul.")
    assert unknown["Sidoremuk"]["code"] is None and unknown["Sidoremuk"]["level"] == "desa"


def test_kampung_is_a_hamlet_outside_papua_and_a_village_inside(places_nlp):
    text = "Pelaku tinggal di Kampung Cibunar RT 02 RW 05 Desa Cibunar, Kecamatan Tarogong Kidul."
    assert [(r["mention"], r["level"]) for r in rows_of(places_nlp, text, "other", "desa")] == [
        ("Kampung Cibunar", "other"), ("Desa Cibunar", "desa")]
    papua = places(places_nlp, "Kapolres Jayawijaya mengunjungi Kampung Honelama, Distrik Wamena.")
    assert (papua["Honelama"]["level"], papua["Honelama"]["code"]) == ("desa", "95.01.01.2002")


def test_a_hamlet_named_elsewhere_is_not_an_admin_area(places_nlp):
    text = "Patroli di Lingkungan Sukadiri, Kecamatan Kasemen. Menurut warga Sukadiri, situasi aman."
    found = places(places_nlp, text)
    assert found["Sukadiri"]["level"] == "other"
    assert [r["level"] for r in get_facts(run(places_nlp, text), "locations") if r["name"] == "Sukadiri"] == ["other"]


def test_misspelt_name_in_an_address_chain_is_matched_approximately(places_nlp):
    row = places(places_nlp, "Pelaku ditangkap di kawasan Mayang Mengurai, Kota Jambi.")["Mayang Mangurai"]
    assert row["code"] == "15.71.09.1003"
    assert row["mention"] == "Mayang Mengurai"
    assert row["confidence"] < 0.85


def test_unknown_dateline_town_named_again_is_a_place(places_nlp):
    found = places(places_nlp, "KUALA KAPUAS - Polisi berpatroli di sungai dekat pasar Kuala Kapuas.",
                   dateline="Kuala Kapuas")
    assert found["KUALA KAPUAS"]["level"] == "other" and found["KUALA KAPUAS"]["rule"] == "dateline"


def test_a_dateline_is_no_source_of_bare_names(places_nlp):
    assert "Kapuas" not in places(places_nlp, "KUALA KAPUAS - Polisi berpatroli di sungai.", dateline="Kuala Kapuas")


@pytest.mark.parametrize("text, dateline", [
    ("MASOHI - Polisi berpatroli di pasar.", "Masohi"),  # the seat of kecamatan Kota Masohi
    ("TAPTENG - Polisi berpatroli di pasar.", "Tapteng"),  # a short form of Tapanuli Tengah
])
def test_unknown_dateline_town_with_a_town_sign_is_a_place(places_nlp, text, dateline):
    assert places(places_nlp, text, dateline=dateline)[dateline.upper()]["rule"] == "dateline"


@pytest.mark.parametrize("text, dateline", [
    ("SAIBETIK - Polisi berpatroli di pasar.", "Saibetik"),  # an outlet, named once
    ("NARKOBA - Polisi menangkap pengedar narkoba di pasar.", "Narkoba"),  # a rubric, also a common word
    ("Halmaherapedia - Polisi berpatroli di pasar.", "Halmaherapedia"),
])
def test_outlets_and_rubrics_in_the_dateline_slot_are_no_places(places_nlp, text, dateline):
    assert not [row for row in places(places_nlp, text, dateline=dateline).values() if row["rule"] == "dateline"]


def test_outlet_and_organisation_names_are_not_places(places_nlp):
    found = places(places_nlp, "Hal itu disampaikan kepada Tribun Jateng dan DPRD Sumsel kemarin.")
    assert found == {}


def test_every_fact_says_which_rule_produced_it(places_nlp):
    doc = run(places_nlp, "Warga RT 01 Kelurahan Galur, Kecamatan Johar Baru di Jalan Topaz, Jakarta Pusat.")
    rules = {r["rule"] for r in get_facts(doc, "locations")}
    assert rules == {"rt", "cue_kelurahan", "cue_kecamatan", "street", "bare_name"}
    assert all(0 < r["confidence"] <= 1 for r in get_facts(doc, "locations"))


def test_word_lists_in_the_patterns_are_strings():
    config = load_yaml("locations.yaml")
    for key in ("name_stop_words", "stop_words", "name_abbreviations", "street_area_words", "title_words"):
        assert all(isinstance(word, str) for word in config[key]), key


def test_seed_article_places(places_nlp, shared):
    """The Bekasi seed article: its address chain, RW number and the Polres area."""
    raw = (shared / "corpus" / "seeds" / "000_cde726810729bced.txt").read_text(encoding="utf-8")
    from kamtibmas_extract.normalize import normalize

    norm = normalize(raw)
    doc = run(places_nlp, norm.text, norm.dateline)
    rows = get_facts(doc, "locations")
    codes = {r["code"] for r in rows}
    assert {"32.75.04", "32.75"} <= codes
    assert ("rw", "18") in {(r["level"], r["name"]) for r in rows}
    units = {u["name"]: u["region_code"] for u in get_facts(doc, "units")}
    assert units.get("Polres Metro Bekasi Kota") == "32.75"
    json.dumps(rows)  # plain data, ready for validation


# ----------------------------------------------------------------- scanning helpers
# The extractor scans with cheap regexes and confirms with the exact ones; these check that the
# shortcuts find exactly what the exact regexes find, also on the awkward cases.
_AWKWARD = ("KEPALA DESA Sukamaju, xKepala Desa Mekar, Kec.Desa Baru, kades Cibodas. eKTP Bekasi, "
            "Wakil Bupati Garut\nJl. Sudirman, JALAN Ahmad Yani, jALan Merdeka, perjalanan Kota Bogor "
            "Pasar Baru Tol Jagorawi Kodim 0316/Batam Kepolisian Daerah Jawa Barat RT 01/RW 02 rt.3 "
            "Kota\u212a Kelvin, PROVİNSİ Jawa Barat, deſa Mekar, iPhone Bogor")


def _spans(matches) -> list[tuple[int, int]]:
    return [match.span() for match in matches]


@pytest.mark.parametrize("text", [_AWKWARD, _AWKWARD.lower(), _AWKWARD.upper(), "Desa", ""])
def test_gated_scans_find_what_the_exact_regexes_find(places_nlp, text):
    from kamtibmas_extract.facts import text_views
    from kamtibmas_extract.locations import _FOLD_TO_ASCII, _RT_RW, LocationExtractor

    extractor = LocationExtractor()
    lower = text_views(places_nlp.make_doc(text))[1].translate(_FOLD_TO_ASCII)
    for gate, gate_text, at_least in ((extractor.cues_found, lower, 8), (extractor.markers_found, text, 5),
                                      (extractor.unit_spans, text, 1), (_RT_RW, lower, 3)):
        expected = _spans(gate.pattern.finditer(text))
        assert _spans(gate.finditer(text, gate_text)) == expected
        assert len(expected) >= at_least or text != _AWKWARD  # the comparison is not vacuous


@pytest.mark.parametrize("text", [_AWKWARD, "Warga Kota Bekasi, Jawa Barat", "eKTP Bekasi", "Bekasi"])
def test_capitalised_runs_are_the_exact_regexes_runs(text):
    from kamtibmas_extract.locations import _CAPITALISED_RUN, _capitalised_runs

    assert _spans(_capitalised_runs(text)) == _spans(_CAPITALISED_RUN.finditer(text))


def test_gate_openings_and_case_forms():
    from kamtibmas_extract.locations import _any_case, _openings

    assert _openings([r"kab\.?(?:\s*adm\.?)?|kota(?:\s+adm)?", r"desa?|rt\s*/"]) == ["kab", "kota", "des", "rt"]
    assert sorted(_any_case("jl")) == ["JL", "Jl", "jL", "jl"]
    assert "\u212a" + "a" in _any_case("ka")  # re.IGNORECASE matches the Kelvin sign to "k"
    with pytest.raises(ValueError):
        _openings([r"(?:wakil\s+)?bupati"])  # no literal to look for: write "wakil\s+bupati|bupati"


def test_cue_patterns_are_written_in_lower_case():
    for cue in load_yaml("locations.yaml")["cues"]:
        assert cue["pattern"] == cue["pattern"].lower(), cue["id"]


def test_a_capital_inside_a_word_does_not_hide_the_places_after_it(places_nlp):
    found = places(places_nlp, "Warga pemilik eKTP Kabupaten Bogor, Jawa Barat, antre di kantor desa.")
    assert found["Bogor"]["code"] == "32.01"
    assert found["Jawa Barat"]["code"] == "32"
