"""Readers: every input format, folders and globs, and one clear error per unreadable input."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kamtibmas_extract.io.readers import decode_bytes, read_inputs

TEXT = "BEKASI – Polisi menangkap dua pencuri sepeda motor di Kecamatan Rawalumbu, Senin (3/3/2025)."

PAGE = """<!DOCTYPE html><html><head><title>Polisi Tangkap Dua Pencuri Motor | Kabar Kota</title>
<meta property="article:published_time" content="2025-03-04T10:00:00+07:00">
<link rel="canonical" href="https://kabar.example/2025/03/04/polisi-tangkap"></head><body>
<nav><a href="/">Beranda</a> <a href="/kriminal">Kriminal</a> <a href="/olahraga">Olahraga</a></nav>
<article><h1>Polisi Tangkap Dua Pencuri Motor</h1>
<p>BEKASI – Polisi menangkap dua pria yang mencuri sepeda motor di Jalan Raya Narogong, Kecamatan
Rawalumbu, Kota Bekasi, Senin (3/3/2025) malam, setelah warga melapor ke polsek.</p>
<p>Kapolsek Rawalumbu Kompol Dedi Setiawan mengatakan kedua pelaku ditangkap setelah polisi memeriksa
rekaman kamera pengawas di sekitar lokasi kejadian dan mencocokkan pelat nomor kendaraan.</p>
<p>"Kami mengimbau warga agar selalu mengunci ganda kendaraannya di mana pun," ujar Dedi.</p></article>
<aside><h3>Terpopuler</h3><ul><li><a href="/a">Artis Ibu Kota Menikah Lagi di Bali</a></li></ul></aside>
<footer>Hak cipta 2025 Kabar Kota</footer></body></html>"""


def read(*inputs: Path | str) -> list:
    return list(read_inputs([str(i) for i in inputs]))


def test_text_file_gives_one_document_named_after_its_stem(tmp_path):
    (tmp_path / "rilis-01.txt").write_text(TEXT, encoding="utf-8")
    [doc] = read(tmp_path / "rilis-01.txt")
    assert (doc.doc_id, doc.text, doc.error, doc.note) == ("rilis-01", TEXT, None, None)
    assert doc.source == str(tmp_path / "rilis-01.txt")


def test_folder_is_read_recursively_in_order_skipping_docs_and_hidden_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "1.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "README.md").write_text("# corpus", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    assert [d.doc_id for d in read(tmp_path)] == ["1", "2"]


def test_globs_and_several_inputs_at_once(tmp_path):
    for name in ("a.txt", "b.txt", "c.csv"):
        (tmp_path / name).write_text("id,text\nc1,isi\n" if name.endswith("csv") else TEXT, encoding="utf-8")
    docs = read(tmp_path / "*.txt", tmp_path / "c.csv")
    assert [d.doc_id for d in docs] == ["a", "b", "c1"]


def test_jsonl_records_with_metadata(tmp_path):
    path = tmp_path / "corpus.jsonl"
    rows = [{"id": "d1", "text": TEXT, "url": "https://kabar.example/x", "title": "Judul", "published": "2025-03-04"},
            {"id": 7, "text": "Teks kedua."},
            {"text": "Tanpa id."}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    d1, d2, d3 = read(path)
    assert (d1.doc_id, d1.text, d1.url, d1.title, d1.published) == ("d1", TEXT, "https://kabar.example/x", "Judul",
                                                                       "2025-03-04")
    assert d1.source == "https://kabar.example/x"
    assert (d2.doc_id, d2.url, d2.title) == ("7", None, None)
    assert d3.doc_id == "corpus-3"


def test_broken_jsonl_line_is_reported_with_file_and_line_and_the_rest_is_read(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"id": "a", "text": "satu"}\n{"id": "b", "text": rusak\n[1, 2]\n'
                    '{"id": "c", "title": "tanpa teks"}\n{"id": "d", "text": 5}\n{"id": "e", "text": "lima"}\n',
                    encoding="utf-8")
    docs = {d.doc_id: d for d in read(path)}
    assert docs["a"].text == "satu" and docs["e"].text == "lima"
    assert docs["corpus-2"].error.startswith(f"{path}:2: invalid JSON")
    assert docs["corpus-3"].error == f"{path}:3: expected a JSON object"
    assert docs["c"].error == f"{path}:4: record has no 'text' field"
    assert docs["d"].error == f"{path}:5: record has a non-string 'text'"
    assert all(d.text is None for k, d in docs.items() if k not in ("a", "e"))


def test_csv_with_the_same_columns_quoted_fields_and_a_long_article(tmp_path):
    path = tmp_path / "rilis.csv"
    long_text = "Polisi berpatroli di Kecamatan Cibinong. " * 5000    # beyond csv's 128 KiB default field limit
    path.write_text('id,text,url,title,published\n'
                    f'c1,"{TEXT}",https://kabar.example/c1,"Judul, dengan koma",2025-03-04\n'
                    'c2,"Baris satu\nbaris ""dua""",,,\n'
                    f'c3,"{long_text}",,,\n', encoding="utf-8")
    c1, c2, c3 = read(path)
    assert (c1.doc_id, c1.text, c1.url, c1.title, c1.published) == (
        "c1", TEXT, "https://kabar.example/c1", "Judul, dengan koma", "2025-03-04")
    assert c2.text == 'Baris satu\nbaris "dua"' and c2.url is None
    assert c3.text == long_text and c3.error is None


def test_csv_without_a_text_column_is_one_error(tmp_path):
    path = tmp_path / "salah.csv"
    path.write_text("id,isi\nx,teks\n", encoding="utf-8")
    [doc] = read(path)
    assert doc.error == f"{path}: CSV needs a header with a 'text' column"


def test_html_main_text_by_trafilatura(tmp_path):
    path = tmp_path / "halaman.html"
    path.write_text(PAGE, encoding="utf-8")
    [doc] = read(path)
    assert doc.error is None
    assert doc.title == "Polisi Tangkap Dua Pencuri Motor"
    assert doc.published == "2025-03-04"
    assert doc.url == "https://kabar.example/2025/03/04/polisi-tangkap"
    assert doc.text.startswith("Polisi Tangkap Dua Pencuri Motor\nBEKASI – Polisi menangkap")
    assert "mengunci ganda" in doc.text
    for furniture in ("Beranda", "Olahraga", "Artis Ibu Kota", "Hak cipta"):
        assert furniture not in doc.text


def test_html_without_an_article_is_one_error(tmp_path):
    path = tmp_path / "kosong.htm"
    path.write_text("<html><body><nav><a href='/'>Beranda</a></nav></body></html>", encoding="utf-8")
    [doc] = read(path)
    assert doc.error == f"{path}: no article text found in the HTML page"


@pytest.mark.parametrize("name, content, message", [
    ("notes.docx", b"PK\x03\x04 zip",
     "unknown input format '.docx' (expected one of .csv, .htm, .html, .jsonl, .ndjson, .txt)"),
    ("gambar.txt", bytes(range(256)) * 4, "binary content, not a text document"),
])
def test_unknown_and_binary_files_give_one_error_line(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    [doc] = read(path)
    assert doc.error == f"{path}: {message}"
    assert "\n" not in doc.error and doc.text is None


def test_missing_file_and_unmatched_glob(tmp_path):
    missing, pattern = tmp_path / "tidak-ada.txt", tmp_path / "*.jsonl"
    docs = read(missing, pattern)
    assert [d.error for d in docs] == [f"{missing}: cannot read: No such file or directory",
                                       f"{pattern}: no file matches this pattern"]


def test_latin1_bytes_are_decoded_with_a_fallback_and_a_note(tmp_path):
    path = tmp_path / "lama.txt"
    path.write_bytes("Polisi – kafe ".encode("utf-8") + "Café déjà".encode("latin-1"))
    [doc] = read(path)
    assert doc.text == "Polisi – kafe Café déjà"          # the valid UTF-8 part is not garbled
    assert doc.note == f"{path}: invalid UTF-8 from byte 19; those bytes decoded as cp1252"


def test_only_the_jsonl_record_with_bad_bytes_gets_the_note(tmp_path):
    path = tmp_path / "campur.jsonl"
    path.write_bytes(b'{"id": "a", "text": "baik"}\n{"id": "b", "text": "caf\xe9"}\n')
    a, b = read(path)
    assert a.note is None
    assert b.text == "café" and b.note == f"{path}:2: invalid UTF-8 from byte 24; those bytes decoded as cp1252"


@pytest.mark.parametrize("data, text", [
    (b"\xef\xbb\xbfdengan BOM", "dengan BOM"),
    (b"\x93kutip\x94", "\u201ckutip\u201d"),      # cp1252 curly quotes
    (b"a\x81b", "a\x81b"),                       # a byte cp1252 leaves undefined
])
def test_decode_bytes(data, text):
    assert decode_bytes(data)[0] == text


def test_repeated_ids_are_made_unique_with_a_note(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "000.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"id": "000", "text": "x"}\n{"id": "z", "text": "y"}\n', encoding="utf-8")
    docs = read(tmp_path / "a", tmp_path / "b", tmp_path / "c.jsonl")
    assert [d.doc_id for d in docs] == ["000", "000~2", "000~3", "z"]
    assert docs[0].note is None
    assert docs[1].note == f"{tmp_path / 'b' / '000.txt'}: id '000' already used by an earlier document; renamed '000~2'"
