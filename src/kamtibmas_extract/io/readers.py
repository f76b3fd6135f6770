"""Readers: turn files, folders, globs, JSON Lines, CSV and HTML pages into raw documents.

A reader never raises for one bad file or line: it yields a `RawDocument` carrying the
error, so that the batch writes an error row and goes on with the rest. Bytes that are
not UTF-8 are decoded byte by byte as cp1252 (the usual culprit: Windows-saved Latin-1
text) and the document says so in `note` (written to `documents.warning`).
"""
from __future__ import annotations

import codecs
import csv
import glob
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

TEXT_SUFFIXES = {".txt"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv"}
HTML_SUFFIXES = {".html", ".htm"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES | HTML_SUFFIXES
#: Files in a folder that are documentation, not input.
IGNORED_IN_FOLDERS = {".md", ".gitkeep"}
METADATA_FIELDS = ("url", "title", "published", "outlet")
#: CSV cells may hold whole articles; the csv module's default limit is 128 KiB.
_CSV_FIELD_LIMIT = 64 * 1024 * 1024
_FALLBACK = "kamtibmas-cp1252"
#: Fewer words than this from an HTML page is navigation trafilatura fell back to, not an article.
_MIN_HTML_WORDS = 8


def _cp1252_byte(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return chr(byte)


def _decode_legacy_bytes(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    return "".join(_cp1252_byte(b) for b in exc.object[exc.start:exc.end]), exc.end


codecs.register_error(_FALLBACK, _decode_legacy_bytes)


@dataclass
class RawDocument:
    """One input document before normalization (or the error that kept it from being read)."""

    doc_id: str
    text: str | None
    source: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    error: str | None = None
    note: str | None = None


def decode_bytes(data: bytes) -> tuple[str, str | None]:
    """Decode as UTF-8; invalid bytes alone are decoded as cp1252, and the note says where."""
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        where = exc.start
    return data.decode("utf-8", errors=_FALLBACK), f"invalid UTF-8 from byte {where}; those bytes decoded as cp1252"


def looks_binary(data: bytes) -> bool:
    """A NUL byte or many control bytes in the first 8 KiB: not a text document."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return bool(head) and controls / len(head) > 0.05


def expand_inputs(inputs: Iterable[str | Path]) -> Iterator[Path | RawDocument]:
    """Paths from files, folders (recursive) and globs, in a stable order; a glob that matches
    nothing yields an error document instead."""
    for item in inputs:
        text = str(item)
        if any(ch in text for ch in "*?["):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                yield _error(Path(text).name, text, f"{text}: no file matches this pattern")
            for match in matches:
                yield from expand_inputs([match])
            continue
        path = Path(text)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.name.startswith(".") or child.suffix.lower() in IGNORED_IN_FOLDERS:
                    continue
                yield child
        else:
            yield path


def read_inputs(inputs: Iterable[str | Path]) -> Iterator[RawDocument]:
    """All documents of all inputs, in a stable order, with unique ids.

    A repeated id (two folders holding `000.txt`, a JSONL id used twice) gets a `~2`, `~3`...
    suffix and a note: documents.doc_id stays a key, and `--resume` never skips a document
    because another one had its id.
    """
    seen: dict[str, int] = {}
    for path in expand_inputs(inputs):
        for doc in [path] if isinstance(path, RawDocument) else read_path(path):
            count = seen[doc.doc_id] = seen.get(doc.doc_id, 0) + 1
            if count > 1:
                renamed = f"{doc.doc_id}~{count}"
                note = f"{doc.source}: id {doc.doc_id!r} already used by an earlier document; renamed {renamed!r}"
                doc.note = f"{doc.note}; {note}" if doc.note else note
                doc.doc_id = renamed
                seen[renamed] = seen.get(renamed, 0) + 1
            yield doc


def read_path(path: Path) -> Iterator[RawDocument]:
    """The documents of one file; unreadable files and unknown formats yield one error document."""
    suffix = path.suffix.lower()
    source = str(path)
    if suffix not in KNOWN_SUFFIXES:
        yield _error(path.stem or path.name, source, f"{path}: unknown input format '{suffix or path.name}' "
                     f"(expected one of {', '.join(sorted(KNOWN_SUFFIXES))})")
        return
    try:
        if suffix in JSONL_SUFFIXES:  # streamed line by line: a corpus file may be larger than memory
            with path.open("rb") as fh:
                if looks_binary(fh.read(8192)):
                    yield _error(path.stem, source, f"{path}: binary content, not a text document")
                    return
                fh.seek(0)
                yield from _read_jsonl(path, fh)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield _error(path.stem, source, f"{path}: cannot read: {exc.strerror or exc}")
        return
    if looks_binary(data):
        yield _error(path.stem, source, f"{path}: binary content, not a text document")
        return
    text, note = decode_bytes(data)
    if note is not None:
        note = f"{path}: {note}"
    if suffix in TEXT_SUFFIXES:
        yield RawDocument(doc_id=path.stem, text=text, source=source, note=note)
    elif suffix in CSV_SUFFIXES:
        yield from _read_csv(path, text, note)
    else:
        yield _read_html(path, text, note)


def _error(doc_id: str, source: str, message: str) -> RawDocument:
    return RawDocument(doc_id=doc_id, text=None, source=source, error=message)


def _from_record(record: dict[str, Any], default_id: str, source: str, where: str, note: str | None) -> RawDocument:
    doc_id = str(record.get("id") or record.get("doc_id") or default_id)
    meta = {k: (str(record[k]) if record.get(k) not in (None, "") else None) for k in METADATA_FIELDS}
    text = record.get("text")
    if not isinstance(text, str):
        missing = "has no 'text' field" if text is None else "has a non-string 'text'"
        return RawDocument(doc_id=doc_id, text=None, source=source, error=f"{where}: record {missing}", **meta)
    return RawDocument(doc_id=doc_id, text=text, source=meta["url"] or source, note=note, **meta)


def _read_jsonl(path: Path, lines: Iterable[bytes]) -> Iterator[RawDocument]:
    """One document per line; lines are decoded one by one so a bad byte taints only its record."""
    for lineno, raw_line in enumerate(lines, 1):
        if lineno == 1:
            raw_line = raw_line.removeprefix(codecs.BOM_UTF8)
        if not raw_line.strip():
            continue
        where = f"{path}:{lineno}"
        line, note = decode_bytes(raw_line)
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _error(f"{path.stem}-{lineno}", str(path), f"{where}: invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield _error(f"{path.stem}-{lineno}", str(path), f"{where}: expected a JSON object")
            continue
        yield _from_record(record, f"{path.stem}-{lineno}", str(path), where, f"{where}: {note}" if note else None)


def _read_csv(path: Path, text: str, note: str | None) -> Iterator[RawDocument]:
    """A header row naming the columns (`text` required), then one document per row."""
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames
    except csv.Error as exc:
        yield _error(path.stem, str(path), f"{path}:1: {exc}")
        return
    if not header or "text" not in header:
        yield _error(path.stem, str(path), f"{path}: CSV needs a header with a 'text' column")
        return
    try:
        for row in reader:
            lineno = reader.line_num
            yield _from_record(dict(row), f"{path.stem}-{lineno}", str(path), f"{path}:{lineno}", note)
    except csv.Error as exc:
        yield _error(f"{path.stem}-{reader.line_num}", str(path), f"{path}:{reader.line_num}: {exc}; "
                     "the rows after it were not read")


def _read_html(path: Path, text: str, note: str | None) -> RawDocument:
    """Main text by trafilatura (boilerplate removal), with the page's own title, date and URL."""
    import trafilatura

    extracted = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False,
                                            include_tables=False, favor_precision=True)
    body = getattr(extracted, "text", None) if extracted is not None else None
    if not body or len(body.split()) < _MIN_HTML_WORDS:
        return _error(path.stem, str(path), f"{path}: no article text found in the HTML page")
    title = getattr(extracted, "title", None)
    published = getattr(extracted, "date", None)
    url = getattr(extracted, "url", None)
    full = f"{title}\n{body}" if title and not body.startswith(title) else body
    return RawDocument(doc_id=path.stem, text=full, source=url or str(path), url=url, title=title,
                       published=published, note=note)
