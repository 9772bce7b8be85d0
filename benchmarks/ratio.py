"""Benchmark: the pipeline's time per page against bare `jieba.lcut` on the same text, in one run.

A ratio measured in one process is robust to a noisy machine; absolute seconds are not.
Run: .venv/bin/python benchmarks/ratio.py [--repeat 20] [--extractors rules|model|both]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import jieba

from extract.pipeline import Pipeline, source_from_text
from extract.segment import init_jieba

SEEDS = Path(__file__).parent.parent / "corpus" / "seeds"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="how many times the seed pages are processed")
    parser.add_argument("--extractors", choices=["rules", "model", "both"], default="rules",
                        help="which extractors the pipeline runs")
    args = parser.parse_args()
    pages = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] * args.repeat
    init_jieba()
    pipeline = Pipeline(extractors=args.extractors)
    pipeline.process(source_from_text(pages[0]), run_id="warm-up")  # loads spaCy and jieba once
    jieba.lcut(pages[0])

    t = time.perf_counter()
    for page in pages:
        jieba.lcut(page)
    bare = time.perf_counter() - t

    t = time.perf_counter()
    for i, page in enumerate(pages):
        pipeline.process(source_from_text(page, key=str(i)), run_id="bench")
    ours = time.perf_counter() - t
    print(f"{len(pages)} pages: jieba.lcut {bare:.2f} s, pipeline ({args.extractors}) {ours:.2f} s, "
          f"ratio {ours / bare:.2f}")


if __name__ == "__main__":
    main()
