"""The output schema: pydantic models that every writer, reader and scorer derives from.

These models are the single source of the output contract (`../shared/spec/output-contract.md`):
the Parquet writer builds its Arrow schema from them, `kamtibmas schema` prints their JSON
Schema, and every extracted fact is validated against them before it is written.
Columns beyond the contract (`rule`, `time_end`...) are additions, never renames.
"""
from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from typing import Annotated, Any, Literal, Optional, Union

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.0.0"

#: Arrow widths narrower than the Python type's default (contract: offsets int32, confidence float32).
INT32 = {"arrow": "int32"}
FLOAT32 = {"arrow": "float32"}

UnitLevel = Literal["mabes", "polda", "polres", "polsek", "satuan", "brimob", "tni", "other"]
Organization = Literal["polri", "tni", "government", "civilian", "other"]
RankGroup = Literal["pati", "pamen", "pama", "bintara", "tamtama", "tni"]
LocationLevel = Literal[
    "provinsi", "kabupaten", "kota", "kecamatan", "kelurahan", "desa", "rw", "rt", "jalan", "venue", "other"
]
Precision = Literal["day", "month", "year"]
DateRole = Literal["event", "publication", "other"]
Resolution = Literal["explicit", "publication_date", "weekday_consistent", "document_context", "unresolved"]
IncidentType = Literal[
    "narkoba", "pencurian", "curanmor", "perampokan", "penganiayaan", "pengeroyokan", "tawuran",
    "pembunuhan", "kekerasan_seksual", "kdrt", "penipuan", "judi", "miras", "senjata", "pemerasan",
    "perdagangan_orang", "kecelakaan_lalu_lintas", "pelanggaran_lalu_lintas", "kebakaran", "bencana",
    "terorisme", "korupsi", "other",
]
SeizureCategory = Literal[
    "weapon", "drug", "vehicle", "money", "electronics", "alcohol", "document", "gambling", "other"
]
ActivityType = Literal[
    "ngopi_kamtibmas", "jumat_curhat", "sambang", "patroli", "cooling_system", "door_to_door",
    "penyuluhan", "bakti_sosial", "pengamanan", "operasi", "razia", "konferensi_pers",
    "rapat_koordinasi", "penangkapan", "other",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Fact(_Model):
    """Columns every fact table starts with: where the fact is and who produced it."""

    doc_id: str
    mention: str
    start: Annotated[int, Field(ge=0, json_schema_extra=INT32)]
    end: Annotated[int, Field(ge=0, json_schema_extra=INT32)]
    sentence: str
    confidence: Annotated[float, Field(ge=0.0, le=1.0, json_schema_extra=FLOAT32)]
    extractor: str
    rule: Optional[str] = Field(default=None, description="the rule or pattern id that produced the fact")

    @model_validator(mode="after")
    def _offsets_ordered(self) -> "Fact":
        if self.end < self.start:
            raise ValueError(f"end {self.end} before start {self.start}")
        return self


class Unit(Fact):
    name: str
    level: UnitLevel
    parent: Optional[str] = None
    region_code: Optional[str] = None


class Person(Fact):
    name: str
    rank: Optional[str] = None
    rank_order: Optional[int] = None
    rank_group: Optional[RankGroup] = None
    position: Optional[str] = None
    unit: Optional[str] = None
    organization: Optional[Organization] = None


class Location(Fact):
    name: str
    level: LocationLevel
    code: Optional[str] = None
    provinsi: Optional[str] = None
    kabupaten_kota: Optional[str] = None
    kecamatan: Optional[str] = None
    kelurahan_desa: Optional[str] = None
    rt: Optional[str] = None
    rw: Optional[str] = None


class DateMention(Fact):
    value: Optional[dt.date] = None
    time: Optional[str] = Field(default=None, pattern=r"^\d{2}:\d{2}$")
    timezone: Optional[Literal["WIB", "WITA", "WIT"]] = None
    precision: Precision
    role: DateRole
    resolution: Resolution


class Incident(Fact):
    incident_id: str
    type: IncidentType
    date: Optional[dt.date] = None
    location: Optional[str] = None
    suspects: Optional[int] = None
    victims: Optional[int] = None
    legal_articles: list[str] = Field(default_factory=list)


class Seizure(Fact):
    incident_id: Optional[str] = None
    item: str
    category: SeizureCategory
    quantity: Optional[float] = None
    unit_of_measure: Optional[str] = None


class Activity(Fact):
    type: ActivityType
    name: Optional[str] = None
    date: Optional[dt.date] = None
    location: Optional[str] = None
    attendees: Optional[int] = None


class Quote(Fact):
    speaker: Optional[str] = None
    quote: str


class Document(_Model):
    """One row of `documents`: every input document, the failed ones too."""

    doc_id: str
    source: Optional[str] = None
    outlet: Optional[str] = None
    title: Optional[str] = None
    published: Optional[dt.date] = None
    dateline: Optional[str] = None
    text: Optional[str] = None
    n_chars: Optional[int] = None
    status: Literal["ok", "error"]
    error: Optional[str] = None
    language: Optional[str] = None
    warning: Optional[str] = Field(default=None, description="non-fatal problems, e.g. a decoding fallback")


#: table name -> model, in the order of the contract.
FACT_TABLES: dict[str, type[Fact]] = {
    "units": Unit,
    "persons": Person,
    "locations": Location,
    "dates": DateMention,
    "incidents": Incident,
    "seizures": Seizure,
    "activities": Activity,
    "quotes": Quote,
}
TABLES: dict[str, type[_Model]] = {"documents": Document, **FACT_TABLES}


class DocumentRecord(_Model):
    """One document with all its facts: the unit of `--format jsonl` and of the per-document function."""

    document: Document
    units: list[Unit] = Field(default_factory=list)
    persons: list[Person] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    incidents: list[Incident] = Field(default_factory=list)
    seizures: list[Seizure] = Field(default_factory=list)
    activities: list[Activity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)


def arrow_tables(records: list[DocumentRecord]) -> dict[str, pa.Table]:
    """A batch of records as one Arrow table per contract table.

    Built column by column from the validated models' attributes: six times faster than
    dumping every model to a row dict and letting Arrow take the rows apart again.
    """
    tables: dict[str, pa.Table] = {}
    for table, model in TABLES.items():
        items: list[BaseModel] = ([r.document for r in records] if table == "documents"
                                  else [fact for r in records for fact in getattr(r, table)])
        schema = arrow_schema(model)
        tables[table] = pa.Table.from_pydict({name: [getattr(i, name) for i in items] for name in schema.names},
                                             schema=schema)
    return tables


_SCALARS: dict[Any, pa.DataType] = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
    dt.date: pa.date32(),
}
_WIDTHS = {"int32": pa.int32(), "float32": pa.float32()}


def _arrow_type(annotation: Any, extra: dict[str, Any] | None) -> pa.DataType:
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _arrow_type(args[0], extra)
    if origin is Annotated:
        return _arrow_type(typing.get_args(annotation)[0], extra)
    if origin is Literal:
        return pa.string()
    if origin is list:
        return pa.list_(_arrow_type(typing.get_args(annotation)[0], None))
    if extra and "arrow" in extra:
        return _WIDTHS[extra["arrow"]]
    return _SCALARS[annotation]


@functools.lru_cache(maxsize=None)
def arrow_schema(model: type[BaseModel]) -> pa.Schema:
    """The Arrow schema of a table, derived from its pydantic model."""
    fields = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else None
        for meta in info.metadata:
            if hasattr(meta, "json_schema_extra") and isinstance(meta.json_schema_extra, dict):
                extra = meta.json_schema_extra
        nullable = not info.is_required() or name in ("rule",)
        fields.append(pa.field(name, _arrow_type(info.annotation, extra), nullable=nullable))
    return pa.schema(fields)
