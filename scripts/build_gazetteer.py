"""Build the committed gazetteer `patterns/gazetteer/wilayah.tsv.gz` from cahyadsn/wilayah's `wilayah.sql`.

The SQL dump (Kepmendagri No 300.2.2-2138 Tahun 2025, MIT licence) lists every provinsi,
kabupaten/kota, kecamatan and kelurahan/desa as `('code','name')`. We keep exactly that:
one `code<TAB>name` line per area, sorted by code, level words ("Kabupaten", "Kota
Administrasi") stripped from names because the level follows from the code (see
`kamtibmas_extract.gazetteer.level_of`). The output is written with a fixed gzip
timestamp, so the same input always gives byte-identical output.

Usage: python scripts/build_gazetteer.py [WILAYAH_SQL] [OUT_TSV_GZ]
"""
from __future__ import annotations

import gzip
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQL = ROOT.parent / "shared" / "gazetteer" / "wilayah" / "wilayah.sql"
DEFAULT_OUT = ROOT / "patterns" / "gazetteer" / "wilayah.tsv.gz"

#: One row of the INSERT lists; names escape quotes SQL-style ('').
_ROW = re.compile(r"\('(\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)','((?:[^']|'')*)'\)")
#: Level words in kabupaten/kota names; the code already says which one it is.
_REGENCY_PREFIX = re.compile(r"^(?:Kabupaten|Kota)(?: Administrasi)?\s+")


def parse(sql: str) -> list[tuple[str, str]]:
    """(code, name) pairs of the dump, names unescaped and without kabupaten/kota words."""
    rows: dict[str, str] = {}
    for match in _ROW.finditer(sql):
        code, name = match.group(1), " ".join(match.group(2).replace("''", "'").split())
        if code.count(".") == 1:
            stripped = _REGENCY_PREFIX.sub("", name)
            kind = "Kota" if int(code[3:5]) >= 71 else "Kabupaten"
            if not name.startswith(kind):
                raise ValueError(f"{code} {name!r}: code says {kind}")
            name = stripped
        if code in rows and rows[code] != name:
            raise ValueError(f"{code}: two names {rows[code]!r} and {name!r}")
        rows[code] = name
    return sorted(rows.items())


def write(rows: list[tuple[str, str]], out: Path) -> None:
    """Write the rows as gzip'd TSV with mtime 0 (reproducible bytes)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = "".join(f"{code}\t{name}\n" for code, name in rows).encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as fh:
        fh.write(payload)
    out.write_bytes(buffer.getvalue())


def main(argv: list[str]) -> int:
    sql_path = Path(argv[1]) if len(argv) > 1 else DEFAULT_SQL
    out = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    rows = parse(sql_path.read_text(encoding="utf-8"))
    levels = [code.count(".") for code, _ in rows]
    write(rows, out)
    print(f"{out}: {len(rows)} areas (provinsi {levels.count(0)}, kabupaten/kota {levels.count(1)}, "
          f"kecamatan {levels.count(2)}, kelurahan/desa {levels.count(3)}), {out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
