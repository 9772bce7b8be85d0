"""The extractors as spaCy pipeline components, registered by versioned name so the config
(`data/pipeline.cfg`), not code, decides which run.

Each component calls its extractor's pure function on the Doc's text and keeps the matches on the
Doc (`doc._.swfacts[type]`); `swfacts_link_v1` then links counts using the Doc's sentences. The
article's reference date travels on the Doc (`doc._.swfacts_reference_date`), set before the
pipeline runs.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.attrs import IDX, LENGTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc


__all__ = ["EXTRACTORS", "extractor_name"]

if not Doc.has_extension("swfacts"):
    Doc.set_extension("swfacts", default=None)
if not Doc.has_extension("swfacts_reference_date"):
    Doc.set_extension("swfacts_reference_date", default=None)

#: record type → registered component name; the name is the record's `extractor`
EXTRACTORS = {
    "regions": "swfacts_regions_v1",
    "dates": "swfacts_dates_v1",
    "counts": "swfacts_counts_v1",
    "programs": "swfacts_programs_v1",
}
LINKER = "swfacts_link_v1"
NER = "swfacts_ner_v1"


def extractor_name(kind: str) -> str:
    """The component that produced records of `kind` (counts are finished by the linker)."""
    return EXTRACTORS[kind]


def doc_text(doc: Doc) -> str:
    """The Doc's text, built once: spaCy rebuilds `doc.text` from the tokens on every access."""
    text = doc.user_data.get("swfacts_text")
    if text is None:
        text = doc.user_data["swfacts_text"] = doc.text
    return text


def doc_sentences(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the Doc's sentences (kept by the sentence component; else from doc.sents)."""
    spans = doc.user_data.get("swfacts_sentences")
    if spans is None:
        if doc.has_annotation("SENT_START"):
            spans = [(s.start_char, s.end_char) for s in doc.sents]
        else:
            spans = [(0, len(doc_text(doc)))]
    return spans


def _facts(doc: Doc) -> dict:
    if doc._.swfacts is None:
        doc._.swfacts = {}
    return doc._.swfacts


class Finder:
    """Runs one rule extractor's pure function over the Doc's text and keeps its matches."""

    def __init__(self, kind: str):
        import importlib

        self.kind = kind
        module, function, self.takes_date = _FINDERS[kind]
        self.find = getattr(importlib.import_module(module), function)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found = self.find(text, doc._.swfacts_reference_date) if self.takes_date else self.find(text)
        _facts(doc)[self.kind] = found
        return doc


# record type → (module, function, whether it takes the reference date)
_FINDERS = {
    "regions": ("extract.regions", "find_regions", False),
    "dates": ("extract.dates", "find_dates", True),
    "counts": ("extract.counts", "find_counts", False),
    "programs": ("extract.programs", "find_programs", False),
}


class Linker:
    """Links counts to their region and date over the Doc's sentences; replaces the raw lists
    with the cleaned, linked ones."""

    def __call__(self, doc: Doc) -> Doc:
        from extract.link import link

        facts = _facts(doc)
        furniture = doc.user_data.get("swfacts_furniture") or []
        if furniture:  # a photo caption is page furniture: nothing found in it counts or links
            facts = {kind: [m for m in facts.get(kind, []) if not any(s <= m.start < e for s, e in furniture)]
                     for kind in EXTRACTORS}
        sentences = doc_sentences(doc)
        linked = link(doc_text(doc), sentences, facts.get("regions", []), facts.get("dates", []),
                      facts.get("counts", []), facts.get("programs", []), doc._.swfacts_reference_date)
        doc._.swfacts = {"regions": linked.regions, "dates": linked.dates, "counts": linked.counts,
                         "programs": linked.programs}
        return doc


class ModelNER:
    """Runs the shipped NER model (extract/models/ner) on the pipeline's own tokens and keeps its
    entities as character spans (doc._.swfacts["entities"]); the model was trained on the same
    zh + jieba tokenization, so its components read these tokens directly. Beside the rules it
    reads only the sentences where its entities can matter (extract/ner.py, "Where the model
    reads"), each as a Doc of its own: half the text, half the time."""

    def __init__(self):
        from extract.ner import load_model

        self.model = load_model()
        self.procs = [proc for _, proc in self.model.pipeline]

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 32):
        """The articles of a batch are read together: one model call over all their sentences
        costs less than one call per article."""
        from spacy.util import minibatch

        for batch in minibatch(docs, size=batch_size):
            yield from self._read(batch)

    def _read(self, batch: list[Doc]) -> list[Doc]:
        from extract.ner import sentences_to_read

        parts: list[tuple[int, int, Doc]] = []  # (index in batch, character offset, Doc to read)
        for label in self.model.get_pipe("ner").labels:
            for vocab in {id(d.vocab): d.vocab for d in batch}.values():
                vocab.strings.add(label)  # the Docs' vocabulary must know the model's labels
        for i, doc in enumerate(batch):
            facts = _facts(doc)
            facts["entities"] = []
            if "regions" not in facts:
                parts.append((i, 0, doc))
                continue
            text = doc_text(doc)
            # token offsets as arrays: making a Token object per word costs more than the model
            idx, length, space = doc.to_array([IDX, LENGTH, SPACY]).T.tolist()
            for s, e in sentences_to_read(text, doc_sentences(doc), facts["regions"]):
                first, last = bisect_right(idx, s) - 1, bisect_left(idx, e)
                if first < 0 or first >= last:
                    continue
                words = [text[idx[k] : idx[k] + length[k]] for k in range(first, last)]
                parts.append((i, idx[first], Doc(doc.vocab, words=words, spaces=[bool(x) for x in space[first:last]])))
        read = [d for _, _, d in parts]
        for proc in self.procs:
            read = list(proc.pipe(read, batch_size=256))
        for (i, offset, _), d in zip(parts, read):
            _facts(batch[i])["entities"] += [(offset + e.start_char, offset + e.end_char, e.label_) for e in d.ents]
        return batch


class ProgramClassifier:
    """Adds the quotations the trained classifier takes for programs and no rule took
    (extract/program_model.py); rule programs stay as they are."""

    def __init__(self, model=None):
        self.model = model  # set by the caller, or the shipped one loaded on first use

    def __call__(self, doc: Doc) -> Doc:
        if self.model is None:
            from extract.program_model import load

            self.model = load()
        from extract.program_model import ADD, COMPONENT, Candidate, score
        from extract.programs import ProgramMatch, kind_after, undecided_quotes

        facts = _facts(doc)
        text = doc_text(doc)
        rules = facts.get("programs", [])
        # only what the rules left open: a quote they turned down for a reason stays turned down
        open_ = [Candidate(q.s, q.e, q.content, q.book) for q in undecided_quotes(text)
                 if not any(p.start < q.e and q.s < p.end for p in rules)]
        if not open_:
            return doc  # most articles: nothing for the model to read
        known = {p.name: p.kind for p in rules}
        added = []
        for c, p in zip(open_, score(self.model, text, open_)):
            if p >= ADD and not any(a.start < c.end and c.start < a.end for a in added):
                # a name the rules read elsewhere in the article keeps their kind; a quoted name
                # with no type word anywhere is most often a service brand or team (“红管家”)
                kind = known.get(c.name) or kind_after(text, c.end) or "brand"
                added.append(ProgramMatch(c.start, c.end, text[c.start:c.end], c.name, kind, extractor=COMPONENT))
        facts["programs"] = sorted([*rules, *added], key=lambda p: (p.start, p.end))
        return doc


class Merger:
    """Combines the model's entities with the rule regions (policy: extract/ner.py)."""

    def __call__(self, doc: Doc) -> Doc:
        from extract.ner import combine

        facts = _facts(doc)
        mode = "both" if "regions" in facts else "model"
        facts["regions"] = combine(doc_text(doc), facts.get("regions", []), facts.get("entities", []), mode)
        return doc


@Language.factory("swfacts_ner_v1")
def make_ner(nlp: Language, name: str) -> ModelNER:
    return ModelNER()


@Language.factory("swfacts_program_model_v1")
def make_program_classifier(nlp: Language, name: str) -> ProgramClassifier:
    return ProgramClassifier()


@Language.factory("swfacts_merge_v1")
def make_merger(nlp: Language, name: str) -> Merger:
    return Merger()


def _finder_factory(kind: str):
    def make(nlp: Language, name: str) -> Finder:
        return Finder(kind)

    return make


for _kind, _name in EXTRACTORS.items():
    Language.factory(_name, func=_finder_factory(_kind))


@Language.factory("swfacts_link_v1")
def make_linker(nlp: Language, name: str) -> Linker:
    return Linker()

