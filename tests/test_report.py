"""The run report: summaries over a hand-made run, the `report` command, and the page in headless Chromium."""
from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from kamtibmas_extract import report
from kamtibmas_extract.cli import app
from kamtibmas_extract.io.writer import DatasetWriter
from kamtibmas_extract.schema import (
    Activity, Document, DocumentRecord, Incident, Location, Person, Seizure, Unit,
)

TEXT_A = ("Satresnarkoba Polres Sukamaju menangkap dua pengedar sabu di Kelurahan Margahayu. "
          "Petugas menyita sabu 1,5 gram, sabu 3 gram, dua paket sabu dan sebilah celurit. "
          "Penangkapan dipimpin AKP Budi Santoso bersama Bripka Rina Lestari.")
TEXT_B = "Polda Jawa Barat mengamankan dua sepeda motor curian dalam patroli malam."


def fact(doc_id: str, text: str, mention: str, **columns: Any) -> dict[str, Any]:
    start = text.index(mention)
    return {"doc_id": doc_id, "mention": mention, "start": start, "end": start + len(mention), "sentence": text,
            "confidence": 0.9, "extractor": "rule", "rule": "test", **columns}


def record_a() -> DocumentRecord:
    f = lambda mention, **c: fact("a", TEXT_A, mention, **c)  # noqa: E731
    return DocumentRecord(
        document=Document(doc_id="a", source="a.txt", text=TEXT_A, n_chars=len(TEXT_A), status="ok",
                          published=dt.date(2024, 3, 5)),
        units=[Unit(**f("Satresnarkoba Polres Sukamaju", name="Satresnarkoba Polres Sukamaju", level="satuan",
                        parent="Polres Sukamaju")),
               Unit(**f("Polres Sukamaju", name="Polres Sukamaju", level="polres", parent="Polda Jawa Barat"))],
        persons=[Person(**f("AKP Budi Santoso", name="Budi Santoso", rank="AKP", rank_group="pama")),
                 Person(**f("Bripka Rina Lestari", name="Rina Lestari", rank="Bripka", rank_group="bintara"))],
        locations=[Location(**f("Kelurahan Margahayu", name="Margahayu", level="kelurahan", code="32.75.01.1002"))],
        incidents=[Incident(**f("menangkap dua pengedar", incident_id="a-1", type="narkoba", suspects=2))],
        seizures=[Seizure(**f("sabu 1,5 gram", item="sabu", category="drug", quantity=1.5, unit_of_measure="gram")),
                  Seizure(**f("sabu 3 gram", item="sabu", category="drug", quantity=3, unit_of_measure="gram")),
                  Seizure(**f("dua paket sabu", item="sabu", category="drug", quantity=2, unit_of_measure="paket")),
                  Seizure(**f("sebilah celurit", item="celurit", category="weapon", quantity=1,
                              unit_of_measure="bilah"))],
        activities=[Activity(**f("menangkap", type="penangkapan", date=dt.date(2024, 1, 20)))],
    )


def record_b() -> DocumentRecord:
    f = lambda mention, **c: fact("b", TEXT_B, mention, **c)  # noqa: E731
    return DocumentRecord(
        document=Document(doc_id="b", source="b.txt", text=TEXT_B, n_chars=len(TEXT_B), status="ok",
                          published=dt.date(2024, 3, 9)),
        units=[Unit(**f("Polda Jawa Barat", name="Polda Jawa Barat", level="polda"))],
        incidents=[Incident(**f("sepeda motor curian", incident_id="b-1", type="curanmor"))],
        seizures=[Seizure(**f("dua sepeda motor", item="sepeda motor", category="vehicle", quantity=2,
                              unit_of_measure=None))],
        activities=[Activity(**f("patroli malam", type="patroli"))],
    )


def failed_record(doc_id: str = "c") -> DocumentRecord:
    return DocumentRecord(document=Document(doc_id=doc_id, source=f"{doc_id}.html", status="error",
                                            error="UnicodeDecodeError: not a text file"))


def write_run(out: Path, *records: DocumentRecord) -> Path:
    writer = DatasetWriter(out)
    writer.write_batch(records)
    writer.write_manifest({"inputs": ["hand-made"], "counts": writer.counts()})
    return out


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_run(tmp_path_factory.mktemp("run"), record_a(), record_b(), failed_record())


@pytest.fixture(scope="module")
def empty_run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_run(tmp_path_factory.mktemp("empty"), failed_record())


@pytest.fixture(scope="module")
def run(run_dir: Path) -> report.Run:
    return report.load_run(run_dir)


def test_load_run_reads_every_table_with_contract_types(run):
    assert set(run.tables) == {"documents", "units", "persons", "locations", "dates", "incidents", "seizures",
                               "activities", "quotes"}
    assert run.manifest["inputs"] == ["hand-made"]
    assert run["dates"].empty and "value" in run["dates"].columns
    assert run["seizures"]["quantity"].dtype == "float64"


def test_missing_table_folder_is_an_empty_frame(tmp_path):
    out = write_run(tmp_path / "run", record_b())
    shutil.rmtree(out / "quotes.parquet")
    quotes = report.load_run(out)["quotes"]
    assert quotes.empty and {"speaker", "quote"} <= set(quotes.columns)


def test_not_a_dataset(tmp_path):
    with pytest.raises(FileNotFoundError, match="kamtibmas extract"):
        report.load_run(tmp_path)


def test_document_summary_and_failures(run):
    summary = dict(report.document_summary(run).itertuples(index=False))
    assert summary["documents"] == 3 and summary["extracted"] == 2 and summary["failed"] == 1
    assert summary["published"] == "2024-03-05 to 2024-03-09"
    failed = report.failures(run)
    assert failed.to_dict("records") == [{"doc_id": "c", "source": "c.html",
                                          "error": "UnicodeDecodeError: not a text file"}]


def test_table_counts(run):
    counts = report.table_counts(run).set_index("table")
    assert counts.loc["seizures", "rows"] == 5 and counts.loc["seizures", "documents"] == 2
    assert counts.loc["quotes", "rows"] == 0


def test_top_units_ranks_by_documents(run):
    units = report.top_units(run)
    assert units.iloc[0]["name"] in {"Polda Jawa Barat", "Polres Sukamaju", "Satresnarkoba Polres Sukamaju"}
    assert set(units["documents"]) == {1}


def test_incident_types(run):
    types = report.incident_types(run).set_index("type")
    assert types.loc["narkoba", "suspects"] == 2
    assert pd.isna(types.loc["curanmor", "suspects"])


def test_seizure_totals_never_add_different_units(run):
    totals = report.seizure_totals(run, ("drug", "weapon"))
    by_key = {(r.item, r.unit_of_measure): (r.total, r.seizures) for r in totals.itertuples()}
    assert by_key == {("sabu", "gram"): (4.5, 2), ("sabu", "paket"): (2.0, 1), ("celurit", "bilah"): (1.0, 1)}
    vehicle = report.seizure_totals(run, ("vehicle",))
    assert vehicle.iloc[0]["unit_of_measure"] == report.UNKNOWN


def test_polda_follows_the_parent_chain(run):
    polda = report.document_polda(run)
    assert polda.to_dict() == {"a": "Polda Jawa Barat", "b": "Polda Jawa Barat", "c": report.UNKNOWN}
    by_polda = report.incidents_by_polda(run)
    assert by_polda.loc["Polda Jawa Barat"].to_dict() == {"curanmor": 1, "narkoba": 1}


def test_officers_by_rank_group_keeps_the_order_and_empty_groups(run):
    groups = report.officers_by_rank_group(run)
    assert list(groups.index) == list(report.RANK_GROUPS)
    assert groups["pama"] == 1 and groups["bintara"] == 1 and groups["pati"] == 0


def test_places_by_province_from_the_code(run):
    places = report.places_by_province(run)
    assert places.to_dict("records") == [{"provinsi": "Jawa Barat", "documents": 1, "places": 1, "mentions": 1}]
    assert report.province_of(None) is None


def test_activities_over_time_fall_back_to_publication(run):
    table = report.activities_over_time(run)
    assert str(table.index.freq.freqstr).startswith("M")
    assert table.loc[pd.Period("2024-01", "M"), "penangkapan"] == 1
    assert table.loc[pd.Period("2024-02", "M")].sum() == 0  # the gap month is shown, not skipped
    assert table.loc[pd.Period("2024-03", "M"), "patroli"] == 1


def test_activities_over_many_years_are_counted_per_year(run):
    activities = run["activities"].copy()
    activities.loc[activities["type"] == "penangkapan", "date"] = dt.date(2019, 6, 1)
    table = report.activities_over_time(report.Run(run.path, {**run.tables, "activities": activities}))
    assert [str(p) for p in table.index] == ["2019", "2020", "2021", "2022", "2023", "2024"]
    assert table["penangkapan"].sum() == 1 and table.loc[pd.Period("2024", "Y"), "patroli"] == 1


def test_activities_with_implausible_dates_are_left_out(run):
    activities = run["activities"].copy()
    activities.loc[activities["type"] == "penangkapan", "date"] = dt.date(1015, 9, 27)
    table = report.activities_over_time(report.Run(run.path, {**run.tables, "activities": activities}))
    assert list(table.columns) == ["patroli"] and table.to_numpy().sum() == 1


def test_summaries_of_an_empty_run_are_empty_not_errors(empty_run_dir):
    run = report.load_run(empty_run_dir)
    assert report.top_units(run).empty and report.incident_types(run).empty
    assert report.seizure_totals(run).empty and report.places_by_province(run).empty
    assert report.activities_over_time(run).empty and report.incidents_by_polda(run).empty
    assert report.officers_by_rank_group(run).sum() == 0
    page = report.render_report(run)
    for what in ("no units were extracted", "no incidents were extracted", "no seized items were extracted"):
        assert f"no rows: {what}" in page


def test_report_page_has_every_section_and_inline_charts(run):
    page = report.render_report(run)
    for section_id, title, _ in report.SECTIONS:
        assert f'<section id="{section_id}"><h2>{title}</h2>' in page
    assert page.count('src="data:image/png;base64,') == 4  # counts, units, incidents, seizures
    assert "UnicodeDecodeError: not a text file" in page
    assert "http://" not in page and "https://" not in page  # self-contained


def test_long_tables_are_cut_to_keep_one_page(tmp_path):
    out = write_run(tmp_path / "run", *(failed_record(f"doc-{i:02d}") for i in range(report.MAX_ROWS_SHOWN + 7)))
    page = report.render_report(report.load_run(out))
    assert f"doc-{report.MAX_ROWS_SHOWN - 1:02d}" in page and f"doc-{report.MAX_ROWS_SHOWN:02d}" not in page
    assert "… and 7 more rows." in page


def test_cli_report(run_dir, tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", str(run_dir), "--html", str(out)])
    assert result.exit_code == 0, result.output
    assert '<section id="seizures">' in out.read_text(encoding="utf-8")
    missing = CliRunner().invoke(app, ["report", str(tmp_path / "nothing"), "--html", str(out)])
    assert missing.exit_code == 2


# --- the page in a real browser ---------------------------------------------------------

#: Run in the page after load: what a reader would see of each section, as JSON in <pre id="check">.
CHECK_SCRIPT = """<script>
window.addEventListener("load", () => {
  const sections = [...document.querySelectorAll("section")].map(s => ({
    id: s.id, heading: s.querySelector("h2")?.innerText, height: s.getBoundingClientRect().height,
    content: !!s.querySelector("table, p.empty"),
    images: [...s.querySelectorAll("img")].map(i => [i.complete, i.naturalWidth, i.naturalHeight])}));
  const pre = document.createElement("pre"); pre.id = "check";
  pre.textContent = JSON.stringify(sections); document.body.appendChild(pre);
});
</script>"""


def chromium() -> str | None:
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


def headless(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=90, check=True)


def test_report_renders_in_headless_chromium(run_dir, tmp_path):
    browser = chromium()
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    page = tmp_path / "report.html"
    assert CliRunner().invoke(app, ["report", str(run_dir), "--html", str(page)]).exit_code == 0
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", CHECK_SCRIPT + "</body>"), encoding="utf-8")

    dom = headless(browser, tmp_path / "profile", "--virtual-time-budget=5000", "--dump-dom",
                   probe.as_uri()).stdout
    found = re.search(r'<pre id="check">(.*?)</pre>', dom, re.S)
    assert found, "the check script did not run"
    sections = {s["id"]: s for s in json.loads(html.unescape(found.group(1)))}
    assert list(sections) == [section_id for section_id, _, _ in report.SECTIONS]
    for section_id, title, _ in report.SECTIONS:
        seen = sections[section_id]
        assert seen["heading"] == title and seen["content"] and seen["height"] > 0, seen
        assert all(done and width > 100 and height > 100 for done, width, height in seen["images"]), seen
    assert sum(len(s["images"]) for s in sections.values()) == 4

    screenshot = tmp_path / "report.png"  # kept by pytest's tmp_path, never committed
    headless(browser, tmp_path / "profile", "--hide-scrollbars", "--window-size=1280,4000",
             f"--screenshot={screenshot}", page.as_uri())
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000
