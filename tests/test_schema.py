"""The pydantic models are the contract: Arrow types, JSON Schema and validation all come from them."""
from __future__ import annotations

import datetime as dt
import re

import pyarrow as pa
import pytest
from pydantic import ValidationError

from kamtibmas_extract.schema import FACT_TABLES, TABLES, DocumentRecord, Location, Unit, arrow_schema, arrow_tables

S, I32, F32, INT, F64, DATE, LIST = "string", "int32", "float32", "integer", "double", "date32", "list<string>"
FACT_COLUMNS = {"doc_id": S, "mention": S, "start": I32, "end": I32, "sentence": S, "confidence": F32,
                "extractor": S}
#: The columns and types ../shared/spec/output-contract.md lists, table by table ("integer": any width).
CONTRACT: dict[str, dict[str, str]] = {
    "documents": {"doc_id": S, "source": S, "outlet": S, "title": S, "published": DATE, "dateline": S, "text": S,
                  "n_chars": INT, "status": S, "error": S, "language": S},
    "units": {**FACT_COLUMNS, "name": S, "level": S, "parent": S, "region_code": S},
    "persons": {**FACT_COLUMNS, "name": S, "rank": S, "rank_order": INT, "rank_group": S, "position": S, "unit": S,
                "organization": S},
    "locations": {**FACT_COLUMNS, "name": S, "level": S, "code": S, "provinsi": S, "kabupaten_kota": S,
                  "kecamatan": S, "kelurahan_desa": S, "rt": S, "rw": S},
    "dates": {**FACT_COLUMNS, "value": DATE, "time": S, "timezone": S, "precision": S, "role": S, "resolution": S},
    "incidents": {**FACT_COLUMNS, "incident_id": S, "type": S, "date": DATE, "location": S, "suspects": INT,
                  "victims": INT, "legal_articles": LIST},
    "seizures": {**FACT_COLUMNS, "incident_id": S, "item": S, "category": S, "quantity": F64, "unit_of_measure": S},
    "activities": {**FACT_COLUMNS, "type": S, "name": S, "date": DATE, "location": S, "attendees": INT},
    "quotes": {**FACT_COLUMNS, "speaker": S, "quote": S},
}


def matches(arrow_type: pa.DataType, expected: str) -> bool:
    """Whether an Arrow type is the contract's type."""
    if expected == INT:
        return pa.types.is_integer(arrow_type)
    if expected == LIST:
        return pa.types.is_list(arrow_type) and pa.types.is_string(arrow_type.value_type)
    return str(arrow_type) == {"date32": "date32[day]", "float32": "float"}.get(expected, expected)


def test_every_contract_table_has_a_model():
    assert list(TABLES) == list(CONTRACT)


@pytest.mark.parametrize("table", list(CONTRACT))
def test_arrow_schema_has_the_contract_columns_and_types(table):
    schema = arrow_schema(TABLES[table])
    for column, expected in CONTRACT[table].items():
        assert column in schema.names, column
        assert matches(schema.field(column).type, expected), (column, schema.field(column).type)
    if table != "documents":
        assert schema.names[:len(FACT_COLUMNS)] == list(FACT_COLUMNS)   # the evidence columns come first


def test_required_columns_are_not_nullable_and_optional_ones_are():
    schema = arrow_schema(Unit)
    assert not schema.field("name").nullable and not schema.field("start").nullable
    assert schema.field("parent").nullable and schema.field("rule").nullable


def test_contract_lists_match_the_spec_text(shared):
    """Every column this test expects is named in its section of output-contract.md."""
    spec = (shared / "spec" / "output-contract.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## (\w+)\n(.*?)(?=^## |\Z)", spec, flags=re.M | re.S))
    common = spec.split("Every fact table has these columns first:")[1].split("Types are real")[0]
    for column in FACT_COLUMNS:
        assert re.search(rf"\b{column}\b", common), column
    for table, columns in CONTRACT.items():
        for column in columns.keys() - FACT_COLUMNS.keys():
            assert re.search(rf"\b{column}\b", sections[table]), (table, column)


def _unit(**overrides):
    values = dict(doc_id="d", mention="Polres Garut", start=0, end=12, sentence="Polres Garut.", confidence=0.9,
                  extractor="rule", name="Polres Garut", level="polres")
    return Unit(**{**values, **overrides})


@pytest.mark.parametrize("overrides, field", [
    ({"end": 3, "start": 5}, "end 3 before start 5"),
    ({"confidence": 1.5}, "confidence"),
    ({"start": -1}, "start"),
    ({"level": "kodim"}, "level"),
    ({"colour": "blue"}, "colour"),
])
def test_invalid_facts_are_rejected(overrides, field):
    with pytest.raises(ValidationError, match=field):
        _unit(**overrides)


def test_dates_and_times_are_validated():
    base = dict(doc_id="d", mention="Senin (3/3/2025)", start=0, end=16, sentence="s", confidence=0.9,
                extractor="rule", precision="day", role="event", resolution="explicit")
    fact = FACT_TABLES["dates"](**base, value="2025-03-03", time="19:30")
    assert fact.value == dt.date(2025, 3, 3)
    with pytest.raises(ValidationError, match="time"):
        FACT_TABLES["dates"](**base, time="7 malam")


def test_location_rt_rw_are_strings():
    location = Location(doc_id="d", mention="RT 01", start=0, end=5, sentence="s", confidence=0.9, extractor="rule",
                        name="RT 1", level="rt", rt="1")
    assert location.rt == "1"


def test_json_schema_describes_every_table_and_vocabulary():
    schema = DocumentRecord.model_json_schema()
    assert set(schema["properties"]) == set(TABLES) - {"documents"} | {"document"}
    unit = schema["$defs"]["Unit"]
    assert set(unit["properties"]["level"]["enum"]) == {"mabes", "polda", "polres", "polsek", "satuan", "brimob",
                                                         "tni", "other"}
    assert unit["properties"]["start"]["arrow"] == "int32"
    assert "doc_id" in unit["required"]


def test_arrow_tables_of_a_batch_follow_the_contract_types():
    records = [DocumentRecord(document={"doc_id": "d", "status": "ok"}, units=[_unit()]),
               DocumentRecord(document={"doc_id": "e", "status": "ok"}, units=[_unit(), _unit()])]
    tables = arrow_tables(records)
    assert list(tables) == list(TABLES)
    assert tables["documents"].column("doc_id").to_pylist() == ["d", "e"]
    assert tables["units"].num_rows == 3 and tables["units"].column("name").to_pylist() == ["Polres Garut"] * 3
    assert tables["persons"].num_rows == 0
    for table, arrow_table in tables.items():
        assert arrow_table.schema == arrow_schema(TABLES[table])
