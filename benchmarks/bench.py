"""Throughput, memory and per-stage time of `kamtibmas extract`, against spaCy's bare tokenizer.

Corpora of N documents are built by repeating the texts of ../shared/corpus under fresh ids
(JSON Lines shards of 1,000 documents, in a temporary folder). Each (size, workers) run is a
fresh interpreter, so its peak RSS is its own; the pipeline is loaded before the clock starts
(reported as startup). Right before the single-worker run of each size, spaCy's bare
Indonesian tokenizer is timed on the same texts: the reference the pipeline is held to.

Speeds are given per wall-clock second and per CPU second: on a machine shared with other
work the wall clock also counts time spent waiting for a core, CPU time does not.

    python benchmarks/bench.py                        # 200 and 2,000 documents, 1 and 2 workers
    python benchmarks/bench.py --sizes 200,2000,20000 # the full table of benchmarks/RESULTS.md
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus"
SHARD = 1_000
MIB = 1024 * 1024


def build_corpus(base: list[dict[str, Any]], size: int, folder: Path) -> int:
    """Write `size` documents cycling through `base`, with fresh ids; returns the word count."""
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for shard_start in range(0, size, SHARD):
        with (folder / f"shard-{shard_start // SHARD:04d}.jsonl").open("w", encoding="utf-8") as fh:
            for i in range(shard_start, min(shard_start + SHARD, size)):
                record = {**base[i % len(base)], "id": f"bench-{i:06d}"}
                words += len(record["text"].split())
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return words


def load_base(corpus: Path) -> list[dict[str, Any]]:
    """The real articles of ../shared/corpus (seeds and dev.jsonl) as JSON records."""
    from kamtibmas_extract.io.readers import read_inputs

    docs = [d for d in read_inputs([corpus]) if d.text]
    if not docs:
        sys.exit(f"no documents under {corpus}")
    return [{"text": d.text, "url": d.url, "title": d.title, "published": d.published, "outlet": d.outlet}
            for d in docs]


def time_bare_tokenizer(texts: list[str], min_seconds: float = 2.0) -> dict[str, float]:
    """Words/s of `spacy.blank("id").tokenizer`, in passes over `texts` until `min_seconds` of CPU."""
    import spacy

    tokenizer = spacy.blank("id").tokenizer
    words = sum(len(t.split()) for t in texts)
    for text in texts[:50]:  # warm the tokenizer's cache like the pipeline's first batch does
        tokenizer(text)
    wall, cpu, passes = time.perf_counter(), time.process_time(), 0
    while time.process_time() - cpu < min_seconds:
        for text in texts:
            tokenizer(text)
        passes += 1
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"words": words * passes, "wall_words_per_s": words * passes / wall,
            "cpu_words_per_s": words * passes / cpu}


FIRST_PASS_WARM_UP = 20


def _first_pass(conn: Connection, base: list[dict[str, Any]], ner: str | None) -> None:
    """In a fresh process: words per CPU second of the pipeline and of the bare tokenizer over
    texts each sees once, after both warmed up on the same first few others. No string cache
    (spaCy's tokenizer cache, the extractors' memoised lookups) has seen the measured texts."""
    import spacy

    from kamtibmas_extract import batch
    from kamtibmas_extract.io.readers import RawDocument

    raws = [RawDocument(doc_id=f"first-{i}", text=d["text"], source="bench", url=d["url"], title=d["title"],
                        published=d["published"], outlet=d["outlet"]) for i, d in enumerate(base)]
    warm, measured = raws[:FIRST_PASS_WARM_UP], raws[FIRST_PASS_WARM_UP:]
    words = sum(len(r.text.split()) for r in measured if r.text)
    tokenizer = spacy.blank("id").tokenizer
    for raw in warm:
        tokenizer(raw.text)
    cpu = time.process_time()
    for raw in measured:
        tokenizer(raw.text)
    tokenizer_rate = words / (time.process_time() - cpu)
    batch.init_worker(ner)
    batch.process_batch(warm)
    cpu = time.process_time()
    for start in range(0, len(measured), batch.DEFAULT_BATCH_SIZE):
        batch.process_batch(measured[start:start + batch.DEFAULT_BATCH_SIZE])
    conn.send({"documents": len(measured), "words": words, "tokenizer_cpu_words_per_s": tokenizer_rate,
               "pipeline_cpu_words_per_s": words / (time.process_time() - cpu)})
    conn.close()


def in_fresh_process(target: Callable[..., None], *args: Any) -> dict[str, Any]:
    """Run `target(conn, *args)` in a new interpreter (its RSS and caches its own) and return what it sends."""
    receive, send = mp.get_context("spawn").Pipe(duplex=False)
    process = mp.get_context("spawn").Process(target=target, args=(send, *args))
    process.start()
    send.close()
    result = receive.recv()
    process.join()
    return result


def _measure(conn: Connection, inputs: list[str], out: str, workers: int, batch_size: int, ner: str | None) -> None:
    """One run in a fresh process; sends back times, CPU, peak RSS and stage seconds."""
    from kamtibmas_extract import batch

    started = time.perf_counter()
    batch.init_worker(ner)  # the pipeline load is startup, not throughput
    startup = time.perf_counter() - started
    before = os.times()
    started = time.perf_counter()
    summary = batch.run_extraction(inputs, Path(out), workers=workers, batch_size=batch_size, overwrite=True, ner=ner)
    wall = time.perf_counter() - started
    after = os.times()
    conn.send({
        "documents": summary.documents, "failed": summary.failed, "wall": wall, "startup": startup,
        "cpu_main": (after.user - before.user) + (after.system - before.system),
        "cpu_workers": (after.children_user - before.children_user) + (after.children_system - before.children_system),
        "rss_main_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_children_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "stage_seconds": summary.stage_seconds,
    })
    conn.close()


def run_one(inputs: list[str], out: Path, workers: int, batch_size: int, ner: str | None) -> dict[str, Any]:
    result = in_fresh_process(_measure, inputs, str(out), workers, batch_size, ner)
    if workers <= 1:  # the run is the worker: it reads, processes and writes
        result["cpu"] = result["cpu_main"]
        result["rss_worker_mib"] = result["rss_main_mib"]
    else:
        result["cpu"] = result["cpu_main"] + result["cpu_workers"]
        result["rss_worker_mib"] = result["rss_children_mib"]
    return result


def _fmt(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def report(results: list[dict[str, Any]], tokenizer: dict[int, dict[str, float]], meta: dict[str, Any],
           first: dict[str, float]) -> str:
    """RESULTS.md: runs, stages, the reference and the issue's three criteria."""
    lines = [
        "# Benchmark results", "",
        f"Written by `{meta['command']}` on {meta['date']}.", "",
        f"Machine: {meta['cpus']} cores ({meta['cpu_model']}), Python {meta['python']}, spaCy {meta['spacy']}; "
        f"load average {meta['load_before']} before the run and {meta['load_after']} after it (the cores are "
        "shared with other work, so wall-clock speeds move with that load; CPU-second speeds much less).", "",
        f"Pipeline components: {', '.join(meta['components'])}. Batch size {meta['batch_size']}. "
        f"Corpora repeat the {meta['base_docs']} texts of ../shared/corpus ({meta['base_words']:,} words, "
        f"{meta['base_words'] / meta['base_docs']:.0f} words per document) under fresh ids.", "",
        "## Runs", "",
        "| documents | workers | wall s | docs/s | words/s | words/s per core | words per CPU s | speed-up vs 1 worker "
        "| CPU-time bound on the speed-up | peak RSS per worker MiB | peak RSS main MiB | startup s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    single = {r["size"]: r for r in results if r["workers"] == 1}
    for r in results:
        rate = r["words"] / r["wall"]
        base = single.get(r["size"])
        speedup = f"{rate / (base['words'] / base['wall']):.2f}x" if base and r["workers"] > 1 else ""
        bound = f"{r['workers'] * base['cpu'] / r['cpu']:.2f}x" if base and r["workers"] > 1 else ""
        lines.append(
            f"| {r['size']:,} | {r['workers']} | {_fmt(r['wall'], 1)} | {_fmt(r['documents'] / r['wall'], 1)} | "
            f"{_fmt(rate)} | {_fmt(rate / r['workers'])} | {_fmt(r['words'] / r['cpu'])} | {speedup} | {bound} | "
            f"{_fmt(r['rss_worker_mib'])} | {_fmt(r['rss_main_mib'])} | {_fmt(r['startup'], 1)} |")
    lines += ["", "The CPU-time bound is the speed-up the run would have had with every core to itself: "
              "N workers x (CPU seconds of the 1-worker run / CPU seconds of the N-worker run). It differs from "
              "N by what parallelism costs in CPU (each worker warms its own caches; the main process reads, "
              "sends and writes).", "",
              f"A corpus no larger than one batch ({meta['batch_size']} documents) is one batch: a second worker "
              "has nothing to do, and the run (about a second) is mostly first-use work that a longer run pays "
              "once: the tokenizer's and the extractors' caches filling, the first NER call. Its numbers show "
              "start-up behaviour, not throughput.", "",
              "## Reference: spaCy's bare Indonesian tokenizer on the same texts", "",
              "| measured before | words/s (wall) | words per CPU s | a third of it (CPU) |", "|---:|---:|---:|---:|"]
    for size, ref in tokenizer.items():
        lines.append(f"| {size:,} documents, 1 worker | {_fmt(ref['wall_words_per_s'])} | "
                     f"{_fmt(ref['cpu_words_per_s'])} | {_fmt(ref['cpu_words_per_s'] / 3)} |")
    largest = max(single.values(), key=lambda r: r["size"])
    stages = dict(largest["stage_seconds"])
    write = stages.pop("write", 0.0)
    stages["read, batching, other"] = max(largest["wall"] - sum(stages.values()), 0.0)
    stages["write (writer thread, overlaps the others)"] = write
    total = sum(stages.values())
    lines += ["", f"## Time per stage ({largest['size']:,} documents, 1 worker)", "",
              "Wall-clock seconds inside each stage (`encode`: records to compressed Parquet bytes); "
              "'alone' is the speed the pipeline would have if this stage were all it did.", "",
              "| stage | seconds | ms per document | share | words/s alone |", "|---|---:|---:|---:|---:|"]
    for name, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        lines.append(f"| {name} | {_fmt(seconds, 2)} | {_fmt(1000 * seconds / largest['documents'], 2)} | "
                     f"{100 * seconds / total:.1f}% | {_fmt(largest['words'] / seconds) if seconds else '-'} |")
    ratio = first["pipeline_cpu_words_per_s"] / first["tokenizer_cpu_words_per_s"]
    lines += ["", "## First pass: texts seen once", "",
              "The corpora above repeat the same texts, so string caches (spaCy's tokenizer cache, which the "
              "reference enjoys too, and the extractors' memoised lookups) hit more than on a real collection. "
              f"Here a fresh process warms up on {FIRST_PASS_WARM_UP} texts and then reads the other "
              f"{first['documents']:,} ({first['words']:,} words) once, pipeline and bare tokenizer alike.", "",
              "| bare tokenizer, words per CPU s | pipeline, words per CPU s | pipeline / tokenizer |",
              "|---:|---:|---:|",
              f"| {_fmt(first['tokenizer_cpu_words_per_s'])} | {_fmt(first['pipeline_cpu_words_per_s'])} | "
              f"{ratio:.2f} |"]
    lines += ["", "## Criteria", ""]
    lines += criteria(results, tokenizer)
    lines.append(f"- Pipeline on 1 worker vs the bare tokenizer, first pass over unseen texts: {ratio:.2f} per CPU "
                 f"second (target >= 0.33): **{'met' if ratio >= 1 / 3 else 'not met'}**.")
    return "\n".join(lines) + "\n"


def criteria(results: list[dict[str, Any]], tokenizer: dict[int, dict[str, float]]) -> list[str]:
    out = []
    for size, ref in tokenizer.items():
        one = next(r for r in results if r["size"] == size and r["workers"] == 1)
        cpu_ratio = (one["words"] / one["cpu"]) / ref["cpu_words_per_s"]
        wall_ratio = (one["words"] / one["wall"]) / ref["wall_words_per_s"]
        out.append(f"- Pipeline on 1 worker vs the bare tokenizer, {size:,} documents: {cpu_ratio:.2f} per CPU second, "
                   f"{wall_ratio:.2f} per wall second (target >= 0.33): "
                   f"**{'met' if cpu_ratio >= 1 / 3 else 'not met'}**.")
    for size in sorted({r["size"] for r in results}):
        runs = {r["workers"]: r for r in results if r["size"] == size}
        if 1 in runs and 2 in runs:
            speedup = (runs[1]["wall"] / runs[1]["words"]) / (runs[2]["wall"] / runs[2]["words"])
            bound = 2 * runs[1]["cpu"] / runs[2]["cpu"]
            out.append(f"- 2 workers vs 1, {size:,} documents: {speedup:.2f}x wall-clock (target >= 1.8x): "
                       f"**{'met' if speedup >= 1.8 else 'not met'}** (CPU-time bound {bound:.2f}x).")
    peak = max(r["rss_worker_mib"] for r in results)
    out.append(f"- Peak RSS per worker: at most {peak:,.0f} MiB (target < 1,024 MiB): "
               f"**{'met' if peak < 1024 else 'not met'}**.")
    for workers in sorted({r["workers"] for r in results}):
        by_size = {r["size"]: r["rss_worker_mib"] for r in results if r["workers"] == workers}
        if 2000 in by_size and 20000 in by_size:
            growth = by_size[20000] / by_size[2000] - 1
            out.append(f"- Peak RSS per worker from 2,000 to 20,000 documents, {workers} worker(s): "
                       f"{by_size[2000]:,.0f} -> {by_size[20000]:,.0f} MiB ({100 * growth:+.1f}%; flat means "
                       f"within 10%): **{'met' if abs(growth) <= 0.10 else 'not met'}**.")
    return out


def main(argv: list[str] | None = None) -> None:
    from kamtibmas_extract.batch import DEFAULT_BATCH_SIZE
    from kamtibmas_extract.pipeline import DEFAULT_NER

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="200,2000", help="corpus sizes in documents (comma-separated)")
    parser.add_argument("--workers", default="1,2", help="worker counts to run (comma-separated)")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of the base texts")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md", help="Markdown report to write")
    parser.add_argument("--ner", choices=["none", "spacy", "stanza"], default=DEFAULT_NER,
                        help="NER back end of the pipeline (default: the pipeline's own default)")
    args = parser.parse_args(argv)
    ner = None if args.ner == "none" else args.ner
    sizes = [int(s) for s in args.sizes.split(",")]
    worker_counts = [int(w) for w in args.workers.split(",")]
    if not args.corpus.is_dir():
        sys.exit(f"{args.corpus} not found: the benchmark builds its corpora from ../shared/corpus")

    import spacy

    from kamtibmas_extract.pipeline import EXTRACTORS

    base = load_base(args.corpus)
    meta = {
        "command": "python benchmarks/bench.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(),
        "cpu_model": next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                           if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists()
        else platform.processor(),
        "python": platform.python_version(), "spacy": spacy.__version__, "batch_size": args.batch_size,
        "components": ["tokenizer", "sentences", *([f"ner ({ner}, on demand)"] if ner else []), *EXTRACTORS],
        "base_docs": len(base), "base_words": sum(len(d["text"].split()) for d in base),
        "load_before": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
    work = Path(tempfile.mkdtemp(prefix="kamtibmas-bench-"))
    results: list[dict[str, Any]] = []
    tokenizer: dict[int, dict[str, float]] = {}
    try:
        for size in sizes:
            words = build_corpus(base, size, work / f"corpus-{size}")
            for workers in worker_counts:
                if workers == 1:
                    tokenizer[size] = time_bare_tokenizer([d["text"] for d in base])
                result = run_one([str(work / f"corpus-{size}")], work / "out", workers, args.batch_size, ner)
                result.update(size=size, workers=workers, words=words)
                results.append(result)
                print(f"{size:>6} docs, {workers} worker(s): {result['wall']:.1f} s, {words / result['wall']:,.0f} "
                      f"words/s, {words / result['cpu']:,.0f} words/CPU s, worker RSS "
                      f"{result['rss_worker_mib']:,.0f} MiB", file=sys.stderr)
            shutil.rmtree(work / f"corpus-{size}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    first = in_fresh_process(_first_pass, base, ner)
    print(f"first pass: pipeline {first['pipeline_cpu_words_per_s']:,.0f}, bare tokenizer "
          f"{first['tokenizer_cpu_words_per_s']:,.0f} words/CPU s", file=sys.stderr)
    meta["load_after"] = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    args.results.write_text(report(results, tokenizer, meta, first), encoding="utf-8")
    args.results.with_suffix(".json").write_text(
        json.dumps({"meta": meta, "tokenizer": tokenizer, "runs": results, "first_pass": first}, indent=1) + "\n",
        encoding="utf-8")
    print(f"wrote {args.results}", file=sys.stderr)


if __name__ == "__main__":
    main()
