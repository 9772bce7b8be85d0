"""What committing a chunk of sources at a time saves in the store (`swfacts run --commit-every`).

The pipeline runs once over a made-up archive (tests/test_run_safety.py's generator); its results
are then stored again and again into fresh database files, one commit per source and one per
chunk, interleaved, so only the store's time is compared. Prints the median of `--repeat` rounds.

    .venv/bin/python benchmarks/store_chunks.py --articles 400 --repeat 3
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.db.store import Store  # noqa: E402
from extract.pipeline import Pipeline  # noqa: E402
from extract.pipeline.process import PageResult  # noqa: E402
from extract.text.ingest import RawSource, discover, read_sources  # noqa: E402


def _make_archive():
    spec = importlib.util.spec_from_file_location("run_safety", ROOT / "tests" / "test_run_safety.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_archive


def store_seconds(results: list[PageResult], db: Path, chunk: int) -> float:
    with Store(db) as store:
        store.sync_divisions()
        started = time.perf_counter()
        with store.chunks(size=chunk, seconds=float("inf")):
            for r in results:
                store.replace_source(r.source, r.articles, r.records, fingerprint="bench", run_id="bench")
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chunks", type=int, nargs="+", default=[1, 10, 50, 200])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        archive = _make_archive()(tmp / "news.jsonl", n=args.articles)
        files, _ = discover([archive])
        pipeline = Pipeline(extractors="rules")
        results = [pipeline.process(raw, "bench") for raw in read_sources(files) if isinstance(raw, RawSource)]
        times: dict[int, list[float]] = {c: [] for c in args.chunks}
        for round_ in range(args.repeat):
            for chunk in args.chunks:  # interleaved: a load spike hits every setting alike
                times[chunk].append(store_seconds(results, tmp / f"r{round_}c{chunk}.db", chunk))
        base = statistics.median(times[args.chunks[0]])
        print(f"{len(results)} sources, {sum(len(r.articles) for r in results)} articles; "
              f"median of {args.repeat} rounds")
        print(f"{'commit every':>12}  {'store s':>8}  {'ms/source':>9}  {'vs ' + str(args.chunks[0]):>6}")
        for chunk in args.chunks:
            m = statistics.median(times[chunk])
            print(f"{chunk:>12}  {m:8.2f}  {1000 * m / len(results):9.2f}  {m / base:6.2f}")


if __name__ == "__main__":
    main()
