"""The notebooks run top to bottom on the sample corpus, draw real charts, and are committed without outputs."""
from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from kamtibmas_extract import report

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
QUICKSTART = NOTEBOOKS / "01-quickstart.ipynb"
ANALYSIS = NOTEBOOKS / "02-analysis.ipynb"
#: Seconds any one cell may take (the whole notebook stays well under two minutes).
CELL_TIMEOUT = 120
#: Chart tag of a notebook-02 cell -> whether the run has something for that chart to draw.
HAS_DATA = {
    "chart:incidents": lambda run: not report.incident_types(run).empty,
    "chart:seizures": lambda run: not report.seizure_totals(run, ("drug", "weapon")).empty,
    "chart:activities": lambda run: not report.activities_over_time(run).empty,
    "chart:persons": lambda run: report.officers_by_rank_group(run).sum() > 0,
    "chart:locations": lambda run: not report.places_by_province(run).empty,
}


def execute(path: Path) -> nbformat.NotebookNode:
    """Run a notebook in a fresh kernel from its own folder, as Jupyter would; raises on any cell error."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return notebook


def text_of(cell: nbformat.NotebookNode) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def images_of(cell: nbformat.NotebookNode) -> int:
    return sum("image/png" in output.get("data", {}) for output in cell.get("outputs", []))


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory: pytest.TempPathFactory) -> tuple[nbformat.NotebookNode, Path]:
    """Notebook 01 executed on data/raw, and the output folder it extracted into."""
    out = tmp_path_factory.mktemp("quickstart") / "out"
    with pytest.MonkeyPatch.context() as patch:  # the kernel inherits this process's environment
        patch.setenv("KAMTIBMAS_NOTEBOOK_OUT", str(out))
        return execute(QUICKSTART), out


@pytest.mark.parametrize("path", [QUICKSTART, ANALYSIS], ids=lambda p: p.name)
def test_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: strip the outputs"


def test_quickstart_extracts_loads_joins_and_queries(quickstart):
    notebook, out = quickstart
    assert (out / "documents.parquet").is_dir() and (out / "_manifest.json").exists()
    outputs = "\n".join(text_of(cell) for cell in notebook.cells if cell.cell_type == "code")
    documents = len(list((NOTEBOOKS.parent / "data" / "raw").glob("*.txt")))
    assert f"{documents} documents, 0 failed" in outputs
    for table in ("documents", "units", "persons", "incidents", "quotes"):
        assert table in outputs
    assert "unit_level" in outputs  # the persons-units join
    assert "officers" in outputs and "ranks" in outputs  # the DuckDB result


def test_analysis_draws_a_chart_for_every_table_with_rows(request, monkeypatch, tmp_path):
    """On the quickstart's output, or on KAMTIBMAS_NOTEBOOK_DATA when set (a run folder or inputs to extract)."""
    data = os.environ.get("KAMTIBMAS_NOTEBOOK_DATA")
    if data is None:
        out = request.getfixturevalue("quickstart")[1]
        monkeypatch.setenv("KAMTIBMAS_NOTEBOOK_DATA", str(out))
    else:
        out = Path(data) if (Path(data) / "documents.parquet").exists() else tmp_path / "out"
        monkeypatch.setenv("KAMTIBMAS_NOTEBOOK_OUT", str(tmp_path / "out"))
    notebook = execute(ANALYSIS)
    run = report.load_run(out)
    assert {tag for cell in notebook.cells for tag in cell.metadata.get("tags", [])} >= set(HAS_DATA)
    for cell in notebook.cells:
        for tag in (t for t in cell.metadata.get("tags", []) if t in HAS_DATA):
            if HAS_DATA[tag](run):
                assert images_of(cell) >= 1, f"no chart although the run has data:\n{cell.source}"
            else:
                assert images_of(cell) == 0 and "no rows" in text_of(cell), cell.source
