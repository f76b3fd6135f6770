"""Train the spaCy NER from ../shared/ner with the committed config, and score it the
way the issue asks: entity-level (exact span and label) P/R/F1 per label per test set."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path
from typing import TypedDict

from spacy.cli.train import train as spacy_train
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kamtibmas_extract.ner.backend import load_spacy_ner
from kamtibmas_extract.ner.conll import DATASETS, LABELS, Sentence, bio_spans, read_split, to_docbin
from kamtibmas_extract.resources import models_dir

CONFIG_PATH = models_dir() / "ner" / "config.cfg"


class Score(TypedDict):
    p: float
    r: float
    f1: float
    support: int


def convert(shared: Path, workdir: Path) -> tuple[Path, Path]:
    """Write the union of the three training sets, and of the three dev sets, as DocBins.

    NERP shares news sentences with idner-news-2k (lowercased): 216 of idner's 509 test
    sentences are in NERP's train split. Any train or dev sentence that also occurs in
    a test split (compared lowercased) is therefore left out, so the test scores measure
    text the model has not seen.
    """
    tests = {_key(s) for name in DATASETS for s in read_split(shared, name, "test")}
    vocab = Vocab()
    paths = []
    for split in ("train", "dev"):
        sentences = [s for name in DATASETS for s in read_split(shared, name, split) if _key(s) not in tests]
        path = workdir / f"{split}.spacy"
        to_docbin(sentences, vocab).to_disk(path)
        paths.append(path)
    return paths[0], paths[1]


def _key(sentence: Sentence) -> str:
    return " ".join(sentence.words).lower()


def train_ner(
    shared: Path,
    out: Path,
    seed: int = 0,
    config: Path = CONFIG_PATH,
    workdir: Path | None = None,
) -> Path:
    """Convert the data, train with `config` and write the best model (on the dev sets) to `out`.

    `workdir` keeps the DocBins and spaCy's training output for inspection; by default
    they go to a temporary directory. An existing `out` is replaced only if it is a
    spaCy pipeline, so a wrong path cannot wipe an unrelated folder.
    """
    out = Path(out)
    if out.exists() and not (out / "meta.json").is_file():
        raise FileExistsError(f"{out} exists and is not a spaCy pipeline; not overwriting it")
    context = nullcontext(str(workdir)) if workdir is not None else tempfile.TemporaryDirectory()
    with context as tmp:
        work = Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        train_path, dev_path = convert(Path(shared), work)
        overrides = {"paths.train": str(train_path), "paths.dev": str(dev_path), "system.seed": seed}
        spacy_train(config, work / "training", use_gpu=-1, overrides=overrides)
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(work / "training" / "model-best", out)
    _write_meta(out, seed)
    return out


def _write_meta(model: Path, seed: int) -> None:
    """Name the pipeline and record its provenance in meta.json (spaCy writes placeholders)."""
    path = model / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update(
        name="kamtibmas_ner_id",
        version="0.1.0",
        description="PER/ORG/LOC NER for Indonesian news, trained by `kamtibmas train-ner` (see models/MODEL_CARD.md)",
        license="MIT (model); training data MIT (idner-news-2k) and Apache-2.0 (NERP, NERGrit)",
        sources=[{"name": name, "split": "train+dev"} for name in DATASETS],
        seed=seed,
    )
    path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _prf(gold: set[tuple[int, int, int, str]], pred: set[tuple[int, int, int, str]]) -> Score:
    hit = len(gold & pred)
    p = hit / len(pred) if pred else 0.0
    r = hit / len(gold) if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Score(p=p, r=r, f1=f1, support=len(gold))


def evaluate_ner(model_path: Path, shared: Path) -> dict[str, dict[str, Score]]:
    """Entity-level P/R/F1 per label ("PER", "ORG", "LOC") and overall ("ALL", micro) on
    each test split, on the gold tokenisation, as seqeval scores it (exact span and label).
    """
    nlp = load_spacy_ner(model_path)
    results: dict[str, dict[str, Score]] = {}
    for name in DATASETS:
        sentences = read_split(Path(shared), name, "test")
        docs = [Doc(nlp.vocab, words=s.words) for s in sentences]
        gold = {(i, *span) for i, s in enumerate(sentences) for span in bio_spans(s.tags)}
        pred = {(i, e.start, e.end, e.label_) for i, doc in enumerate(nlp.pipe(docs)) for e in doc.ents}
        scores = {
            label: _prf({g for g in gold if g[3] == label}, {p for p in pred if p[3] == label})
            for label in LABELS
        }
        scores["ALL"] = _prf(gold, pred)
        results[name] = scores
    return results


def words_per_second(model_path: Path, shared: Path, rounds: int = 3) -> float:
    """Speed of the NER alone (tokenisation excluded) over all test splits, best of
    `rounds`; run it with one thread (OMP_NUM_THREADS=1) to get a per-core figure."""
    nlp = load_spacy_ner(model_path)
    words = [w for name in DATASETS for s in read_split(Path(shared), name, "test") for w in s.words]
    best = float("inf")
    for _ in range(rounds):
        docs = [Doc(nlp.vocab, words=words[i : i + 500]) for i in range(0, len(words), 500)]
        start = time.process_time()
        for _doc in nlp.pipe(docs):
            pass
        best = min(best, time.process_time() - start)
    return len(words) / best


def format_scores(results: dict[str, dict[str, Score]]) -> str:
    """A Markdown table of `evaluate_ner` results, as printed by the CLI and the model card."""
    lines = ["| test set | label | P | R | F1 | gold entities |", "|---|---|---|---|---|---|"]
    for name, scores in results.items():
        for label in (*LABELS, "ALL"):
            s = scores[label]
            lines.append(f"| {name} | {label} | {s['p']:.3f} | {s['r']:.3f} | {s['f1']:.3f} | {s['support']} |")
    return "\n".join(lines)
