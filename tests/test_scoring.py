"""The scorer on small hand-made gold/prediction pairs whose counts are known by hand."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kamtibmas_extract import scoring
from kamtibmas_extract.cli import app
from kamtibmas_extract.io.writer import DatasetWriter
from kamtibmas_extract.schema import (Activity, DateMention, Document, DocumentRecord, Person, Seizure,
                                      Unit)

EVIDENCE = {"doc_id": "d1", "mention": "x", "start": 0, "end": 1, "sentence": "x", "confidence": 0.9,
            "extractor": "rule"}


def test_key_normalization():
    assert scoring.unit_key("Polrestro Bekasi Kota") == scoring.unit_key("Polres Metro Bekasi Kota") == "polres bekasi kota"
    assert scoring.unit_key("Polda Jatim") == scoring.unit_key("Polda Jawa Timur")
    assert scoring.unit_key("Polsek Metro Menteng") == scoring.unit_key("Polsek Menteng")
    assert scoring.territorial_unit_key("Satresnarkoba Polres Serang") == scoring.unit_key("Polres Serang")
    assert scoring.person_key("Bapak H. Dani Hamdani") == scoring.person_key("Hamdani Dani")
    assert scoring.location_key("Kota Adm. Jakarta Pusat") == scoring.location_key("Jakarta Pusat")
    assert scoring.location_key("Suka Makmur") == scoring.location_key("Kelurahan Sukamakmur")
    assert scoring.location_key("DKI Jakarta") == scoring.location_key("Jakarta")
    assert scoring.rank_value("Kombes Pol") == scoring.rank_value("Kombes")


def _counts(field: str, gold: list[dict], pred: list[dict]) -> scoring.Counts:
    counts = scoring.Counts()
    scoring.score_document(field, gold, pred, counts, [], "d1")
    return counts


def test_units_counts_and_level_accuracy():
    gold = [{"name": "Polres Metro Bekasi Kota", "level": "polres"}, {"name": "Polda Jawa Timur", "level": "polda"},
            {"name": "Satresnarkoba Polres Kendari", "level": "satuan"}]  # satuan is not scored
    pred = [{"name": "Polrestro Bekasi Kota", "level": "polres"}, {"name": "Polsek Menteng", "level": "polsek"}]
    counts = _counts("units", gold, pred)
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 1)
    assert counts.attributes["level"] == [1, 1]


def test_aliases_alt_and_optional():
    gold = [{"name": "Wua-wua", "level": "kecamatan", "aliases": ["Wua Wua"]},
            {"name": "Bekasi", "level": "kabupaten", "alt": [{"level": "kota"}]},
            {"name": "Kampung Lio", "level": "other"},
            {"name": "Pekayon Jaya", "level": "kelurahan", "optional": True}]
    pred = [{"name": "Wua Wua", "level": "kecamatan"}, {"name": "Bekasi", "level": "kota"},
            {"name": "Pekayon Jaya", "level": "kelurahan"}]
    counts = _counts("locations", gold, pred)
    assert (counts.tp, counts.fp, counts.fn) == (2, 0, 0)
    assert counts.attributes["level"] == [2, 2]  # "kota" is an equally right alt


def test_each_gold_entry_matches_one_prediction():
    gold = [{"type": "tawuran"}]
    pred = [{"type": "tawuran"}, {"type": "tawuran"}, {"type": "narkoba"}]
    counts = _counts("incidents", gold, pred)
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 0)


def test_persons_attributes():
    gold = [{"name": "Dani Hamdani", "rank": "Kombes Pol", "position": "Kapolres",
             "unit": "Polres Metro Bekasi Kota", "organization": "polri"}]
    pred = [{"name": "Hamdani Dani", "rank": "Kombes", "position": "Kapolsek",
             "unit": "Satreskrim Polres Metro Bekasi Kota", "organization": "polri"}]
    counts = _counts("persons", gold, pred)
    assert counts.tp == 1
    assert counts.attributes == {"rank": [1, 1], "position": [0, 1], "unit": [1, 1], "organization": [1, 1]}


def test_seizure_quantity_and_alt_units():
    gold = [{"item": "miras", "category": "alcohol", "quantity": 600, "unit_of_measure": "botol",
             "alt": [{"quantity": 360, "unit_of_measure": "liter"}]},
            {"item": "sabu", "category": "drug", "quantity": 2.5, "unit_of_measure": "gram"}]
    pred = [{"item": "miras", "category": "alcohol", "quantity": 360.0, "unit_of_measure": "liter"},
            {"item": "sabu", "category": "drug", "quantity": 25.0, "unit_of_measure": "gram"}]
    counts = _counts("seizures", gold, pred)
    assert (counts.tp, counts.fp, counts.fn) == (2, 0, 0)
    assert counts.attributes["quantity"] == [1, 2]


def test_activities_operations_keyed_by_name():
    gold = [{"type": "operasi", "name": "Operasi Zebra 2025"}, {"type": "ngopi_kamtibmas", "name": "Ngopi Kamtibmas"}]
    pred = [{"type": "operasi", "name": "Operasi Patuh 2025"}, {"type": "ngopi_kamtibmas", "name": None}]
    counts = _counts("activities", gold, pred)
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 1)


def test_rt_rw_and_dates():
    assert (lambda c: (c.tp, c.fp, c.fn))(_counts(
        "rt_rw", [{"name": "18", "level": "rw"}, {"name": "5", "level": "rt"}],
        [{"name": "RW 18", "level": "rw", "rw": "18"}, {"name": "RT 05", "level": "rt", "rt": "5"}])) == (2, 0, 0)
    gold = [{"value": "2024-11-06", "mention": "Rabu (6/11)"}]
    assert _counts("dates", gold, [{"value": "2023-11-06"}]).tp == 0
    assert _counts("dates_day_month", gold, [{"value": "2023-11-06"}]).tp == 1


def _write_prediction(folder: Path) -> None:
    doc = Document(doc_id="d1", text="x", status="ok", n_chars=1)
    record = DocumentRecord(
        document=doc,
        units=[Unit(**EVIDENCE, name="Polres Garut", level="polres")],
        persons=[Person(**EVIDENCE, name="Totok Wijanarko", rank="AKP")],
        dates=[DateMention(**EVIDENCE, value="2024-11-06", precision="day", role="event", resolution="explicit")],
        seizures=[Seizure(**EVIDENCE, item="celurit", category="weapon", quantity=2, unit_of_measure="bilah")],
        activities=[Activity(**EVIDENCE, type="patroli")],
    )
    writer = DatasetWriter(folder)
    writer.write_batch([record])


def test_cli_scores_a_dataset_and_enforces_floors(tmp_path: Path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({
        "doc_id": "d1", "units": [{"name": "Polres Garut", "level": "polres"}],
        "persons": [{"name": "Totok Wijanarko", "rank": "AKP"}, {"name": "Ujang", "rank": None}],
        "locations": [], "dates": [{"value": "2024-11-06"}], "incidents": [{"type": "tawuran"}],
        "seizures": [{"item": "celurit", "category": "weapon", "quantity": 2, "unit_of_measure": "bilah"}],
        "activities": [{"type": "patroli", "name": None}]}) + "\n", encoding="utf-8")
    _write_prediction(tmp_path / "pred")
    runner = CliRunner()
    result = runner.invoke(app, ["score", "--gold", str(gold), "--pred", str(tmp_path / "pred"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["fields"]["units"]["f1"] == 1.0
    assert (report["fields"]["persons"]["tp"], report["fields"]["persons"]["fn"]) == (1, 1)
    assert report["fields"]["incidents"]["fn"] == 1
    failing = runner.invoke(app, ["score", "--gold", str(gold), "--pred", str(tmp_path / "pred"),
                                  "--min", "units=0.9", "--min", "persons=0.9"])
    assert failing.exit_code == 1
    errors = runner.invoke(app, ["score", "--gold", str(gold), "--pred", str(tmp_path / "pred"),
                                 "--errors", "persons"])
    assert "FN persons d1 ujang" in errors.output


@pytest.mark.parametrize("bad", ["units", "units=", "nonsense=0.5"])
def test_cli_rejects_malformed_floors(tmp_path: Path, bad: str):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"doc_id": "d1"}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["score", "--gold", str(gold), "--pred", str(tmp_path), "--min", bad])
    assert result.exit_code != 0


def test_gold_scored_against_itself_is_perfect(tmp_path: Path):
    """The repository's gold, turned into predictions, scores 1.0 on every field it fills."""
    gold_docs = scoring.load_gold(Path(__file__).resolve().parents[1] / "data" / "gold" / "raw.jsonl")
    predictions = {g["doc_id"]: {table: [{k: v for k, v in e.items() if k not in ("aliases", "alt", "optional")}
                                         for e in g.get(table) or [] if not e.get("optional")]
                                 for table in scoring.SOURCE_TABLE.values()} for g in gold_docs}
    report = scoring.score(gold_docs, predictions)
    for name, result in report.fields.items():
        if result["tp"] + result["fn"]:
            assert result["f1"] == 1.0, (name, result)


def test_field_with_nothing_to_score_has_no_f1_and_leaves_the_macro_alone():
    gold = [{"doc_id": "d1", "incidents": [{"type": "tawuran"}]}]
    report = scoring.score(gold, {"d1": {"incidents": [{"type": "tawuran"}]}})
    assert report.fields["rt_rw"]["f1"] is None
    assert report.macro_f1 == 1.0
