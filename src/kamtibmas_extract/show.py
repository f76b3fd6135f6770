"""Human views of one document's facts: rich tables in the terminal, displaCy-style HTML."""
from __future__ import annotations

import html as html_lib
from typing import Any

from rich.console import Console
from rich.table import Table

from .schema import FACT_TABLES, DocumentRecord

#: The evidence columns every fact has; the views show the table's own columns instead.
_EVIDENCE = {"doc_id", "sentence", "start", "end", "mention"}
_COLOURS = {
    "units": "#7aecec", "persons": "#aa9cfc", "locations": "#feca74", "dates": "#bfe1d9",
    "incidents": "#ff9561", "seizures": "#e4e7d2", "activities": "#9cc9cc", "quotes": "#ddd",
}
_LABELS = {"units": "UNIT", "persons": "PER", "locations": "LOC", "dates": "DATE", "incidents": "INCIDENT",
           "seizures": "SEIZURE", "activities": "ACTIVITY", "quotes": "QUOTE"}


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "-"
    return str(value)


def print_record(record: DocumentRecord, console: Console) -> None:
    """One table per fact family, with the mention and the family's own columns."""
    doc = record.document
    console.print(f"[bold]{doc.doc_id}[/bold]  status={doc.status}  published={doc.published}  "
                  f"dateline={doc.dateline}  chars={doc.n_chars}")
    if doc.error:
        console.print(f"[red]{doc.error}[/red]")
    for table in FACT_TABLES:
        rows = getattr(record, table)
        if not rows:
            continue
        columns = ["mention"] + [c for c in type(rows[0]).model_fields if c not in _EVIDENCE]
        view = Table(title=f"{table} ({len(rows)})", title_justify="left", show_lines=False)
        for column in columns:
            view.add_column(column, overflow="fold")
        for row in rows:
            data = row.model_dump()
            view.add_row(*(_cell(data[c]) for c in columns))
        console.print(view)


def _spans(record: DocumentRecord) -> list[tuple[int, int, str]]:
    """Non-overlapping highlight spans, longer ones first where facts overlap."""
    spans = sorted(((f.start, f.end, table) for table in FACT_TABLES if table != "quotes"
                    for f in getattr(record, table) if f.end > f.start), key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, str]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def render_html(record: DocumentRecord) -> str:
    """A standalone page: the normalized text with every fact highlighted (displaCy's look)."""
    text = record.document.text or ""
    parts: list[str] = []
    cursor = 0
    for start, end, table in _spans(record):
        parts.append(html_lib.escape(text[cursor:start]))
        parts.append(
            f'<mark class="entity" style="background:{_COLOURS[table]};padding:0.2em 0.35em;margin:0 0.2em;'
            f'line-height:1;border-radius:0.35em">{html_lib.escape(text[start:end])}'
            f'<span style="font-size:0.7em;font-weight:bold;line-height:1;border-radius:0.35em;'
            f'vertical-align:middle;margin-left:0.5rem">{_LABELS[table]}</span></mark>')
        cursor = end
    parts.append(html_lib.escape(text[cursor:]))
    body = "".join(parts).replace("\n", "<br>\n")
    doc = record.document
    legend = " ".join(f'<span style="background:{c};padding:0.1em 0.4em;border-radius:0.3em">{_LABELS[t]}</span>'
                      for t, c in _COLOURS.items() if t != "quotes")
    error = f'<p style="color:#b00">{html_lib.escape(doc.error)}</p>' if doc.error else ""
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{html_lib.escape(doc.doc_id)}'
            f'</title></head><body style="font-family:sans-serif;max-width:60em;margin:2em auto">'
            f'<h1>{html_lib.escape(doc.title or doc.doc_id)}</h1><p>{legend}</p>{error}'
            f'<div class="entities" style="line-height:2.5;direction:ltr">{body}</div></body></html>\n')
