"""Parquet shards: a partition's results on disk, one dataset per table, and their merge into SQLite.

A run on a Dask cluster (extract/pipeline/cluster.py) writes, for each partition of the archive,
one Parquet file per table under the shards directory::

    SHARDS/<table>/part-<index>-<hash>.parquet   sources, articles, regions, dates, counts,
                                                 programs, facts, errors: the models' columns
    SHARDS/_done/part-<index>-<hash>.json        written last: the partition is complete
    SHARDS/_runs/<run id>.json                   a run: its log entry, its partitions in order,
                                                 the partitions that failed

`<hash>` names the partition's input (its file, byte range and bytes) and the pipeline's
fingerprint, so a retried or duplicated task writes the same files, and a rerun over the same
archive finds them done. Every file is written under a temporary name and renamed: a reader never
sees half a file. The tables are the public models' columns (facts as `facts_for` gives them), so
DuckDB, pandas or Spark read `SHARDS/facts/*.parquet` directly.

`merge` loads shards into a Store through `Store.replace_source`, the one-process run's write:
the same ids, facts and search index. It is idempotent: a source the database holds with the same
bytes and fingerprint is skipped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from extract.db.layout import table_columns
from extract.db.records import EXTRACTED, Article, ErrorRecord, Run, Source
from extract.db.store import Store

__all__ = ["SHARD_TABLES", "MergeSummary", "done_partitions", "merge", "merge_partition", "read_table",
           "write_manifest", "write_partition"]

#: the tables a partition writes, in the order they are written (the done marker comes after all)
SHARD_TABLES = ("sources", "articles", *EXTRACTED, "facts", "errors")
DONE = "_done"
RUNS = "_runs"


def _schema(table: str):
    import pyarrow as pa

    types = {str: pa.string(), int: pa.int64(), float: pa.float64()}
    return pa.schema([pa.field(name, types[typ], nullable=nullable)
                      for name, (typ, nullable) in table_columns(table).items()])


def _replace(path: Path, write: Callable[[Path], None]) -> None:
    # a temporary name unique to this writer, then one rename: a duplicated task racing this one
    # renames the same content over it
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    write(tmp)
    os.replace(tmp, path)


def write_partition(shards: Path, name: str, tables: dict[str, list[dict]], stats: dict) -> None:
    """Write one partition's rows (model dumps per table in SHARD_TABLES), then its done marker."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    shards = Path(shards)
    for table in SHARD_TABLES:
        data = pa.Table.from_pylist(tables.get(table, []), schema=_schema(table))
        _replace(shards / table / f"{name}.parquet", lambda p, data=data: pq.write_table(data, p))
    text = json.dumps({"name": name, **stats}, sort_keys=True, ensure_ascii=False)
    _replace(shards / DONE / f"{name}.json", lambda p: p.write_text(text, encoding="utf-8"))


def done_partitions(shards: Path) -> dict[str, str]:
    """The complete partitions under `shards`: their hash → their name (part-<index>-<hash>)."""
    folder = Path(shards) / DONE
    if not folder.is_dir():
        return {}
    return {p.stem.rsplit("-", 1)[-1]: p.stem for p in folder.glob("part-*.json")}


def write_manifest(shards: Path, run: Run, partitions: list[str], errors: dict[str, ErrorRecord]) -> Path:
    """Record a run: its log entry, every partition of its archive in order (done now or
    before), and the partitions that failed, by name (rows for `errors`)."""
    path = Path(shards) / RUNS / f"{run.id}.json"
    text = json.dumps({"run": run.model_dump(), "partitions": partitions,
                       "errors": [{"partition": name, **e.model_dump()} for name, e in errors.items()]}, ensure_ascii=False, indent=1)
    _replace(path, lambda p: p.write_text(text, encoding="utf-8"))
    return path


def read_table(shards: Path, table: str, name: str, columns: list[str] | None = None) -> list[dict]:
    """One partition's rows of one table, as dicts (None for a null)."""
    import pyarrow.parquet as pq

    return pq.read_table(Path(shards) / table / f"{name}.parquet", columns=columns).to_pylist()


@dataclass
class MergeSummary:
    """What a merge did."""

    partitions: int = 0
    missing: list[str] = field(default_factory=list)  # listed by a run, no done marker
    sources: int = 0  # stored now
    unchanged: int = 0  # the database held them already
    errors: int = 0
    runs: int = 0


def _manifests(shards: Path) -> list[dict]:
    found = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((Path(shards) / RUNS).glob("*.json"))]
    return sorted(found, key=lambda m: (m["run"]["started"], m["run"]["id"]))


def merge(shards: Path, store: Store, *, force: bool = False, progress: Callable[[int], None] | None = None,
          summary: MergeSummary | None = None, merged: set[str] = frozenset()) -> MergeSummary:
    """Load the shards of every run recorded under `shards` into `store`, oldest run first.

    A partition listed by several runs is loaded once; a source key in several partitions (an
    archive changed between runs) is loaded from the newest. Sources the store holds with the
    same sha256 and fingerprint are skipped unless `force`. `progress(1)` per partition.
    `merged`: partitions loaded already (by `merge_partition`, while the run went on), counted
    in `summary`.
    """
    shards = Path(shards)
    summary = summary or MergeSummary()
    manifests = _manifests(shards)
    done = set(done_partitions(shards).values())
    order: list[str] = []
    for m in manifests:
        order += [name for name in m["partitions"] if name not in order]
    loaded = [name for name in order if name in done]
    summary.missing = [name for name in order if name not in done]
    # which partition holds the newest version of each source key
    newest = {}
    for name in loaded:
        for row in read_table(shards, "sources", name, ["path"]):
            newest[row["path"]] = name
    store.sync_divisions()
    for name in loaded:
        if name in merged:
            continue
        merge_partition(shards, name, store, force=force, summary=summary, newest=newest)
        if progress:
            progress(1)
    failed = {}
    for m in manifests:  # a partition that failed and was not done since: its error stays
        failed |= {e["id"]: e for e in m["errors"] if e.get("partition") not in done}
    for e in failed.values():
        store.record_error(ErrorRecord(**{k: v for k, v in e.items() if k in ErrorRecord.model_fields}))
        summary.errors += 1
    for m in manifests:
        store.record_run(Run(**m["run"]))
        summary.runs += 1
    return summary


def merge_partition(shards: Path, name: str, store: Store, *, force: bool = False, summary: MergeSummary,
                    newest: dict[str, str] | None = None) -> None:
    """Load one done partition into `store` (its sources not stored already, its error rows).
    `newest`: source key → the partition holding its newest version; the others are left."""
    keys = read_table(shards, "sources", name, ["id", "path", "sha256", "fingerprint"])
    wanted = set()
    for row in keys:
        if newest is not None and newest.get(row["path"]) != name:
            continue
        if not force and store.is_current(row["path"], row["sha256"], row["fingerprint"]):
            summary.unchanged += 1
            continue
        wanted.add(row["id"])
    if wanted:
        # the texts and HTML only now, and only when something is to be stored
        wanted = [row for row in read_table(shards, "sources", name) if row["id"] in wanted]
        ids = {row["id"] for row in wanted}
        articles: dict[str, list[Article]] = {i: [] for i in ids}
        owner = {}
        for row in read_table(shards, "articles", name):
            if row["source_id"] in ids:
                articles[row["source_id"]].append(Article(**row))
                owner[row["id"]] = row["source_id"]
        records = {i: {t: [] for t in EXTRACTED} for i in ids}
        for table, model in EXTRACTED.items():
            for row in read_table(shards, table, name):
                if row["article_id"] in owner:
                    records[owner[row["article_id"]]][table].append(model(**row))
    errors = read_table(shards, "errors", name)
    # one transaction per chunk of sources, as a run commits (Store.chunks), not a commit (and a
    # wait for the disk) per source; each source is still stored whole or not at all, and a merge
    # killed midway is finished by merging again
    with store.chunks():
        for row in wanted:
            source = Source(**{k: v for k, v in row.items() if k in Source.model_fields})
            store.replace_source(source, articles[row["id"]], records[row["id"]],
                                 fingerprint=row["fingerprint"], run_id=row["run_id"])
            summary.sources += 1
        for row in errors:
            store.record_error(ErrorRecord(**row))
            summary.errors += 1
    summary.partitions += 1
