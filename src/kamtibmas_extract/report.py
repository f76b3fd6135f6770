"""Run reports: a `kamtibmas extract` output folder as pandas tables, summaries and charts.

`load_run` reads every table of a run (an empty or missing table becomes an empty frame
with the contract's columns, so no summary has to special-case it); the summary
functions aggregate the way analysts ask (top units, incident types, seizure totals,
Polda, province); `render_report` puts them on one self-contained HTML page with the
charts inline. Notebook 02 calls the same functions, so the notebook and the report
never disagree about a number.
"""
from __future__ import annotations

import base64
import datetime as dt
import html as html_lib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import pyarrow.parquet as pq
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .gazetteer import load_gazetteer
from .io.writer import MANIFEST
from .schema import TABLES, arrow_schema

#: Rank groups from the most senior down (domain reference §1); TNI ranks form their own group.
RANK_GROUPS = ("pati", "pamen", "pama", "bintara", "tamtama", "tni")
#: Label for rows whose grouping key is unknown (no Polda, no unit of measure...).
UNKNOWN = "(unknown)"
#: Dates before Polri's founding (1946) or more than a year ahead are extraction errors, not history.
EARLIEST_DATE = pd.Timestamp("1946-01-01")
LATEST_AHEAD = pd.Timedelta(days=366)
#: Rows a table on the report page lists before the rest are only counted (the page stays one page).
MAX_ROWS_SHOWN = 25


@dataclass
class Run:
    """One extraction output: every contract table as a DataFrame, and the run's manifest."""

    path: Path
    tables: dict[str, pd.DataFrame]
    manifest: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]


def load_table(out: Path, table: str) -> pd.DataFrame:
    """One table of a run, read with the contract's schema (empty, not an error, when it has no rows)."""
    schema = arrow_schema(TABLES[table])
    path = out / f"{table}.parquet"
    if not path.exists():
        return schema.empty_table().to_pandas()
    return pq.read_table(path, schema=schema).to_pandas()


def load_run(out: Path) -> Run:
    """Every table of the Parquet dataset in `out` (a folder written by `kamtibmas extract`)."""
    out = Path(out)
    if not (out / "documents.parquet").exists():
        raise FileNotFoundError(f"{out}: no documents.parquet here; expected the output folder of "
                                f"`kamtibmas extract --format parquet`")
    manifest_path = out / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    return Run(out, {table: load_table(out, table) for table in TABLES}, manifest)


# --- summaries -------------------------------------------------------------------------


def document_summary(run: Run) -> pd.DataFrame:
    """Headline numbers of the run as (what, value) rows."""
    docs = run["documents"]
    published = pd.to_datetime(docs["published"]).dropna()
    this_run = run.manifest.get("this_run", {})
    rows: list[tuple[str, Any]] = [
        ("documents", len(docs)),
        ("extracted", int((docs["status"] == "ok").sum())),
        ("failed", int((docs["status"] == "error").sum())),
        ("with warnings", int(docs["warning"].notna().sum())),
        ("characters", int(docs["n_chars"].fillna(0).sum())),
        ("published", f"{published.min():%Y-%m-%d} to {published.max():%Y-%m-%d}" if len(published) else UNKNOWN),
        ("outlets", int(docs["outlet"].nunique())),
    ]
    if this_run:
        rows.append(("last run", f"{this_run.get('seconds', 0):.1f} s, {this_run.get('docs_per_second', 0):,.1f} docs/s"))
    if "package" in run.manifest:
        rows.append(("pipeline", f"{run.manifest['package'].get('name')} {run.manifest['package'].get('version')}"))
    return pd.DataFrame(rows, columns=["what", "value"])


def failures(run: Run) -> pd.DataFrame:
    """Failed documents with the reason the pipeline gave."""
    docs = run["documents"]
    return docs.loc[docs["status"] == "error", ["doc_id", "source", "error"]].reset_index(drop=True)


def table_counts(run: Run) -> pd.DataFrame:
    """Rows per table and how many documents have at least one row in it."""
    rows = [(table, len(frame), frame["doc_id"].nunique()) for table, frame in run.tables.items()]
    return pd.DataFrame(rows, columns=["table", "rows", "documents"])


def top_units(run: Run, n: int = 15) -> pd.DataFrame:
    """The units named in the most documents."""
    units = run["units"]
    grouped = (units.groupby(["name", "level"], dropna=False)
               .agg(documents=("doc_id", "nunique"), mentions=("doc_id", "size")).reset_index())
    return grouped.sort_values(["documents", "mentions", "name"], ascending=[False, False, True]).head(n)


def incident_types(run: Run) -> pd.DataFrame:
    """Incidents per type, with the documents reporting them and the suspects named."""
    incidents = run["incidents"]
    grouped = (incidents.groupby("type")
               .agg(incidents=("doc_id", "size"), documents=("doc_id", "nunique"),
                    suspects=("suspects", lambda s: s.sum(min_count=1))).reset_index())
    return grouped.sort_values(["incidents", "type"], ascending=[False, True]).reset_index(drop=True)


def seizure_totals(run: Run, categories: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Seized items summed per unit of measure (grams and packets of sabu are never added up)."""
    seizures = run["seizures"]
    if categories is not None:
        seizures = seizures[seizures["category"].isin(categories)]
    seizures = seizures.assign(unit_of_measure=seizures["unit_of_measure"].fillna(UNKNOWN))
    grouped = (seizures.groupby(["category", "item", "unit_of_measure"])
               .agg(total=("quantity", lambda s: s.sum(min_count=1)), seizures=("doc_id", "size"),
                    documents=("doc_id", "nunique")).reset_index())
    return grouped.sort_values(["category", "seizures", "item"], ascending=[True, False, True]).reset_index(drop=True)


def _polda_of(name: str, parents: dict[str, str]) -> str | None:
    seen: set[str] = set()
    current: str | None = name
    while current is not None and current not in seen:
        if current.startswith("Polda "):
            return current
        seen.add(current)
        current = parents.get(current)
    return None


def document_polda(run: Run) -> pd.Series:
    """The Polda of each document: the one its units name or lead up to (via `parent`) most often.

    Press releases rarely state the Polda of a Polsek story, but the units table links
    Polsek -> Polres -> Polda, so the chain of parents recovers it.
    """
    units = run["units"]
    known = units.dropna(subset=["parent"])
    parents = dict(zip(known["name"], known["parent"]))
    polda = units["name"].map(lambda name: _polda_of(name, parents))
    found = units.assign(polda=polda).dropna(subset=["polda"])
    counts = found.groupby(["doc_id", "polda"], sort=False).size().reset_index(name="n")
    best = counts.sort_values("n", ascending=False, kind="stable").drop_duplicates("doc_id")
    series = best.set_index("doc_id")["polda"].reindex(run["documents"]["doc_id"]).fillna(UNKNOWN)
    return series.rename("polda")


def incidents_by_polda(run: Run) -> pd.DataFrame:
    """Incident counts per Polda (rows) and type (columns)."""
    incidents = run["incidents"]
    polda = incidents["doc_id"].map(document_polda(run)).fillna(UNKNOWN)
    table = pd.crosstab(polda.rename("polda"), incidents["type"])
    return table.loc[table.sum(axis=1).sort_values(ascending=False).index]


def officers_by_rank_group(run: Run) -> pd.Series:
    """Distinct people per rank group, most senior group first (groups with nobody kept at 0)."""
    persons = run["persons"].dropna(subset=["rank_group"])
    counts = persons.groupby("rank_group")["name"].nunique()
    return counts.reindex(list(RANK_GROUPS), fill_value=0).rename("people")


def province_of(code: str | None) -> str | None:
    """The provinsi name of a Kemendagri code (its first segment), or None."""
    if not code:
        return None
    return load_gazetteer().names.get(code.split(".", 1)[0])


def places_by_province(run: Run) -> pd.DataFrame:
    """Resolved places per provinsi (from the Kemendagri code), with the documents naming them."""
    located = run["locations"].dropna(subset=["code"])
    located = located.assign(provinsi=located["code"].map(province_of)).dropna(subset=["provinsi"])
    grouped = (located.groupby("provinsi")
               .agg(documents=("doc_id", "nunique"), places=("code", "nunique"), mentions=("doc_id", "size"))
               .reset_index())
    return grouped.sort_values(["documents", "mentions"], ascending=False).reset_index(drop=True)


def activities_over_time(run: Run, freq: str | None = None) -> pd.DataFrame:
    """Activities per period and type, dated by the activity or else by the document's publication.

    `freq` is a pandas period alias; by default months for runs spanning up to three years, else
    years. Implausible dates (see `EARLIEST_DATE`) are left out rather than stretching the axis.
    """
    activities = run["activities"]
    published = run["documents"].set_index("doc_id")["published"]
    when = pd.to_datetime(activities["date"].fillna(activities["doc_id"].map(published)), errors="coerce")
    plausible = when.between(EARLIEST_DATE, pd.Timestamp.now() + LATEST_AHEAD)
    dated = activities.assign(when=when)[plausible]
    if dated.empty:
        return pd.DataFrame(index=pd.PeriodIndex([], freq=freq or "M", name="period"))
    if freq is None:
        freq = "M" if (dated["when"].max() - dated["when"].min()).days <= 3 * 366 else "Y"
    period = dated["when"].dt.to_period(freq).rename("period")
    table = pd.crosstab(period, dated["type"])
    full = pd.period_range(table.index.min(), table.index.max(), freq=freq, name="period")
    return table.reindex(full, fill_value=0)


# --- charts ----------------------------------------------------------------------------


def barh(counts: pd.Series, title: str, xlabel: str, *, top: int = 25, sort: bool = True) -> Figure:
    """A horizontal bar chart (long Indonesian labels stay readable) with each value printed.

    The largest `top` values are drawn from the top down, or the first `top` in their own
    order when `sort` is False (rank groups, periods). The `Figure` is built without pyplot,
    so it works in a headless process and displays in a notebook.
    """
    data = (counts.sort_values(ascending=False) if sort else counts).head(top).iloc[::-1]
    fig = Figure(figsize=(8, 1.2 + 0.38 * len(data)), layout="constrained")
    ax = fig.add_subplot()
    bars = ax.barh([str(label).replace("_", " ") for label in data.index], data.to_numpy(), color="#3b6ea8")
    ax.bar_label(bars, labels=[f"{value:,.10g}" for value in data.to_numpy()], padding=3, fontsize=9)
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(x=0.12)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", labelsize=10)
    return fig


def png_data_uri(fig: Figure) -> str:
    """A figure as a `data:` URI, so the HTML page carries its charts inside."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# --- the HTML page ---------------------------------------------------------------------

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:62em;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:.2em} .meta{color:#666;margin-top:0}
section{margin:2em 0;border-top:1px solid #ddd;padding-top:.5em}
table{border-collapse:collapse;font-size:.92em;margin:.5em 0}
th,td{padding:.25em .7em;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
td.num,th.num{text-align:right} .empty{color:#888;font-style:italic} img{max-width:100%}
"""


def _number(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,.10g}"
    return str(value)


def _html_table(frame: pd.DataFrame) -> str:
    numeric = {c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}
    shown = frame.head(MAX_ROWS_SHOWN)
    head = "".join(f'<th{" class=num" if c in numeric else ""}>{html_lib.escape(str(c))}</th>' for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f'<td{" class=num" if c in numeric else ""}>{html_lib.escape(_number(v))}</td>'
                         for c, v in zip(frame.columns, row)) + "</tr>"
        for row in shown.itertuples(index=False))
    more = len(frame) - len(shown)
    note = f'<p class="more">… and {more:,} more rows.</p>' if more > 0 else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"


def _empty(what: str) -> str:
    return f'<p class="empty">no rows: {html_lib.escape(what)}</p>'


def _chart(counts: pd.Series, title: str, xlabel: str) -> str:
    uri = png_data_uri(barh(counts, title, xlabel))
    return f'<img class="chart" alt="{html_lib.escape(title)}" src="{uri}">'


def _section(section_id: str, title: str, body: str) -> str:
    return f'<section id="{section_id}"><h2>{html_lib.escape(title)}</h2>{body}</section>'


def _documents_section(run: Run) -> str:
    return _html_table(document_summary(run))


def _failures_section(run: Run) -> str:
    failed = failures(run)
    return _html_table(failed) if len(failed) else _empty("every document was extracted")


def _counts_section(run: Run) -> str:
    counts = table_counts(run)
    return _html_table(counts) + _chart(counts.set_index("table")["rows"], "Rows per table", "rows")


def _units_section(run: Run) -> str:
    units = top_units(run)
    if units.empty:
        return _empty("no units were extracted")
    return _html_table(units) + _chart(units.set_index("name")["documents"], "Units named in the most documents",
                                       "documents")


def _incidents_section(run: Run) -> str:
    types = incident_types(run)
    if types.empty:
        return _empty("no incidents were extracted")
    return _html_table(types) + _chart(types.set_index("type")["incidents"], "Incidents by type", "incidents")


def _seizures_section(run: Run) -> str:
    totals = seizure_totals(run)
    if totals.empty:
        return _empty("no seized items were extracted")
    per_item = totals.groupby("item")["seizures"].sum()
    most_seized = totals.sort_values("seizures", ascending=False, kind="stable")
    return _html_table(most_seized) + _chart(per_item, "Seizures by item", "seizure records")


#: (id, heading, body builder) of every section, in page order.
SECTIONS: tuple[tuple[str, str, Callable[[Run], str]], ...] = (
    ("documents", "Documents", _documents_section),
    ("failures", "Failures", _failures_section),
    ("counts", "Rows per table", _counts_section),
    ("units", "Top units", _units_section),
    ("incidents", "Incident types", _incidents_section),
    ("seizures", "Seizure totals", _seizures_section),
)


def render_report(run: Run) -> str:
    """The run as one self-contained HTML page (charts are inline PNGs, no network needed)."""
    inputs = ", ".join(map(str, run.manifest.get("inputs", []))) or UNKNOWN
    generated = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sections = "".join(_section(sid, title, build(run)) for sid, title, build in SECTIONS)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<title>kamtibmas report: {html_lib.escape(run.path.name)}</title><style>{_STYLE}</style></head>'
            f'<body><h1>kamtibmas-extract run report</h1>'
            f'<p class="meta">{html_lib.escape(str(run.path))} · inputs: {html_lib.escape(inputs)} · '
            f'generated {generated}</p>{sections}</body></html>\n')
