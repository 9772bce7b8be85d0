"""Experiment: does the trained program classifier (extract/models/program_classifier.py) help beside the rules?

Scores programs F1 on the seeds, the dev pages and the held-out pages, rules alone and rules plus
the classifier at several thresholds; every page is scored with a classifier trained without it
(leave-one-page-out over corpus/gold, corpus/dev and corpus/dev2; held-out pages are never trained on).
Run: .venv/bin/python benchmarks/program_classifier.py [--thresholds 0.5 0.7 0.9] [--sets seeds dev dev2]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import extract.models.program_classifier as program_model
from extract.train.programs import NAMED_TRAINING_SETS, held_out_pipelines
from extract.eval.evaluate import evaluate

ROOT = Path(__file__).resolve().parent.parent
# the training sets (each page scored by a classifier trained without it) and the held-out set
SETS = {**NAMED_TRAINING_SETS,
        "held-out": (ROOT / "corpus" / "heldout" / "gold", ROOT / "corpus" / "heldout" / "pages")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--thresholds", nargs="+", type=float, default=[0.5, 0.7, 0.8, 0.9])
    parser.add_argument("--sets", nargs="+", choices=list(SETS), default=list(SETS),
                        help="which gold sets to score (leave out held-out sets while tuning)")
    args = parser.parse_args()
    sets = {name: SETS[name] for name in args.sets}
    print(f"{'programs F1':<22}" + "".join(f"{name:>10}" for name in sets))
    rules = [evaluate(g, p, extractors="rules").scores["programs"].f1 for g, p in sets.values()]
    print(f"{'rules':<22}" + "".join(f"{f:10.3f}" for f in rules))
    for threshold in args.thresholds:
        program_model.ADD = threshold
        row = [evaluate(g, p, extractors="both", pipeline_for=held_out_pipelines(g, p)).scores["programs"].f1
               for g, p in sets.values()]
        print(f"{f'+ classifier ≥ {threshold:.2f}':<22}" + "".join(f"{f:10.3f}" for f in row))


if __name__ == "__main__":
    main()
