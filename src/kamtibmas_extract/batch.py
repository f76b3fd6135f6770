"""Batch runs: stream documents through the per-document function, in parallel, resumably.

Documents are read lazily, processed in bounded batches and written as one part per
batch, so memory stays flat however large the corpus. Engines: `local` (this process,
or a pool of worker processes) and `dask` (a distributed cluster, a LocalCluster when no
scheduler address is given). Both call the same `DocumentProcessor` and encode each
batch where it was processed; this process only writes the bytes, in input order, from
one writer thread, so part numbers never depend on timing and `--resume` is exact.
"""
from __future__ import annotations

import collections
import datetime as dt
import gc
import itertools
import multiprocessing as mp
import os
import platform
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Literal, Protocol, TypeVar

from . import __version__
from .io.readers import RawDocument, read_inputs
from .io.writer import DatasetWriter, EncodedBatch, Format, encode_batch
from .process import DocumentProcessor
from .schema import SCHEMA_VERSION

Engine = Literal["local", "dask"]
ProgressCallback = Callable[[int, int], None]
BatchResult = tuple[EncodedBatch, dict[str, float]]
T = TypeVar("T")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)

#: Documents per batch (and per part file): large enough that encoding ten small Parquet files per
#: batch costs little per document, small enough that a crash loses little and progress moves.
DEFAULT_BATCH_SIZE = 256

#: Batches in flight per worker: one being processed, one queued, so no worker waits for the reader.
IN_FLIGHT_PER_WORKER = 2

_WORKER: DocumentProcessor | None = None
_WORKER_NER: str | None = None


class WorkerCrashedError(RuntimeError):
    """A worker process died (killed, out of memory); the batches already written are kept."""


@dataclass
class RunSummary:
    """What a run did, for the CLI's exit code and the manifest."""

    documents: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)


def init_worker(ner: str | None) -> None:
    """Load this process's pipeline once; later runs in the same process reuse it.

    Also encodes an empty batch: Arrow's Parquet writer and codecs initialise on first use
    (about 130 ms), which belongs to loading, not to the first batch's throughput. Then the
    garbage collector is tuned for batches: the loaded pipeline is frozen (full collections
    never walk its objects again, and forked workers keep sharing its pages), and young
    collections run every 10,000 allocations instead of 700, since facts die by reference
    counting anyway; with 256 documents in flight the default cost a tenth of the run.
    """
    global _WORKER, _WORKER_NER
    if _WORKER is None or _WORKER_NER != ner:
        _WORKER, _WORKER_NER = DocumentProcessor(ner=ner), ner
        encode_batch([])
        gc.collect()
        gc.freeze()
        gc.set_threshold(10_000, 10, 10)


def process_batch(batch: list[RawDocument], fmt: Format = "parquet") -> BatchResult:
    """Run this process's pipeline over one batch and encode it for the writer.

    Also returns the seconds each stage took on this batch. Encoding here, where the batch
    was processed, leaves the one process that writes with nothing to do but move bytes.
    """
    assert _WORKER is not None, "worker not initialised"
    before = dict(_WORKER.stage_seconds)
    records = _WORKER.process(batch)
    seconds = {k: v - before.get(k, 0.0) for k, v in _WORKER.stage_seconds.items()}
    started = time.perf_counter()
    encoded = encode_batch(records, fmt)
    seconds["encode"] = time.perf_counter() - started
    return encoded, seconds


class Pending(Protocol[R_co]):
    """A submitted job: a `concurrent.futures.Future` or a `distributed.Future`."""

    def result(self) -> R_co: ...


def bounded_ordered_map(submit: Callable[[T], Pending[R]], items: Iterable[T], limit: Callable[[], int]
                        ) -> Iterator[R]:
    """Submit items lazily, at most `limit()` unfinished at once, and yield the results in input order.

    The bound is what keeps memory flat: the reader is never more than `limit()` batches
    ahead of the writer. Order makes part numbers, and so `--resume`, independent of timing.
    """
    pending: collections.deque[Pending[R]] = collections.deque()
    for item in items:
        pending.append(submit(item))
        while len(pending) >= max(limit(), 1):
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _batches(docs: Iterable[RawDocument], size: int) -> Iterator[list[RawDocument]]:
    iterator = iter(docs)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _run_local(batches: Iterator[list[RawDocument]], workers: int, ner: str | None, fmt: Format
               ) -> Iterator[BatchResult]:
    if workers <= 1:
        init_worker(ner)
        yield from (process_batch(batch, fmt) for batch in batches)
        return
    context = mp.get_context("fork" if platform.system() == "Linux" else "spawn")
    if context.get_start_method() == "fork":
        init_worker(ner)  # loaded once here, inherited by every forked worker (pages shared copy-on-write)
    with ProcessPoolExecutor(workers, mp_context=context, initializer=init_worker, initargs=(ner,)) as pool:
        try:
            yield from bounded_ordered_map(lambda batch: pool.submit(process_batch, batch, fmt), batches,
                                           lambda: IN_FLIGHT_PER_WORKER * workers)
        except BrokenProcessPool as exc:
            raise WorkerCrashedError("a worker process died (killed or out of memory?); the batches written "
                                     "so far are complete: rerun with --resume to continue") from exc


def _run_dask(batches: Iterator[list[RawDocument]], workers: int, ner: str | None, fmt: Format,
              scheduler: str | None) -> Iterator[BatchResult]:
    from .distributed import dask_map_batches

    yield from dask_map_batches(batches, workers=workers, ner=ner, fmt=fmt, scheduler=scheduler)


def run_extraction(inputs: list[str], out: Path, *, fmt: Format = "parquet", workers: int = 1,
                   batch_size: int = DEFAULT_BATCH_SIZE, resume: bool = False, overwrite: bool = False,
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

    def write(result: BatchResult) -> BatchResult:
        encoded, seconds = result
        started = time.perf_counter()
        writer.write_encoded(encoded)
        return encoded, {**seconds, "write": time.perf_counter() - started}

    batches = _batches(todo(), batch_size)
    first = next(batches, None)  # nothing left to do (a finished run resumed): no pipeline, pool or cluster
    results: Iterator[BatchResult] = iter(())
    if first is not None:
        batches = itertools.chain([first], batches)
        results = (_run_dask(batches, workers, ner, fmt, scheduler) if engine == "dask"
                   else _run_local(batches, workers, ner, fmt))
    # One writer thread, two batches queued: disk waits (fsync) overlap with processing, order is kept.
    with ThreadPoolExecutor(1, thread_name_prefix="kamtibmas-writer") as disk:
        for encoded, seconds in bounded_ordered_map(lambda result: disk.submit(write, result), results, lambda: 2):
            stage_seconds.update(seconds)
            for doc_id, status, error in encoded.statuses:
                summary.documents += 1
                if status == "error":
                    summary.failed += 1
                    summary.errors.append(f"{doc_id}: {error}")
            if progress is not None:
                progress(summary.documents, summary.failed)
    summary.seconds = time.perf_counter() - started
    summary.stage_seconds = {k: round(v, 4) for k, v in stage_seconds.items()}
    cluster_sized = engine == "dask" and scheduler is not None  # --workers is ignored then
    writer.write_manifest(_manifest(inputs, fmt, None if cluster_sized else workers, engine, ner, summary,
                                    writer.counts(), started_at))
    return summary


def model_versions(ner: str | None) -> dict[str, Any]:
    """Versions of the libraries and models a run used, for the manifest."""
    import spacy

    versions: dict[str, Any] = {"spacy": spacy.__version__, "ner_backend": ner}
    if ner is not None:
        from .ner.backend import model_info

        versions["ner_model"] = model_info(ner)
    return versions


def _manifest(inputs: list[str], fmt: Format, workers: int | None, engine: Engine, ner: str | None,
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
