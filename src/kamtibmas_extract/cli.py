"""Command-line interface: a thin typer layer over batch, schema, show and scoring."""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .batch import run_extraction
from .io.writer import OutputExistsError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Structured, validated facts from Indonesian police press releases.")
err = Console(stderr=True)


@app.command()
def extract(
    inputs: list[str] = typer.Argument(..., help="Files, folders or globs: .txt, .jsonl, .csv, .html"),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder for the dataset"),
    fmt: str = typer.Option("parquet", "--format", help="parquet (the contract's tables) or jsonl (one record per document)"),
    workers: int = typer.Option(0, "--workers", "-w", help="Worker processes (0 = all cores)"),
    batch_size: int = typer.Option(64, "--batch-size", help="Documents per batch and part file"),
    resume: bool = typer.Option(False, "--resume", help="Skip documents already in OUT and continue"),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing dataset in OUT"),
    engine: str = typer.Option("local", "--engine", help="local or dask"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (default: a LocalCluster)"),
    ner: str = typer.Option("none", "--ner", help="NER back end: spacy, stanza or none"),
) -> None:
    """Extract facts from INPUT... into the Parquet dataset of the output contract."""
    if fmt not in ("parquet", "jsonl"):
        raise typer.BadParameter("--format must be parquet or jsonl")
    if engine not in ("local", "dask"):
        raise typer.BadParameter("--engine must be local or dask")
    workers = workers or os.cpu_count() or 1
    started = time.perf_counter()
    with Progress(TextColumn("[bold]extract"), BarColumn(bar_width=None), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]} docs/s, {task.fields[failed]} failed"), TimeElapsedColumn(),
                  console=err, transient=not sys.stderr.isatty()) as progress:
        task = progress.add_task("extract", total=None, rate="-", failed=0)

        def report(done: int, failed: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            progress.update(task, completed=done, rate=f"{rate:,.1f}", failed=failed)

        try:
            summary = run_extraction(inputs, out, fmt=fmt, workers=workers, batch_size=batch_size,  # type: ignore[arg-type]
                                     resume=resume, overwrite=overwrite, engine=engine,  # type: ignore[arg-type]
                                     scheduler=scheduler, ner=None if ner == "none" else ner, progress=report)
        except OutputExistsError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
    for line in summary.errors:
        err.print(f"[red]failed[/red] {line}", markup=True, highlight=False)
    rate = summary.documents / summary.seconds if summary.seconds else 0.0
    err.print(f"{summary.documents} documents ({summary.failed} failed, {summary.skipped} already done) "
              f"in {summary.seconds:.1f} s ({rate:,.1f} docs/s) -> {out}")
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
def schema() -> None:
    """Print the JSON Schema of one extracted document (DocumentRecord)."""
    from .schema import DocumentRecord

    typer.echo(json.dumps(DocumentRecord.model_json_schema(), indent=2, ensure_ascii=False))


@app.command()
def show(
    file: Path = typer.Argument(..., help="One document: .txt, .html, or a .jsonl/.csv (first record)"),
    html: Optional[Path] = typer.Option(None, "--html", help="Write an HTML page with the entities highlighted"),
    ner: str = typer.Option("none", "--ner", help="NER back end: spacy, stanza or none"),
) -> None:
    """Show the facts of one document as tables, or as a highlighted HTML page."""
    from .io.readers import read_path
    from .process import DocumentProcessor
    from .show import print_record, render_html

    raw = next(iter(read_path(file)), None)
    if raw is None:
        err.print(f"[red]error:[/red] {file}: no document found")
        raise typer.Exit(2)
    record = DocumentProcessor(ner=None if ner == "none" else ner)(raw)
    if html is not None:
        html.write_text(render_html(record), encoding="utf-8")
        err.print(f"wrote {html}")
    else:
        print_record(record, Console())
    raise typer.Exit(1 if record.document.status == "error" else 0)


if __name__ == "__main__":
    app()
