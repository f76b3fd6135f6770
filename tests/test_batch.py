"""Batch runs: refusal, overwrite, resume after a partial run, after a crash mid-batch, and after SIGKILL."""
from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import Future
from pathlib import Path

import pytest
from corpus_factory import assert_same_dataset, read_dataset, write_corpus
from typer.testing import CliRunner

from kamtibmas_extract import batch as batch_module
from kamtibmas_extract.batch import WorkerCrashedError, bounded_ordered_map, run_extraction
from kamtibmas_extract.cli import app
from kamtibmas_extract.io.writer import OutputExistsError

N_DOCS = 60


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "releases.jsonl", N_DOCS)


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One uninterrupted single-worker run: what every interrupted run must end up equal to."""
    out = tmp_path_factory.mktemp("reference") / "out"
    summary = run_extraction([str(corpus)], out, workers=1, batch_size=7)
    assert (summary.documents, summary.failed) == (N_DOCS, 1)  # the one empty record is an error row
    return out


def _parts(out: Path, table: str = "documents") -> list[Path]:
    return sorted((out / f"{table}.parquet").glob("part-*.parquet"))


def test_bounded_ordered_map_keeps_order_and_reads_at_most_limit_ahead() -> None:
    pulled: list[int] = []

    def items():
        for i in range(10):
            pulled.append(i)
            yield i

    def submit(i: int) -> Future[int]:
        future: Future[int] = Future()
        future.set_result(i * i)
        return future

    results = []
    for value in bounded_ordered_map(submit, items(), lambda: 3):
        assert len(pulled) <= len(results) + 3  # never more than 3 submitted and not yet collected
        results.append(value)
    assert results == [i * i for i in range(10)]


def test_all_tables_written_with_one_part_per_batch(reference: Path) -> None:
    tables = read_dataset(reference)
    assert len(tables["documents"]) == N_DOCS
    assert tables["documents"]["doc_id"].is_unique
    for table in ("units", "persons", "locations", "dates"):
        assert len(tables[table]) >= N_DOCS - 1, table
        assert len(_parts(reference, table)) == -(-N_DOCS // 7)
    manifest = json.loads((reference / "_manifest.json").read_text())
    assert manifest["counts"]["documents"] == N_DOCS
    assert manifest["this_run"]["documents"] == N_DOCS


def test_second_run_into_non_empty_folder_is_refused(corpus: Path, reference: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in reference.rglob("*")}
    with pytest.raises(OutputExistsError, match="--resume .* --overwrite"):
        run_extraction([str(corpus)], reference, workers=1)
    result = CliRunner().invoke(app, ["extract", str(corpus), "--out", str(reference), "--workers", "1"])
    assert result.exit_code == 2
    assert "not empty" in result.output and "--resume" in result.output
    assert {p: p.stat().st_mtime_ns for p in reference.rglob("*")} == before


def test_overwrite_replaces_the_dataset(corpus: Path, tmp_path: Path, reference: Path) -> None:
    out = tmp_path / "out"
    write_corpus(tmp_path / "other.jsonl", 9, start=500)
    run_extraction([str(tmp_path / "other.jsonl")], out, workers=1, batch_size=4)
    run_extraction([str(corpus)], out, workers=1, batch_size=7, overwrite=True)
    assert_same_dataset(out, reference)


def test_resume_skips_documents_already_written(corpus: Path, tmp_path: Path, reference: Path) -> None:
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    first = tmp_path / "first.jsonl"
    first.write_text("".join(lines[:25]), encoding="utf-8")
    out = tmp_path / "out"
    run_extraction([str(first)], out, workers=1, batch_size=7)
    summary = run_extraction([str(corpus)], out, workers=1, batch_size=7, resume=True)
    assert (summary.skipped, summary.documents) == (25, N_DOCS - 25)
    assert_same_dataset(out, reference)
    again = run_extraction([str(corpus)], out, workers=1, batch_size=7, resume=True)
    assert (again.skipped, again.documents) == (N_DOCS, 0)
    assert_same_dataset(out, reference)


def test_resume_in_the_other_format_is_refused(corpus: Path, reference: Path) -> None:
    with pytest.raises(OutputExistsError, match="holds a parquet dataset; resume it with --format parquet"):
        run_extraction([str(corpus)], reference, fmt="jsonl", workers=1, resume=True)


def test_resume_discards_a_batch_whose_documents_part_never_landed(corpus: Path, tmp_path: Path,
                                                                      reference: Path) -> None:
    out = tmp_path / "out"
    run_extraction([str(corpus)], out, workers=1, batch_size=7)
    last = _parts(out)[-1]
    last.unlink()  # the crash came after the fact parts of the last batch, before its commit marker
    (out / "units.parquet" / ".part-00099.parquet.tmp").write_bytes(b"half a file")
    summary = run_extraction([str(corpus)], out, workers=1, batch_size=7, resume=True)
    assert summary.documents == N_DOCS - 8 * 7
    assert not list(out.rglob("*.tmp"))
    assert_same_dataset(out, reference)


def _dies_on_the_third_batch(batch: list, fmt: str) -> tuple:
    if batch[0].doc_id == "gen-00014":
        os._exit(1)  # what an out-of-memory kill looks like from the pool
    return _PROCESS_BATCH(batch, fmt)


_PROCESS_BATCH = batch_module.process_batch


def test_dead_pool_worker_stops_the_run_with_a_resumable_dataset(corpus: Path, tmp_path: Path, reference: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    monkeypatch.setattr(batch_module, "process_batch", _dies_on_the_third_batch)
    with pytest.raises(WorkerCrashedError, match="--resume"):
        run_extraction([str(corpus)], out, workers=2, batch_size=7)
    monkeypatch.undo()
    assert len(_parts(out)) <= 2
    run_extraction([str(corpus)], out, workers=1, batch_size=7, resume=True)
    assert_same_dataset(out, reference)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX named pipes and signals")
def test_sigkill_midway_then_resume_equals_an_uninterrupted_run(corpus: Path, tmp_path: Path,
                                                                reference: Path) -> None:
    # Inputs: 40 documents, then a named pipe nobody writes to, then the other 20. The run blocks on
    # the pipe with some batches written and others in flight, so it cannot finish before the kill.
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    first, blocked, rest = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    first.write_text("".join(lines[:40]), encoding="utf-8")
    os.mkfifo(blocked)
    rest.write_text("".join(lines[40:]), encoding="utf-8")
    out, batch = tmp_path / "killed", 2
    command = [sys.executable, "-m", "kamtibmas_extract.cli", "extract", str(first), str(blocked), str(rest),
               "--out", str(out), "--batch-size", str(batch), "--workers", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(_parts(out) if out.is_dir() else []) < 4 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the whole process group: the run and its pool workers
    _, stderr = process.communicate()
    assert process.returncode == -signal.SIGKILL, stderr.decode()
    written = len(_parts(out))
    assert 4 <= written <= 40 // batch  # nothing after the pipe can have been written

    summary = run_extraction([str(first), str(rest)], out, workers=1, batch_size=7, resume=True)
    assert (summary.skipped, summary.documents) == (written * batch, N_DOCS - written * batch)
    assert_same_dataset(out, reference)
