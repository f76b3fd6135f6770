"""Readers: turn files, folders, globs, JSON Lines, CSV and HTML pages into raw documents.

A reader never raises for one bad file or line: it yields a `RawDocument` carrying the
error, so that the batch writes an error row and goes on with the rest.
"""
from __future__ import annotations

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
    """Decode as UTF-8, else as cp1252/Latin-1, and say which fallback was used."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        where = exc.start
    try:
        return data.decode("cp1252"), f"invalid UTF-8 at byte {where}; decoded as cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), f"invalid UTF-8 at byte {where}; decoded as Latin-1"


def looks_binary(data: bytes) -> bool:
    """A NUL byte or many control bytes in the first 8 KiB: not a text document."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return bool(head) and controls / len(head) > 0.05


def expand_inputs(inputs: Iterable[str | Path]) -> Iterator[tuple[Path, bool]]:
    """Paths from files, folders (recursive) and globs; the flag says whether a path was named explicitly."""
    for item in inputs:
        text = str(item)
        if any(ch in text for ch in "*?["):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                yield Path(text), True
            for match in matches:
                yield from expand_inputs([match])
            continue
        path = Path(text)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.name.startswith(".") or child.suffix.lower() in IGNORED_IN_FOLDERS:
                    continue
                yield child, False
        else:
            yield path, True


def read_inputs(inputs: Iterable[str | Path]) -> Iterator[RawDocument]:
    """All documents of all inputs, in a stable order."""
    for path, _explicit in expand_inputs(inputs):
        yield from read_path(path)


def read_path(path: Path) -> Iterator[RawDocument]:
    """The documents of one file; unreadable files and unknown formats yield one error document."""
    suffix = path.suffix.lower()
    source = str(path)
    if suffix not in KNOWN_SUFFIXES:
        yield _error(path.stem or path.name, source, f"{path}: unknown input format '{suffix or path.name}' "
                     f"(expected one of {', '.join(sorted(KNOWN_SUFFIXES))})")
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield _error(path.stem, source, f"{path}: cannot read: {exc.strerror or exc}")
        return
    if looks_binary(data):
        yield _error(path.stem, source, f"{path}: binary content, not a text document")
        return
    text, note = decode_bytes(data)
    if suffix in TEXT_SUFFIXES:
        yield RawDocument(doc_id=path.stem, text=text, source=source, note=note)
    elif suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(path, text, note)
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


def _read_jsonl(path: Path, text: str, note: str | None) -> Iterator[RawDocument]:
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _error(f"{path.stem}-{lineno}", str(path), f"{where}: invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield _error(f"{path.stem}-{lineno}", str(path), f"{where}: expected a JSON object")
            continue
        yield _from_record(record, f"{path.stem}-{lineno}", str(path), where, note)


def _read_csv(path: Path, text: str, note: str | None) -> Iterator[RawDocument]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "text" not in reader.fieldnames:
        yield _error(path.stem, str(path), f"{path}: CSV needs a header with a 'text' column")
        return
    try:
        for row in reader:
            lineno = reader.line_num
            yield _from_record(dict(row), f"{path.stem}-{lineno}", str(path), f"{path}:{lineno}", note)
    except csv.Error as exc:
        yield _error(f"{path.stem}-{reader.line_num}", str(path), f"{path}:{reader.line_num}: {exc}")


def _read_html(path: Path, text: str, note: str | None) -> RawDocument:
    """Main text by trafilatura (boilerplate removal), with the page's own title, date and URL."""
    import trafilatura

    extracted = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False,
                                            include_tables=False, favor_precision=True)
    body = getattr(extracted, "text", None) if extracted is not None else None
    if not body:
        return _error(path.stem, str(path), f"{path}: no article text found in the HTML page")
    title = getattr(extracted, "title", None)
    published = getattr(extracted, "date", None)
    url = getattr(extracted, "url", None)
    full = f"{title}\n{body}" if title and not body.startswith(title) else body
    return RawDocument(doc_id=path.stem, text=full, source=url or str(path), url=url, title=title,
                       published=published, note=note)
