"""Train the NER back ends from ../shared/ner (spaCy with the committed config; stanza
with its own trainer, on the same sentences) and score them the way the issue asks:
entity-level (exact span and label) P/R/F1 per label on each test split."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import zlib
from contextlib import nullcontext
from pathlib import Path
from typing import TypedDict

import spacy
from spacy.cli.train import train as spacy_train
from spacy.training.initialize import convert_vectors
from spacy.util import load_config
from spacy.vocab import Vocab

from kamtibmas_extract.ner.backend import BACKENDS
from kamtibmas_extract.ner.weak import gold_ids, weak_sentences
from kamtibmas_extract.ner.conll import (
    DATASETS,
    LABELS,
    Sentence,
    bio_spans,
    read_split,
    to_docbin,
)
from kamtibmas_extract.resources import models_dir

CONFIG_PATH = models_dir() / "ner" / "config.cfg"
GOLD_DIR = models_dir().parent / "data" / "gold"
VECTOR_DIM = 64  # static vectors of the spaCy model; stanza gets 100


class Score(TypedDict):
    p: float
    r: float
    f1: float
    support: int


def training_sentences(shared: Path, split: str) -> list[Sentence]:
    """The union of the three sets' `split` ("train" or "dev"), minus test sentences.

    NERP shares news sentences with idner-news-2k (lowercased): 216 of idner's 509 test
    sentences are in NERP's train split. Any train or dev sentence that also occurs in
    a test split (compared lowercased) is therefore left out, so the test scores measure
    text the model has not seen.
    """
    tests = {_key(s) for name in DATASETS for s in read_split(shared, name, "test")}
    return [s for name in DATASETS for s in read_split(shared, name, split) if _key(s) not in tests]


def _key(sentence: Sentence) -> str:
    return " ".join(sentence.words).lower()


def convert(shared: Path, workdir: Path, weak: list[Sentence] = []) -> tuple[Path, Path]:
    """Write the training sentences (plus `weak` ones, see `ner.weak`) and the dev sentences
    as DocBins for spaCy. The dev sets stay the public sets' own: they pick the checkpoint."""
    vocab = Vocab()
    paths = []
    for split, extra in (("train", weak), ("dev", [])):
        path = workdir / f"{split}.spacy"
        to_docbin(training_sentences(shared, split) + extra, vocab).to_disk(path)
        paths.append(path)
    return paths[0], paths[1]


def train_ner(
    shared: Path,
    out: Path,
    seed: int = 0,
    config: Path = CONFIG_PATH,
    workdir: Path | None = None,
    gold_dir: Path | None = GOLD_DIR,
) -> Path:
    """Convert the data, train word vectors, train with `config` and write the best model
    (on the dev sets) to `out`. Needs gensim for the vectors.

    With `gold_dir` (data/gold of the source checkout) the corpus articles without gold
    annotation are added, labelled by the rules (`ner.weak`), and the gold articles are
    kept out of the word vectors too; `gold_dir=None` trains on the public sets alone.

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
        weak = weak_sentences(Path(shared), gold_dir) if gold_dir is not None else []
        train_path, dev_path = convert(Path(shared), work, weak)
        excluded = gold_ids(gold_dir) if gold_dir is not None else set()
        vectors = train_word_vectors(Path(shared), work / "vectors.txt", seed=seed, dim=VECTOR_DIM, exclude=excluded)
        nlp = spacy.blank("id")
        convert_vectors(nlp, vectors, truncate=0, prune=-1, attr="NORM")
        nlp.to_disk(work / "vectors")
        overrides = {
            "paths.train": str(train_path), "paths.dev": str(dev_path),
            "paths.vectors": str(work / "vectors"), "system.seed": seed,
        }
        spacy_train(config, work / "training", use_gpu=-1, overrides=overrides)
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(work / "training" / "model-best", out)
    _finish_model(out, seed, weak=gold_dir is not None)
    return out


def _finish_model(model: Path, seed: int, weak: bool) -> None:
    """Name the pipeline and record its provenance in meta.json (spaCy writes placeholders),
    and drop this machine's temporary data paths from the saved config."""
    path = model / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update(
        name="kamtibmas_ner_id",
        version="0.1.0",
        spacy_version=">=3.7.0,<3.9.0",
        description="PER/ORG/LOC NER for Indonesian news, trained by `kamtibmas train-ner` (see models/MODEL_CARD.md)",
        license="MIT (model); training data MIT (idner-news-2k) and Apache-2.0 (NERP, NERGrit)",
        sources=[{"name": name, "split": "train+dev"} for name in DATASETS]
        + ([{"name": "shared/corpus/dev.jsonl without data/gold articles", "split": "rule-labelled"}] if weak else []),
        seed=seed,
    )
    path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    config = load_config(model / "config.cfg")
    config["paths"].update(train=None, dev=None, vectors=None)
    config.to_disk(model / "config.cfg")


def _stable_hash(word: str) -> int:
    """gensim seeds each word vector with a hash; Python's own is salted per process."""
    return zlib.crc32(word.encode("utf-8"))


def train_word_vectors(shared: Path, path: Path, seed: int = 0, dim: int = 100, max_rows: int = 20000,
                       exclude: set[str] = set()) -> Path:
    """Skip-gram vectors (lowercased, at most `max_rows` words) for the spaCy model's
    static vectors and for stanza, which needs pretrained vectors; trained here on the
    training sentences and, when present, the articles of shared/corpus/dev.jsonl whose
    id is not in `exclude`, since nothing can be downloaded. Needs gensim."""
    from gensim.models import Word2Vec

    texts = [[w.lower() for w in s.words] for split in ("train", "dev") for s in training_sentences(shared, split)]
    corpus = Path(shared) / "corpus" / "dev.jsonl"
    if corpus.is_file():
        tokenizer = spacy.blank("id").tokenizer
        with corpus.open(encoding="utf-8") as handle:
            for line in handle:
                article = json.loads(line)
                if article.get("id") in exclude:
                    continue
                for paragraph in article["text"].splitlines():
                    words = [t.lower_ for t in tokenizer(paragraph) if not t.is_space]
                    if words:
                        texts.append(words)
    model = Word2Vec(
        texts, vector_size=dim, window=5, min_count=2, sg=1, epochs=10,
        max_final_vocab=max_rows, workers=1, seed=seed, hashfxn=_stable_hash,
    )
    model.wv.save_word2vec_format(str(path))
    return path


def train_stanza_ner(
    shared: Path, out: Path, seed: int = 0, workdir: Path | None = None, max_steps: int = 6000
) -> Path:
    """Train stanza's BiLSTM-CRF NER with its own trainer on the same sentences as the
    spaCy model, writing ner.pt, pretrain.pt and an empty resources.json (so stanza's
    Pipeline loads with downloads disabled) to `out`. Needs the `stanza` extra and gensim."""
    from stanza.models import ner_tagger
    from stanza.models.common.pretrain import Pretrain

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    context = nullcontext(str(workdir)) if workdir is not None else tempfile.TemporaryDirectory()
    with context as tmp:
        work = Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        vectors = train_word_vectors(Path(shared), work / "vectors.txt", seed=seed)
        Pretrain(str(out / "pretrain.pt"), str(vectors)).load()
        for split in ("train", "dev"):
            data = [[{"text": w, "ner": t} for w, t in zip(s.words, s.tags)] for s in training_sentences(shared, split)]
            (work / f"{split}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        ner_tagger.main([
            "--mode", "train", "--shorthand", "id_kamtibmas", "--cpu", "--seed", str(seed),
            "--train_file", str(work / "train.json"), "--eval_file", str(work / "dev.json"),
            "--wordvec_pretrain_file", str(out / "pretrain.pt"),
            "--save_dir", str(out), "--save_name", "ner.pt", "--max_steps", str(max_steps),
        ])
    (out / "resources.json").write_text("{}\n", encoding="utf-8")
    return out


def _prf(gold: set[tuple[int, int, int, str]], pred: set[tuple[int, int, int, str]]) -> Score:
    hit = len(gold & pred)
    p = hit / len(pred) if pred else 0.0
    r = hit / len(gold) if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Score(p=p, r=r, f1=f1, support=len(gold))


def evaluate_ner(model_path: Path, shared: Path, backend: str = "spacy") -> dict[str, dict[str, Score]]:
    """Entity-level P/R/F1 per label ("PER", "ORG", "LOC") and overall ("ALL", micro) on
    each test split, on the gold tokenisation, as seqeval scores it (exact span and label).
    """
    ner = BACKENDS[backend](model_path)
    results: dict[str, dict[str, Score]] = {}
    for name in DATASETS:
        sentences = read_split(Path(shared), name, "test")
        found = ner.token_entities([s.words for s in sentences])
        gold = {(i, *span) for i, s in enumerate(sentences) for span in bio_spans(s.tags)}
        pred = {(i, *span) for i, spans in enumerate(found) for span in spans}
        scores = {
            label: _prf({g for g in gold if g[3] == label}, {p for p in pred if p[3] == label})
            for label in LABELS
        }
        scores["ALL"] = _prf(gold, pred)
        results[name] = scores
    return results


def words_per_second(model_path: Path, shared: Path, backend: str = "spacy", rounds: int = 3) -> float:
    """Speed of the NER alone (tokenisation excluded) over all test splits, best of
    `rounds`, in CPU time so that other load on the machine does not count; run it
    with one thread (OMP_NUM_THREADS=1) to get a per-core figure."""
    ner = BACKENDS[backend](model_path)
    sentences = [s.words for name in DATASETS for s in read_split(Path(shared), name, "test")]
    words = sum(len(s) for s in sentences)
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        ner.token_entities(sentences)
        best = min(best, time.process_time() - start)
    return words / best


def format_scores(results: dict[str, dict[str, Score]]) -> str:
    """A Markdown table of `evaluate_ner` results, as printed by the CLI and the model card."""
    lines = ["| test set | label | P | R | F1 | gold entities |", "|---|---|---|---|---|---|"]
    for name, scores in results.items():
        for label in (*LABELS, "ALL"):
            s = scores[label]
            lines.append(f"| {name} | {label} | {s['p']:.3f} | {s['r']:.3f} | {s['f1']:.3f} | {s['support']} |")
    return "\n".join(lines)
