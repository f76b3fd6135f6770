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
def dask_out(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`--engine dask --workers 2` without an address: a LocalCluster of 2 worker processes."""
    out = tmp_path_factory.mktemp("dask") / "out"
    summary = run_extraction([str(corpus)], out, workers=2, batch_size=6, engine="dask")
    assert (summary.documents, summary.failed) == (N_DOCS, 1)
    assert summary.stage_seconds["tokenizer"] > 0  # stage timings come back from the workers
    return out


def test_local_cluster_of_two_workers_writes_the_local_engines_dataset(dask_out: Path, local_out: Path) -> None:
    assert_same_dataset(dask_out, local_out)
    manifest = json.loads((dask_out / "_manifest.json").read_text())
    assert (manifest["engine"], manifest["workers"]) == ("dask", 2)
    assert manifest["counts"]["documents"] == N_DOCS


def test_scheduler_address_then_resume_on_that_cluster(corpus: Path, local_out: Path, tmp_path: Path) -> None:
    # Worker threads in this process keep the test fast; the client side is that of a remote cluster.
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "half.jsonl").write_text("".join(lines[:18]), encoding="utf-8")
    out = tmp_path / "dask"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address="127.0.0.1:0") as cluster:
        first = run_extraction([str(tmp_path / "half.jsonl")], out, batch_size=6, engine="dask",
                               scheduler=cluster.scheduler_address)
        summary = run_extraction([str(corpus)], out, batch_size=6, engine="dask",
                                 scheduler=cluster.scheduler_address, resume=True)
    assert first.documents == 18
    assert (summary.skipped, summary.documents) == (18, N_DOCS - 18)
    assert_same_dataset(out, local_out)
    manifest = json.loads((out / "_manifest.json").read_text())
    assert (manifest["engine"], manifest["workers"]) == ("dask", None)  # the cluster's size, not --workers
