"""The pipeline object: ingest → normalize → split → nlp (→ extractors) → store.

The CLI (`swfacts run`) and the evaluator call the same `Pipeline`; nothing is computed twice in
two places. `Pipeline.process` turns one `RawSource` into a `PageResult` (pure, no database);
`run` drives many sources through it, in worker processes when asked, and writes the results.

>>> result = Pipeline().process(source_from_text("社工站揭牌仪式\\n正文说了一件事。\\n（据《某某日报》）"), run_id="doc")
>>> [(a.title, a.source) for a in result.articles]
[('社工站揭牌仪式', '某某日报')]
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
import hashlib
import json
import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from extract import __version__
from extract.ingest import IngestError, RawSource, discover, iso_partial_date, read_sources
from extract.layout import DATA

MODELS = DATA.parent / "models"  # the trained components shipped in the package
from extract.normalize import normalize
from extract.records import EXTRACTED, Article, Count, DateMention, ErrorRecord, Program, Region, Run, Source
from extract.split import SplitArticle, single_article, split_page
from extract.store import Store

__all__ = ["Pipeline", "PageResult", "RunSummary", "run", "fingerprint", "short_hash", "source_from_text"]


def short_hash(*parts: object, length: int = 16) -> str:
    """Deterministic id from its parts.

    >>> short_hash("a", 1)
    '839e11a421d370be'
    """
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]


def source_from_text(text: str, key: str = "<text>", reference_date: str | None = None) -> RawSource:
    """A page given as a string (tests, eval, library users) as if read from a UTF-8 file."""
    data = text.encode("utf-8")
    return RawSource(key=key, kind="file", text=text, encoding="utf-8", sha256=hashlib.sha256(data).hexdigest(),
                     nbytes=len(data), reference_date=validate_date(reference_date))


def fingerprint(options: dict | None = None) -> str:
    """What decides the pipeline's output: version, every data file (rules, lexicons, config), the
    options. A stored source with the same bytes and fingerprint is skipped on the next run."""
    h = hashlib.sha256(__version__.encode())
    for root in (DATA, MODELS):
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            h.update(path.relative_to(root.parent).as_posix().encode())
            h.update(path.read_bytes())
    h.update(json.dumps(options or {}, sort_keys=True).encode())
    return h.hexdigest()[:16]


def validate_date(value: str | None) -> str | None:
    """Check an ISO partial date (YYYY, YYYY-MM, YYYY-MM-DD); return it, or raise ValueError.
    The same check as archive dates get (ingest.iso_partial_date), without a time of day."""
    if value is None:
        return None
    try:
        if iso_partial_date(value) == value:
            return value
    except ValueError:
        pass
    raise ValueError(f"bad date {value!r}: want YYYY, YYYY-MM or YYYY-MM-DD")


@dataclass
class PageResult:
    """What the pipeline found in one source."""

    source: Source
    articles: list[Article]
    records: dict[str, list] = field(default_factory=lambda: {name: [] for name in EXTRACTED})
    splits: list[SplitArticle] = field(default_factory=list)


class Pipeline:
    """Everything from raw text to records, for one source at a time. Build once per process: it
    loads jieba's dictionary and the spaCy pipeline."""

    def __init__(self, *, reference_date: str | None = None, nlp=None, use_nlp: bool = True,
                 extractors: str = "rules"):
        self.reference_date = validate_date(reference_date)
        self._nlp = nlp
        self.use_nlp = use_nlp
        self.extractors = extractors  # rules | model | both: which components data/pipeline.cfg runs

    @property
    def nlp(self):
        if self._nlp is None:
            from extract.segment import get_nlp  # spaCy import is slow: only when needed

            self._nlp = get_nlp(self.extractors)
        return self._nlp

    def process(self, raw: RawSource, run_id: str) -> PageResult:
        norm = normalize(raw.text)
        source_id = short_hash(raw.key)
        source = Source(
            id=source_id, path=raw.key, kind=raw.kind, sha256=raw.sha256, encoding=raw.encoding,
            bytes=raw.nbytes, reference_date=raw.reference_date, raw_text=raw.text, text=norm.text,
        )
        if raw.kind == "jsonl":
            splits = [single_article(norm.text, title=raw.title, source=raw.source)]
        else:
            splits = split_page(norm.text)
        if raw.reference_date:
            ref, basis = raw.reference_date, "source"
        elif self.reference_date:
            ref, basis = self.reference_date, "option"
        else:
            from extract.dates import infer_reference_date

            ref = infer_reference_date(norm.text)
            basis = "inferred" if ref else None
        articles = []
        for index, s in enumerate(splits):
            raw_start, raw_end = norm.raw_span(s.body_start, s.body_end)
            articles.append(Article(
                id=short_hash(source_id, index, s.text), source_id=source_id, index=index,
                title=s.title, source=s.source, byline=s.byline,
                reference_date=ref, reference_date_basis=basis, text=s.text, body=s.body,
                title_start=s.title_start, title_end=s.title_end, start=s.start, end=s.end,
                body_start=s.body_start, body_end=s.body_end, raw_start=raw_start, raw_end=raw_end,
            ))
        result = PageResult(source, articles, splits=splits)
        if self.use_nlp:
            docs = []
            for article, split in zip(articles, splits):
                doc = self.nlp.make_doc(article.text)
                doc.user_data["swfacts_text"] = article.text  # spaCy's doc.text is rebuilt per access
                # photo captions inside the body: the linker drops what is found there
                doc.user_data["swfacts_furniture"] = split.furniture_in_text()
                doc._.swfacts_reference_date = ref
                docs.append(doc)
            for article, doc in zip(articles, self.nlp.pipe(docs)):
                for kind, items in records_from_doc(article, doc, run_id).items():
                    result.records[kind].extend(items)
        return result


def records_from_doc(article: Article, doc, run_id: str) -> dict[str, list]:
    """The extractors' matches on one article's Doc as records with provenance: offsets into the
    article text, the sentence, the extractor and its version, the run."""
    from extract.components import EXTRACTORS, doc_sentences

    facts = doc._.swfacts or {}
    text = article.text
    sentences = doc_sentences(doc)

    starts = [lo for lo, _ in sentences]

    def sentence(start: int) -> str:
        # sentences are sorted and contiguous: find the one holding `start` by bisection, not a
        # scan per record
        i = bisect_right(starts, start) - 1
        if i >= 0 and start < sentences[i][1]:
            lo, hi = sentences[i]
            return text[lo:hi].strip()
        return text.strip()

    def provenance(kind: str, m, *key) -> dict:
        return {"id": short_hash(article.id, kind, m.start, m.end, *key), "article_id": article.id,
                "start": m.start, "end": m.end, "text": m.text, "sentence": sentence(m.start),
                "extractor": EXTRACTORS[kind], "extractor_version": __version__, "run_id": run_id}

    out = {
        "regions": [Region(**{**provenance("regions", m, m.adcode, m.name),
                              "extractor": getattr(m, "extractor", None) or EXTRACTORS["regions"]},
                           name=m.name, adcode=m.adcode, level=m.level, parent=m.parent)
                    for m in facts.get("regions", [])],
        "dates": [DateMention(**provenance("dates", m, m.value), value=m.value, granularity=m.granularity)
                  for m in facts.get("dates", [])],
        "counts": [Count(**provenance("counts", m, m.value, m.unit), value=m.value, value_max=m.value_max,
                         unit=m.unit, qualifier=m.qualifier, subject=m.subject, region=m.region, date=m.date)
                   for m in facts.get("counts", [])],
        "programs": [Program(**{**provenance("programs", m, m.name),
                                "extractor": getattr(m, "extractor", None) or EXTRACTORS["programs"]},
                             name=m.name, kind=m.kind)
                     for m in facts.get("programs", [])],
    }
    return out


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

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    def counts(self) -> dict:
        return {
            "sources": self.sources, "processed": self.processed, "unchanged": self.unchanged,
            "skipped_files": self.skipped_files, "articles": self.articles, "records": self.records,
            "errors": len(self.errors),
        }


# worker-process state: one Pipeline per process, built by the pool initializer
_WORKER: Pipeline | None = None


def _init_worker(reference_date: str | None, extractors: str = "rules") -> None:
    global _WORKER
    _WORKER = Pipeline(reference_date=reference_date, extractors=extractors)


def _work(item: tuple[RawSource, str]) -> PageResult | ErrorRecord:
    raw, run_id = item
    assert _WORKER is not None
    return _safe_process(_WORKER, raw, run_id)


def _safe_process(pipeline: Pipeline, raw: RawSource, run_id: str) -> PageResult | ErrorRecord:
    try:
        return pipeline.process(raw, run_id)
    except Exception as exc:  # one bad source must not stop a run over thousands
        message = f"{type(exc).__name__}: {exc}"
        return ErrorRecord(id=short_hash(raw.key, "process", message), source=raw.key, stage="process",
                           message=message, run_id=run_id)


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
) -> RunSummary:
    """Run the pipeline over files, directories and JSON Lines archives into `store`.

    Unchanged sources (same bytes, same fingerprint) are skipped unless `force`. Each source is
    written in one transaction; a source that fails becomes one row in `errors` and the run goes on.
    `progress(n)` is called with the number of sources finished since the last call.
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
                yield ErrorRecord(id=short_hash(item.path, item.stage, item.message), source=item.path,
                                  stage=item.stage, message=item.message, run_id=run_id)
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

    if workers > 1:
        # workers normalize, split and segment; only this process writes, so SQLite sees one writer
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(workers, initializer=_init_worker, initargs=(options["reference_date"], extractors)) as pool:
            pending = []
            for item in todo():
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
        for item in todo():
            handle(item if isinstance(item, ErrorRecord) else _safe_process(pipeline, *item))

    summary.seconds = time.monotonic() - started
    store.record_run(Run(
        id=run_id, version=__version__, fingerprint=fp,
        options=json.dumps({"paths": paths, "workers": workers, "force": force, **options}, sort_keys=True, ensure_ascii=False),
        started=started_at.isoformat(timespec="seconds"),
        seconds=round(summary.seconds, 3), counts=json.dumps(summary.counts(), sort_keys=True),
    ))
    return summary
