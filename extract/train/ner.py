"""Training the NER model: CLUENER2020 → spaCy DocBin → a trained ``ner`` in ``extract/weights/ner``.

The model labels PLACE (CLUENER ``address``), GOV (``government``) and ORG (``organization`` and
``company``). It is trained on the pipeline's own tokens — spaCy ``zh`` with the jieba segmenter
and the domain dictionary, the tokenizer section of ``data/pipeline.cfg`` — so its ``ner`` can be
sourced into the pipeline and run on the Docs the extractors already read. No pretrained vectors
or transformers: the model builds and loads offline.

About 4.5% of CLUENER's PLACE/GOV/ORG entities do not start and end on jieba token boundaries
(jieba's HMM glues a following character on: 蒜村|经 → 蒜|村经). Those tokens are marked *missing*
in training, not "outside": the model is neither taught a wrong span nor taught that the entity is
no entity. On dev they count as misses (the model cannot find them), so the scores are honest.

Typical use (about 13 minutes on 2 CPU cores; spaCy trains on one)::

    from extract.train.ner import train
    metrics = train(cluener_dir="../shared/datasets/cluener", out="extract/weights/ner", seed=0)
    metrics["dev"]["overall"]   # {'p': ..., 'r': ..., 'f': ...}

Cite CLUENER2020 (Xu et al., 2020) where the trained model is described.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Tuple, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

from extract.base.dictionary import init_jieba
from extract.base.paths import DATA, NER_WEIGHTS, PACKAGE
from extract.pipeline.nlp import PIPELINE_CONFIG_PATH
from extract.text.ingest import file_sha256

__all__ = [
    "DEFAULT_CLUENER_DIR",
    "LABEL_MAP",
    "LABELS",
    "MODEL_DIR",
    "NER_CONFIG_PATH",
    "ConversionStats",
    "convert_cluener",
    "evaluate_ner",
    "make_tokenizer",
    "read_cluener",
    "silver_sentences",
    "convert_silver",
    "train",
]

NER_CONFIG_PATH = DATA / "ner.cfg"
MODEL_DIR = NER_WEIGHTS
# Relative to the working directory, as the CLI's default: the data set lives beside the
# repository and is never copied into it.
DEFAULT_CLUENER_DIR = Path("../shared/datasets/cluener")

# CLUENER label → our label. Companies and other organisations are one label because what the
# pipeline needs from them is the same: a place inside their name is not a mention of the place.
LABEL_MAP = {"address": "PLACE", "government": "GOV", "organization": "ORG", "company": "ORG"}
LABELS = ("PLACE", "GOV", "ORG")

# Every 10th training sentence is held out to choose the best checkpoint, so that dev.json is
# only ever used for the final scores.
HOLDOUT_EVERY = 10
# Silver labels (``silver_sentences``) come from the made-up dev pages, never from the seed pages
# the model is scored on; repeated so that a few dozen domain sentences weigh against ten
# thousand CLUENER ones.
DEFAULT_SILVER_PAGES = PACKAGE.parent / "corpus" / "dev" / "pages"
SILVER_REPEAT = 5


# --- reading CLUENER ---


def read_cluener(path: Union[str, Path]) -> Iterator[Tuple[str, List[Tuple[int, int, str]]]]:
    """Yield ``(text, [(start, end, label), ...])`` per line of a CLUENER JSON-lines file.

    CLUENER offsets are end-inclusive; the spans yielded are Python-style (end exclusive), with
    our labels (``LABEL_MAP``); other CLUENER labels (name, position, book ...) are left out.
    Raises ``ValueError`` naming the file and line for bad JSON or offsets that do not match the
    entity's text.

    Example:
        >>> import tempfile, os
        >>> line = '{"text": "湖南省民政局", "label": {"government": {"湖南省民政局": [[0, 5]]}}}'
        >>> with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        ...     _ = f.write(line + "\\n")
        >>> list(read_cluener(f.name))
        [('湖南省民政局', [(0, 6, 'GOV')])]
        >>> os.unlink(f.name)
    """
    path = Path(path)
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text = row["text"]
                labels = row.get("label") or {}
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}, line {lineno}: not a CLUENER record ({exc})") from None
            spans = set()
            for cluener_label, mentions in labels.items():
                label = LABEL_MAP.get(cluener_label)
                if label is None:
                    continue
                for surface, offsets in mentions.items():
                    for start, end in offsets:
                        if not (0 <= start <= end < len(text)) or text[start : end + 1] != surface:
                            raise ValueError(
                                f"{path}, line {lineno}: {cluener_label} {surface!r} at [{start}, {end}] "
                                f"does not match the text"
                            )
                        spans.add((start, end + 1, label))
            yield text, sorted(spans)


# --- conversion ---


@dataclass
class ConversionStats:
    """What ``convert_cluener`` kept and lost, per label (PLACE, GOV, ORG)."""

    sentences: int = 0
    entities: Counter = field(default_factory=Counter)
    # not on token boundaries: the tokens are marked missing instead
    misaligned: Counter = field(default_factory=Counter)
    # overlapping another entity (the longer one is kept)
    overlapping: Counter = field(default_factory=Counter)

    def aligned_share(self, label: Optional[str] = None) -> float:
        """Share of entities (of ``label``, or all) that start and end on token boundaries."""
        total = self.entities[label] if label else sum(self.entities.values())
        lost = self.misaligned[label] if label else sum(self.misaligned.values())
        return 1.0 - lost / total if total else 1.0

    def as_dict(self) -> dict:
        return {
            "sentences": self.sentences,
            **{
                label: {
                    "entities": self.entities[label],
                    "misaligned": self.misaligned[label],
                    "overlapping": self.overlapping[label],
                    "aligned": round(self.aligned_share(label), 4),
                }
                for label in LABELS
            },
            "aligned": round(self.aligned_share(), 4),
        }


def _annotate(doc: Doc, spans: List[Tuple[int, int, str]], stats: ConversionStats) -> Doc:
    entities: List[Span] = []
    missing_tokens: set = set()
    for start, end, label in spans:
        stats.entities[label] += 1
        span = doc.char_span(start, end, label=label)
        if span is None:
            stats.misaligned[label] += 1
            # "expand" covers every token the entity touches; none of them may be taught as O
            covering = doc.char_span(start, end, alignment_mode="expand")
            if covering is not None:
                missing_tokens.update(range(covering.start, covering.end))
            continue
        entities.append(span)
    kept = spacy.util.filter_spans(entities)
    for span in set(entities) - set(kept):
        stats.overlapping[span.label_] += 1
    taken = {i for span in kept for i in range(span.start, span.end)}
    missing = [doc[i : i + 1] for i in sorted(missing_tokens - taken)]
    doc.set_ents(kept, missing=missing, default="outside")
    return doc


def convert_cluener(path: Union[str, Path], out: Union[str, Path], tokenizer: Callable[[str], Doc]) -> ConversionStats:
    """Convert a CLUENER JSON-lines file into a spaCy DocBin at ``out``, tokenized by ``tokenizer``.

    ``tokenizer`` turns a text into a Doc: use ``make_tokenizer()`` (the pipeline's zh + jieba
    tokenizer with the domain dictionary) so the model learns on the tokens it will see. Entities
    that do not align with the tokens are counted in the returned stats and their tokens marked
    missing (neither entity nor O). Overlapping entities keep the longest.

    Example:
        >>> import tempfile, os
        >>> tmp = tempfile.mkdtemp()
        >>> src = os.path.join(tmp, "mini.json")
        >>> with open(src, "w", encoding="utf-8") as f:
        ...     _ = f.write('{"text": "长沙市民政局表彰长沙", "label": {"government": {"长沙市民政局": [[0, 5]]}, '
        ...                 '"address": {"长沙": [[8, 9]]}}}\\n')
        >>> stats = convert_cluener(src, os.path.join(tmp, "mini.spacy"), spacy.blank("zh").make_doc)
        >>> stats.sentences, dict(stats.entities), dict(stats.misaligned)
        (1, {'GOV': 1, 'PLACE': 1}, {})
    """
    stats = ConversionStats()
    docbin = DocBin(store_user_data=False)
    for number, (text, spans) in enumerate(read_cluener(path), start=1):
        doc = tokenizer(text)
        if doc.text != text:  # the offsets would point at the wrong characters
            raise ValueError(f"{path}, record {number}: the tokenizer changed the text ({doc.text[:30]!r}...)")
        stats.sentences += 1
        docbin.add(_annotate(doc, spans, stats))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    docbin.to_disk(out)
    return stats


# --- silver labels ---

_SENTENCE_END = "。！？；!?;\n"


def silver_sentences(pages: Union[str, Path]) -> Iterator[Tuple[str, List[Tuple[int, int, str]]]]:
    """Sentences of the news pages in ``pages`` (a folder of .txt files) with the places the rule
    extractors find in them, as CLUENER-style ``(text, [(start, end, "PLACE"), ...])``.

    Silver labels teach the model how places look in this domain's news text. They follow
    CLUENER's conventions, so the two sources do not contradict each other: a run of adjacent
    places (四川省成都市) is one PLACE, as a CLUENER address is; places inside a government body
    (成都市民政局) or another organisation (成都大学) are left out, because CLUENER labels the
    whole name GOV or ORG and the rules do not know where such a name ends. Only sentences with
    at least one place are kept. The pages must not be ones the model is scored on.
    """
    from extract.pipeline import Pipeline, source_from_text
    from extract.extractors.regions import load_rules as load_region_rules

    rules = load_region_rules()
    pipeline = Pipeline(extractors="rules")
    for page in sorted(Path(pages).glob("*.txt")):
        result = pipeline.process(source_from_text(page.read_text(encoding="utf-8"), key=page.name), run_id="silver")
        for article in result.articles:
            text = article.text
            spans = sorted((r.start, r.end) for r in result.records["regions"] if r.article_id == article.id)
            runs: List[List[int]] = []
            for start, end in spans:
                if runs and runs[-1][1] == start:
                    runs[-1][1] = end
                elif not runs or start >= runs[-1][1]:
                    runs.append([start, end])
            places = [(s, e) for s, e in runs
                      if not rules.gov_body.match(text, e) and not rules.non_gov.match(text, e, e + rules.non_gov_gap)]
            begin = 0
            for i, ch in enumerate(text + "\n"):
                if ch not in _SENTENCE_END:
                    continue
                inside = [(s - begin, e - begin, "PLACE") for s, e in places if begin <= s and e <= i + 1]
                sentence = text[begin : i + 1].strip()
                if inside and sentence == text[begin : i + 1]:
                    yield sentence, inside
                begin = i + 1


def convert_silver(pages: Union[str, Path], out: Union[str, Path], tokenizer: Callable[[str], Doc]) -> ConversionStats:
    """Silver sentences from ``pages`` (``silver_sentences``) as a DocBin at ``out``. Only the
    places are taught: every other token is *missing*, since the rules say nothing about
    government bodies and organisations, and teaching them as O would contradict CLUENER."""
    stats = ConversionStats()
    docbin = DocBin(store_user_data=False)
    for text, spans in silver_sentences(pages):
        doc = tokenizer(text)
        if doc.text != text:
            continue
        stats.sentences += 1
        doc = _annotate(doc, spans, stats)
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        doc.set_ents(list(doc.ents), missing=[doc[i : i + 1] for i in range(len(doc)) if i not in taken])
        docbin.add(doc)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    docbin.to_disk(out)
    return stats


def make_tokenizer(config: Union[str, Path, None] = None) -> Language:
    """A blank pipeline with the tokenizer of ``config`` (default ``data/ner.cfg``) and jieba's
    domain dictionary loaded — the tokens the swfacts pipeline produces.

    Example:
        >>> [t.text for t in make_tokenizer()("五社联动在长沙")]
        ['五社联动', '在', '长沙']
    """
    init_jieba()  # the zh tokenizer calls jieba's process-wide default: it needs our words first
    cfg = spacy.util.load_config(Path(config) if config is not None else NER_CONFIG_PATH, interpolate=False)
    return spacy.blank(cfg["nlp"]["lang"], config={"nlp": {"tokenizer": dict(cfg["nlp"]["tokenizer"])}})


# --- evaluation ---


def _prf(tp: int, fp: int, fn: int) -> Dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4)}


def _score(nlp: Language, dev_path: Union[str, Path]) -> Dict[str, Dict[str, float]]:
    data = list(read_cluener(dev_path))
    counts = {label: Counter() for label in LABELS}
    for (_, gold), doc in zip(data, nlp.pipe((text for text, _ in data), batch_size=256)):
        gold_set = set(gold)
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in counts}
        for span in pred | gold_set:
            kind = "tp" if span in pred and span in gold_set else ("fp" if span in pred else "fn")
            counts[span[2]][kind] += 1
    scores = {label: _prf(c["tp"], c["fp"], c["fn"]) for label, c in counts.items()}
    total = sum(counts.values(), Counter())
    scores["overall"] = _prf(total["tp"], total["fp"], total["fn"])
    return scores


def evaluate_ner(model_dir: Union[str, Path], dev_path: Union[str, Path]) -> Dict[str, Dict[str, float]]:
    """Precision, recall and F1 of a trained model on a CLUENER file, per label and overall.

    Exact match of (start, end, label) in characters against *all* gold entities, including those
    the jieba tokens cannot represent, so the scores are what the pipeline gets. Example::

        evaluate_ner("extract/weights/ner", "../shared/datasets/cluener/dev.json")
        # {'PLACE': {'p': ..., 'r': ..., 'f': ...}, 'GOV': {...}, 'ORG': {...}, 'overall': {...}}
    """
    init_jieba()
    return _score(spacy.load(model_dir), dev_path)


# --- training ---


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _replace_model_dir(nlp: Language, out: Path) -> None:
    # Only ever delete what is recognisably a spaCy pipeline (or nothing): `out` is user input.
    if out.exists():
        if any(out.iterdir()) and not (out / "config.cfg").is_file():
            raise ValueError(f"{out} exists and is not a spaCy pipeline directory; not overwriting it")
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)  # spaCy makes only the last directory
    nlp.to_disk(out)
    _clear_training_paths(out)


def _clear_training_paths(model_dir: Path) -> None:
    # The saved config names the temporary DocBin files it was trained on; they are gone, and a
    # shipped model should not point at someone's /tmp.
    cfg = spacy.util.load_config(model_dir / "config.cfg", interpolate=False)
    for key in ("train", "dev"):
        cfg["paths"][key] = None
    cfg.to_disk(model_dir / "config.cfg")


def train(
    config: Union[str, Path] = NER_CONFIG_PATH,
    cluener_dir: Union[str, Path] = DEFAULT_CLUENER_DIR,
    out: Union[str, Path] = MODEL_DIR,
    seed: int = 0,
    overrides: Optional[dict] = None,
    log=None,
    silver_pages: Union[str, Path, None] = DEFAULT_SILVER_PAGES,
    silver_repeat: int = SILVER_REPEAT,
) -> dict:
    """Train the NER on CLUENER ``train.json``, score it on ``dev.json``, and save it to ``out``.

    Converts the data (into a temporary directory: no CLUENER data lands in the repository),
    trains with spaCy's training loop from ``config`` (``data/ner.cfg``; ``overrides`` are spaCy
    config overrides such as ``{"training.max_steps": 5}``), keeps the checkpoint that scores best
    on the held-out tenth of train.json, and writes it to ``out`` as a pipeline directory that
    ``spacy.load(out)`` reads offline. Training progress goes to ``log`` (default stderr).
    Silver sentences from ``silver_pages`` (``None``: none) join the training part,
    ``silver_repeat`` times each.

    Returns the metrics: ``dev`` (``evaluate_ner`` scores), ``conversion`` (entities and
    misaligned per label), ``train_seconds``, ``size_mb``, ``model``. Example (a quick smoke run)::

        metrics = train(cluener_dir="../shared/datasets/cluener", out="/tmp/ner-smoke",
                        overrides={"training.max_steps": 20})
        metrics["dev"]["overall"]["f"]
    """
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import DIR_MODEL_BEST, train as train_loop

    cluener_dir, out = Path(cluener_dir), Path(out)
    train_path, dev_path = cluener_dir / "train.json", cluener_dir / "dev.json"
    for path in (train_path, dev_path):
        if not path.is_file():
            raise FileNotFoundError(f"CLUENER file not found: {path}")
    log = log if log is not None else sys.stderr
    tokenizer = make_tokenizer(config)

    with tempfile.TemporaryDirectory(prefix="swfacts-ner-") as tmp:
        work = Path(tmp)
        lines = [line for line in train_path.read_text(encoding="utf-8").splitlines() if line.strip()]
        parts = {
            "train": [line for i, line in enumerate(lines) if i % HOLDOUT_EVERY != HOLDOUT_EVERY - 1],
            "holdout": [line for i, line in enumerate(lines) if i % HOLDOUT_EVERY == HOLDOUT_EVERY - 1],
        }
        stats = {}
        for name, part in parts.items():
            (work / f"{name}.json").write_text("\n".join(part) + "\n", encoding="utf-8")
            stats[name] = convert_cluener(work / f"{name}.json", work / f"{name}.spacy", tokenizer)
        if silver_pages is not None:
            if not Path(silver_pages).is_dir():
                raise FileNotFoundError(f"silver pages folder not found: {silver_pages}")
            stats["silver"] = convert_silver(silver_pages, work / "silver.spacy", tokenizer)
            merged = DocBin(store_user_data=False).from_disk(work / "train.spacy")
            silver = DocBin(store_user_data=False).from_disk(work / "silver.spacy")
            for _ in range(silver_repeat):
                merged.merge(silver)
            merged.to_disk(work / "train.spacy")

        cfg = spacy.util.load_config(
            Path(config),
            overrides={
                "paths.train": str(work / "train.spacy"),
                "paths.dev": str(work / "holdout.spacy"),
                "system.seed": seed,
                **(overrides or {}),
            },
            interpolate=False,
        )
        nlp = init_nlp(cfg, use_gpu=-1)
        (work / "training").mkdir()
        started = time.perf_counter()
        train_loop(nlp, work / "training", use_gpu=-1, stdout=log, stderr=log)
        seconds = time.perf_counter() - started

        # the loop returns the last model; the one to ship is the best on the held-out part
        model = spacy.load(work / "training" / DIR_MODEL_BEST)
        dev = _score(model, dev_path)
        model.meta.update(
            {
                "name": "swfacts_ner",
                "version": "1.0.0",
                "description": "PLACE (CLUENER address), GOV (government), ORG (organization + company) "
                "on spaCy zh + jieba tokens; trained by extract/train/ner.py from CLUENER2020 train.json "
                "(Xu et al., 2020), scored on its dev.json (character spans, exact match).",
                "sources": [{"name": "CLUENER2020", "url": "https://github.com/CLUEbenchmark/CLUENER2020",
                             "author": "Xu et al., 2020"}],
                "license": "see CLUENER2020",
                "swfacts": {"label_map": LABEL_MAP, "seed": seed, "train_seconds": round(seconds, 1),
                            "conversion": stats["train"].as_dict(), "dev": dev,
                            "silver": {"pages": Path(silver_pages).name if silver_pages else None,
                                       "repeat": silver_repeat if silver_pages else 0,
                                       # what eval checks to tell held-out pages from trained-on ones
                                       "files": [{"name": p.name, "sha256": file_sha256(p)}
                                                 for p in sorted(Path(silver_pages).glob("*.txt"))] if silver_pages else [],
                                       **(stats["silver"].as_dict() if "silver" in stats else {})}},
            }
        )
        _replace_model_dir(model, out)

    return {
        "dev": dev,
        "conversion": stats["train"].as_dict(),
        "silver": stats["silver"].as_dict() if "silver" in stats else None,
        "train_seconds": round(seconds, 1),
        "size_mb": round(_dir_size(out) / 1e6, 2),
        "model": str(out),
    }


def pipeline_tokenizer_config() -> dict:
    """The ``[nlp.tokenizer]`` section of ``data/pipeline.cfg`` (the model's must equal it).

    Example:
        >>> pipeline_tokenizer_config()["segmenter"]
        'jieba'
    """
    return dict(spacy.util.load_config(PIPELINE_CONFIG_PATH, interpolate=False)["nlp"]["tokenizer"])
