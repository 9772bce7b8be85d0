"""Benchmark: the pipeline's time per page against bare `jieba.lcut` on the same text, in one run.

A ratio measured in one process is robust to a noisy machine; absolute seconds are not. With
several extractor modes, each is timed in the same run and also reported against the first
(`--extractors rules both` gives the cost of the model beside the rules; the target is ≤ 2×).
Run: .venv/bin/python benchmarks/ratio.py [--repeat 20] [--extractors rules [both ...]]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import jieba

from extract.pipeline import Pipeline, source_from_text
from extract.base.dictionary import init_jieba

SEEDS = Path(__file__).parent.parent / "corpus" / "seeds"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="how many times the seed pages are processed")
    parser.add_argument("--extractors", nargs="+", choices=["rules", "model", "both"], default=["rules"],
                        help="which extractors the pipeline runs (several: each is timed, in one run)")
    args = parser.parse_args()
    pages = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] * args.repeat
    init_jieba()
    pipelines = {mode: Pipeline(extractors=mode) for mode in args.extractors}
    for pipeline in pipelines.values():
        pipeline.process(source_from_text(pages[0]), run_id="warm-up")  # loads spaCy, jieba, the model
    jieba.lcut(pages[0])

    # Interleaved page by page, so a slow spell of the machine hits every contestant alike.
    seconds = {"jieba": 0.0, **{mode: 0.0 for mode in pipelines}}
    for i, page in enumerate(pages):
        t = time.perf_counter()
        jieba.lcut(page)
        seconds["jieba"] += time.perf_counter() - t
        for mode, pipeline in pipelines.items():
            t = time.perf_counter()
            pipeline.process(source_from_text(page, key=str(i)), run_id="bench")
            seconds[mode] += time.perf_counter() - t

    bare = seconds["jieba"]
    first = args.extractors[0]
    print(f"{len(pages)} pages: jieba.lcut {bare:.2f} s")
    for mode in pipelines:
        line = f"  pipeline ({mode}) {seconds[mode]:.2f} s, ratio to jieba {seconds[mode] / bare:.2f}"
        if mode != first:
            line += f", to {first} {seconds[mode] / seconds[first]:.2f}"
        print(line)


if __name__ == "__main__":
    main()
