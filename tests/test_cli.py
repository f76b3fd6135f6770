"""The command line end to end: extract (Parquet and JSON Lines), schema, show."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pytest
from test_readers import PAGE
from test_schema import CONTRACT, matches
from typer.testing import CliRunner

from kamtibmas_extract import __version__
from kamtibmas_extract.cli import app
from kamtibmas_extract.schema import SCHEMA_VERSION, TABLES, DocumentRecord

RELEASE = ("GARUT – Satuan Reserse Kriminal Polres Garut menangkap dua pria yang mencuri sepeda motor di Desa "
           "Sukamaju, Kecamatan Leles, Kabupaten Garut, pada Senin (3/3/2025) malam.\n"
           "Kasat Reskrim Polres Garut AKP Agus Salim mengatakan kedua pelaku dijerat Pasal 363 KUHP. "
           "\"Kami mengimbau warga selalu mengunci kendaraan,\" ujar Agus.")
DUCKDB_TYPES = {"string": "VARCHAR", "int32": "INTEGER", "float32": "FLOAT", "double": "DOUBLE", "date32": "DATE",
                "list<string>": "VARCHAR[]"}

runner = CliRunner()


def invoke(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "160"})


@pytest.fixture
def corpus(tmp_path) -> Path:
    """One document in every input format: .txt, .jsonl (two records), .csv, .html."""
    folder = tmp_path / "masuk"
    folder.mkdir()
    (folder / "rilis.txt").write_text(RELEASE, encoding="utf-8")
    records = [{"id": "j1", "text": RELEASE, "url": "https://polres.example/2025/03/04/a"},
               {"id": "j2", "text": RELEASE.replace("Garut", "Bogor"), "published": "2025-03-05"}]
    (folder / "rilis.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (folder / "rilis.csv").write_text("id,text\nc1,\"" + RELEASE.replace('"', '""') + "\"\n", encoding="utf-8")
    (folder / "halaman.html").write_text(PAGE, encoding="utf-8")
    return folder


def assert_contract_tables(out: Path) -> dict[str, pd.DataFrame]:
    """Every table loads with pandas and DuckDB with the contract's columns and types."""
    con = duckdb.connect()
    frames = {}
    for table, columns in CONTRACT.items():
        frames[table] = pd.read_parquet(out / f"{table}.parquet")
        assert set(columns) <= set(frames[table].columns), table
        schema = ds.dataset(out / f"{table}.parquet").schema
        described = dict(row[:2] for row in con.execute(
            f"DESCRIBE SELECT * FROM read_parquet('{out}/{table}.parquet/*.parquet')").fetchall())
        for column, expected in columns.items():
            assert matches(schema.field(column).type, expected), (table, column, schema.field(column).type)
            sql = described[column]
            assert sql in ("BIGINT", "INTEGER") if expected == "integer" else sql == DUCKDB_TYPES[expected], \
                (table, column, sql)
        assert con.execute(f"SELECT count(*) FROM read_parquet('{out}/{table}.parquet/*.parquet')").fetchone()[0] \
            == len(frames[table])
    return frames


def test_extract_writes_the_contract_tables_and_a_manifest(corpus, tmp_path):
    out = tmp_path / "keluar"
    result = invoke("extract", corpus / "*.txt", corpus / "rilis.jsonl", corpus / "rilis.csv", corpus / "halaman.html",
                    "--out", out, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "5 documents (0 failed" in result.stderr and "docs/s" in result.stderr
    frames = assert_contract_tables(out)
    documents = frames["documents"].set_index("doc_id")
    assert sorted(documents.index) == ["c1", "halaman", "j1", "j2", "rilis"]
    assert set(documents["status"]) == {"ok"}
    assert str(documents.loc["j2", "published"]) == "2025-03-05"
    assert documents.loc["rilis", "dateline"] == "Garut"
    units = frames["units"]
    assert {"Polres Garut", "Polres Bogor"} <= set(units["name"])
    row = units[units["doc_id"] == "rilis"].iloc[0]
    text = documents.loc["rilis", "text"]
    assert text[row["start"]:row["end"]] == row["mention"]       # offsets refer to documents.text
    manifest = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["package"] == {"name": "kamtibmas-extract", "version": __version__}
    assert "spacy" in manifest["models"]
    assert len(manifest["inputs"]) == 4
    assert manifest["counts"]["documents"] == 5 and manifest["counts"]["units"] == len(units)
    assert manifest["this_run"]["documents"] == 5 and manifest["this_run"]["seconds"] > 0
    assert "normalize" in manifest["this_run"]["stage_seconds"]


def test_extract_jsonl_format_writes_document_records(corpus, tmp_path):
    out = tmp_path / "keluar"
    result = invoke("extract", corpus / "rilis.jsonl", "--out", out, "--format", "jsonl", "--workers", "1")
    assert result.exit_code == 0, result.output
    lines = [line for part in sorted((out / "records.jsonl").iterdir())
             for line in part.read_text(encoding="utf-8").splitlines()]
    records = [DocumentRecord.model_validate_json(line) for line in lines]
    assert [r.document.doc_id for r in records] == ["j1", "j2"]
    assert any(u.name == "Polres Garut" for u in records[0].units)


def test_failed_documents_give_exit_code_1_and_one_line_each(corpus, tmp_path):
    (corpus / "rusak.jsonl").write_text('{"id": "x", "text": tidak valid sama sekali dan baris ini panjang sekali}\n',
                                        encoding="utf-8")
    (corpus / "catatan.docx").write_bytes(b"PK\x03\x04")
    result = invoke("extract", corpus, "--out", tmp_path / "keluar", "--workers", "1")
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed ")]
    assert len(failed) == 2
    assert any("rusak.jsonl:1: invalid JSON" in line for line in failed)
    assert any("catatan.docx: unknown input format '.docx'" in line for line in failed)
    documents = pd.read_parquet(tmp_path / "keluar" / "documents.parquet")
    assert (documents["status"] == "ok").sum() == 5


@pytest.mark.parametrize("args, code, message", [
    (("--format", "csv"), 2, "--format must be parquet or jsonl"),
    (("--engine", "spark"), 2, "--engine must be local or dask"),
])
def test_bad_options_are_usage_errors(corpus, tmp_path, args, code, message):
    result = invoke("extract", corpus, "--out", tmp_path / "keluar", *args)
    assert result.exit_code == code and message in result.output


def test_existing_output_is_refused_and_empty_input_is_an_error(corpus, tmp_path):
    out = tmp_path / "keluar"
    assert invoke("extract", corpus / "rilis.txt", "--out", out, "--workers", "1").exit_code == 0
    refused = invoke("extract", corpus / "rilis.txt", "--out", out, "--workers", "1")
    assert refused.exit_code == 2 and "--resume" in refused.stderr
    empty = tmp_path / "kosong"
    empty.mkdir()
    nothing = invoke("extract", empty, "--out", tmp_path / "keluar2", "--workers", "1")
    assert nothing.exit_code == 1 and "no input documents found" in nothing.stderr


def test_schema_prints_the_json_schema():
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "DocumentRecord"
    assert set(schema["$defs"]) >= {"Document", "Unit", "Person", "Location", "DateMention", "Incident", "Seizure",
                                    "Activity", "Quote"}


def test_show_prints_tables(corpus):
    result = invoke("show", corpus / "rilis.txt")
    assert result.exit_code == 0, result.output
    assert "rilis  status=ok" in result.stdout
    assert "units (" in result.stdout and "Polres Garut" in result.stdout and "persons (" in result.stdout


def test_show_writes_a_highlighted_html_page(corpus, tmp_path):
    page = tmp_path / "lihat.html"
    result = invoke("show", corpus / "rilis.jsonl", "--id", "j2", "--html", page)
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert 'Polres Bogor<span>UNIT</span></mark>' in html
    assert "<span>PER</span>" in html and "<span>LOC</span>" in html and "<span>DATE</span>" in html
    assert "<table>" in html and "Pasal 363 KUHP" in html


def test_show_reports_a_missing_record_and_a_failed_document(corpus, tmp_path):
    assert invoke("show", corpus / "rilis.jsonl", "--id", "zzz").exit_code == 2
    (tmp_path / "kosong.txt").write_text("   ", encoding="utf-8")
    result = invoke("show", tmp_path / "kosong.txt")
    assert result.exit_code == 1 and "empty document" in result.stdout


def test_train_ner_refuses_a_folder_without_the_ner_data_sets(tmp_path):
    for weak in ("--weak", "--no-weak"):
        result = invoke("train-ner", "--shared", tmp_path, "--out", tmp_path / "model", weak)
        assert result.exit_code == 2 and "NER data sets not found" in result.output
    assert not (tmp_path / "model").exists()


@pytest.mark.slow
def test_shared_corpus_extracts_without_failures_into_contract_tables(shared, tmp_path):
    out = tmp_path / "keluar"
    result = invoke("extract", shared / "corpus" / "seeds", shared / "corpus" / "dev.jsonl", "--out", out,
                    "--workers", "1")
    assert result.exit_code == 0, result.stderr
    frames = assert_contract_tables(out)
    documents = frames["documents"]
    expected = len(list((shared / "corpus" / "seeds").glob("*.txt"))) + sum(
        1 for line in (shared / "corpus" / "dev.jsonl").open(encoding="utf-8") if line.strip())
    assert len(documents) == expected and set(documents["status"]) == {"ok"}
    assert documents["doc_id"].is_unique
    texts = documents.set_index("doc_id")["text"]
    for table in TABLES:
        if table == "documents" or frames[table].empty:
            continue
        facts = frames[table]
        spans = [texts[d][s:e] for d, s, e in zip(facts["doc_id"], facts["start"], facts["end"], strict=True)]
        assert spans == list(facts["mention"]), table
