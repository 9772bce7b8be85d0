"""Training the program classifier (`swfacts train-programs`): every quotation on the pages of the
project's gold is an example, positive when the page's gold lists it as a program.

The training sets are the seed pages and the dev sets, never a held-out set (corpus/heldout*).
`build()` writes the shipped classifier (`extract/weights/programs`) byte for byte the same for
a seed; `held_out_pipelines()` gives leave-one-page-out pipelines for honest scores on the
training pages themselves (benchmarks/program_classifier.py).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from extract.eval.gold import find_page, gold_paths, load_gold
from extract.extractors.programs import find_quotes
from extract.models.program_classifier import MODEL_DIR, Candidate
from extract.pipeline import Pipeline
from extract.pipeline.nlp import build_nlp
from extract.text.ingest import file_sha256
from extract.text.normalize import comparison_key, normalize

__all__ = ["NAMED_TRAINING_SETS", "TRAINING_SETS", "candidates", "examples_from_gold", "training_pairs", "train",
           "build", "held_out_pipelines"]

_ROOT = Path(__file__).resolve().parents[2]
#: the gold the shipped classifier learns from, by name: (gold folder, pages folder); never a
#: held-out set (corpus/heldout*, corpus/webheldout)
NAMED_TRAINING_SETS = {"seeds": (_ROOT / "corpus" / "gold", _ROOT / "corpus" / "seeds")} | {
    name: (_ROOT / "corpus" / name / "gold", _ROOT / "corpus" / name / "pages")
    for name in ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "webdev")}
TRAINING_SETS = tuple(NAMED_TRAINING_SETS.values())


def candidates(text: str) -> list[Candidate]:
    """Every quotation in `text` (the rules' quote finder), innermost and outermost alike."""
    return [Candidate(q.s, q.e, q.content, q.book) for q in find_quotes(text)]


def examples_from_gold(pairs: list[tuple[Path, Path]]) -> list[tuple[str, bool]]:
    """(features, is a program) for every quotation on each (gold file, page) pair's page."""
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
    without it). The NER's training pages are checked separately (extract.models.ner.trained_on)."""
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


def build(out: Path = MODEL_DIR, sets=TRAINING_SETS, seed: int = 0) -> dict:
    """Train the shipped classifier on the training sets and save it (`swfacts train-programs`)."""
    pairs = training_pairs(sets)
    examples = examples_from_gold(pairs)
    train(examples, out=out, seed=seed, pages=[page for _, page in pairs])
    return json.loads((Path(out) / "swfacts.json").read_text())
