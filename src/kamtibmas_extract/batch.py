"""Batch runs: stream documents through the per-document function, in parallel, resumably.

Documents are read lazily, processed in bounded batches and written as one part per
batch, so memory stays flat however large the corpus. Engines: `local` (this process,
or a pool of worker processes) and `dask` (a distributed cluster, a LocalCluster when no
scheduler address is given). Both call the same `DocumentProcessor`.
"""
from __future__ import annotations

import collections
import datetime as dt
import itertools
import multiprocessing as mp
import os
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Literal

from . import __version__
from .io.readers import RawDocument, read_inputs
from .io.writer import DatasetWriter, Format
from .process import DocumentProcessor
from .schema import SCHEMA_VERSION, DocumentRecord

Engine = Literal["local", "dask"]
ProgressCallback = Callable[[int, int], None]

_WORKER: DocumentProcessor | None = None


@dataclass
class RunSummary:
    """What a run did, for the CLI's exit code and the manifest."""

    documents: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)


def _init_worker(ner: str | None) -> None:
    global _WORKER
    _WORKER = DocumentProcessor(ner=ner)


def _process_batch(batch: list[RawDocument]) -> tuple[list[DocumentRecord], dict[str, float]]:
    assert _WORKER is not None, "worker not initialised"
    before = dict(_WORKER.stage_seconds)
    records = [_WORKER(raw) for raw in batch]
    return records, {k: v - before.get(k, 0.0) for k, v in _WORKER.stage_seconds.items()}


def _batches(docs: Iterable[RawDocument], size: int) -> Iterator[list[RawDocument]]:
    iterator = iter(docs)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _run_local(batches: Iterator[list[RawDocument]], workers: int, ner: str | None
               ) -> Iterator[tuple[list[DocumentRecord], dict[str, float]]]:
    if workers <= 1:
        _init_worker(ner)
        for batch in batches:
            yield _process_batch(batch)
        return
    context = mp.get_context("fork" if platform.system() == "Linux" else "spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=(ner,)) as pool:
        pending: collections.deque[Any] = collections.deque()
        for batch in batches:  # at most 2 batches per worker in flight: bounded memory, results in order
            pending.append(pool.apply_async(_process_batch, (batch,)))
            if len(pending) >= 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _run_dask(batches: Iterator[list[RawDocument]], workers: int, ner: str | None, scheduler: str | None
              ) -> Iterator[tuple[list[DocumentRecord], dict[str, float]]]:
    from .distributed import dask_map_batches

    yield from dask_map_batches(batches, workers=workers, ner=ner, scheduler=scheduler)


def run_extraction(inputs: list[str], out: Path, *, fmt: Format = "parquet", workers: int = 1,
                   batch_size: int = 64, resume: bool = False, overwrite: bool = False,
                   engine: Engine = "local", scheduler: str | None = None, ner: str | None = None,
                   progress: ProgressCallback | None = None) -> RunSummary:
    """Extract every input document into the dataset at `out`; see the module docstring."""
    started = time.perf_counter()
    started_at = dt.datetime.now(dt.timezone.utc)
    writer = DatasetWriter(out, fmt, resume=resume, overwrite=overwrite)
    done = writer.done_ids() if resume else set()
    summary = RunSummary()
    stage_seconds: collections.Counter[str] = collections.Counter()

    def todo() -> Iterator[RawDocument]:
        for raw in read_inputs(inputs):
            if raw.doc_id in done:
                summary.skipped += 1
                continue
            yield raw

    batches = _batches(todo(), batch_size)
    results = (_run_dask(batches, workers, ner, scheduler) if engine == "dask"
               else _run_local(batches, workers, ner))
    for records, seconds in results:
        writer.write_batch(records)
        stage_seconds.update(seconds)
        for record in records:
            summary.documents += 1
            if record.document.status == "error":
                summary.failed += 1
                summary.errors.append(f"{record.document.doc_id}: {record.document.error}")
        if progress is not None:
            progress(summary.documents, summary.failed)
    summary.seconds = time.perf_counter() - started
    summary.stage_seconds = {k: round(v, 4) for k, v in stage_seconds.items()}
    writer.write_manifest(_manifest(inputs, fmt, workers, engine, ner, summary, writer.counts(), started_at))
    return summary


def model_versions(ner: str | None) -> dict[str, Any]:
    """Versions of the libraries and models a run used, for the manifest."""
    import spacy

    versions: dict[str, Any] = {"spacy": spacy.__version__, "ner_backend": ner}
    if ner is not None:
        from .ner.backend import model_info

        versions["ner_model"] = model_info(ner)
    return versions


def _manifest(inputs: list[str], fmt: Format, workers: int, engine: Engine, ner: str | None,
              summary: RunSummary, counts: dict[str, int], started_at: dt.datetime) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "package": {"name": "kamtibmas-extract", "version": __version__},
        "models": model_versions(ner),
        "inputs": [os.fspath(i) for i in inputs],
        "format": fmt,
        "engine": engine,
        "workers": workers,
        "started": started_at.isoformat(timespec="seconds"),
        "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "this_run": {"documents": summary.documents, "failed": summary.failed,
                     "skipped_as_done": summary.skipped, "seconds": round(summary.seconds, 3),
                     "docs_per_second": round(summary.documents / summary.seconds, 2) if summary.seconds else None,
                     "stage_seconds": summary.stage_seconds},
        "counts": counts,
    }
