"""A trained classifier for program candidates: is a quoted phrase a program (initiative, policy,
brand, mechanism) or not (speech, an idiom, a newspaper, a figure of speech)?

The rules (extract/programs.py) decide a quote by its type word (“银龄关爱”行动) or by what it
contains; a quote whose type word they do not list (“石榴籽”夏令营) or that has none is left out.
This model reads every quotation (“…”, 《…》) with a few characters on each side and says how
likely it is a program. Characters, not words: the evidence is in short pieces (实施“, ”机制) and
the quote's own characters.

Training data: every quotation on the pages of the project's gold (corpus/gold with the seed
pages, corpus/dev, corpus/dev2; never corpus/heldout*) is an example, positive when the page's
gold lists it as a program. No data from elsewhere. The model is a spaCy bag-of-n-grams text
classifier (TextCatBOW, character 1-3 grams): trained in seconds (`swfacts train-programs`),
2 MB, loaded offline.

Combination (`--extractors both`): the classifier decides only the quotes the rules leave open
(extract.programs.undecided_quotes: no type word, no head, no reason to turn them down). A quote
the rules took or turned down for a reason (speech, a figure of speech, an honour, a rejecting
type word, a label) stays as the rules decided. An open quote scored at least `ADD` becomes a
program: with the kind the rules gave the same name elsewhere in the article, else the kind of a
type word after it, else brand (a quoted name with no type word is most often a service brand or
team: “红管家”).

Scored leave-one-page-out (each page with a classifier trained without it;
benchmarks/program_classifier.py), programs F1 rules → both: seeds 1.000 → 1.000, dev 0.918 →
0.935, dev2 0.935 → 0.970. Given every quote, not only the open ones, it lost on the seeds at
every useful threshold: it re-admitted figures of speech the rules had turned down (“快车道”).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from extract.ingest import file_sha256

__all__ = ["MODEL_DIR", "NAMED_TRAINING_SETS", "TRAINING_SETS", "Candidate", "candidates", "examples_from_gold", "training_pairs", "train",
           "load", "build", "score", "trained_on", "held_out_pipelines", "ADD"]

MODEL_DIR = Path(__file__).resolve().parent / "models" / "programs"
#: probability at which a quote no rule took becomes a program
ADD = 0.5
#: characters of context on each side of the quote
WINDOW = 4
COMPONENT = "swfacts_program_model_v1"
_ROOT = Path(__file__).resolve().parent.parent
#: the gold the shipped classifier learns from, by name: (gold folder, pages folder); never a
#: held-out set (corpus/heldout*)
NAMED_TRAINING_SETS = {"seeds": (_ROOT / "corpus" / "gold", _ROOT / "corpus" / "seeds")} | {
    name: (_ROOT / "corpus" / name / "gold", _ROOT / "corpus" / name / "pages")
    for name in ("dev", "dev2", "dev3", "dev4", "dev5", "dev6")}
TRAINING_SETS = tuple(NAMED_TRAINING_SETS.values())


@dataclass(frozen=True)
class Candidate:
    start: int  # the opening mark
    end: int  # just after the closing mark
    name: str  # the quote's content
    book: bool  # 《…》

    def features(self, text: str) -> str:
        """The text the classifier reads: context, the quote in its own marks, context.

        >>> Candidate(2, 8, "五社联动", False).features("推行“五社联动”机制，")
        '推行“五社联动”机制，'
        """
        return text[max(0, self.start - WINDOW) : self.end + WINDOW]


def candidates(text: str) -> list[Candidate]:
    """Every quotation in `text` (the rules' quote finder), innermost and outermost alike."""
    from extract.programs import find_quotes

    return [Candidate(q.s, q.e, q.content, q.book) for q in find_quotes(text)]


def examples_from_gold(pairs: list[tuple[Path, Path]]) -> list[tuple[str, bool]]:
    """(features, is a program) for every quotation on each (gold file, page) pair's page."""
    from extract.gold import load_gold
    from extract.normalize import comparison_key, normalize

    out = []
    for gold_path, page_path in pairs:
        gold = load_gold(gold_path)
        names = {comparison_key(p.name) for a in gold.articles for p in a.programs}
        text = normalize(page_path.read_text(encoding="utf-8")).text
        for c in candidates(text):
            out.append((c.features(text), comparison_key(c.name) in names))
    return out


def training_pairs(sets=TRAINING_SETS, leave_out: set[str] = frozenset()) -> list[tuple[Path, Path]]:
    """(gold file, page) pairs of the training sets, without pages whose content hash is in
    `leave_out` (the page being scored)."""
    from extract.gold import find_page, gold_paths, load_gold

    out = []
    for gold_dir, pages in sets:
        for path in gold_paths(gold_dir):
            page = find_page(pages, load_gold(path).page)
            if file_sha256(page) not in leave_out:
                out.append((path, page))
    return out


def held_out_pipelines(gold_dir: Path, pages: Path, extractors: str = "both", sets=TRAINING_SETS):
    """For leave-one-page-out scoring: a function giving, for each gold file under `gold_dir`, a
    pipeline whose program classifier never saw that file's page (trained on the training sets
    without it). The NER's training pages are checked separately (extract.ner.trained_on)."""
    from extract.gold import find_page, load_gold
    from extract.pipeline import Pipeline
    from extract.segment import build_nlp

    def pipeline_for(gold_path: Path):
        page = find_page(pages, load_gold(gold_path).page)
        model = train(examples_from_gold(training_pairs(sets, leave_out={file_sha256(page)})))
        nlp = build_nlp(extractors=extractors)
        if "swfacts_program_model" in nlp.pipe_names:  # `both`: the shipped classifier swapped out
            nlp.get_pipe("swfacts_program_model").model = model
        elif "swfacts_programs" in nlp.pipe_names:
            nlp.add_pipe("swfacts_program_model_v1", name="swfacts_program_model", after="swfacts_programs").model = model
        return Pipeline(nlp=nlp, extractors=extractors)

    return pipeline_for


def _blank():
    import spacy

    # the zh default tokenizer splits into characters: what the n-grams are made of
    nlp = spacy.blank("zh")
    nlp.add_pipe("textcat", config={"model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True,
                                              "ngram_size": 3, "no_output_layer": False, "nO": 2}})
    return nlp


def train(examples: list[tuple[str, bool]], out: Path | None = None, seed: int = 0, epochs: int = 20,
          pages: list[Path] = ()):
    """A classifier trained on `examples`; saved to `out` when given (with the content hashes of
    the `pages` the examples came from, which eval checks). Deterministic for a seed."""
    import spacy
    from spacy.training import Example

    spacy.util.fix_random_seed(seed)
    nlp = _blank()
    textcat = nlp.get_pipe("textcat")
    for label in ("PROGRAM", "OTHER"):
        textcat.add_label(label)
    data = [Example.from_dict(nlp.make_doc(text), {"cats": {"PROGRAM": float(y), "OTHER": float(not y)}})
            for text, y in examples]
    optimizer = nlp.initialize(lambda: data)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(data)
        for batch in spacy.util.minibatch(data, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.1)
    if out is not None:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        nlp.to_disk(out)
        meta = {"examples": len(examples), "positives": sum(y for _, y in examples), "seed": seed, "epochs": epochs,
                "pages": [{"name": Path(p).name, "sha256": file_sha256(p)} for p in pages]}
        (out / "swfacts.json").write_text(json.dumps(meta, indent=1) + "\n")
    return nlp


@cache
def load(path: Path = MODEL_DIR):
    import spacy

    if not (Path(path) / "config.cfg").is_file():
        from extract.ner import ModelMissing

        raise ModelMissing(f"no program classifier in {path}: build one with extract.program_model.build()")
    return spacy.load(path)


def build(out: Path = MODEL_DIR, sets=TRAINING_SETS, seed: int = 0) -> dict:
    """Train the shipped classifier on the training sets and save it (`swfacts train-programs`)."""
    pairs = training_pairs(sets)
    examples = examples_from_gold(pairs)
    train(examples, out=out, seed=seed, pages=[page for _, page in pairs])
    return json.loads((Path(out) / "swfacts.json").read_text())


def trained_on(pages: list[Path], path: Path = MODEL_DIR) -> list[str]:
    """Names of the `pages` (files) the shipped classifier learned from, by content hash: its
    scores on them are not held-out scores (benchmarks/program_classifier.py gives those)."""
    meta = Path(path) / "swfacts.json"
    if not meta.is_file():
        return []
    seen = {f["sha256"] for f in json.loads(meta.read_text(encoding="utf-8")).get("pages", [])}
    return [p.name for p in pages if file_sha256(p) in seen]


def score(nlp, text: str, cands: list[Candidate]) -> list[float]:
    """P(program) for each candidate."""
    docs = nlp.pipe([c.features(text) for c in cands])
    return [d.cats["PROGRAM"] for d in docs]
