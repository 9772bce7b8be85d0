"""A trained classifier for program candidates: is a quoted phrase a program (initiative, policy,
brand, mechanism) or not (speech, an idiom, a newspaper, a figure of speech)?

The rules (extract/extractors/programs/) decide a quote by its type word (“银龄关爱”行动) or by what it
contains; a quote whose type word they do not list (“石榴籽”夏令营) or that has none is left out.
This model reads every quotation (“…”, 《…》) with a few characters on each side and says how
likely it is a program. Characters, not words: the evidence is in short pieces (实施“, ”机制) and
the quote's own characters.

Training (`extract.train.programs`, `swfacts train-programs`): every quotation on the pages of the project's gold (corpus/gold with the seed
pages, corpus/dev, corpus/dev2; never corpus/heldout*) is an example, positive when the page's
gold lists it as a program. No data from elsewhere. The model is a spaCy bag-of-n-grams text
classifier (TextCatBOW, character 1-3 grams): trained in seconds (`swfacts train-programs`),
2 MB, loaded offline.

Combination (`--extractors both`): the classifier decides only the quotes the rules leave open
(extract.extractors.programs.undecided_quotes: no type word, no head, no reason to turn them down). A quote
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
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from extract.base.paths import PROGRAM_WEIGHTS
from extract.text.ingest import file_sha256

__all__ = ["MODEL_DIR", "Candidate", "load", "score", "trained_on", "ADD", "COMPONENT", "WINDOW"]

MODEL_DIR = PROGRAM_WEIGHTS
#: probability at which a quote no rule took becomes a program
ADD = 0.5
#: characters of context on each side of the quote
WINDOW = 4
COMPONENT = "swfacts_program_model_v1"


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


@cache
def load(path: Path = MODEL_DIR):
    import spacy

    if not (Path(path) / "config.cfg").is_file():
        from extract.models.ner import ModelMissing

        raise ModelMissing(f"no program classifier in {path}: build one with extract.train.programs.build()")
    return spacy.load(path)


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
