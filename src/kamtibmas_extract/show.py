"""Human views of one document's facts: rich tables in the terminal, displaCy-style HTML.

Both views show, per fact family, the mention and the family's own columns (those that
are filled for at least one row) followed by the confidence and the rule that fired, so
a reader can check each fact against the text and trace it to its pattern.
"""
from __future__ import annotations

import html as html_lib
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .schema import FACT_TABLES, DocumentRecord, Fact

#: Columns every fact has; the views show the mention plus the table's own columns instead.
_COMMON = set(Fact.model_fields)
_TRAILING = ("confidence", "rule")
_COLOURS = {
    "units": "#7aecec", "persons": "#aa9cfc", "locations": "#feca74", "dates": "#bfe1d9",
    "incidents": "#ff9561", "seizures": "#e4e7d2", "activities": "#9cc9cc", "quotes": "#ddd",
}
_LABELS = {"units": "UNIT", "persons": "PER", "locations": "LOC", "dates": "DATE", "incidents": "INCIDENT",
           "seizures": "SEIZURE", "activities": "ACTIVITY", "quotes": "QUOTE"}
#: Quotes span whole sentences: highlighting them would hide the entities inside.
_HIGHLIGHTED = [t for t in FACT_TABLES if t != "quotes"]


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "-"
    return str(value)


def _rows(record: DocumentRecord, table: str) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns worth showing for one table (not all-empty, not a copy of the mention) and its rows."""
    rows = [fact.model_dump() for fact in getattr(record, table)]
    own = [c for c in FACT_TABLES[table].model_fields if c not in _COMMON
           and any(row[c] not in (None, []) for row in rows) and any(row[c] != row["mention"] for row in rows)]
    return ["mention", *own, *_TRAILING], rows


def print_record(record: DocumentRecord, console: Console) -> None:
    """One table per fact family that has facts."""
    doc = record.document
    console.print(f"[bold]{escape(doc.doc_id)}[/bold]  status={doc.status}  published={doc.published}  "
                  f"dateline={doc.dateline}  outlet={doc.outlet}  chars={doc.n_chars}", highlight=False, soft_wrap=True)
    for problem, colour in ((doc.error, "red"), (doc.warning, "yellow")):
        if problem:
            console.print(f"[{colour}]{escape(problem)}[/{colour}]", highlight=False, soft_wrap=True)
    for table in FACT_TABLES:
        columns, rows = _rows(record, table)
        if not rows:
            continue
        view = Table(title=f"{table} ({len(rows)})", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        for column in columns:
            view.add_column("conf" if column == "confidence" else column, overflow="fold",
                            no_wrap=column == "confidence")
        for row in rows:
            view.add_row(*(_cell(row[c]) for c in columns))
        console.print(view)


def _spans(record: DocumentRecord) -> list[tuple[int, int, str, str]]:
    """Non-overlapping highlight spans (longer ones win where facts overlap), with a tooltip each."""
    spans = sorted(((f.start, f.end, table, _tooltip(table, f.model_dump())) for table in _HIGHLIGHTED
                    for f in getattr(record, table) if f.end > f.start), key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, str, str]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _tooltip(table: str, row: dict[str, Any]) -> str:
    columns = [c for c in FACT_TABLES[table].model_fields if c not in _COMMON and row[c] not in (None, [])]
    return "; ".join(f"{c}={_cell(row[c])}" for c in [*columns, *_TRAILING])


def _html_table(record: DocumentRecord, table: str) -> str:
    columns, rows = _rows(record, table)
    if not rows:
        return ""
    head = "".join(f"<th>{html_lib.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html_lib.escape(_cell(row[c]))}</td>" for c in columns) + "</tr>"
                   for row in rows)
    return (f'<h2><span class="label" style="background:{_COLOURS[table]}">{_LABELS[table]}</span> '
            f'{table} ({len(rows)})</h2><table><tr>{head}</tr>{body}</table>')


_STYLE = """
body{font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;max-width:62em;margin:2em auto;
color:#222;padding:0 1em}
.meta{color:#555;font-size:0.9em}
.entities{line-height:2.5;direction:ltr}
mark{padding:0.2em 0.35em;margin:0 0.2em;line-height:1;border-radius:0.35em;color:#111}
mark span{font-size:0.62em;font-weight:bold;line-height:1;vertical-align:middle;margin-left:0.45rem;
text-transform:uppercase}
.label{padding:0.1em 0.45em;border-radius:0.3em;font-size:0.8em}
table{border-collapse:collapse;font-size:0.85em;margin-bottom:1.5em;width:100%}
th,td{border:1px solid #ddd;padding:0.25em 0.5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}
h2{font-size:1.05em;margin-top:1.8em}
"""


def render_html(record: DocumentRecord) -> str:
    """A standalone page: the normalized text with every fact highlighted, then the fact tables."""
    text = record.document.text or ""
    parts: list[str] = []
    cursor = 0
    for start, end, table, tooltip in _spans(record):
        parts.append(html_lib.escape(text[cursor:start]))
        parts.append(f'<mark class="entity" style="background:{_COLOURS[table]}" title="{html_lib.escape(tooltip)}">'
                     f'{html_lib.escape(text[start:end])}<span>{_LABELS[table]}</span></mark>')
        cursor = end
    parts.append(html_lib.escape(text[cursor:]))
    body = "".join(parts).replace("\n", "<br>\n")
    doc = record.document
    legend = " ".join(f'<span class="label" style="background:{_COLOURS[t]}">{_LABELS[t]}</span>'
                      for t in _HIGHLIGHTED)
    meta = " &middot; ".join(html_lib.escape(f"{k}: {v}") for k, v in (
        ("id", doc.doc_id), ("status", doc.status), ("published", doc.published), ("dateline", doc.dateline),
        ("outlet", doc.outlet), ("source", doc.source)) if v is not None)
    problems = "".join(f'<p style="color:{colour}">{html_lib.escape(message)}</p>'
                       for message, colour in ((doc.error, "#b00"), (doc.warning, "#a60")) if message)
    tables = "".join(_html_table(record, table) for table in FACT_TABLES)
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{html_lib.escape(doc.doc_id)}'
            f'</title><style>{_STYLE}</style></head><body>'
            f'<h1>{html_lib.escape(doc.title or doc.doc_id)}</h1><p class="meta">{meta}</p>{problems}'
            f'<p>{legend}</p><div class="entities">{body}</div>{tables}</body></html>\n')
