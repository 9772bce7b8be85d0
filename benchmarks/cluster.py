"""Benchmark: one-process `swfacts run` against `swfacts run --dask local:2`, on a generated archive.

Times, each in a fresh subprocess (start-up, cluster start, reading, the pipeline, shards, merge:
what a user waits for): `swfacts run ARCHIVE --extractors rules`, the same with `--dask local:N`
(the archive cut into `--partition-size` ranges; the client merges each partition as it
finishes), the rerun that finds every partition done, and `--no-merge` then `swfacts merge` (so
the serial SQLite load shows apart).
Checks that both databases hold the same rows (every table but `runs`, run ids masked). The
scheduler's overhead per partition is measured twice: from the Dask run itself (workers × the wall
time of the compute phase, less the tasks' own seconds, per partition) and with empty tasks on a
LocalCluster of the same size (wall time per task, submit to result).

    .venv/bin/python benchmarks/cluster.py 2000 --workers 2 --partition-size 256KB

Writes the table to stdout and everything to outputs/bench/cluster-N.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from archive import write_archive  # noqa: E402

OUT = ROOT / "outputs" / "bench"
SWFACTS = str(Path(sys.executable).with_name("swfacts"))


def _timed(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run([SWFACTS, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def _masked(db: Path) -> list[str]:
    from extract.db.store import Store

    with Store(db) as store:
        return store.dump_without_runs()


def _noop(i: int) -> int:
    return i


def _empty_tasks(workers: int, n: int) -> dict:
    from distributed import Client, LocalCluster

    t = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as c, \
            Client(c) as client:
        start = time.perf_counter() - t
        client.submit(_noop, -1, pure=False).result()  # warm
        t = time.perf_counter()
        client.gather([client.submit(_noop, i, pure=False) for i in range(n)])
        per_task = (time.perf_counter() - t) / n
    return {"cluster_start_s": round(start, 3), "empty_task_ms": round(per_task * 1000, 3), "tasks": n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=2000, help="articles in the generated archive")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partition-size", default="256KB")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    archive = OUT / f"archive-{args.n}-{args.seed}.jsonl"
    if not archive.exists():
        write_archive(args.n, archive, args.seed)
    with tempfile.TemporaryDirectory(prefix="swfacts-cluster-") as tmp:
        one, dask_db = Path(tmp) / "one.db", Path(tmp) / "dask.db"
        t_one = _timed(["run", str(archive), "--extractors", "rules", "--db", str(one)])
        dask_args = ["run", str(archive), "--extractors", "rules", "--db", str(dask_db),
                     "--dask", f"local:{args.workers}", "--partition-size", args.partition_size]
        t_dask = _timed(dask_args)  # merging each partition as it finishes
        t_rerun = _timed(dask_args)
        # the same, shards only, then the merge: the serial SQLite load apart
        apart = ["--db", str(Path(tmp) / "apart.db"), "--shards", str(Path(tmp) / "apart")]
        t_compute = _timed([*dask_args[:-6], *dask_args[-4:], *apart, "--no-merge"])
        t_merge = _timed(["merge", str(Path(tmp) / "apart"), "--db", str(Path(tmp) / "apart.db")])
        equal = _masked(one) == _masked(dask_db)
        manifests = sorted((Path(tmp) / "shards" / "_runs").glob("*.json"), key=lambda p: p.stat().st_mtime)
        counts = json.loads(json.loads(manifests[0].read_text())["run"]["counts"])
    ran = counts["partitions"] - counts["skipped_partitions"]
    overhead = (args.workers * counts["compute_seconds"] - counts["task_seconds"]) / ran
    empty = _empty_tasks(args.workers, 200)
    result = {
        "articles": args.n, "workers": args.workers, "partition_size": args.partition_size,
        "partitions": counts["partitions"], "one_process_s": round(t_one, 2), "dask_s": round(t_dask, 2),
        "speedup": round(t_one / t_dask, 3),
        "dask_no_merge_s": round(t_compute, 2), "merge_s": round(t_merge, 2), "rerun_all_skipped_s": round(t_rerun, 2),
        "task_seconds": counts["task_seconds"], "compute_seconds": counts["compute_seconds"],
        "overhead_per_partition_s": round(overhead, 3), **empty, "databases_equal": equal,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"cluster-{args.n}.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"{args.n} articles, {counts['partitions']} partitions of {args.partition_size}, local:{args.workers}")
    print(f"one process        {t_one:8.1f} s")
    print(f"dask local:{args.workers}       {t_dask:8.1f} s   speed-up {t_one / t_dask:.2f}x (merging as partitions finish)")
    print(f"  apart: {t_compute:.1f} s run --no-merge + {t_merge:.1f} s swfacts merge")
    print(f"rerun (all done)   {t_rerun:8.1f} s   ({counts['partitions']} partitions skipped)")
    print(f"tasks {counts['task_seconds']:.1f} s summed, compute phase {counts['compute_seconds']:.1f} s wall: "
          f"overhead {overhead:.3f} s per partition (idle workers included)")
    print(f"empty tasks: {empty['empty_task_ms']:.2f} ms each; LocalCluster start {empty['cluster_start_s']:.1f} s")
    print(f"databases equal (every table but runs): {equal}")


if __name__ == "__main__":
    main()
