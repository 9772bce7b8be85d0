"""Segmentation: jieba words with the domain dictionary, and sentence boundaries, as a spaCy pipeline.

The pipeline is built from ``extract/data/pipeline.cfg`` (a plain spaCy config), so which
components run is decided by the config, not by code. This module registers one component,
``swfacts_sentences_v1``, which sets ``Token.is_sent_start`` from punctuation and line breaks.

Typical use::

    from extract.segment import get_nlp
    doc = get_nlp()("全市建成社工站120个。持证社工达到300名。")
    [s.text for s in doc.sents]   # ['全市建成社工站120个。', '持证社工达到300名。']
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from pathlib import Path
from typing import List, Optional, Union

import jieba
import numpy
import spacy
from spacy.attrs import IDX, SENT_START
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from spacy.language import Language
from spacy.tokens import Doc

__all__ = [
    "DOMAIN_WORDS_PATH",
    "PIPELINE_CONFIG_PATH",
    "DomainWord",
    "SentenceSplitter",
    "build_nlp",
    "get_nlp",
    "init_jieba",
    "load_domain_words",
    "sentence_starts",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
DOMAIN_WORDS_PATH = DATA_DIR / "domain_words.tsv"
PIPELINE_CONFIG_PATH = DATA_DIR / "pipeline.cfg"

DOMAIN_WORDS_HEADER = ("word", "freq", "tag")

# jieba only forms words inside runs of these characters (jieba.re_han_default); a dictionary
# entry containing anything else (full-width brackets, CJK beyond U+9FD5 ...) can never be
# produced, so it is rejected when the file is loaded instead of silently doing nothing.
_JIEBA_BLOCK_RE = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")

# --- punctuation (sentence rules; these are character classes, not vocabulary) ---

# Marks that end a sentence outright. ASCII '.' is left out on purpose: in this text it is
# mostly a decimal point or part of a URL/abbreviation (3.5万, www.mca.gov.cn).
SENTENCE_STOPS = frozenset("。！？!?｡")
# ASCII stops are also URL/query characters; between two of these they are not a stop.
_ASCII_STOPS = frozenset("!?")
_ASCII_WORDISH_RE = re.compile(r"[A-Za-z0-9_/=&%.\-]")
# An ellipsis trails off mid-sentence as often as it ends one, so it only ends a sentence
# when a closing quote/bracket or a line break follows it.
ELLIPSIS_MARKS = frozenset("…⋯")
# Opening mark -> its closing mark. ASCII '"' and "'" are absent: they are not directional,
# so they cannot tell whether a quotation opens or closes.
BRACKET_PAIRS = {
    "“": "”",
    "‘": "’",
    "「": "」",
    "『": "』",
    "（": "）",
    "(": ")",
    "《": "》",
    "〈": "〉",
    "【": "】",
    "〖": "〗",
    "〔": "〕",
    "［": "］",
    "[": "]",
}
OPENERS = frozenset(BRACKET_PAIRS)
CLOSERS = frozenset(BRACKET_PAIRS.values())
_CLOSER_TO_OPENER = {close: open_ for open_, close in BRACKET_PAIRS.items()}
# A line break always ends a sentence: paragraphs and headlines carry no final 。, and text
# extracted from PDFs has unbalanced quotes that must not swallow the rest of the article.
LINE_BREAKS = frozenset("\n\r\u2028\u2029\x0b\x0c\x85")


# --- domain dictionary ---


class DomainWord(BaseModel):
    """One row of the jieba domain dictionary (``extract/data/domain_words.tsv``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    word: str = Field(min_length=1, description="The term; no whitespace, only characters jieba keeps in one block.")
    freq: Optional[int] = Field(default=None, ge=1, description="jieba frequency; None lets jieba suggest one.")
    tag: Optional[str] = Field(default=None, pattern=r"^[A-Za-z]{1,8}$", description="jieba POS tag, e.g. 'n', 'nt'.")

    @field_validator("word")
    @classmethod
    def _word_is_one_jieba_block(cls, value: str) -> str:
        if any(ch.isspace() for ch in value):
            raise ValueError("word contains whitespace")
        if not _JIEBA_BLOCK_RE.fullmatch(value):
            raise ValueError(
                "word contains characters jieba never joins into a word "
                "(only CJK U+4E00-U+9FD5, ASCII letters/digits and +#&._%- are kept together)"
            )
        return value


def load_domain_words(path: Union[str, Path, None] = None) -> List[DomainWord]:
    """Read and validate the domain dictionary (default ``extract/data/domain_words.tsv``).

    The file has ``#`` comment lines (allowed anywhere), then the header ``word<TAB>freq<TAB>tag``,
    then one term per line; empty ``freq``/``tag`` fields (or missing trailing fields) mean None.
    Raises ``ValueError`` naming the file and line for a missing header, a malformed or invalid
    row, or a duplicate word.

    Example:
        >>> words = load_domain_words()
        >>> next(w for w in words if w.word == "社工站").tag
        'nt'
    """
    path = Path(path) if path is not None else DOMAIN_WORDS_PATH
    words: List[DomainWord] = []
    first_line: dict[str, int] = {}
    header_seen = False
    with open(path, encoding="utf-8-sig") as handle:
        for lineno, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = line.split("\t")
            if not header_seen:
                if tuple(f.strip() for f in fields) != DOMAIN_WORDS_HEADER:
                    raise ValueError(
                        f"{path}, line {lineno}: expected header {'<TAB>'.join(DOMAIN_WORDS_HEADER)!r}, got {line!r}"
                    )
                header_seen = True
                continue
            if len(fields) > len(DOMAIN_WORDS_HEADER):
                raise ValueError(
                    f"{path}, line {lineno}: expected at most {len(DOMAIN_WORDS_HEADER)} tab-separated fields, "
                    f"got {len(fields)}: {line!r}"
                )
            fields += [""] * (len(DOMAIN_WORDS_HEADER) - len(fields))
            word, freq, tag = fields
            try:
                entry = DomainWord(word=word, freq=freq or None, tag=tag or None)
            except ValidationError as exc:
                problems = "; ".join(
                    f"{'.'.join(str(p) for p in err['loc']) or 'row'}: {err['msg']}" for err in exc.errors()
                )
                raise ValueError(f"{path}, line {lineno}: invalid domain word row {line!r}: {problems}") from None
            if entry.word in first_line:
                raise ValueError(
                    f"{path}, line {lineno}: duplicate word {entry.word!r} (first on line {first_line[entry.word]})"
                )
            first_line[entry.word] = lineno
            words.append(entry)
    if not header_seen:
        raise ValueError(f"{path}: no header line {'<TAB>'.join(DOMAIN_WORDS_HEADER)!r} found")
    return words


_jieba_lock = threading.Lock()
_jieba_loaded: set[Path] = set()


def init_jieba(path: Union[str, Path, None] = None) -> None:
    """Initialise jieba's default dictionary quietly and add the domain words to it.

    spaCy's jieba segmenter uses jieba's process-wide default tokenizer, so this changes
    segmentation for the whole process. Each dictionary file is loaded at most once per
    process; calling again is cheap and does nothing.

    Example:
        >>> init_jieba()
        >>> import jieba
        >>> jieba.lcut("五社联动")
        ['五社联动']
    """
    path = Path(path) if path is not None else DOMAIN_WORDS_PATH
    key = path.resolve()
    with _jieba_lock:
        if key in _jieba_loaded:
            return
        # Validate the whole file before touching jieba, so a bad row leaves jieba unchanged.
        words = load_domain_words(path)
        # jieba reports dictionary loading on stderr at DEBUG level; keep the CLI output clean.
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        for entry in words:
            # freq=None makes jieba compute the smallest frequency that keeps the word whole.
            jieba.add_word(entry.word, entry.freq, entry.tag)
        _jieba_loaded.add(key)


# --- sentences ---


def _is_url_like_stop(text: str, i: int) -> bool:
    # '?'/'!' with ASCII word characters on both sides (a.php?id=3) is part of a URL or code.
    if text[i] not in _ASCII_STOPS or i == 0 or i + 1 >= len(text):
        return False
    return bool(_ASCII_WORDISH_RE.match(text[i - 1]) and _ASCII_WORDISH_RE.match(text[i + 1]))


def sentence_starts(text: str) -> List[int]:
    """Return the character offsets (> 0) at which a new sentence starts in ``text``.

    A sentence ends after 。！？!? (plus any closing quotes/brackets right after them), after an
    ellipsis …… that is followed by a closing quote/bracket, and at every line break. Marks inside
    an open “…”, 「…」, 『…』, （…）, (…), 《…》 (and similar pairs) do not end a sentence, but a line
    break forgets open brackets. ；/; never ends a sentence. Whitespace stays with the sentence
    before it, so every offset returned points at a non-space character.

    Example:
        >>> sentence_starts("他说：“今天很好。明天更好。”大家都笑了。")
        [15]
    """
    starts: List[int] = []
    stack: List[str] = []  # open brackets, innermost last
    end: Optional[str] = None  # pending end of sentence: "stop", "ellipsis" or "line"
    closed = False  # a closing bracket followed the pending stop/ellipsis
    content = False  # non-space text since the last boundary (no empty leading sentences)
    for i, ch in enumerate(text):
        if ch in LINE_BREAKS:
            stack.clear()
            if content:
                end = "line"
            continue
        if ch.isspace():
            continue
        is_stop = ch in SENTENCE_STOPS and not _is_url_like_stop(text, i)
        is_mark = is_stop or ch in ELLIPSIS_MARKS or ch in CLOSERS
        if end == "line":
            boundary = True
        elif end is not None and not is_mark:
            # The text goes on: it is a new sentence only if we are back outside all brackets
            # (an ellipsis additionally needs a closing quote/bracket after it).
            boundary = not stack and (end == "stop" or closed)
        else:
            boundary = False
        if boundary:
            starts.append(i)
            content = False
        if boundary or not is_mark:
            end, closed = None, False
        content = True
        if is_stop:
            end, closed = "stop", False
        elif ch in ELLIPSIS_MARKS:
            if end != "stop":  # "！……" is still a full stop
                end, closed = "ellipsis", False
        elif ch in CLOSERS:
            opener = _CLOSER_TO_OPENER[ch]
            # Pop down to the matching opener; a stray closer (apostrophe ’, PDF damage) is ignored.
            if opener in stack:
                del stack[len(stack) - 1 - stack[::-1].index(opener) :]
            if end is not None:
                closed = True
        elif ch in OPENERS:
            stack.append(ch)
    return starts


class SentenceSplitter:
    """Pipeline component: sets ``Token.is_sent_start`` on every token from ``sentence_starts``.

    jieba can return tokens that hold several characters including punctuation ('。”'), so the
    rules run over the characters of ``doc.text`` and each boundary is mapped to the token that
    starts there (or, if it falls inside a token, to the next token).

    Example:
        >>> doc = get_nlp()("社工站开放了。欢迎来访！")
        >>> [s.text for s in doc.sents]
        ['社工站开放了。', '欢迎来访！']
    """

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        # arrays, not Token objects: setting is_sent_start token by token cost twice jieba's time
        text = doc.user_data.get("swfacts_text")
        if text is None:  # doc.text rebuilds the string from the tokens; do it once
            text = doc.user_data["swfacts_text"] = doc.text
        idx = doc.to_array([IDX]).astype("int64").reshape(-1)
        flags = numpy.full(len(doc), -1, dtype="int64")
        flags[0] = 1
        # a boundary inside a token moves to the next token: the first token starting at or after it
        at = numpy.searchsorted(idx, numpy.asarray(sentence_starts(text), dtype="int64"), side="left")
        flags[at[at < len(doc)]] = 1
        # the sentences as character spans, for components that read text rather than tokens
        # (iterating doc.sents builds every Token object again)
        starts = [int(i) for i in idx[flags == 1]]
        doc.user_data["swfacts_sentences"] = list(zip(starts, starts[1:] + [len(text)]))
        # spaCy's arrays are uint64: -1 ("not a start") goes in as its two's-complement form
        doc.from_array([SENT_START], flags.astype("uint64").reshape(-1, 1))
        return doc


@Language.factory("swfacts_sentences_v1")
def make_sentence_splitter(nlp: Language, name: str) -> SentenceSplitter:
    """Factory for ``SentenceSplitter``, referenced from pipeline.cfg as ``factory = "swfacts_sentences_v1"``.

    Example:
        >>> nlp = spacy.blank("zh"); _ = nlp.add_pipe("swfacts_sentences_v1")
    """
    return SentenceSplitter()


# --- pipeline ---


EXTRACTOR_MODES = ("rules", "model", "both")


def build_nlp(config_path: Union[str, Path, None] = None, extractors: Optional[str] = None) -> Language:
    """Build the spaCy pipeline from a config (default ``extract/data/pipeline.cfg``), offline.

    ``extractors`` (rules | model | both) picks the component list from the config's
    ``[swfacts.extractors]`` section; None keeps the config's own ``[nlp] pipeline``. Initialises
    jieba with the domain dictionary first and registers the extractor components.

    Example:
        >>> build_nlp(extractors="rules").pipe_names[:2]
        ['swfacts_sentences', 'swfacts_regions']
    """
    import extract.components  # noqa: F401  (registers the extractor factories)

    init_jieba()
    config = spacy.util.load_config(Path(config_path) if config_path is not None else PIPELINE_CONFIG_PATH)
    if extractors is not None:
        modes = config.get("swfacts", {}).get("extractors", {})
        if extractors not in modes:
            raise ValueError(f"unknown extractors {extractors!r}: the config offers {', '.join(modes) or 'none'}")
        config["nlp"]["pipeline"] = list(modes[extractors])
    return spacy.util.load_model_from_config(config, auto_fill=True)


@functools.lru_cache(maxsize=None)
def get_nlp(extractors: str = "rules") -> Language:
    """Return the pipeline for ``extractors``, built once per process (for callers processing
    many articles).

    Example:
        >>> get_nlp("rules") is get_nlp("rules")
        True
    """
    return build_nlp(extractors=extractors)
