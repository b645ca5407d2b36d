"""CPU seconds to read 2,000 units from CSV and to score them, for whichever code is imported.

Small and quick, to compare commits one by one (bench/RESULTS.md):

    for c in $(git rev-list --reverse BASE^..HEAD); do
        mkdir -p /tmp/c/$c && git archive $c | tar -x -C /tmp/c/$c
        PYTHONPATH=/tmp/c/$c python bench/steps.py
    done

The last line printed is one JSON object of the figures (best of 3).
"""

from __future__ import annotations

import gc
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import gen

from cchc_dsl.api import load_policy_text

UNITS = 2000


def best(run: Callable[[], object], runs: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        gc.collect()
        start = time.process_time()
        out = run()
        times.append(time.process_time() - start)
    return min(times), out


def main() -> None:
    text, generator = gen.generate(3, 5)
    compiled = load_policy_text(text, "bench-150.cchc")
    with tempfile.TemporaryDirectory(prefix="cchc-steps-") as folder:
        path = Path(folder) / "units.csv"
        gen.write_csv(path, generator, gen.units(generator, UNITS))
        read_s, facts = best(lambda: compiled.read_facts(path))
        score_s, _ = best(lambda: compiled.score(facts))  # type: ignore[arg-type]
    print(
        json.dumps({f"read_csv_{UNITS}_s": round(read_s, 3), f"score_{UNITS}_s": round(score_s, 3)})
    )


if __name__ == "__main__":
    main()
