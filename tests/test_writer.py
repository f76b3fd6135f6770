"""The dataset writer: typed Parquet parts (pandas and DuckDB read them as tables), JSON Lines, manifest."""
from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pytest

from kamtibmas_extract.io.writer import MANIFEST, DatasetWriter, OutputExistsError, encode_batch
from kamtibmas_extract.schema import TABLES, DocumentRecord, arrow_schema

EVIDENCE = {"sentence": "Kalimat bukti.", "confidence": 0.9, "extractor": "rule", "rule": "test.rule"}


def record(doc_id: str, *, failed: bool = False) -> DocumentRecord:
    """One document with one fact in every table (or an error row with none)."""
    if failed:
        return DocumentRecord(document={"doc_id": doc_id, "status": "error", "error": "x.txt: binary content"})
    fact = {"doc_id": doc_id, **EVIDENCE}
    return DocumentRecord(
        document={"doc_id": doc_id, "source": f"{doc_id}.txt", "published": dt.date(2025, 3, 4), "text": "Teks.",
                  "n_chars": 5, "status": "ok", "language": "id", "warning": "decoded as cp1252"},
        units=[{**fact, "mention": "Polres Garut", "start": 0, "end": 12, "name": "Polres Garut", "level": "polres"}],
        persons=[{**fact, "mention": "AKP Budi", "start": 13, "end": 21, "name": "Budi", "rank": "AKP",
                  "rank_order": 14}],
        locations=[{**fact, "mention": "RT 01", "start": 22, "end": 27, "name": "RT 1", "level": "rt", "rt": "1"}],
        dates=[{**fact, "mention": "3/3/2025", "start": 28, "end": 36, "value": dt.date(2025, 3, 3),
                "precision": "day", "role": "event", "resolution": "explicit"}],
        incidents=[{**fact, "mention": "mencuri", "start": 37, "end": 44, "incident_id": "i1", "type": "curanmor",
                    "suspects": 2, "legal_articles": ["Pasal 363 KUHP", "Pasal 55 KUHP"]}],
        seizures=[{**fact, "mention": "Rp 1,5 juta", "start": 45, "end": 56, "item": "uang tunai",
                   "category": "money", "quantity": 1_500_000.0, "unit_of_measure": "rupiah"}],
        activities=[{**fact, "mention": "patroli", "start": 57, "end": 64, "type": "patroli", "attendees": 30}],
        quotes=[{**fact, "mention": "Kami siap", "start": 65, "end": 74, "speaker": "Budi", "quote": "Kami siap"}],
    )


@pytest.fixture
def dataset(tmp_path):
    out = tmp_path / "out"
    writer = DatasetWriter(out)
    writer.write_batch([record("a"), record("b", failed=True)])
    writer.write_batch([record("c")])
    return out, writer


def test_every_table_is_a_folder_of_parts_with_the_model_schema(dataset):
    out, writer = dataset
    for table, model in TABLES.items():
        parts = sorted(p.name for p in (out / f"{table}.parquet").iterdir())
        assert parts == ["part-00000.parquet", "part-00001.parquet"]
        assert ds.dataset(out / f"{table}.parquet").schema.equals(arrow_schema(model), check_metadata=False)
    assert writer.counts() == {"documents": 3, **{t: 2 for t in TABLES if t != "documents"}}


def test_pandas_reads_typed_values(dataset):
    out, _ = dataset
    documents = pd.read_parquet(out / "documents.parquet")
    assert list(documents["doc_id"]) == ["a", "b", "c"]
    assert list(documents["status"]) == ["ok", "error", "ok"]
    assert documents.loc[1, "error"] == "x.txt: binary content" and pd.isna(documents.loc[1, "text"])
    incidents = pd.read_parquet(out / "incidents.parquet")
    assert list(incidents.loc[0, "legal_articles"]) == ["Pasal 363 KUHP", "Pasal 55 KUHP"]
    assert pd.isna(incidents.loc[0, "victims"])            # missing is null, never "" or 0
    seizures = pd.read_parquet(out / "seizures.parquet")
    assert seizures.loc[0, "quantity"] == 1_500_000.0


def test_duckdb_reads_the_parts_as_one_table_with_sql_types(dataset):
    out, _ = dataset
    con = duckdb.connect()
    described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{out}/incidents.parquet/*.parquet')").fetchall()
    types = {row[0]: row[1] for row in described}
    assert types["start"] == "INTEGER" and types["confidence"] == "FLOAT" and types["date"] == "DATE"
    assert types["legal_articles"] == "VARCHAR[]" and types["suspects"] == "BIGINT"
    value = con.execute(f"SELECT value FROM read_parquet('{out}/dates.parquet/*.parquet') WHERE doc_id = 'c'")
    assert value.fetchone()[0] == dt.date(2025, 3, 3)


def test_jsonl_format_writes_one_record_per_line(tmp_path):
    writer = DatasetWriter(tmp_path / "out", "jsonl")
    writer.write_batch([record("a"), record("b", failed=True)])
    lines = (tmp_path / "out" / "records.jsonl" / "part-00000.jsonl").read_text(encoding="utf-8").splitlines()
    assert [DocumentRecord.model_validate_json(line) for line in lines] == [record("a"), record("b", failed=True)]
    assert writer.counts() == {"documents": 2}
    assert writer.done_ids() == {"a", "b"}


def test_a_non_empty_folder_is_refused_unless_resumed_or_overwritten(dataset):
    out, _ = dataset
    with pytest.raises(OutputExistsError, match="--resume"):
        DatasetWriter(out)
    assert DatasetWriter(out, resume=True).done_ids() == {"a", "b", "c"}
    fresh = DatasetWriter(out, overwrite=True)
    assert fresh.done_ids() == set() and fresh.next_part == 0


def test_parts_of_a_batch_whose_documents_part_is_missing_are_discarded(dataset):
    out, _ = dataset
    (out / "documents.parquet" / "part-00001.parquet").unlink()     # a crash before the last file of batch 1
    (out / "units.parquet" / ".part-00002.parquet.tmp").write_bytes(b"half")
    writer = DatasetWriter(out, resume=True)
    assert sorted(p.name for p in (out / "units.parquet").iterdir()) == ["part-00000.parquet"]
    assert writer.next_part == 1 and writer.done_ids() == {"a", "b"}


def test_manifest_is_written_as_json(dataset):
    out, writer = dataset
    writer.write_manifest({"schema_version": "1.0.0", "started": dt.datetime(2025, 3, 4, 10, 0)})
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest == {"schema_version": "1.0.0", "started": "2025-03-04 10:00:00"}


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_a_batch_encoded_elsewhere_is_written_like_a_direct_one(tmp_path, fmt):
    direct, encoded = DatasetWriter(tmp_path / "direct", fmt), DatasetWriter(tmp_path / "encoded", fmt)
    batch = [record("a"), record("b", failed=True)]
    direct.write_batch(batch)
    encoded.write_encoded(encode_batch(batch, fmt))
    assert encoded.counts() == direct.counts() and encoded.done_ids() == {"a", "b"}
    if fmt == "parquet":
        for table in TABLES:
            assert pd.read_parquet(tmp_path / "encoded" / f"{table}.parquet").equals(
                pd.read_parquet(tmp_path / "direct" / f"{table}.parquet")), table
