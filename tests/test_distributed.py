"""The Dask engine on a LocalCluster with 2 workers writes the same dataset as the local engine."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus_factory import assert_same_dataset, write_corpus
from kamtibmas_extract.batch import run_extraction

distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed (extra: dask)")

N_DOCS = 40


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "releases.jsonl", N_DOCS)


@pytest.fixture(scope="module")
def local_out(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    run_extraction([str(corpus)], out, workers=1, batch_size=6)
    return out


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        yield cluster


def test_scheduler_address_runs_on_the_cluster_workers(corpus: Path, local_out: Path, cluster, tmp_path: Path) -> None:
    out = tmp_path / "dask"
    summary = run_extraction([str(corpus)], out, batch_size=6, engine="dask", scheduler=cluster.scheduler_address)
    assert (summary.documents, summary.failed) == (N_DOCS, 1)
    assert_same_dataset(out, local_out)
    assert summary.stage_seconds["tokenizer"] > 0  # stage timings come back from the workers
    with distributed.Client(cluster) as client:
        loaded = client.run(lambda: __import__("kamtibmas_extract.batch").batch._WORKER is not None)
    assert sorted(loaded.values()) == [True, True], "both workers should have run batches"


def test_resume_on_the_cluster_after_a_partial_run(corpus: Path, local_out: Path, cluster, tmp_path: Path) -> None:
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "half.jsonl").write_text("".join(lines[:18]), encoding="utf-8")
    out = tmp_path / "dask"
    run_extraction([str(tmp_path / "half.jsonl")], out, batch_size=6, engine="dask",
                   scheduler=cluster.scheduler_address)
    summary = run_extraction([str(corpus)], out, batch_size=6, engine="dask", scheduler=cluster.scheduler_address,
                             resume=True)
    assert (summary.skipped, summary.documents) == (18, N_DOCS - 18)
    assert_same_dataset(out, local_out)


def test_without_an_address_a_local_cluster_of_n_workers_is_started(corpus: Path, local_out: Path,
                                                                     tmp_path: Path) -> None:
    out = tmp_path / "dask"
    summary = run_extraction([str(corpus)], out, workers=2, batch_size=6, engine="dask")
    assert summary.documents == N_DOCS
    assert_same_dataset(out, local_out)
    manifest = json.loads((out / "_manifest.json").read_text())
    assert (manifest["engine"], manifest["workers"]) == ("dask", 2)
