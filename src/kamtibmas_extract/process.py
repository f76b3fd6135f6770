"""The per-document function: raw document in, validated `DocumentRecord` out.

read -> normalize -> spaCy pipeline (tokenizer, sentences, NER, extractors, linker) ->
pydantic validation. It never raises for a bad document: failures become a record with
`status="error"` and the message, so a batch goes on. The same function runs in the
local process pool and on Dask workers.

Like spaCy's `Language.pipe`, a batch goes through the pipeline one component at a time
(each component's code and data stay warm, and a component with a `pipe` method, persons
with NER, makes one model call for the whole batch).
"""
from __future__ import annotations

import datetime as dt
import re
import time
import traceback
from collections import defaultdict
from typing import Any, Iterator, Sequence
from urllib.parse import urlparse

from pydantic import ValidationError
from spacy.language import Language
from spacy.tokens import Doc

from .facts import TEXT_KEY, doc_text, facts, meta, sentence_bounds, sentence_of
from .io.readers import RawDocument
from .normalize import normalize
from .pipeline import MAX_CHARS, build_pipeline, component_passes
from .schema import FACT_TABLES, Document, DocumentRecord

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_URL_DATE = re.compile(r"/(20\d{2}|19\d{2})/(\d{1,2})/(\d{1,2})(?:/|$)")
_URL_COMPACT_DATE = re.compile(r"/(20\d{2})(\d{2})(\d{2})\d*(?:/|-|$)")
_PAGE_STAMP = re.compile(r"^\s*date (\d{4}-\d{2}-\d{2})\b")


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_published(value: str | None) -> dt.date | None:
    """The input's `published` metadata: ISO dates and timestamps, else a lenient parse."""
    if not value:
        return None
    match = _ISO_DATE.search(value)
    if match:
        return _safe_date(*(int(g) for g in match.groups()))
    import dateparser

    parsed = dateparser.parse(value, languages=["id", "en"], settings={"DATE_ORDER": "DMY"})
    return parsed.date() if parsed else None


def date_from_url(url: str | None) -> dt.date | None:
    """A publication date in the URL path (`/2025/03/20/`, `/20250320...`)."""
    if not url:
        return None
    path = urlparse(url).path
    for pattern in (_URL_DATE, _URL_COMPACT_DATE):
        match = pattern.search(path)
        if match:
            found = _safe_date(*(int(g) for g in match.groups()))
            if found:
                return found
    return None


#: Characters of text that go through the pipeline together (see `DocumentProcessor.process`).
PASS_CHARS = 1_000_000


def _groups(raws: Sequence[RawDocument], limit: int) -> Iterator[Sequence[RawDocument]]:
    """Consecutive runs of documents with at most `limit` characters of text in all (at least one document)."""
    start, size = 0, 0
    for index, raw in enumerate(raws):
        length = len(raw.text or "")
        if index > start and size + length > limit:
            yield raws[start:index]
            start, size = index, 0
        size += length
    if start < len(raws):
        yield raws[start:]


class DocumentProcessor:
    """Holds one loaded pipeline and turns raw documents into validated records."""

    def __init__(self, nlp: Language | None = None, ner: str | None = None) -> None:
        self.nlp = nlp if nlp is not None else build_pipeline(ner=ner)
        self.stage_seconds: dict[str, float] = defaultdict(float)

    def __call__(self, raw: RawDocument) -> DocumentRecord:
        return self.process([raw])[0]

    def process(self, raws: Sequence[RawDocument]) -> list[DocumentRecord]:
        """One record per raw document, in order. The documents pass the pipeline together in
        groups of at most `PASS_CHARS` characters (a longer document alone), so that memory
        follows the batch's text, not its count. If a component fails on a group, the group is
        done again one document at a time, so that only the document at fault gets an error."""
        records: list[DocumentRecord] = []
        for group in _groups(raws, PASS_CHARS):
            try:
                records += self._process(group)
            except Exception as exc:  # one bad document must not stop a batch
                records += [self(raw) for raw in group] if len(group) > 1 else [_exception_record(group[0], exc)]
        return records

    def _timed(self, stage: str, started: float) -> float:
        now = time.perf_counter()
        self.stage_seconds[stage] += now - started
        return now

    def _process(self, raws: Sequence[RawDocument]) -> list[DocumentRecord]:
        records: list[DocumentRecord | Doc] = []
        for raw in raws:
            try:
                records.append(self._prepare(raw))
            except Exception as exc:
                records.append(_exception_record(raw, exc))
        docs = [doc for doc in records if isinstance(doc, Doc)]
        started = time.perf_counter()
        for name, docs in component_passes(self.nlp, docs):
            started = self._timed(name, started)
        done = iter(docs)
        return [self._record(next(done), raw) if isinstance(record, Doc) else record
                for raw, record in zip(raws, records)]

    def _record(self, doc: Doc, raw: RawDocument) -> DocumentRecord:
        started = time.perf_counter()
        try:
            return self._validate(doc, raw)
        except Exception as exc:
            return _exception_record(raw, exc)
        finally:
            self._timed("validate", started)

    def _prepare(self, raw: RawDocument) -> DocumentRecord | Doc:
        """The tokenised Doc of a raw document, with its metadata; or its error record."""
        if raw.error is not None or raw.text is None:
            return _error_record(raw, raw.error or "no text")
        if len(raw.text) > 2 * MAX_CHARS:  # far over the limit: reject before paying for normalization
            return _too_long(raw, len(raw.text))
        started = time.perf_counter()
        norm = normalize(raw.text)
        started = self._timed("normalize", started)
        if not norm.text.strip():
            return _error_record(raw, f"{raw.source}: empty document (no text after normalization)")
        if len(norm.text) > MAX_CHARS:
            return _too_long(raw, len(norm.text))
        stamp = _PAGE_STAMP.match(norm.text)
        published = (parse_published(raw.published) or (parse_published(stamp.group(1)) if stamp else None)
                     or date_from_url(raw.url))
        doc = self.nlp.make_doc(norm.text)
        doc.user_data[TEXT_KEY] = norm.text  # spaCy's doc.text would rebuild it from the tokens
        self._timed("tokenizer", started)
        meta(doc).update(doc_id=raw.doc_id, published=published, url=raw.url, dateline=norm.dateline,
                         title=raw.title or norm.title, outlet=norm.outlet)
        return doc

    def _validate(self, doc: Doc, raw: RawDocument) -> DocumentRecord:
        found = facts(doc)
        text = doc_text(doc)
        info = meta(doc)
        title, dateline, outlet, published = info["title"], info["dateline"], info["outlet"], info["published"]
        if published is None:
            published = next((d["value"] for d in found.get("dates", []) if d.get("role") == "publication"
                              and d.get("value")), None)
        document = Document(
            doc_id=raw.doc_id, source=raw.source, outlet=raw.outlet or _host(raw.url) or outlet,
            title=raw.title or title, published=published, dateline=dateline, text=text,
            n_chars=len(text), status="ok", error=None, language="id", warning=raw.note,
        )
        bounds = sentence_bounds(doc)
        starts = [start for start, _ in bounds]
        record: dict[str, Any] = {"document": document}
        problems: list[str] = []
        for table, model in FACT_TABLES.items():
            rows = []
            for fact in found.get(table, []):
                start, end = bounds[sentence_of(starts, fact["start"])]
                sentence = text[start:max(end, fact["end"])].strip()
                try:
                    rows.append(model(doc_id=raw.doc_id, sentence=sentence, **fact))
                except ValidationError as exc:
                    problems.append(f"{table}: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}")
            record[table] = rows
        if problems:
            raise ValueError(f"invalid facts: {'; '.join(problems[:3])}")
        return DocumentRecord(**record)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlparse(url).hostname
    return host.removeprefix("www.") if host else None


def _lenient_published(value: str | None) -> dt.date | None:
    try:
        return parse_published(value)
    except (ValueError, OverflowError, TypeError):
        return None


def _too_long(raw: RawDocument, n_chars: int) -> DocumentRecord:
    return _error_record(raw, f"{raw.source}: document too long ({n_chars:,} characters; the limit is {MAX_CHARS:,})")


def _error_record(raw: RawDocument, message: str) -> DocumentRecord:
    text = raw.text if raw.text is not None and len(raw.text) <= MAX_CHARS else None
    return DocumentRecord(document=Document(
        doc_id=raw.doc_id, source=raw.source, outlet=raw.outlet or _host(raw.url), title=raw.title,
        published=_lenient_published(raw.published), dateline=None, text=text,
        n_chars=len(raw.text) if raw.text is not None else None, status="error", error=message, language=None,
    ))


def _exception_record(raw: RawDocument, exc: Exception) -> DocumentRecord:
    detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return _error_record(raw, f"{raw.source}: {detail}")
