"""The gold scorer of `../shared/spec/gold-guidelines.md`: per-field P/R/F1, attribute accuracies, errors.

For each field, every document gives a set of keys from the gold and from the
prediction; matches are counted and micro-averaged over documents. Gold entries may
carry `aliases` (other spellings), `alt` (equally right field values) and `optional`
(neither rewarded nor punished). Key normalization rules live in `patterns/scoring.yaml`.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd

from .resources import load_yaml

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")

FIELDS = ("units", "persons", "locations", "rt_rw", "dates", "incidents", "seizures", "activities")
EXTRA_FIELDS = ("dates_day_month",)
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "units": ("level",),
    "persons": ("rank", "position", "unit", "organization"),
    "locations": ("level",),
    "seizures": ("category", "quantity", "unit_of_measure"),
}
#: Which output table each scored field reads.
SOURCE_TABLE = {"units": "units", "persons": "persons", "locations": "locations", "rt_rw": "locations",
                "dates": "dates", "dates_day_month": "dates", "incidents": "incidents",
                "seizures": "seizures", "activities": "activities"}


def norm(text: Any) -> str:
    """Lower case, punctuation removed, spaces collapsed: the guidelines' key normalization."""
    if text is None:
        return ""
    return _SPACES.sub(" ", _PUNCT.sub(" ", str(text).lower())).strip()


@lru_cache(maxsize=1)
def _config() -> dict[str, Any]:
    return load_yaml("scoring.yaml")


def unit_key(name: Any) -> str:
    """family + name: "Polrestro Bekasi Kota" -> "polres bekasi kota", "Polda Jatim" -> "polda jawa timur"."""
    text = norm(name)
    config = _config()
    for prefix, family in sorted(config["unit_families"].items(), key=lambda kv: -len(kv[0])):
        if text == prefix or text.startswith(prefix + " "):
            rest = text[len(prefix):].strip()
            if family == "polda":
                rest = config["polda_short_names"].get(rest, rest)
            return f"{family} {rest}".strip()
    return text


def territorial_unit_key(name: Any) -> str:
    """A unit compared by its territorial unit: "Satresnarkoba Polres Serang" -> "polres serang"."""
    words = norm(name).split()
    territorial = set(_config()["territorial_unit_words"])
    for index, word in enumerate(words):
        if word in territorial:
            return unit_key(" ".join(words[index:]))
    return unit_key(name)


def person_key(name: Any) -> str:
    """The set of name tokens, titles removed, as a sorted string."""
    titles = set(_config()["person_title_tokens"])
    tokens = {t for t in norm(name).split() if t not in titles}
    return " ".join(sorted(tokens))


def location_key(name: Any) -> str:
    """Name without level words and without spaces; Jakarta/Yogyakarta variants unified."""
    text = norm(name)
    for word in sorted(_config()["location_level_words"], key=len, reverse=True):
        text = re.sub(rf"(^|\s){re.escape(word)}(\s|$)", " ", text)
    key = text.replace(" ", "")
    return _config()["location_aliases"].get(key, key)


def rank_value(rank: Any) -> str:
    suffixes = set(_config()["rank_suffixes"])
    return " ".join(t for t in norm(rank).split() if t not in suffixes)


def _activity_key(entry: dict[str, Any]) -> str:
    kind = norm(entry.get("type"))
    if kind == "operasi" and entry.get("name"):
        return f"operasi {norm(entry.get('name'))}"
    return kind


def _rt_rw_number(entry: dict[str, Any]) -> str:
    level = entry.get("level")
    value = entry.get(level) if entry.get(level) not in (None, "") else entry.get("name")
    digits = re.sub(r"\D", "", str(value or ""))
    return f"{level} {int(digits)}" if digits else f"{level} {norm(value)}"


def _in_levels(levels: Iterable[str]) -> Callable[[dict[str, Any]], bool]:
    allowed = set(levels)
    return lambda entry: entry.get("level") in allowed


def _date_value(entry: dict[str, Any]) -> str:
    value = entry.get("value")
    return str(value)[:10] if value not in (None, "") else ""


@dataclass(frozen=True)
class FieldSpec:
    """How one field is keyed and which entries it scores."""

    key: Callable[[dict[str, Any]], str]
    keep: Callable[[dict[str, Any]], bool]


def _specs() -> dict[str, FieldSpec]:
    config = _config()
    return {
        "units": FieldSpec(lambda e: unit_key(e.get("name")), _in_levels(config["scored_unit_levels"])),
        "persons": FieldSpec(lambda e: person_key(e.get("name")), lambda e: True),
        "locations": FieldSpec(lambda e: location_key(e.get("name")), _in_levels(config["admin_levels"])),
        "rt_rw": FieldSpec(_rt_rw_number, _in_levels(["rt", "rw"])),
        "dates": FieldSpec(_date_value, lambda e: bool(e.get("value"))),
        "dates_day_month": FieldSpec(lambda e: _date_value(e)[5:], lambda e: bool(e.get("value"))),
        "incidents": FieldSpec(lambda e: norm(e.get("type")), lambda e: True),
        "seizures": FieldSpec(lambda e: norm(e.get("item")), lambda e: True),
        "activities": FieldSpec(_activity_key, lambda e: True),
    }


def _attribute_equal(field_name: str, attribute: str, gold: Any, pred: Any) -> bool:
    if attribute == "quantity":
        if gold is None or pred is None or (isinstance(pred, float) and pd.isna(pred)):
            return gold is None and (pred is None or (isinstance(pred, float) and pd.isna(pred)))
        return abs(float(gold) - float(pred)) <= 1e-6 * max(1.0, abs(float(gold)))
    if attribute == "rank":
        return rank_value(gold) == rank_value(pred)
    if attribute == "unit":
        return territorial_unit_key(gold) == territorial_unit_key(pred)
    return norm(gold) == norm(pred)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    attributes: dict[str, list[int]] = field(default_factory=dict)  # name -> [correct, total]

    def scores(self) -> dict[str, Any]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out: dict[str, Any] = {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(precision, 4),
                               "recall": round(recall, 4), "f1": round(f1, 4)}
        if not self.tp + self.fp + self.fn:  # nothing in gold, nothing predicted: no score, not zero
            out.update(precision=None, recall=None, f1=None)
        if self.attributes:
            out["attributes"] = {name: round(c / t, 4) if t else None for name, (c, t) in self.attributes.items()}
        return out


@dataclass
class ErrorItem:
    kind: str  # "FP" or "FN" or "ATTR"
    doc_id: str
    key: str
    detail: str
    sentence: str | None


def _variants(entry: dict[str, Any]) -> list[dict[str, Any]]:
    base = {k: v for k, v in entry.items() if k not in ("alt", "aliases", "optional")}
    return [base] + [{**base, **alt} for alt in entry.get("alt") or []]


def _gold_keys(entry: dict[str, Any], spec: FieldSpec) -> tuple[list[str], list[dict[str, Any]]]:
    """The keys a gold entry accepts, its own first, then its alts', then its aliases'."""
    variants = [v for v in _variants(entry) if spec.keep(v)]
    keys = [spec.key(v) for v in variants]
    for alias in entry.get("aliases") or []:
        for variant in variants:
            keys.append(spec.key({**variant, "name": alias, "item": alias}))
    return [k for k in dict.fromkeys(keys) if k], variants


def score_document(field_name: str, gold_entries: list[dict[str, Any]], pred_rows: list[dict[str, Any]],
                   counts: Counts, errors: list[ErrorItem], doc_id: str) -> None:
    """Match one document's gold entries with its predicted rows and update the counts."""
    spec = _specs()[field_name]
    predicted: dict[str, dict[str, Any]] = {}
    for row in pred_rows:
        if spec.keep(row):
            key = spec.key(row)
            if key and key not in predicted:
                predicted[key] = row
    golds: list[tuple[list[str], list[dict[str, Any]], bool]] = []
    seen: set[frozenset[str]] = set()
    for entry in sorted(gold_entries, key=lambda e: bool(e.get("optional"))):
        keys, variants = _gold_keys(entry, spec)
        if keys and frozenset(keys) not in seen:
            seen.add(frozenset(keys))
            golds.append((keys, variants, bool(entry.get("optional"))))
    unmatched = dict(predicted)
    for keys, variants, optional in golds:
        hit = next((k for k in keys if k in unmatched), None)
        if hit is None:
            if not optional:
                counts.fn += 1
                errors.append(ErrorItem("FN", doc_id, keys[0], json.dumps(variants[0], ensure_ascii=False), None))
            continue
        row = unmatched.pop(hit)
        if optional:
            continue
        counts.tp += 1
        for attribute in ATTRIBUTES.get(field_name, ()):
            tally = counts.attributes.setdefault(attribute, [0, 0])
            tally[1] += 1
            if any(_attribute_equal(field_name, attribute, v.get(attribute), row.get(attribute)) for v in variants):
                tally[0] += 1
            else:
                errors.append(ErrorItem("ATTR", doc_id, hit, f"{attribute}: gold {variants[0].get(attribute)!r}, "
                                        f"predicted {row.get(attribute)!r}", row.get("sentence")))
    for key, row in unmatched.items():
        counts.fp += 1
        errors.append(ErrorItem("FP", doc_id, key, f"predicted {row.get('mention')!r}", row.get("sentence")))


def load_gold(path: Path) -> list[dict[str, Any]]:
    """Gold documents, with the file and line in any error."""
    docs = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                docs.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: invalid JSON: {exc.msg}") from exc
    return docs


def load_predictions(pred: Path, doc_ids: set[str]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Predicted rows per table per document, from a Parquet dataset or a jsonl records folder."""
    by_doc: dict[str, dict[str, list[dict[str, Any]]]] = {d: {} for d in doc_ids}
    records = pred / "records.jsonl"
    if records.exists():
        for part in sorted(records.iterdir()) if records.is_dir() else [records]:
            for line in part.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                doc_id = record["document"]["doc_id"]
                if doc_id in by_doc:
                    by_doc[doc_id] = {t: rows for t, rows in record.items() if t != "document"}
        return by_doc
    for table in set(SOURCE_TABLE.values()) | {"documents"}:
        path = pred / f"{table}.parquet"
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such table in the prediction folder")
        frame = pd.read_parquet(path)
        frame = frame[frame["doc_id"].isin(doc_ids)]
        for row in frame.to_dict("records"):
            by_doc[row["doc_id"]].setdefault(table, []).append(
                {k: (None if not isinstance(v, (list, tuple)) and pd.isna(v) else v)
                 if not hasattr(v, "__len__") or isinstance(v, str) else v for k, v in row.items()})
    return by_doc


@dataclass
class ScoreReport:
    fields: dict[str, dict[str, Any]]
    macro_f1: float
    documents: int
    errors: dict[str, list[ErrorItem]]

    def as_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "macro_f1": self.macro_f1, "fields": self.fields}


def score(gold_docs: list[dict[str, Any]], predictions: dict[str, dict[str, list[dict[str, Any]]]]) -> ScoreReport:
    """Score predictions against gold documents, all fields."""
    results: dict[str, dict[str, Any]] = {}
    errors: dict[str, list[ErrorItem]] = {}
    for field_name in FIELDS + EXTRA_FIELDS:
        counts = Counts()
        field_errors: list[ErrorItem] = []
        table = SOURCE_TABLE[field_name]
        for gold in gold_docs:
            doc_id = gold["doc_id"]
            pred_rows = predictions.get(doc_id, {}).get(table, [])
            score_document(field_name, gold.get(table) or [], pred_rows, counts, field_errors, doc_id)
        results[field_name] = counts.scores()
        errors[field_name] = field_errors
    defined = [results[f]["f1"] for f in FIELDS if results[f]["f1"] is not None]
    macro = sum(defined) / len(defined) if defined else 0.0
    return ScoreReport(fields=results, macro_f1=round(macro, 4), documents=len(gold_docs), errors=errors)


def evidence_for(item: ErrorItem, texts: dict[str, str]) -> str | None:
    """The sentence of an error: the predicted one, or for a miss the first sentence naming it."""
    if item.sentence:
        return item.sentence
    text = texts.get(item.doc_id, "")
    try:
        needle = json.loads(item.detail)
    except json.JSONDecodeError:
        return None
    for probe in (needle.get("mention"), needle.get("name"), needle.get("item"), needle.get("type")):
        if probe:
            index = text.lower().find(str(probe).lower())
            if index >= 0:
                start = max(text.rfind(".", 0, index), text.rfind("\n", 0, index)) + 1
                end_candidates = [i for i in (text.find(".", index), text.find("\n", index)) if i >= 0]
                return text[start:min(end_candidates) + 1 if end_candidates else len(text)].strip()
    return None
