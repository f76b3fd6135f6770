"""Set the CI accuracy floors (.ci/floors-NAME.txt) from fresh `kamtibmas score --json` results:
each field's F1 minus a margin, rounded down to two decimals.

Usage: python scripts/floors.py NAME=SCORES.json:MARGIN [...]
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

CI = Path(__file__).resolve().parents[1] / ".ci"


def floor(value: float, margin: float) -> str:
    return f"{max(0.0, math.floor((value - margin) * 100) / 100):.2f}"


def main(argv: list[str]) -> None:
    for arg in argv:
        name, _, rest = arg.partition("=")
        path, _, margin = rest.partition(":")
        report = json.loads(Path(path).read_text(encoding="utf-8"))
        floors = [f"macro={floor(report['macro_f1'], float(margin))}"]
        floors += [f"{field}={floor(r['f1'], float(margin))}" for field, r in report["fields"].items() if r["f1"] is not None]
        (CI / f"floors-{name}.txt").write_text(" ".join(floors) + "\n", encoding="utf-8")
        print(name, " ".join(floors))


if __name__ == "__main__":
    main(sys.argv[1:])
