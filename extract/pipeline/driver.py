"""The run driver: many sources through one `Pipeline` (in worker processes when asked) into the
store, incrementally (a source whose bytes and fingerprint are stored already is skipped).

Writes are committed a chunk of sources at a time (`Store.chunks`); with each commit the run's
row in `runs` is brought up to date in the same transaction, `finished` false until the run ends.
So after a kill the database holds whole sources only, the log entry of the killed run counts
exactly what it committed, and a rerun skips those sources (`Store.is_current`) and does the rest.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from extract import __version__
from extract.db.records import EXTRACTED, ErrorRecord, Run
from extract.db.store import CHUNK_SOURCES, Store
from extract.pipeline.process import PageResult, Pipeline, fingerprint, short_hash, validate_date
from extract.text.ingest import IngestError, RawSource, discover, read_sources

__all__ = ["RunSummary", "ingest_error", "run", "safe_process"]


@dataclass
class RunSummary:
    """What a run did; printed by the CLI and stored as the run's counts."""

    run_id: str
    sources: int = 0
    processed: int = 0
    unchanged: int = 0
    skipped_files: int = 0
    articles: int = 0
    records: dict[str, int] = field(default_factory=lambda: {name: 0 for name in EXTRACTED})
    errors: list[ErrorRecord] = field(default_factory=list)
    seconds: float = 0.0
    finished: bool = False

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    def counts(self) -> dict:
        return {
            "sources": self.sources, "processed": self.processed, "unchanged": self.unchanged,
            "skipped_files": self.skipped_files, "articles": self.articles, "records": self.records,
            "errors": len(self.errors), "finished": self.finished,
        }


# worker-process state: one Pipeline per process, built by the pool initializer
_WORKER: Pipeline | None = None


def _init_worker(reference_date: str | None, extractors: str = "rules") -> None:
    global _WORKER
    _WORKER = Pipeline(reference_date=reference_date, extractors=extractors)


def _work(item: tuple[RawSource, str]) -> PageResult | ErrorRecord:
    raw, run_id = item
    assert _WORKER is not None
    return safe_process(_WORKER, raw, run_id)


def safe_process(pipeline: Pipeline, raw: RawSource, run_id: str) -> PageResult | ErrorRecord:
    """`pipeline.process(raw)`, or the ErrorRecord of its failure: one bad source must not stop a
    run (here or on a cluster's worker, extract/pipeline/cluster.py)."""
    try:
        return pipeline.process(raw, run_id)
    except Exception as exc:  # one bad source must not stop a run over thousands
        message = f"{type(exc).__name__}: {exc}"
        return ErrorRecord(id=short_hash(raw.key, "process", message), source=raw.key, stage="process",
                           message=message, run_id=run_id)


def ingest_error(item: IngestError, run_id: str) -> ErrorRecord:
    """A source that could not be read, as the row `errors` keeps of it."""
    return ErrorRecord(id=short_hash(item.path, item.stage, item.message), source=item.path,
                       stage=item.stage, message=item.message, run_id=run_id)


def run(
    paths: Iterable[str | Path],
    store: Store,
    *,
    reference_date: str | None = None,
    workers: int = 1,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
    pipeline: Pipeline | None = None,
    extractors: str = "rules",
    commit_every: int = CHUNK_SOURCES,
) -> RunSummary:
    """Run the pipeline over files, directories and JSON Lines archives into `store`.

    Unchanged sources (same bytes, same fingerprint) are skipped unless `force`. Sources are
    committed `commit_every` at a time (or every few seconds, see `Store.chunks`), each one whole
    or not at all; a source that fails becomes one row in `errors` and the run goes on.
    `progress(n)` is called with the number of sources finished since the last call. Two runs on
    one database file must not overlap: the CLI holds the file's RunLock (extract/db/lock.py).
    """
    started = time.monotonic()
    store.sync_divisions()  # the gazetteer table follows the package's, which may be newer
    paths = [str(p) for p in paths]
    options = {"reference_date": validate_date(reference_date), "extractors": extractors}
    fp = fingerprint(options)
    files, skipped = discover(paths)
    started_at = dt.datetime.now(dt.timezone.utc)
    # a run is one execution: the runs table is its log, and records keep the id of the run that
    # wrote them (a skipped, unchanged source keeps its old records and their run id)
    run_id = short_hash(fp, started_at.isoformat(), time.perf_counter_ns(), *paths)
    summary = RunSummary(run_id=run_id, skipped_files=len(skipped))

    def todo() -> Iterator[tuple[RawSource, str] | ErrorRecord]:
        for item in read_sources(files):
            summary.sources += 1
            if isinstance(item, IngestError):
                yield ingest_error(item, run_id)
            elif not force and store.is_current(item.key, item.sha256, fp):
                summary.unchanged += 1
                if progress:
                    progress(1)
            else:
                yield item, run_id

    def handle(result: PageResult | ErrorRecord) -> None:
        if isinstance(result, ErrorRecord):
            store.record_error(result)
            summary.errors.append(result)
        else:
            store.replace_source(result.source, result.articles, result.records, fingerprint=fp, run_id=run_id)
            summary.processed += 1
            summary.articles += len(result.articles)
            for name, items in result.records.items():
                summary.records[name] += len(items)
        if progress:
            progress(1)

    def log_entry() -> Run:
        return Run(
            id=run_id, version=__version__, fingerprint=fp,
            options=json.dumps({"paths": paths, "workers": workers, "force": force, **options}, sort_keys=True,
                               ensure_ascii=False),
            started=started_at.isoformat(timespec="seconds"),
            seconds=round(time.monotonic() - started, 3), counts=json.dumps(summary.counts(), sort_keys=True),
        )

    with store.chunks(size=commit_every, before_commit=lambda: store.record_run(log_entry())):
        _process(todo(), handle, workers=workers, pipeline=pipeline, options=options, extractors=extractors)

    summary.seconds = time.monotonic() - started
    summary.finished = True
    store.record_run(log_entry().model_copy(update={"seconds": round(summary.seconds, 3)}))
    return summary


def _process(items: Iterator[tuple[RawSource, str] | ErrorRecord], handle: Callable[[PageResult | ErrorRecord], None],
             *, workers: int, pipeline: Pipeline | None, options: dict, extractors: str) -> None:
    """Each item through the pipeline (in `workers` processes when more than one) and on to `handle`."""
    if workers > 1:
        # workers normalize, split and segment; only this process writes, so SQLite sees one writer
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(workers, initializer=_init_worker, initargs=(options["reference_date"], extractors)) as pool:
            pending = []
            for item in items:
                if isinstance(item, ErrorRecord):
                    handle(item)
                else:
                    pending.append(item)
                    if len(pending) >= 64 * workers:
                        for result in pool.imap(_work, pending, chunksize=4):
                            handle(result)
                        pending = []
            for result in pool.imap(_work, pending, chunksize=4):
                handle(result)
    else:
        pipeline = pipeline or Pipeline(reference_date=options["reference_date"], extractors=extractors)
        for item in items:
            handle(item if isinstance(item, ErrorRecord) else safe_process(pipeline, *item))
