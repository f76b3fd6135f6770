"""Seizures: evidence lists, quantities and units, canonical items, what is not seized, incident links."""
from __future__ import annotations

from pathlib import Path

import pytest
from pipeline_run import run_text
from spacy.language import Language

from kamtibmas_extract import incidents, seizures  # noqa: F401  (register the components)
from kamtibmas_extract.facts import get_facts
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
    return {row["item"]: row for row in get_facts(run_text(nlp, text, doc_id="t", published=None), "seizures")}


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
    ("Polisi mengamankan barang bukti berupa 1 (satu) unit sepeda motor.", {"sepeda motor": ("vehicle", 1, "unit")}),
    ("Petugas menyita sabu 5 paket dari saku celana pelaku.", {"sabu": ("drug", 5, "paket")}),
    ("Polisi menyita pil koplo 100 butir dari tersangka.", {"obat keras": ("drug", 100, "butir")}),
    ("Polisi mengamankan sabu berat bruto 0,52 gram.", {"sabu": ("drug", 0.52, "gram")}),
    ("Barang bukti berupa sebilah parang, dua buah handphone, serta uang Rp 250.000.",
     {"parang": ("weapon", 1, "bilah"), "handphone": ("electronics", 2, "buah"),
      "uang tunai": ("money", 250_000, "rupiah")}),
    ("Polisi mengamankan lima buah senjata tajam berupa celurit.", {"celurit": ("weapon", 5, "buah")}),
    ("Polisi menyita 11 senjata tajam dari tangan mereka.", {"senjata tajam": ("weapon", 11, "buah")}),
    ("Diamankan empat paket plastik klip ganja dari jok motor.", {"ganja": ("drug", 4, "paket")}),
    ("Barang bukti berupa sembilan kendaraan roda dua dan sembilan roda empat.",
     {"sepeda motor": ("vehicle", 9, "unit"), "mobil": ("vehicle", 9, "unit")}),
    ("Saat digeledah, pelaku mengantongi 5 anak panah dan tiga buah ketapel.",
     {"anak panah": ("weapon", 5, "buah"), "ketapel": ("weapon", 3, "buah")}),
    ("Polisi menyita layar monitor, modem, dan CPU dari rumah itu.",
     {"monitor": ("electronics", None, None), "modem": ("electronics", None, None), "CPU": ("electronics", None, None)}),
    ("Polisi mengamankan dua unit alat tambang dan satu unit mesin diesel.",
     {"alat tambang": ("other", 2, "unit"), "mesin diesel": ("other", 1, "unit")}),
    ("Petugas menemukan satu pipa kaca dan enam buah proyektil.",
     {"pipa kaca": ("other", 1, "buah"), "proyektil": ("weapon", 6, "buah")}),
    ("Dari tangan remaja itu disita gir dan dua pentungan kayu.",
     {"gir": ("weapon", None, None), "pentungan": ("weapon", 2, "buah")}),
    ("Polisi menyita 35 liter ciu, lima kunci kontak dan 5 karung pupuk.",
     {"ciu": ("alcohol", 35, "liter"), "kunci kontak": ("other", 5, "buah"), "pupuk": ("other", 5, "karung")}),
    ("Polisi menyita 1/2 kg sabu dari rumah Dimas.", {"sabu": ("drug", 0.5, "kilogram")}),
    ("Dari warung Tono disita dua jeriken tuak dan 25 botol ballo.",
     {"tuak": ("alcohol", 2, "jerigen"), "ballo": ("alcohol", 25, "botol")}),
    ("Petugas menyita 120 botol berisi arak dari gudang milik Sarno.", {"arak": ("alcohol", 120, "botol")}),
    ("Polisi mengamankan 40 unit kendaraan sepeda motor dari arena balap liar.",
     {"sepeda motor": ("vehicle", 40, "unit")}),
    ("Dalam razia itu polisi menyita 150 knalpot brong.", {"knalpot brong": ("other", 150, "buah")}),
    ("Barang bukti berupa sebilah arit, balok kayu dan sejumlah batu.",
     {"arit": ("weapon", 1, "bilah"), "balok kayu": ("weapon", None, None), "batu": ("other", None, None)}),
    ("Polisi menyita sejumlah anak panah busur dari rumah pelaku.", {"anak panah": ("weapon", None, None)}),
    ("Polisi juga mengamankan 30 kilogram pasir timah.", {"pasir timah": ("other", 30, "kilogram")}),
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


def test_a_weight_later_in_the_sentence_belongs_to_the_drug_before_it(seizures_nlp: Language) -> None:
    rows = seized(seizures_nlp, "Saat digeledah, petugas menemukan 12 paket sabu yang disimpan di dalam kotak rokok "
                                "dengan berat total 2,5 gram.")
    assert quantities(rows) == {"sabu": ("drug", 2.5, "gram")}


def test_a_later_weight_stops_at_the_next_drug(seizures_nlp: Language) -> None:
    rows = seized(seizures_nlp, "Polisi menyita 3 paket sabu dan 2 paket ganja dengan berat 40 gram.")
    assert quantities(rows) == {"sabu": ("drug", 3, "paket"), "ganja": ("drug", 40, "gram")}


def test_a_written_unit_wins_over_the_default_one(seizures_nlp: Language) -> None:
    rows = seized(seizures_nlp, "Lima celurit disita polisi. Polisi menyita lima buah celurit dari para remaja.")
    assert quantities(rows) == {"celurit": ("weapon", 5, "buah")}


def test_a_generic_mention_yields_to_the_specific_item(seizures_nlp: Language) -> None:
    rows = seized(seizures_nlp, "Petugas menyita 200 kantong cap tikus. Ditemukan pula ratusan kantong miras di gudang.")
    assert quantities(rows) == {"cap tikus": ("alcohol", 200, "kantong")}


def test_a_list_continues_into_the_next_sentence(seizures_nlp: Language) -> None:
    rows = seized(seizures_nlp, "Polisi mengamankan barang bukti dari kelompok pertama. Sementara, kelompok kedua "
                                "berupa satu HP dan dua kunci kontak.")
    assert quantities(rows) == {"handphone": ("electronics", 1, "unit"), "kunci kontak": ("other", 2, "buah")}


def test_a_list_opened_with_di_antaranya_continues_the_cued_sentence(seizures_nlp: Language) -> None:
    rows = seized(seizures_nlp, "Sejumlah barang bukti diamankan dari para pelaku. Di antaranya 40 unit handphone; "
                                "pesawat televisi; 3 unit kamera; mesin bor dan kunci palsu.")
    assert quantities(rows) == {"handphone": ("electronics", 40, "unit"), "televisi": ("electronics", None, None),
                                "kamera": ("electronics", 3, "unit"), "mesin bor": ("other", None, None),
                                "kunci palsu": ("other", None, None)}


def test_a_list_without_a_cued_sentence_before_it_is_not_evidence(seizures_nlp: Language) -> None:
    rows = seized(seizures_nlp, "Pelaku datang ke pasar. Kelompok kedua berupa satu HP dan dua kunci kontak.")
    assert rows == {}


def test_a_numbered_list_the_cued_sentence_opens_is_evidence(seizures_nlp: Language) -> None:
    rows = seized(seizures_nlp, "Adapun barang bukti yang diamankan yakni:\n1. Satu unit sepeda motor.\n"
                                "2. Dua buah handphone;\n3. Uang tunai Rp 500 ribu.\n\nKapolsek Sukadamai berterima kasih.")
    assert quantities(rows) == {"sepeda motor": ("vehicle", 1, "unit"), "handphone": ("electronics", 2, "buah"),
                                "uang tunai": ("money", 500_000, "rupiah")}


def test_a_dashed_list_ends_where_its_markers_end(seizures_nlp: Language) -> None:
    rows = seized(seizures_nlp, "Barang bukti yang diamankan:\n- 3 paket sabu\n- 1 unit HP\n"
                                "Tersangka dijerat pasal berlapis. Ia dikenal membawa celurit.")
    assert quantities(rows) == {"sabu": ("drug", 3, "paket"), "handphone": ("electronics", 1, "unit")}


def test_selain_itu_continues_the_cued_sentence(seizures_nlp: Language) -> None:
    rows = seized(seizures_nlp, "Dari tangan Yoga, polisi menyita 2 paket sabu. Selain itu, ada juga 1 buah pipa kaca.")
    assert quantities(rows) == {"sabu": ("drug", 2, "paket"), "pipa kaca": ("other", 1, "buah")}


def test_an_exposed_case_is_evidence_only_with_its_amount(seizures_nlp: Language) -> None:
    rows = seized(seizures_nlp, "Polres Sukamaju mengungkap peredaran 2,7 kilogram sabu. Polisi menangkap bandar "
                                "ganja di Desa Sukadamai.")
    assert quantities(rows) == {"sabu": ("drug", 2.7, "kilogram")}
    assert rows["sabu"]["rule"] == "exposed"


def test_a_headline_amount_yields_to_the_evidence(seizures_nlp: Language) -> None:
    rows = seized(seizures_nlp, "Polres Sukamaju Ungkap Peredaran 1,8 Kg Sabu. Di gudang, petugas menemukan "
                                "barang bukti sabu dengan berat bruto 1.812 gram.")
    assert quantities(rows) == {"sabu": ("drug", 1812, "gram")}
    assert (rows["sabu"]["rule"], rows["sabu"]["mention"]) == ("seized", "sabu")


def test_ticketed_documents_need_a_count(seizures_nlp: Language) -> None:
    rows = seized(seizures_nlp, "Sebanyak 15 lembar STNK juga dikenakan sanksi tilang. Tilang elektronik memakai "
                                "kamera di simpang Sukadamai.")
    assert quantities(rows) == {"STNK": ("document", 15, "lembar")}


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
    ("Uang deposit lewat dompet digital itu disita polisi.", "dompet"),
    ("Petugas menggeledah bagasi motor pelaku dan menemukan ganja.", "sepeda motor"),
    ("Di lemari ditemukan delapan tas plastik hitam isi ganja.", "tas"),
    ("Diamankan dua plastik klip sabu dari saku tersangka.", "plastik klip"),
    ("Polisi mengamankan satu set mesin ponton. Barang bukti peralatan tambang dibawa ke polres.", "alat tambang"),
    ("Remaja yang diamankan dijerat UU Darurat tentang kepemilikan sajam, senjata api, dan bahan peledak.",
     "senjata api"),
    ("Polisi mengamankan belasan anggota geng motor di simpang jalan.", "sepeda motor"),
    ("Polisi mengamankan lima pekerja tambang timah ilegal di Desa Sukadamai.", "timah"),
    ("Warga Batu Ampar diamankan polisi di rumahnya.", "batu"),
    ("Polisi mengamankan puluhan motor dalam operasi balap liar dan knalpot brong.", "knalpot brong"),
    ("Razia Knalpot Brong, 20 Motor Diamankan Polres Sukamaju", "knalpot brong"),
    ("Petugas mengamankan 12 motor yang wajib mengganti knalpot dengan yang standar.", "knalpot brong"),
    ("Polisi menangkap pencuri dua unit mobil di Desa Sukadamai.", "mobil"),
    ("Pelaku diamankan karena memakai kaos bergambar palu arit.", "arit"),
    ("Polisi menangkap JK yang membawa sabu di pasar.", "sabu"),
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
