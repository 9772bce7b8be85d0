"""The pipeline object: normalize → split → nlp (→ extractors, linker) → records, one source at a time.

The CLI (`swfacts run`) and the evaluator call the same `Pipeline`; nothing is computed twice in
two places. `Pipeline.process` turns one `RawSource` into a `PageResult` (pure, no database);
`extract.pipeline.driver.run` drives many sources through it and writes the results.

>>> result = Pipeline().process(source_from_text("社工站揭牌仪式\\n正文说了一件事。\\n（据《某某日报》）"), run_id="doc")
>>> [(a.title, a.source) for a in result.articles]
[('社工站揭牌仪式', '某某日报')]
"""

from __future__ import annotations

import hashlib
import json
import time
from bisect import bisect_right
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

from extract import __version__
from extract.base.paths import DATA, WEIGHTS
from extract.db.records import EXTRACTED, Article, Count, DateMention, Program, Region, Source
from extract.extractors.dates import infer_reference_date
from extract.text.ingest import RawSource, iso_partial_date
from extract.text.normalize import normalize
from extract.text.script import Simplified, to_simplified
from extract.text.split import SplitArticle, single_article, split_page, without_chrome

__all__ = ["Pipeline", "PageResult", "fingerprint", "records_from_doc", "short_hash", "source_from_text",
           "validate_date"]

#: what the fingerprint hashes, under the names it has always hashed them by (the folder a file
#: lies in is not part of what decides the output)
FINGERPRINTED = {"data": DATA, "models": WEIGHTS}


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
    for label, root in FINGERPRINTED.items():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            h.update(f"{label}/{path.relative_to(root).as_posix()}".encode())
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
    # cut from the page's simplified copy (extract/text/script.py): their texts are what the
    # extractors read, the articles' texts the same in the page's own characters
    splits: list[SplitArticle] = field(default_factory=list)


class Pipeline:
    """Everything from raw text to records, for one source at a time. Build once per process: it
    loads jieba's dictionary and the spaCy pipeline."""

    def __init__(self, *, reference_date: str | None = None, nlp=None, use_nlp: bool = True,
                 extractors: str = "rules", timings: Counter | None = None):
        self.reference_date = validate_date(reference_date)
        self._nlp = nlp
        self.use_nlp = use_nlp
        self.extractors = extractors  # rules | model | both: which components data/pipeline.cfg runs
        # seconds per stage, summed over pages, when a caller (benchmarks/scale.py) asks; then the
        # spaCy components run one by one instead of through nlp.pipe, to time each
        self.timings = timings

    @contextmanager
    def _stage(self, name: str):
        if self.timings is None:
            yield
            return
        t = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] += time.perf_counter() - t

    @property
    def nlp(self):
        if self._nlp is None:
            from extract.pipeline.nlp import get_nlp  # spaCy import is slow: only when needed

            self._nlp = get_nlp(self.extractors)
        return self._nlp

    def process(self, raw: RawSource, run_id: str) -> PageResult:
        # the page is read in simplified characters (extract/text/script.py), the same length as
        # the raw text, so offsets hold in both; what is stored and shown keeps the page's script
        with self._stage("normalize"):
            simple = to_simplified(raw.text)
            norm = normalize(simple.text)
            page_text = simple.restore(norm.text, norm.offsets)
        source_id = short_hash(raw.key)
        source = Source(
            id=source_id, path=raw.key, kind=raw.kind, sha256=raw.sha256, encoding=raw.encoding,
            bytes=raw.nbytes, reference_date=raw.reference_date or raw.page_date, raw_text=raw.text,
            text=page_text, url=raw.url, html=raw.html,
        )
        with self._stage("split"):
            splits = self._split(raw, norm.text)
        # the archive's date first; then the page's own date — its markup (meta tags, <time>,
        # URL) for a web page, else its publication line (发布时间：…) — which dates this page more
        # surely than --reference-date, a default for the whole run; the text's latest date last.
        # One page, one date: the latest its lines print (GUIDELINES §1)
        published = raw.page_date or max((s.published for s in splits if s.published), default=None)
        if raw.reference_date:
            ref, basis = raw.reference_date, "source"
        elif published:
            ref, basis = published, "page"
        elif self.reference_date:
            ref, basis = self.reference_date, "option"
        else:
            # not from the site's chrome: a related list's timestamps date other stories
            ref = infer_reference_date(without_chrome(norm.text))
            basis = "inferred" if ref else None
        with self._stage("articles"):
            articles = self._articles(splits, source_id, ref, basis, norm, simple, page_text, raw.title)
        result = PageResult(source, articles, splits=splits)
        if self.use_nlp:
            self._extract(result, ref, run_id)
        return result

    def _split(self, raw: RawSource, text: str) -> list[SplitArticle]:
        if raw.kind == "jsonl" or raw.html is not None:
            # an archive record or a web page is one article with its metadata; the metadata
            # title is read with the text: in simplified characters too
            title = to_simplified(raw.title).text if raw.title else raw.title
            # a web page's source is its information line's: the text's closing credit beats it
            splits = [single_article(text, title=title, source=raw.source, credit_first=raw.kind != "jsonl")]
            if splits[0].source is None and raw.sitename:
                splits[0].source = raw.sitename  # a page crediting no one is the site's own report
            return splits
        return split_page(text)

    @staticmethod
    def _articles(splits, source_id, ref, basis, norm, simple, page_text, meta_title) -> list[Article]:
        articles = []
        for index, s in enumerate(splits):
            raw_start, raw_end = norm.raw_span(s.body_start, s.body_end)
            shown = _in_page_script(s, simple, norm.text, page_text, meta_title)
            articles.append(Article(
                id=short_hash(source_id, index, s.text), source_id=source_id, index=index,
                title=shown["title"], source=shown["source"], byline=shown["byline"],
                reference_date=ref, reference_date_basis=basis, text=shown["text"], body=shown["body"],
                title_start=s.title_start, title_end=s.title_end, start=s.start, end=s.end,
                body_start=s.body_start, body_end=s.body_end, raw_start=raw_start, raw_end=raw_end,
            ))
        return articles

    def _extract(self, result: PageResult, ref: str | None, run_id: str) -> None:
        docs = []
        for split in result.splits:
            with self._stage("tokenize"):
                doc = self.nlp.make_doc(split.text)  # simplified: what the extractors read
            doc.user_data["swfacts_text"] = split.text  # spaCy's doc.text is rebuilt per access
            # photo captions inside the body: the linker drops what is found there
            doc.user_data["swfacts_furniture"] = split.furniture_in_text()
            doc._.swfacts_reference_date = ref
            doc._.swfacts_source = split.source  # the outlet (simplified, as the gazetteer writes it): where the writer's 我市 is
            docs.append(doc)
        for article, doc in zip(result.articles, self._pipe(docs)):
            with self._stage("records"):
                for kind, items in records_from_doc(article, doc, run_id).items():
                    result.records[kind].extend(items)

    def _pipe(self, docs):
        if self.timings is None:
            yield from self.nlp.pipe(docs)
            return
        for doc in docs:
            for name, component in self.nlp.pipeline:
                with self._stage(name.removeprefix("swfacts_")):
                    doc = component(doc)
            yield doc


def records_from_doc(article: Article, doc, run_id: str) -> dict[str, list]:
    """The extractors' matches on one article's Doc as records with provenance: offsets into the
    article text, the sentence, the extractor and its version, the run."""
    from extract.pipeline.components import EXTRACTORS, doc_sentences

    facts = doc._.swfacts or {}
    text = article.text  # in the page's script; the doc's text is its simplified copy, as long
    simplified = doc.user_data.get("swfacts_text", text)
    converted = simplified != text
    sentences = doc_sentences(doc)

    starts = [lo for lo, _ in sentences]

    def sentence(start: int) -> tuple[int, int]:
        # sentences are sorted and contiguous: find the one holding `start` by bisection, not a
        # scan per record; the span without its surrounding whitespace
        i = bisect_right(starts, start) - 1
        lo, hi = sentences[i] if i >= 0 and start < sentences[i][1] else (0, len(text))
        part = text[lo:hi]
        first = lo + len(part) - len(part.lstrip())
        return first, max(first, hi - len(part) + len(part.rstrip()))

    def written(m) -> str:
        # a match's text as the page writes it (traditional characters stay traditional)
        if converted and simplified[m.start:m.end] == m.text:
            return text[m.start:m.end]
        return m.text

    def provenance(kind: str, m, *key) -> dict:
        lo, hi = sentence(m.start)
        return {"id": short_hash(article.id, kind, m.start, m.end, *key), "article_id": article.id,
                "start": m.start, "end": m.end, "text": written(m), "sentence": text[lo:hi],
                "sentence_start": lo, "sentence_end": hi,
                "extractor": EXTRACTORS[kind], "extractor_version": __version__, "run_id": run_id}

    out = {
        "regions": [Region(**{**provenance("regions", m, m.adcode, m.name),
                              "extractor": getattr(m, "extractor", None) or EXTRACTORS["regions"]},
                           name=m.name, adcode=m.adcode, level=m.level, parent=m.parent)
                    for m in facts.get("regions", [])],
        "dates": [DateMention(**provenance("dates", m, m.value), value=m.value, granularity=m.granularity)
                  for m in facts.get("dates", [])],
        "counts": [Count(**provenance("counts", m, m.value, m.unit), value=m.value, value_max=m.value_max,
                         unit=m.unit, currency=m.currency, qualifier=m.qualifier, subject=m.subject, region=m.region, date=m.date)
                   for m in facts.get("counts", [])],
        "programs": [Program(**{**provenance("programs", m, m.name),
                                "extractor": getattr(m, "extractor", None) or EXTRACTORS["programs"]},
                             name=m.name, kind=m.kind)
                     for m in facts.get("programs", [])],
    }
    return out


def _in_page_script(split: SplitArticle, simple: Simplified, simple_page: str, page: str,
                    meta_title: str | None = None) -> dict:
    """An article's text, title, body, byline and source in the page's own script: the split was
    made on the simplified copy of the page, whose offsets are the page's. A title from metadata
    (JSON Lines) stands on no page span: it is `meta_title` as given."""
    fields = {"text": split.text, "title": split.title, "body": split.body, "byline": split.byline,
              "source": split.source}
    if not simple.converted and not (split.title and split.title_start is None and meta_title != split.title):
        return fields

    def shown(i: int, c: str) -> str:
        if split.title and split.title_start is None and i <= len(split.title):
            return meta_title[i] if meta_title and i < len(meta_title) else c
        p = split.page_offset(i)
        return page[p] if p < len(page) and simple_page[p] == c else c

    text = "".join(shown(i, c) for i, c in enumerate(split.text))
    fields["text"] = text
    if split.title:
        fields["title"] = text[: len(split.title)]
    shift = len(split.title) + 1 if split.title else 0
    fields["body"] = text[shift: shift + len(split.body)]
    for name in ("byline", "source"):
        # as printed on the page: the byline stands outside the article text, near its start
        value = getattr(split, name)
        at = simple_page.find(value, split.start) if value else -1
        at = simple_page.find(value) if value and at < 0 else at
        if at >= 0:
            fields[name] = page[at: at + len(value)]
    return fields
