"""Sentence boundaries from punctuation and line breaks, and the spaCy component that sets them.

``sentence_starts`` is plain text in, offsets out; ``swfacts_sentences_v1`` (registered here)
puts them on a Doc as ``Token.is_sent_start`` and keeps the sentences' character spans for the
components that read text rather than tokens.
"""

from __future__ import annotations

import re
from typing import List, Optional

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["SentenceSplitter", "sentence_starts", "BRACKET_PAIRS", "SENTENCE_STOPS", "LINE_BREAKS"]

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
        >>> import spacy
        >>> nlp = spacy.blank("zh"); _ = nlp.add_pipe("swfacts_sentences_v1")
        >>> [s.text for s in nlp("社工站开放了。欢迎来访！").sents]
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
        >>> import spacy
        >>> nlp = spacy.blank("zh"); _ = nlp.add_pipe("swfacts_sentences_v1")
    """
    return SentenceSplitter()
