"""Where pattern data and models live, for a source checkout and for an installed wheel.

The wheel carries `patterns/` inside the package; a source checkout (editable install,
tests) reads the repository's top-level folders. Keeping the lookup in one place lets
every loader stay ignorant of how the package was installed.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import yaml

_PKG = Path(__file__).resolve().parent
_REPO = _PKG.parent.parent


def _first_existing(name: str) -> Path:
    for candidate in (_PKG / name, _REPO / name):
        if candidate.exists():
            return candidate
    return _REPO / name


def patterns_dir() -> Path:
    """The folder holding the rule data (`patterns/`)."""
    return _first_existing("patterns")


def models_dir() -> Path:
    """The folder holding shipped models (`models/`)."""
    return _first_existing("models")


@functools.lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    """Load `patterns/<name>` (YAML), cached: rule files are read once per process."""
    path = patterns_dir() / name
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@functools.lru_cache(maxsize=None)
def load_jsonl(name: str) -> tuple[dict[str, Any], ...]:
    """Load `patterns/<name>` (JSON Lines), cached, with the line number in any error."""
    path = patterns_dir() / name
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: invalid JSON: {exc.msg}") from exc
    return tuple(rows)
