"""jieba's words and part-of-speech tags as the counts read them (with the domain dictionary), and
the marks that bound a count's clause.
"""

from __future__ import annotations

import functools
import threading


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"

_jieba_lock = threading.Lock()
_ASPECT_TAGS = frozenset({"ul", "uz", "ug"})  # jieba's tags for 了, 着, 过
_FUNCTION_TAG_PREFIXES = ("d", "p", "u", "c", "r", "m", "q", "t", "f", "y", "e", "o", "z")
_QUOTES = "“”‘’「」『』《》〈〉\""
_OPEN_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "〈": "〉"}
_NP_MARKS = frozenset(_QUOTES + "（）()、·")
# Spaces count as boundaries: in headlines they separate phrases (持证人数达4496人 甘肃兰州…).
_HARD_BOUNDARIES = frozenset("，。；：！？,;:!?…\n \u3000.")
_SENTENCE_ENDS = frozenset("。；！？;!?\n")


@functools.cache
def _segmenter():
    """jieba's cut function and its word → POS table, with the domain dictionary loaded."""
    import jieba
    import jieba.posseg

    from extract.base.dictionary import init_jieba

    with _jieba_lock:
        init_jieba()
        jieba.posseg.dt.makesure_userdict_loaded()
    return jieba.lcut, jieba.posseg.dt.word_tag_tab


def _tag(table: dict, word: str) -> str:
    tag = table.get(word)
    if tag:
        return tag
    if any(ch.isdigit() for ch in word):
        return "m"
    if _is_han(word[:1]):
        return _oov_tag(word)
    return "?"


@functools.lru_cache(maxsize=4096)
def _oov_tag(word: str) -> str:
    """The tag jieba's HMM gives a word its dictionary lacks (相依 → v); '?' when it cannot say."""
    import jieba.posseg

    pairs = jieba.posseg.lcut(word)
    return pairs[0].flag if len(pairs) == 1 and pairs[0].flag not in ("x", "eng") else "?"
