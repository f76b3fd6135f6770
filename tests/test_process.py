"""The per-document function: batches go through the pipeline component by component, and a
document that breaks a component costs only its own record."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kamtibmas_extract.io.readers import RawDocument
from kamtibmas_extract.pipeline import build_pipeline
from kamtibmas_extract.process import DocumentProcessor

RELEASES = [
    "Kapolres Garut AKBP Rohman Yonky Dilatha memimpin apel di Mapolres Garut, Senin (3/3/2025).",
    "Warga Desa Sukamaju, Kecamatan Leles, mengikuti Jumat Curhat bersama Polsek Leles.",
    "Satresnarkoba Polres Garut mengamankan 12 gram sabu dari tersangka AS (25) di Kecamatan Tarogong Kidul.",
]


@Language.component("test_explode_on_marker")
def explode_on_marker(doc: Doc) -> Doc:
    """A component with a bug that only one kind of document triggers."""
    if "MELEDAK" in doc.text:
        raise RuntimeError("component bug")
    return doc


def _raw(i: int, text: str) -> RawDocument:
    return RawDocument(doc_id=f"r{i}", text=text, source=f"rilis-{i}.txt")


def test_a_batch_gives_the_records_one_document_at_a_time_gives(nlp):
    processor = DocumentProcessor(nlp)
    raws = [_raw(i, text) for i, text in enumerate(RELEASES)]
    one_by_one = [processor(raw).model_dump() for raw in raws]
    assert [record.model_dump() for record in processor.process(raws)] == one_by_one
    assert one_by_one[0]["persons"][0]["name"] == "Rohman Yonky Dilatha"


def test_a_document_that_breaks_a_component_fails_alone():
    nlp = build_pipeline()
    nlp.add_pipe("test_explode_on_marker", after="kamtibmas_units")
    raws = [_raw(0, RELEASES[0]), _raw(1, RELEASES[1] + " MELEDAK"), _raw(2, RELEASES[2])]
    records = DocumentProcessor(nlp).process(raws)
    assert [r.document.status for r in records] == ["ok", "error", "ok"]
    assert "rilis-1.txt" in records[1].document.error and "component bug" in records[1].document.error
    assert records[2].seizures and records[2].seizures[0].quantity == 12


def test_documents_without_text_keep_their_place_in_the_batch(nlp):
    raws = [_raw(0, RELEASES[0]), RawDocument(doc_id="e", text=None, source="x.jsonl:2", error="x.jsonl:2: no text"),
            _raw(2, "   "), _raw(3, RELEASES[1])]
    records = DocumentProcessor(nlp).process(raws)
    assert [r.document.doc_id for r in records] == ["r0", "e", "r2", "r3"]
    assert [r.document.status for r in records] == ["ok", "error", "error", "ok"]
    assert "empty document" in records[2].document.error


def test_long_documents_pass_the_pipeline_in_groups_bounded_by_characters(nlp, monkeypatch):
    import kamtibmas_extract.process as process

    monkeypatch.setattr(process, "PASS_CHARS", 2 * len(RELEASES[2]))
    raws = [_raw(i, RELEASES[i % 3]) for i in range(7)] + [_raw(7, RELEASES[2] * 3)]
    processor = DocumentProcessor(nlp)
    groups: list[list[str]] = []
    original = processor._process
    monkeypatch.setattr(processor, "_process", lambda group: groups.append([r.text for r in group]) or original(group))
    records = processor.process(raws)
    assert [r.document.doc_id for r in records] == [f"r{i}" for i in range(8)]
    assert all(r.document.status == "ok" for r in records)
    assert sum(map(len, groups)) == 8 and len(groups) > 2
    assert all(sum(map(len, group)) <= process.PASS_CHARS for group in groups if len(group) > 1)
    assert groups[-1] == [RELEASES[2] * 3]  # longer than the limit: alone
