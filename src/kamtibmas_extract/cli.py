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

from .batch import DEFAULT_BATCH_SIZE, WorkerCrashedError, run_extraction
from .io.writer import OutputExistsError
from .pipeline import DEFAULT_NER

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Structured, validated facts from Indonesian police press releases.")
err = Console(stderr=True)


@app.command()
def extract(
    inputs: list[str] = typer.Argument(..., help="Files, folders or globs: .txt, .jsonl, .csv, .html"),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder for the dataset"),
    fmt: str = typer.Option("parquet", "--format", help="parquet (the contract's tables) or jsonl (one record per document)"),
    workers: int = typer.Option(0, "--workers", "-w", help="Worker processes (0 = all cores)"),
    batch_size: int = typer.Option(DEFAULT_BATCH_SIZE, "--batch-size", help="Documents per batch and part file"),
    resume: bool = typer.Option(False, "--resume", help="Skip documents already in OUT and continue"),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing dataset in OUT"),
    engine: str = typer.Option("local", "--engine", help="local or dask"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (default: a LocalCluster)"),
    ner: str = typer.Option(DEFAULT_NER, "--ner", help="NER back end: spacy, stanza or none"),
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
        except (OutputExistsError, WorkerCrashedError) as exc:
            err.print(f"[red]error:[/red] {exc}", soft_wrap=True)
            raise typer.Exit(2) from exc
    for line in summary.errors:  # one line per failed document, never wrapped, so grep finds it
        err.print(f"[red]failed[/red] {line}", markup=True, highlight=False, soft_wrap=True)
    if summary.documents == 0 and summary.skipped == 0:
        err.print(f"[red]error:[/red] no input documents found in {' '.join(inputs)}", soft_wrap=True)
        raise typer.Exit(1)
    rate = summary.documents / summary.seconds if summary.seconds else 0.0
    err.print(f"{summary.documents} documents ({summary.failed} failed, {summary.skipped} already done) "
              f"in {summary.seconds:.1f} s ({rate:,.1f} docs/s) -> {out}", soft_wrap=True)
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
def schema() -> None:
    """Print the JSON Schema of one extracted document (DocumentRecord)."""
    from .schema import DocumentRecord

    typer.echo(json.dumps(DocumentRecord.model_json_schema(), indent=2, ensure_ascii=False))


@app.command()
def show(
    file: Path = typer.Argument(..., help="One document: .txt, .html, or a .jsonl/.csv (first record, or --id)"),
    html: Optional[Path] = typer.Option(None, "--html", help="Write an HTML page with the entities highlighted"),
    doc_id: Optional[str] = typer.Option(None, "--id", help="The record to show from a .jsonl/.csv file"),
    ner: str = typer.Option(DEFAULT_NER, "--ner", help="NER back end: spacy, stanza or none"),
) -> None:
    """Show the facts of one document as tables, or as a highlighted HTML page."""
    from .io.readers import read_path
    from .process import DocumentProcessor
    from .show import print_record, render_html

    raw = next((r for r in read_path(file) if doc_id is None or r.doc_id == doc_id), None)
    if raw is None:
        err.print(f"[red]error:[/red] {file}: no document{f' with id {doc_id}' if doc_id else ''} found",
                  soft_wrap=True)
        raise typer.Exit(2)
    record = DocumentProcessor(ner=None if ner == "none" else ner)(raw)
    if html is not None:
        html.write_text(render_html(record), encoding="utf-8")
        err.print(f"wrote {html}", soft_wrap=True)
    else:
        print_record(record, Console())
    raise typer.Exit(1 if record.document.status == "error" else 0)


@app.command()
def score(
    gold: Path = typer.Option(..., "--gold", help="Gold JSON Lines file (gold-guidelines format)"),
    pred: Path = typer.Option(..., "--pred", help="Output folder of `kamtibmas extract`"),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON"),
    minimum: list[str] = typer.Option([], "--min", help="FIELD=F1 floor (repeatable); exit 1 below it"),
    errors: list[str] = typer.Option([], "--errors", help="List false positives/negatives of FIELD (repeatable)"),
) -> None:
    """Score a prediction folder against gold annotations, field by field."""
    from rich.table import Table

    from . import scoring

    floors: dict[str, float] = {}
    for item in minimum:
        name, _, value = item.partition("=")
        if name not in scoring.FIELDS + scoring.EXTRA_FIELDS + ("macro",) or not value:
            raise typer.BadParameter(f"--min {item}: expected FIELD=F1 with FIELD one of "
                                     f"{', '.join(scoring.FIELDS + scoring.EXTRA_FIELDS)} or macro")
        floors[name] = float(value)
    gold_docs = scoring.load_gold(gold)
    predictions = scoring.load_predictions(pred, {d["doc_id"] for d in gold_docs})
    report = scoring.score(gold_docs, predictions)
    console = Console()
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    else:
        view = Table(title=f"{gold} vs {pred}: {report.documents} documents, macro F1 {report.macro_f1:.3f}",
                     title_justify="left")
        for column in ("field", "P", "R", "F1", "tp", "fp", "fn", "attribute accuracy"):
            view.add_column(column, justify="right" if column not in ("field", "attribute accuracy") else "left")
        for name, result in report.fields.items():
            attrs = ", ".join(f"{k} {v:.3f}" if v is not None else f"{k} -"
                              for k, v in result.get("attributes", {}).items())
            view.add_row(name, *(f"{result[k]:.3f}" if result[k] is not None else "-" for k in ("precision", "recall", "f1")),
                         str(result["tp"]), str(result["fp"]), str(result["fn"]), attrs)
        console.print(view)
    if errors:
        texts = {d: rows["documents"][0].get("text") or "" for d, rows in predictions.items() if rows.get("documents")}
        for name in errors:
            for item in report.errors.get(name, []):
                sentence = scoring.evidence_for(item, texts)
                console.print(f"[bold]{item.kind}[/bold] {name} {item.doc_id} [cyan]{item.key}[/cyan] {item.detail}",
                              highlight=False, markup=True)
                if sentence:
                    console.print(f"    | {sentence}", highlight=False, markup=False)
    achieved = {name: report.macro_f1 if name == "macro" else (report.fields[name]["f1"] or 0.0) for name in floors}
    failed = [f"{name} {achieved[name]:.3f} < {floor}" for name, floor in floors.items() if achieved[name] < floor]
    for line in failed:
        err.print(f"[red]below floor:[/red] {line}")
    raise typer.Exit(1 if failed else 0)


@app.command()
def report(
    run_dir: Path = typer.Argument(..., metavar="DIR", help="Output folder of `kamtibmas extract` (Parquet)"),
    html: Path = typer.Option(..., "--html", help="Where to write the one-page HTML summary"),
) -> None:
    """Summarize a run on one HTML page: documents, failures, counts, top units, incidents, seizures, charts."""
    try:
        from .report import load_run, render_report
    except ImportError as exc:  # matplotlib is an optional dependency
        err.print(f"[red]error:[/red] kamtibmas report needs {exc.name}: pip install {exc.name}")
        raise typer.Exit(2) from exc
    try:
        run = load_run(run_dir)
    except FileNotFoundError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    html.write_text(render_report(run), encoding="utf-8")
    err.print(f"wrote {html}")


@app.command("train-ner")
def train_ner(
    shared: Path = typer.Option(Path("../shared"), "--shared", help="Folder holding ner/ (idner-news-2k, nerp, nergrit)"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Model folder to write (default: models/ner-id)"),
    seed: int = typer.Option(0, "--seed", help="Random seed of the training run"),
    workdir: Optional[Path] = typer.Option(None, "--workdir", help="Keep the converted data and spaCy's training output here"),
    weak: bool = typer.Option(True, "--weak/--no-weak",
                              help="Add the corpus articles without gold, labelled by the rules (weak supervision)"),
) -> None:
    """Train the spaCy NER (PER/ORG/LOC) with models/ner/config.cfg and print its test scores."""
    from .ner.backend import default_model_path
    from .ner.train import GOLD_DIR, evaluate_ner, format_scores, words_per_second
    from .ner.train import train_ner as run_training

    if not (shared / "ner").is_dir():
        err.print(f"[red]error:[/red] {shared / 'ner'}: NER data sets not found (pass --shared)")
        raise typer.Exit(2)
    if weak and not GOLD_DIR.is_dir():
        err.print(f"[red]error:[/red] {GOLD_DIR}: gold annotations not found; weak supervision needs them to leave "
                  "the gold articles out (run from a source checkout, or pass --no-weak)")
        raise typer.Exit(2)
    model = run_training(shared, out or default_model_path(), seed=seed, workdir=workdir,
                         gold_dir=GOLD_DIR if weak else None)
    typer.echo(format_scores(evaluate_ner(model, shared)))
    err.print(f"wrote {model}; NER alone: {words_per_second(model, shared):,.0f} words/s (CPU time)")


if __name__ == "__main__":
    app()
