"""Write (or check) the README's scoreboard from fresh `kamtibmas score --json` results.

Usage: python scripts/scoreboard.py NAME=SCORES.json [NAME=SCORES.json ...] [--check | --write]
(`SCOREBOARD_MODE=--write bash .ci/score-gate` refreshes the README from a fresh run.)
With --check it fails when the README's table differs from the one the scores give, so
CI notices a scoreboard that no longer matches a fresh run.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- scoreboard -->", "<!-- /scoreboard -->"
FIELDS = ("units", "persons", "locations", "rt_rw", "dates", "dates_day_month", "incidents", "seizures", "activities")


def table(results: dict[str, dict]) -> str:
    names = list(results)
    lines = ["| field | " + " | ".join(f"{n} P | {n} R | {n} F1" for n in names) + " |",
             "|---|" + "---:|" * (3 * len(names))]
    for field in FIELDS:
        cells = []
        for name in names:
            r = results[name]["fields"][field]
            cells += ["-" if r[k] is None else f"{r[k]:.3f}" for k in ("precision", "recall", "f1")]
        lines.append(f"| {field} | " + " | ".join(cells) + " |")
    macro = [cell for n in names for cell in ("", "", f"**{results[n]['macro_f1']:.3f}**")]
    lines.append("| **macro F1** | " + " | ".join(macro) + " |")
    docs = ", ".join(f"{n}: {results[n]['documents']} documents" for n in names)
    return f"{START}\n{docs}.\n\n" + "\n".join(lines) + f"\n{END}"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    results = {}
    for arg in (a for a in argv if not a.startswith("--")):
        name, _, path = arg.partition("=")
        results[name] = json.loads(Path(path).read_text(encoding="utf-8"))
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    new = head + table(results) + tail
    if check:
        if new != text:
            print("README scoreboard differs from a fresh run; run scripts/scoreboard.py without --check")
            return 1
        print("README scoreboard matches the fresh run")
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
