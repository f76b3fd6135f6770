"""Choose which ../shared/corpus/dev.jsonl documents get gold annotations.

Stratified by topic, at most a few documents per Polda, fixed seed: the choice is
reproducible and documented instead of hand-picked. Writes the id lists that the
annotators split into the dev and the held-out test gold files.
"""
from __future__ import annotations

import collections
import json
import random
import sys
from pathlib import Path

QUOTA = {"crime": 40, "community": 27, "operation": 15, "traffic": 12, "other": 6}
MAX_PER_REGION = 5
TEST_SHARE = 20


def main(corpus: Path, out: Path) -> None:
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(20261124)
    rng.shuffle(rows)
    per_region: collections.Counter[str] = collections.Counter()
    per_topic: collections.Counter[str] = collections.Counter()
    chosen: list[dict] = []
    for row in rows:
        topic, region = row.get("topic") or "other", row.get("region") or "none"
        if per_topic[topic] >= QUOTA.get(topic, 0) or per_region[region] >= MAX_PER_REGION:
            continue
        per_topic[topic] += 1
        per_region[region] += 1
        chosen.append(row)
    test = [r["id"] for r in chosen[:TEST_SHARE]]
    dev = [r["id"] for r in chosen[TEST_SHARE:]]
    out.write_text(json.dumps({"dev": sorted(dev), "test": sorted(test)}, indent=1) + "\n", encoding="utf-8")
    print(f"{len(dev)} dev, {len(test)} test, {len(per_region)} regions, topics {dict(per_topic)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
