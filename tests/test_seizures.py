"""Seizures: evidence lists, quantities and units, canonical items, what is not seized, incident links."""
from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from kamtibmas_extract import incidents, seizures  # noqa: F401  (register the components)
from kamtibmas_extract.facts import get_facts, meta
from kamtibmas_extract.io.readers import read_inputs
from kamtibmas_extract.pipeline import make_tokenizer_nlp
from kamtibmas_extract.process import DocumentProcessor


@pytest.fixture(scope="module")
def seizures_nlp() -> Language:
    nlp = make_tokenizer_nlp()
    nlp.add_pipe("kamtibmas_sentences")
    nlp.add_pipe("kamtibmas_incidents")
    nlp.add_pipe("kamtibmas_seizures")
    return nlp


def seized(nlp: Language, text: str) -> dict[str, dict]:
    doc = nlp.make_doc(text)
    meta(doc).update(doc_id="t", published=None)
    for _, component in nlp.pipeline:
        doc = component(doc)
    return {row["item"]: row for row in get_facts(doc, "seizures")}


def quantities(rows: dict[str, dict]) -> dict[str, tuple]:
    return {item: (row["category"], row["quantity"], row["unit_of_measure"]) for item, row in rows.items()}


@pytest.mark.parametrize("text, expected", [
    ("Total ada 35 sepeda motor yang diamankan petugas.", {"sepeda motor": ("vehicle", 35, "unit")}),
    ("Selain itu, ditemukan celurit, stik golf, serta obat-obatan keras.",
     {"celurit": ("weapon", None, None), "stik golf": ("weapon", None, None), "obat keras": ("drug", None, None)}),
    ("Petugas menyita sabu seberat 2,5 gram dari saku tersangka.", {"sabu": ("drug", 2.5, "gram")}),
    ("Barang bukti berupa uang tunai Rp 1,5 juta dan dua bilah celurit.",
     {"uang tunai": ("money", 1_500_000, "rupiah"), "celurit": ("weapon", 2, "bilah")}),
    ("Polisi juga mengamankan sebilah pisau yang dipakai melukai korban.", {"pisau": ("weapon", 1, "bilah")}),
    ("Petugas menyita tiga pucuk senjata api rakitan.", {"senjata api": ("weapon", 3, "pucuk")}),
    ("Dari kamarnya diamankan 1.500 butir pil ekstasi.", {"ekstasi": ("drug", 1500, "butir")}),
    ("Polisi menyita 200 liter minuman keras jenis cap tikus.", {"cap tikus": ("alcohol", 200, "liter")}),
    ("Dalam razia itu petugas menyita 12 STNK dan lima SIM.",
     {"STNK": ("document", 12, "lembar"), "SIM": ("document", 5, "buah")}),
    ("Polisi mengamankan dua unit handphone dan uang senilai Rp21 juta.",
     {"handphone": ("electronics", 2, "unit"), "uang tunai": ("money", 21_000_000, "rupiah")}),
    ("Petugas mengamankan puluhan sepeda motor knalpot brong.", {"sepeda motor": ("vehicle", None, None)}),
    ("Barang bukti sabu sebanyak 1,011 kg diamankan di gudang.", {"sabu": ("drug", 1.011, "kilogram")}),
])
def test_evidence_forms(seizures_nlp: Language, text: str, expected: dict[str, tuple]) -> None:
    assert quantities(seized(seizures_nlp, text)) == expected


def test_a_total_weight_wins_over_a_count_of_packets(seizures_nlp: Language) -> None:
    rows = seized(seizures_nlp, "Polisi menyita 32 saset sabu dari tangan tersangka. Total berat sabu yang disita "
                                "mencapai 1.021 gram.")
    assert quantities(rows) == {"sabu": ("drug", 1021, "gram")}


def test_the_stated_total_wins_over_the_parts(seizures_nlp: Language) -> None:
    rows = seized(seizures_nlp, "Di kamar ditemukan sabu seberat 84,6 gram dan di mobil sabu seberat 0,7 gram. "
                                "Total sabu yang diamankan 85,3 gram.")
    assert rows["sabu"]["quantity"] == pytest.approx(85.3)


def test_the_largest_count_wins(seizures_nlp: Language) -> None:
    rows = seized(seizures_nlp, "Petugas menemukan satu unit sepeda motor di semak. Kedua motor curian itu kini "
                                "diamankan di mapolres.")
    assert rows["sepeda motor"]["quantity"] == 2


@pytest.mark.parametrize("text, item", [
    ("Pelaku kabur mengendarai sepeda motor, namun akhirnya diamankan warga.", "sepeda motor"),
    ("Sabu itu ditemukan di dalam tas ransel milik tersangka.", "tas ransel"),
    ("Petugas menemukan ladang ganja seluas dua hektare di lereng bukit.", "ganja"),
    ("Ditemukan dua plastik klip berisi sabu di bawah lemari.", "plastik klip"),
    ("Nilai barang bukti yang diamankan mencapai Rp700 juta.", "uang tunai"),
    ("Pelaku membawa kabur sepeda motor korban ke arah kota.", "sepeda motor"),
    ("Satu tersangka lain berikut barang bukti sepeda motor masih dalam pengejaran.", "sepeda motor"),
    ("Pelanggaran yang paling banyak ditemukan adalah pengendara tanpa SIM dan STNK.", "STNK"),
    ("Pastikan STNK dibawa agar tidak terjaring razia.", "STNK"),
    ("Selama setahun Polres mengamankan 12 kilogram sabu dari berbagai kasus.", "sabu"),
    ("Miras diamankan dari Kapal Motor tujuan Talaud.", "sepeda motor"),
    ("Petugas mengamankan sopir truk yang dikemudikan dengan ugal-ugalan.", "truk"),
    ("Dari pengungkapan kasus sabu itu polisi mengamankan dua tersangka.", "sabu"),
])
def test_items_not_seized(seizures_nlp: Language, text: str, item: str) -> None:
    assert item not in seized(seizures_nlp, text)


def test_seizures_link_to_the_incident_reported_before_them(seizures_nlp: Language) -> None:
    rows = seized(seizures_nlp, "Polisi menangkap pengedar sabu di pelabuhan dan menyita sabu seberat 5 gram. "
                                "Di tempat lain polisi menangkap pelaku curanmor dan mengamankan dua sepeda motor.")
    assert rows["sabu"]["incident_id"] == "i1"
    assert rows["sepeda motor"]["incident_id"] == "i2"


def test_without_incidents_the_link_is_empty(seizures_nlp: Language) -> None:
    rows = seized(seizures_nlp, "Dalam kegiatan itu petugas menyita 12 STNK.")
    assert rows["STNK"]["incident_id"] is None


def test_seed_release_end_to_end(nlp: Language, shared: Path) -> None:
    """The foiled brawl of a seed release: its incident, its evidence and its programs, through the whole pipeline."""
    (raw,) = [r for r in read_inputs([shared / "corpus" / "seeds"]) if r.doc_id == "000_cde726810729bced"]
    record = DocumentProcessor(nlp)(raw)
    assert {i.type for i in record.incidents} == {"tawuran"}
    found = {s.item: (s.quantity, s.unit_of_measure, s.incident_id) for s in record.seizures}
    assert found == {"sepeda motor": (35, "unit", "i1"), "celurit": (None, None, "i1"),
                     "stik golf": (None, None, "i1"), "obat keras": (None, None, "i1")}
    assert {("operasi", "Operasi Mantap Praja"), ("ngopi_kamtibmas", "Ngopi Kamtibmas")} <= {
        (a.type, a.name) for a in record.activities}
