"""Benchmark at archive scale: `swfacts run` end to end against bare `jieba.lcut`, in one run.

On a generated archive of N made-up articles (benchmarks/archive.py), one interleaved run measures:
bare `jieba.lcut` over every article's text (in this process, between the other contestants, so a
slow spell of the machine hits all alike; its mean is the yardstick), `swfacts run --extractors
rules` and `both` end to end in a fresh subprocess each (start-up, reading, the pipeline, the
store: what a user waits for) as ratios to it, articles/s, each run's peak RSS and database bytes
per input byte; `--workers 2` against one; the start-up of a one-file run; and a stage breakdown
from an in-process run with the pipeline's stage timers on (rules, the first `--profile` articles).

    .venv/bin/python benchmarks/scale.py 5000            # the README's table
    .venv/bin/python benchmarks/scale.py 1000 --skip both workers

Writes the table to stdout and everything to outputs/bench/scale-N.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from archive import write_archive  # noqa: E402

OUT = ROOT / "outputs" / "bench"


def _archive(n: int, seed: int) -> Path:
    path = OUT / f"archive-{n}-{seed}.jsonl"
    if not path.exists():
        write_archive(n, path, seed)
    return path


def _texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f]


def _jieba(texts: list[str]) -> float:
    t = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    return time.perf_counter() - t


def _db_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


def _swfacts(args: list[str], db: Path) -> dict:
    """One `swfacts run` in a fresh process: wall seconds, peak RSS (MiB, the largest process:
    the driver or a worker), database bytes."""
    cmd = [sys.executable, "-m", "extract", "run", *args, "--db", str(db)]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.read().decode()[-2000:]}")
    return {"seconds": seconds, "rss_mib": usage.ru_maxrss / 1024, "db_bytes": _db_bytes(db)}


def _stages(path: Path, n: int) -> dict[str, float]:
    """Seconds per stage in one process over the first `n` articles (rules), plus what the run
    spends outside the pipeline (reading, the store) as `read+store`."""
    from extract.db.store import Store
    from extract.pipeline import Pipeline, run

    with tempfile.TemporaryDirectory() as tmp:
        part = Path(tmp) / "part.jsonl"
        with path.open(encoding="utf-8") as f, part.open("w", encoding="utf-8") as out:
            for _, line in zip(range(n), f):
                out.write(line)
        timings: Counter = Counter()
        pipeline = Pipeline(extractors="rules", timings=timings)
        pipeline.nlp  # built before the clock starts: start-up is measured on its own
        store = Store(Path(tmp) / "facts.db")
        t = time.perf_counter()
        run([part], store, pipeline=pipeline, extractors="rules")
        total = time.perf_counter() - t
        store.db.close()
    timings["read+store"] = total - sum(timings.values())
    return {"total": total, **dict(timings)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=5000, help="articles in the generated archive")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", type=int, default=1000, help="articles in the stage breakdown")
    parser.add_argument("--skip", nargs="*", default=[], choices=["both", "workers", "stages", "startup"])
    args = parser.parse_args()

    archive = _archive(args.n, args.seed)
    texts = _texts(archive)
    chars = sum(map(len, texts))
    in_bytes = archive.stat().st_size
    jieba.initialize()
    jieba.lcut(texts[0])

    contestants = [("rules", ["--extractors", "rules"])]
    if "both" not in args.skip:
        contestants.append(("both", ["--extractors", "both"]))
    if "workers" not in args.skip:
        contestants.append(("rules, 2 workers", ["--extractors", "rules", "--workers", "2"]))

    jieba_runs, results = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, options in contestants:
            jieba_runs.append(_jieba(texts))
            print(f"… {name}", file=sys.stderr)
            results[name] = _swfacts([str(archive), *options], Path(tmp) / f"{len(results)}.db")
        jieba_runs.append(_jieba(texts))
        if "startup" not in args.skip:
            one = Path(tmp) / "one.txt"
            one.write_text(texts[0], encoding="utf-8")
            # the first run creates the database (its divisions table: 44,694 rows), the second is
            # the start-up a user pays each time
            results["start-up, new database"] = _swfacts([str(one), "--extractors", "rules"], Path(tmp) / "one.db")
            results["start-up (one file, rules)"] = _swfacts([str(one), "--extractors", "rules", "--force"],
                                                             Path(tmp) / "one.db")
    bare = sum(jieba_runs) / len(jieba_runs)

    report = {"articles": args.n, "chars": chars, "input_bytes": in_bytes, "jieba_seconds": jieba_runs,
              "jieba_chars_per_second": chars / bare, "runs": results}
    print(f"\n{args.n} generated articles, {chars / 1e6:.2f} M characters, {in_bytes / 1e6:.1f} MB JSON Lines; "
          f"bare jieba.lcut {bare:.1f} s ({chars / bare / 1e3:.0f}k chars/s, mean of {len(jieba_runs)})\n")
    print("| run | seconds | × jieba | articles/s | peak RSS MiB | db bytes / input byte |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        if name.startswith("start-up"):
            continue
        print(f"| {name} | {r['seconds']:.1f} | {r['seconds'] / bare:.2f} | {args.n / r['seconds']:.0f} "
              f"| {r['rss_mib']:.0f} | {r['db_bytes'] / in_bytes:.2f} |")
    if "rules, 2 workers" in results:
        speedup = results["rules"]["seconds"] / results["rules, 2 workers"]["seconds"]
        report["workers_speedup"] = speedup
        print(f"\n2 workers vs 1: {speedup:.2f}×")
    if "start-up (one file, rules)" in results:
        print(f"start-up, a one-file run (rules) into an existing database: "
              f"{results['start-up (one file, rules)']['seconds']:.2f} s "
              f"(into a new one: {results['start-up, new database']['seconds']:.2f} s)")

    if "stages" not in args.skip:
        n = min(args.profile, args.n)
        stages = _stages(archive, n)
        report["stages"] = stages
        print(f"\nstages, in one process over {n} articles (rules), share of {stages['total']:.1f} s:\n")
        print("| stage | seconds | share |")
        print("|---|---:|---:|")
        for name, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
            if name != "total":
                print(f"| {name} | {seconds:.2f} | {seconds / stages['total']:.0%} |")
        jieba_n = sum(map(len, texts[:n])) / (chars / bare)
        print(f"\n(bare jieba over the same {n} articles: {jieba_n:.2f} s)")

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"scale-{args.n}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
