"""Bad inputs next to good ones: every good document comes out ok, every bad one is reported, nothing stops."""
from __future__ import annotations

import json
import time

import pandas as pd
import pytest
from typer.testing import CliRunner

from kamtibmas_extract.cli import app

GOOD = ("BOGOR – Satuan Reserse Kriminal Polres Bogor menangkap dua pria yang mencuri sepeda motor di Desa "
        "Sukamaju, Kecamatan Cibinong, Kabupaten Bogor, pada Senin (3/3/2025) malam. Kapolres Bogor AKBP Rudi "
        "Hartono mengatakan kedua pelaku dijerat Pasal 363 KUHP.")


def ten_megabytes() -> str:
    """About 10 MB of varied report lines (identical lines would be folded by the normalizer)."""
    lines, size, i = [], 0, 0
    while size < 10_000_000:
        line = (f"Polsek Cibinong mencatat laporan nomor {i} tentang kehilangan sepeda motor di RT {i % 17} "
                f"RW {i % 9}, pada hari ke-{i % 30}; petugas memeriksa {i % 7} saksi di lokasi.\n")
        lines.append(line)
        size += len(line)
        i += 1
    return "".join(lines)


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[object, pd.DataFrame, float]:
    folder = tmp_path_factory.mktemp("masuk")
    (folder / "baik-1.txt").write_text(GOOD, encoding="utf-8")
    (folder / "baik-2.txt").write_text(GOOD.replace("Bogor", "Garut"), encoding="utf-8")
    (folder / "kosong.txt").write_bytes(b"")
    (folder / "biner.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "latin1.txt").write_bytes(GOOD.replace("–", "-").encode("latin-1") + " Kafe \xe9.".encode("latin-1"))
    (folder / "utf8-rusak.txt").write_bytes(GOOD.encode("utf-8")[:60] + b"\xff\xfe\xc3" + GOOD.encode("utf-8")[60:])
    (folder / "besar.txt").write_text(ten_megabytes(), encoding="utf-8")
    (folder / "kurung.txt").write_text("(" * 50_000 + "Polres Bogor" + ")" * 50_000 + "\n" + GOOD, encoding="utf-8")
    records = [json.dumps({"id": "j-baik", "text": GOOD}), '{"id": "j-rusak", "text": "tanpa kutip penutup}',
               json.dumps({"id": "j-tanpa-teks", "title": "Hanya judul"}), json.dumps({"id": "j-baik-2", "text": GOOD})]
    (folder / "rilis.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    out = folder.parent / "keluar"
    started = time.perf_counter()
    result = CliRunner().invoke(app, ["extract", str(folder), "--out", str(out), "--workers", "1"],
                                env={"COLUMNS": "300"})
    seconds = time.perf_counter() - started
    return result, pd.read_parquet(out / "documents.parquet").set_index("doc_id"), seconds


def test_the_run_finishes_within_minutes_and_says_some_documents_failed(run):
    result, _, seconds = run
    assert seconds < 120
    assert result.exit_code == 1, result.output


@pytest.mark.parametrize("doc_id", ["baik-1", "baik-2", "j-baik", "j-baik-2", "kurung"])
def test_every_good_document_is_ok(run, doc_id):
    _, documents, _ = run
    assert documents.loc[doc_id, "status"] == "ok"
    assert pd.isna(documents.loc[doc_id, "error"])


@pytest.mark.parametrize("doc_id, message", [
    ("kosong", "kosong.txt: empty document"),
    ("biner", "biner.txt: binary content, not a text document"),
    ("besar", "besar.txt: document too long"),
    ("rilis-2", "rilis.jsonl:2: invalid JSON"),
    ("j-tanpa-teks", "rilis.jsonl:3: record has no 'text' field"),
])
def test_every_bad_document_has_an_error_row_and_a_failed_line(run, doc_id, message):
    result, documents, _ = run
    assert documents.loc[doc_id, "status"] == "error"
    assert message in documents.loc[doc_id, "error"]
    failed = [line for line in result.stderr.splitlines() if line.startswith(f"failed {doc_id}: ")]
    assert len(failed) == 1 and message in failed[0]


@pytest.mark.parametrize("doc_id, byte", [("latin1", len(GOOD) + len(" Kafe ")), ("utf8-rusak", 60)])
def test_undecodable_bytes_are_decoded_with_a_fallback_and_said_so(run, doc_id, byte):
    _, documents, _ = run
    assert documents.loc[doc_id, "status"] == "ok"
    assert f"invalid UTF-8 from byte {byte}; those bytes decoded as cp1252" in documents.loc[doc_id, "warning"]
    assert "Polres Bogor" in documents.loc[doc_id, "text"]


def test_pathological_brackets_are_shortened_and_the_text_after_them_is_kept(run):
    _, documents, _ = run
    text = documents.loc["kurung", "text"]
    assert text.startswith("(((Polres Bogor)))") and "Pasal 363 KUHP" in text


def test_no_document_is_lost(run):
    _, documents, _ = run
    assert len(documents) == 12 and documents.index.is_unique
    assert (documents["status"] == "error").sum() == 5
