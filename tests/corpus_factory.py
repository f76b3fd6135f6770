"""Generated press releases and dataset comparison for the batch and distributed tests.

The texts are written for these tests (no article text is copied); every document differs
in places, names, numbers and dates, so the tables have many rows keyed by doc_id.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from kamtibmas_extract.schema import TABLES

_REGENCIES = ["Bogor", "Sukabumi", "Cianjur", "Garut", "Tasikmalaya", "Ciamis", "Kuningan", "Majalengka"]
_VILLAGES = ["Sukamaju", "Cibodas", "Mekarsari", "Karangjaya", "Sindangsari", "Bojongsari"]
_DISTRICTS = ["Cibinong", "Cisarua", "Pacet", "Leles", "Singaparna", "Cigugur"]
_NAMES = ["Rudi Hartono", "Andi Saputra", "Dedi Kurniawan", "Bayu Pratama", "Yusuf Maulana", "Hendra Wijaya"]
_DETECTIVES = ["Agus Salim", "Fajar Nugraha", "Rian Hidayat", "Iwan Setiawan"]
_DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
_COUNTS = ["dua", "tiga", "empat", "lima"]


def press_release(i: int) -> str:
    """One short release about a motorcycle theft; `i` picks every variable part."""
    regency, village = _REGENCIES[i % 8], _VILLAGES[i % 6]
    district, chief, detective = _DISTRICTS[i % 6], _NAMES[i % 6], _DETECTIVES[i % 4]
    day, date = _DAYS[i % 7], f"{1 + i % 27}/{1 + i % 12}/2025"
    return (
        f"{regency.upper()} – Satuan Reserse Kriminal Polres {regency} menangkap {_COUNTS[i % 4]} pria yang "
        f"diduga mencuri sepeda motor di Desa {village}, Kecamatan {district}, Kabupaten {regency}, pada "
        f"{day} ({date}) malam.\n\n"
        f"Kapolres {regency} AKBP {chief} mengatakan para pelaku ditangkap setelah polisi memeriksa rekaman "
        f"kamera pengawas di sekitar lokasi. Mereka kini ditahan di Mapolres {regency}.\n\n"
        f"\"Kami mengimbau warga agar selalu mengunci kendaraan dan memasang alarm,\" ujar AKP {detective}, "
        f"Kasat Reskrim Polres {regency}, Selasa.\n\n"
        f"Dari tangan tersangka, petugas menyita {1 + i % 3} unit sepeda motor dan sebuah kunci letter T. "
        f"Para tersangka dijerat Pasal 363 KUHP dengan ancaman hukuman tujuh tahun penjara."
    )


def write_corpus(path: Path, n: int, *, start: int = 0, with_empty: bool = True) -> Path:
    """A JSON Lines corpus of `n` releases (ids gen-00000...); one empty record tests error rows."""
    with path.open("w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            text = "   " if with_empty and i == start + 5 else press_release(i)
            record = {"id": f"gen-{i:05d}", "url": f"https://polres.example/berita/2025/03/{1 + i % 28:02d}/{i}",
                      "text": text}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def read_dataset(out: Path) -> dict[str, pd.DataFrame]:
    """Every table of a Parquet dataset, in a canonical row order (doc_id, start, end, mention)."""
    tables: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        frame = pq.read_table(out / f"{table}.parquet").to_pandas()
        keys = ["doc_id"] if table == "documents" else ["doc_id", "start", "end", "mention"]
        tables[table] = frame.sort_values(keys, kind="stable").reset_index(drop=True)
    return tables


def assert_same_dataset(left: Path, right: Path) -> None:
    """Both datasets hold exactly the same rows in every table (no loss, no duplicate)."""
    a, b = read_dataset(left), read_dataset(right)
    for table in TABLES:
        pd.testing.assert_frame_equal(a[table], b[table], obj=table)
