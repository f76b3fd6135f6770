"""Dask engine: the same per-document function, on a Dask distributed cluster.

The client reads the inputs and writes the dataset; workers run the pipeline and encode
the part files' contents, so the client only moves bytes to disk. Batches are submitted
lazily, at most two per worker thread unfinished, and collected in input order, so the
client writes the same numbered part files as the local engine, `--resume` works the same
way, and the client's memory stays flat. Each worker process loads the pipeline once, on
its first batch. Without a scheduler address, a LocalCluster of `workers` single-threaded
processes is started for the run and closed after it.
"""
from __future__ import annotations

import contextlib
import threading
from typing import Any, Iterable, Iterator

from .batch import IN_FLIGHT_PER_WORKER, BatchResult, bounded_ordered_map, init_worker, process_batch
from .io.readers import RawDocument
from .io.writer import Format

#: One pipeline per worker process: threads of a multi-threaded worker take turns (they would
#: only contend for the GIL anyway), so stage timings and the pipeline are never shared mid-document.
_PIPELINE_LOCK = threading.Lock()


def _process_on_worker(batch: list[RawDocument], ner: str | None, fmt: Format) -> BatchResult:
    with _PIPELINE_LOCK:
        init_worker(ner)
        return process_batch(batch, fmt)


def _client(stack: contextlib.ExitStack, workers: int, scheduler: str | None) -> Any:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise RuntimeError("--engine dask needs dask.distributed: pip install 'kamtibmas-extract[dask]'") from exc
    if scheduler is not None:
        return stack.enter_context(Client(scheduler))
    cluster = stack.enter_context(LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                                               dashboard_address="127.0.0.1:0"))  # any free port, this host only
    return stack.enter_context(Client(cluster))


def dask_map_batches(batches: Iterable[list[RawDocument]], *, workers: int, ner: str | None,
                     fmt: Format = "parquet", scheduler: str | None = None) -> Iterator[BatchResult]:
    """Process batches on a Dask cluster and yield `(encoded batch, stage_seconds)` in input order.

    `scheduler` is a scheduler address (`tcp://host:8786`); `workers` sizes the LocalCluster
    started when it is None and is ignored otherwise (the cluster's own threads set the pace).
    """
    with contextlib.ExitStack() as stack:
        client = _client(stack, workers, scheduler)

        def submit(batch: list[RawDocument]) -> Any:
            return client.submit(_process_on_worker, batch, ner, fmt, pure=False)

        def limit() -> int:  # asked per batch: workers that join or leave a real cluster change it
            return IN_FLIGHT_PER_WORKER * max(sum(client.nthreads().values()), 1)

        yield from bounded_ordered_map(submit, batches, limit)
