"""Dataset writer: validated records to the contract's tables, atomically, batch by batch.

Every table is a folder of part files (`units.parquet/part-00000.parquet`), which pandas
and DuckDB read as one table. A batch is written fact tables first and `documents` last,
each file to a temporary name and then renamed: a batch exists exactly when its
documents part exists. That makes `--resume` exact after a crash: parts of a batch
whose documents part is missing are removed and the batch's documents are done again.

Encoding (records to compressed Parquet or JSON Lines bytes, `encode_batch`) is separate
from writing (`DatasetWriter.write_encoded`), so that parallel runs encode in the workers
and the one process that writes only moves bytes to disk.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Literal

import pyarrow as pa
import pyarrow.parquet as pq

from ..schema import TABLES, DocumentRecord, arrow_tables

Format = Literal["parquet", "jsonl"]
_PART = re.compile(r"^part-(\d{5,})\.(parquet|jsonl)$")
MANIFEST = "_manifest.json"


class OutputExistsError(RuntimeError):
    """The output folder already holds a dataset and neither resume nor overwrite was asked for."""


@dataclass
class EncodedBatch:
    """One batch as the contents of its part files, plus each document's status for the run summary."""

    fmt: Format
    files: dict[str, bytes]
    statuses: list[tuple[str, str, str | None]]  # (doc_id, status, error)


def encode_batch(records: Iterable[DocumentRecord], fmt: Format = "parquet") -> EncodedBatch:
    """Serialize a batch: one zstd-compressed Parquet file per table, or one JSON Lines file."""
    records = list(records)
    statuses = [(r.document.doc_id, r.document.status, r.document.error) for r in records]
    if fmt == "jsonl":
        lines = "".join(r.model_dump_json() + "\n" for r in records)
        return EncodedBatch(fmt, {"documents": lines.encode("utf-8")}, statuses)
    files: dict[str, bytes] = {}
    for table, arrow_table in arrow_tables(records).items():
        sink = pa.BufferOutputStream()
        pq.write_table(arrow_table, sink, compression="zstd")
        files[table] = sink.getvalue().to_pybytes()
    return EncodedBatch(fmt, files, statuses)


def _table_dirs(out: Path, fmt: Format) -> dict[str, Path]:
    if fmt == "jsonl":
        return {"documents": out / "records.jsonl"}
    return {table: out / f"{table}.parquet" for table in TABLES}


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class DatasetWriter:
    """Writes batches of `DocumentRecord`s as numbered part files."""

    def __init__(self, out: Path, fmt: Format = "parquet", *, resume: bool = False, overwrite: bool = False) -> None:
        self.out = out
        self.fmt = fmt
        self.dirs = _table_dirs(out, fmt)
        self.suffix = "jsonl" if fmt == "jsonl" else "parquet"
        existing = out.exists() and any(out.iterdir())
        if existing and not (resume or overwrite):
            raise OutputExistsError(
                f"{out} is not empty; use --resume to continue that run or --overwrite to replace it")
        if overwrite and existing:
            self._clear()
        elif existing:
            other: Format = "jsonl" if fmt == "parquet" else "parquet"
            if any(self._parts(folder) for folder in _table_dirs(out, other).values()):
                raise OutputExistsError(f"{out} holds a {other} dataset; resume it with --format {other}")
        out.mkdir(parents=True, exist_ok=True)
        for folder in self.dirs.values():
            folder.mkdir(exist_ok=True)
        self._discard_incomplete_batches()
        self.next_part = max(self._parts(self.dirs["documents"]), default=-1) + 1

    def _clear(self) -> None:
        for folder in [*_table_dirs(self.out, "parquet").values(), *_table_dirs(self.out, "jsonl").values()]:
            if folder.is_dir():
                for child in folder.iterdir():
                    child.unlink()
                folder.rmdir()
        (self.out / MANIFEST).unlink(missing_ok=True)

    def _parts(self, folder: Path) -> dict[int, Path]:
        found: dict[int, Path] = {}
        for child in folder.iterdir() if folder.is_dir() else ():
            match = _PART.match(child.name)
            if match:
                found[int(match.group(1))] = child
        return found

    def _discard_incomplete_batches(self) -> None:
        """Remove temporary files and parts of batches whose documents part never landed."""
        complete = set(self._parts(self.dirs["documents"]))
        (self.out / f".{MANIFEST}.tmp").unlink(missing_ok=True)
        for folder in self.dirs.values():
            for child in folder.iterdir():
                if child.name.endswith(".tmp"):
                    child.unlink()
            for number, path in self._parts(folder).items():
                if number not in complete:
                    path.unlink()

    def done_ids(self) -> set[str]:
        """Doc ids already written by earlier (possibly interrupted) runs into this folder."""
        ids: set[str] = set()
        for path in self._parts(self.dirs["documents"]).values():
            if self.fmt == "jsonl":
                with path.open(encoding="utf-8") as fh:
                    ids.update(json.loads(line)["document"]["doc_id"] for line in fh if line.strip())
            else:
                ids.update(pq.read_table(path, columns=["doc_id"]).column("doc_id").to_pylist())
        return ids

    def write_batch(self, records: Iterable[DocumentRecord]) -> int:
        """Write one batch as the next part of every table; returns the part number."""
        return self.write_encoded(encode_batch(records, self.fmt))

    def write_encoded(self, batch: EncodedBatch) -> int:
        """Write an encoded batch as the next part of every table, `documents` last; returns the part number."""
        if batch.fmt != self.fmt:
            raise ValueError(f"batch encoded as {batch.fmt}, dataset is {self.fmt}")
        number = self.next_part
        name = f"part-{number:05d}.{self.suffix}"
        for table in sorted(batch.files, key=lambda t: t == "documents"):
            _atomic_write(self.dirs[table] / name, batch.files[table])
        self.next_part += 1
        return number

    def counts(self) -> dict[str, int]:
        """Rows per table over all parts (read from Parquet footers, not data)."""
        if self.fmt == "jsonl":
            total = sum(sum(1 for _ in p.open(encoding="utf-8")) for p in self._parts(self.dirs["documents"]).values())
            return {"documents": total}
        return {table: sum(pq.read_metadata(p).num_rows for p in self._parts(folder).values())
                for table, folder in self.dirs.items()}

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        text = json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n"
        _atomic_write(self.out / MANIFEST, text.encode("utf-8"))
