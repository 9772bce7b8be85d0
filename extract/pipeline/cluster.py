"""The run on a Dask cluster: partitions to workers, each writing Parquet shards, then one merge.

`run_dask` cuts the archive into partitions (extract/pipeline/partitions.py), skips those whose
shards are done for the same input and fingerprint, and submits the rest to a Dask scheduler —
a `LocalCluster` it starts (`local[:N]`: N worker processes of one thread) or an existing one
(`tcp://HOST:PORT`). A worker reads its partition itself, runs it through the one `Pipeline` its
process keeps, and writes the results as shards (extract/db/shards.py). Dask retries a failed
task; a partition that fails again becomes a row in `errors` and the rest goes on. Unless asked
not to, this process merges each partition into the database as it finishes (SQLite has one
writer: it works while the workers go on); at the end the run is recorded beside the shards and
the rest merged: the same rows as a one-process `swfacts run`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from extract import __version__
from extract.db.facts import facts_for
from extract.db.records import EXTRACTED, ErrorRecord, Run
from extract.db.shards import (SHARD_TABLES, MergeSummary, done_partitions, merge, merge_partition, write_manifest,
                               write_partition)
from extract.db.lock import RunLock
from extract.db.store import Store
from extract.pipeline.driver import ingest_error, safe_process
from extract.pipeline.partitions import DEFAULT_SIZE, Partition, plan, read_partition
from extract.pipeline.process import Pipeline, fingerprint, short_hash, validate_date
from extract.text.ingest import IngestError

__all__ = ["ClusterSummary", "connect", "process_partition", "run_dask"]

# one Pipeline per worker process, by options: jieba and spaCy load once, not once per task
_PIPELINES: dict[tuple, Pipeline] = {}


def _pipeline(reference_date: str | None, extractors: str) -> Pipeline:
    key = (reference_date, extractors)
    if key not in _PIPELINES:
        _PIPELINES[key] = Pipeline(reference_date=reference_date, extractors=extractors)
    return _PIPELINES[key]


def process_partition(partition: Partition, name: str, shards: str, options: dict, fp: str, run_id: str) -> dict:
    """The task a worker runs: read one partition, process it, write its shards; its counts."""
    started = time.perf_counter()
    pipeline = _pipeline(options["reference_date"], options["extractors"])
    tables: dict[str, list[dict]] = {t: [] for t in SHARD_TABLES}
    stats = {"sources": 0, "processed": 0, "articles": 0, "records": {t: 0 for t in EXTRACTED}, "errors": 0}
    for item in read_partition(partition):
        stats["sources"] += 1
        if isinstance(item, IngestError):
            result = ingest_error(item, run_id)
        else:
            result = safe_process(pipeline, item, run_id)
        if isinstance(result, ErrorRecord):
            tables["errors"].append(result.model_dump())
            stats["errors"] += 1
            continue
        tables["sources"].append(result.source.model_dump() | {"fingerprint": fp, "run_id": run_id})
        tables["articles"] += [a.model_dump() for a in result.articles]
        for table in EXTRACTED:
            tables[table] += [r.model_dump() for r in result.records[table]]
            stats["records"][table] += len(result.records[table])
        tables["facts"] += [f.model_dump() for f in facts_for(result.articles, result.records)]
        stats["processed"] += 1
        stats["articles"] += len(result.articles)
    stats["seconds"] = round(time.perf_counter() - started, 4)
    stats["run_id"] = run_id
    write_partition(Path(shards), name, tables, stats)
    return stats


@dataclass
class ClusterSummary:
    """What a Dask run did."""

    run_id: str
    dashboard: str | None = None
    partitions: int = 0
    skipped: int = 0  # done before, for the same input and fingerprint
    skipped_files: int = 0
    sources: int = 0
    articles: int = 0
    records: dict[str, int] = field(default_factory=lambda: {name: 0 for name in EXTRACTED})
    errors: list[ErrorRecord] = field(default_factory=list)  # the failed partitions'
    failed: int = 0  # partitions that failed after their retries
    source_errors: int = 0  # sources the tasks run could not use (rows in their errors shards)
    task_seconds: float = 0.0  # summed over the tasks run
    compute_seconds: float = 0.0  # wall time from the first submit to the last result
    seconds: float = 0.0
    merged: MergeSummary | None = None

    def counts(self) -> dict:
        return {"partitions": self.partitions, "skipped_partitions": self.skipped, "failed_partitions": self.failed,
                "sources": self.sources, "articles": self.articles, "records": self.records,
                "errors": self.source_errors + len(self.errors), "skipped_files": self.skipped_files,
                "task_seconds": round(self.task_seconds, 3), "compute_seconds": round(self.compute_seconds, 3)}


def connect(address: str, *, dashboard: bool = True):
    """A Client for `local[:N]` (a LocalCluster of N processes, one thread each; N = cores by
    default) or a scheduler address; and the cluster to close (None for an address)."""
    from distributed import Client, LocalCluster

    if address == "local" or address.startswith("local:"):
        n = int(address.partition(":")[2] or os.cpu_count() or 1)
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=":0" if dashboard else None)
        return Client(cluster), cluster
    return Client(address), None


def run_dask(
    paths, db: str | Path, *, address: str = "local", shards: str | Path | None = None, merge_after: bool = True,
    reference_date: str | None = None, extractors: str = "rules", partition_size: int = DEFAULT_SIZE,
    force: bool = False, retries: int = 2, progress: Callable[[int], None] | None = None,
    echo: Callable[[str], None] = lambda line: None, dashboard: bool = True,
) -> ClusterSummary:
    """Run the pipeline over `paths` on a Dask cluster into shards (default: `shards/` beside
    `db`), then merge them into the database `db` unless `merge_after` is False.

    Every worker must see `paths` and the shards directory under the same names.
    `progress(1)` is called per partition finished or skipped.
    """
    started = time.monotonic()
    paths = [str(p) for p in paths]
    shards = Path(shards) if shards is not None else Path(db).parent / "shards"
    shards = shards.resolve()
    options = {"reference_date": validate_date(reference_date), "extractors": extractors}
    fp = fingerprint(options)
    started_at = dt.datetime.now(dt.timezone.utc)
    run_id = short_hash(fp, started_at.isoformat(), time.perf_counter_ns(), "dask", *paths)
    summary = ClusterSummary(run_id=run_id)
    partitions, skipped_files = plan(paths, partition_size)
    summary.partitions, summary.skipped_files = len(partitions), len(skipped_files)
    done = {} if force else done_partitions(shards)
    names, todo = [], []
    for p in partitions:
        digest = p.digest(fp)
        if digest in done:
            names.append(done[digest])  # the shards of an earlier run, whatever index it had
            summary.skipped += 1
            if progress:
                progress(1)
        else:
            names.append(p.name(fp))
            todo.append((p, names[-1]))
    failed: dict[str, ErrorRecord] = {}
    # the database's one writer while it merges (extract/db/lock.py): a second run stops, it does not interleave
    store = Store(db, lock=RunLock(db, wait=10.0, on_wait=echo)) if merge_after else None
    merged: set[str] = set()
    if store is not None:
        summary.merged = MergeSummary()
        store.sync_divisions()

    def merge_now(name: str) -> None:
        # into the database while the workers go on: the serial SQLite load off the critical path
        if store is not None:
            merge_partition(shards, name, store, force=force, summary=summary.merged)
            merged.add(name)

    try:
        if todo:
            _compute(todo, shards, options, fp, run_id, address, retries, dashboard, summary, failed, progress,
                     echo, merge_now)
        summary.errors += list(failed.values())
        summary.failed = len(failed)
        summary.seconds = time.monotonic() - started
        run = Run(id=run_id, version=__version__, fingerprint=fp,
                  options=json.dumps({"paths": paths, "dask": address, "shards": str(shards), "force": force,
                                      "partition_size": partition_size, **options}, sort_keys=True,
                                     ensure_ascii=False),
                  started=started_at.isoformat(timespec="seconds"), seconds=round(summary.seconds, 3),
                  counts=json.dumps(summary.counts(), sort_keys=True))
        write_manifest(shards, run, names, failed)
        if store is not None:
            # the rest: partitions done before, earlier runs' shards, the failed partitions' rows
            merge(shards, store, force=force, summary=summary.merged, merged=merged)
    finally:
        if store is not None:
            store.close()
    summary.seconds = time.monotonic() - started
    return summary


def _compute(todo, shards, options, fp, run_id, address, retries, dashboard, summary, failed, progress, echo,
             merge_now):
    from distributed import as_completed

    client, cluster = connect(address, dashboard=dashboard)
    try:
        if client.dashboard_link and dashboard:
            summary.dashboard = client.dashboard_link
            echo(f"dashboard: {client.dashboard_link}")
        t = time.monotonic()
        futures = {}
        for p, name in todo:
            # the key names the partition and the run: a rerun on a long-lived scheduler is a new task
            future = client.submit(process_partition, p, name, str(shards), options, fp, run_id,
                                   key=f"swfacts-{name}-{run_id}", retries=retries, pure=False)
            futures[future] = (p, name)
        for future in as_completed(futures):
            p, name = futures[future]
            try:
                stats = future.result()
            except Exception as exc:  # the retries failed too: one row in errors, the run goes on
                message = f"partition {name} failed: {type(exc).__name__}: {exc}"
                failed[name] = ErrorRecord(id=short_hash(p.where(), "partition", message), source=p.where(),
                                           stage="partition", message=message, run_id=run_id)
            else:
                summary.sources += stats["sources"]
                summary.articles += stats["articles"]
                summary.source_errors += stats["errors"]
                summary.task_seconds += stats["seconds"]
                for table, n in stats["records"].items():
                    summary.records[table] += n
                merge_now(name)
            future.release()
            if progress:
                progress(1)
        summary.compute_seconds = time.monotonic() - t
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
