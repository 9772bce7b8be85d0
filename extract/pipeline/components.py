"""The extractors as spaCy pipeline components, registered by versioned name so the config
(`data/pipeline.cfg`), not code, decides which run.

Each component calls its extractor's pure function on the Doc's text and keeps the matches on the
Doc (`doc._.swfacts[type]`); `swfacts_link_v1` then links counts using the Doc's sentences. The
article's reference date travels on the Doc (`doc._.swfacts_reference_date`), set before the
pipeline runs, and so does its source (`doc._.swfacts_source`, the outlet the linker reads 我市
from). What a rule component hands to a model component after it is kept on the Doc too,
explicitly: the gazetteer names the region rules scanned (`doc._.swfacts["region_names"]`, where
the NER reads) and the quotes the program rules left open (`doc._.swfacts["open_quotes"]`, what
the program classifier decides).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.attrs import IDX, LENGTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from extract.extractors.counts import find_counts
from extract.extractors.dates import find_dates
from extract.extractors.link import link
from extract.extractors.programs import ProgramMatch, kind_after, read_programs
from extract.extractors.regions import read_regions
from extract.models import ner as ner_model
from extract.models import program_classifier


__all__ = ["EXTRACTORS", "extractor_name"]

if not Doc.has_extension("swfacts"):
    Doc.set_extension("swfacts", default=None)
if not Doc.has_extension("swfacts_reference_date"):
    Doc.set_extension("swfacts_reference_date", default=None)
# the article's outlet or attribution (泉州晚报, 某县民政局): the linker's 我市 is the place it names
if not Doc.has_extension("swfacts_source"):
    Doc.set_extension("swfacts_source", default=None)

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


class RegionRules:
    """The rule regions, and every gazetteer name they were chosen from (for the NER after it)."""

    def __call__(self, doc: Doc) -> Doc:
        reading = read_regions(doc_text(doc))
        facts = _facts(doc)
        facts["regions"], facts["region_names"] = reading.regions, reading.names
        return doc


class DateRules:
    def __call__(self, doc: Doc) -> Doc:
        _facts(doc)["dates"] = find_dates(doc_text(doc), doc._.swfacts_reference_date)
        return doc


class CountRules:
    def __call__(self, doc: Doc) -> Doc:
        _facts(doc)["counts"] = find_counts(doc_text(doc))
        return doc


class ProgramRules:
    """The rule programs, and the quotes the rules left open (for the program classifier after it)."""

    def __call__(self, doc: Doc) -> Doc:
        reading = read_programs(doc_text(doc))
        facts = _facts(doc)
        facts["programs"], facts["open_quotes"] = reading.programs, reading.open_quotes
        return doc


class Linker:
    """Links counts to their region and date over the Doc's sentences; replaces the raw lists
    with the cleaned, linked ones."""

    def __call__(self, doc: Doc) -> Doc:
        facts = _facts(doc)
        furniture = doc.user_data.get("swfacts_furniture") or []
        if furniture:  # a photo caption is page furniture: nothing found in it counts or links
            facts = {kind: [m for m in facts.get(kind, []) if not any(s <= m.start < e for s, e in furniture)]
                     for kind in EXTRACTORS}
        sentences = doc_sentences(doc)
        linked = link(doc_text(doc), sentences, facts.get("regions", []), facts.get("dates", []),
                      facts.get("counts", []), facts.get("programs", []), doc._.swfacts_reference_date,
                      source=doc._.swfacts_source)
        doc._.swfacts = {"regions": linked.regions, "dates": linked.dates, "counts": linked.counts,
                         "programs": linked.programs}
        return doc


class ModelNER:
    """Runs the shipped NER model (extract/weights/ner) on the pipeline's own tokens and keeps its
    entities as character spans (doc._.swfacts["entities"]); the model was trained on the same
    zh + jieba tokenization, so its components read these tokens directly. Beside the rules it
    reads only the sentences where its entities can matter (extract/models/ner.py, "Where the model
    reads"), each as a Doc of its own: half the text, half the time."""

    def __init__(self):
        self.model = ner_model.load_model()
        self.procs = [proc for _, proc in self.model.pipeline]

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 32):
        """The articles of a batch are read together: one model call over all their sentences
        costs less than one call per article."""
        for batch in minibatch(docs, size=batch_size):
            yield from self._read(batch)

    def _read(self, batch: list[Doc]) -> list[Doc]:
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
            for s, e in ner_model.sentences_to_read(text, doc_sentences(doc), facts["regions"], facts["region_names"]):
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
    (extract/models/program_classifier.py); rule programs stay as they are."""

    def __init__(self, model=None):
        self.model = model  # set by the caller, or the shipped one loaded on first use

    def __call__(self, doc: Doc) -> Doc:
        if self.model is None:
            self.model = program_classifier.load()
        facts = _facts(doc)
        text = doc_text(doc)
        rules = facts.get("programs", [])
        # only what the rules left open: a quote they turned down for a reason stays turned down
        open_ = [program_classifier.Candidate(q.s, q.e, q.content, q.book) for q in facts.get("open_quotes", [])
                 if not any(p.start < q.e and q.s < p.end for p in rules)]
        if not open_:
            return doc  # most articles: nothing for the model to read
        known = {p.name: p.kind for p in rules}
        added = []
        for c, p in zip(open_, program_classifier.score(self.model, text, open_)):
            if p >= program_classifier.ADD and not any(a.start < c.end and c.start < a.end for a in added):
                # a name the rules read elsewhere in the article keeps their kind; a quoted name
                # with no type word anywhere is most often a service brand or team (“红管家”)
                kind = known.get(c.name) or kind_after(text, c.end) or "brand"
                added.append(ProgramMatch(c.start, c.end, text[c.start:c.end], c.name, kind, extractor=program_classifier.COMPONENT))
        facts["programs"] = sorted([*rules, *added], key=lambda p: (p.start, p.end))
        return doc


class Merger:
    """Combines the model's entities with the rule regions (policy: extract/models/ner.py)."""

    def __call__(self, doc: Doc) -> Doc:
        facts = _facts(doc)
        mode = "both" if "regions" in facts else "model"
        facts["regions"] = ner_model.combine(doc_text(doc), facts.get("regions", []), facts.get("entities", []), mode)
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


_RULES = {"regions": RegionRules, "dates": DateRules, "counts": CountRules, "programs": ProgramRules}



def _rules_factory(cls):
    def make(nlp: Language, name: str):
        return cls()

    return make


for _kind, _name in EXTRACTORS.items():
    Language.factory(_name, func=_rules_factory(_RULES[_kind]))


@Language.factory("swfacts_link_v1")
def make_linker(nlp: Language, name: str) -> Linker:
    return Linker()

