"""jieba set-up: its default dictionary plus the domain words (``extract/data/domain_words.tsv``).

spaCy's jieba segmenter and the extractors that cut text themselves (regions, counts, programs,
normalize) all use jieba's one process-wide tokenizer, so every layer calls ``init_jieba`` from
here, the bottom of the package.
"""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path
from typing import List, Optional, Union

import jieba
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from extract.base.paths import DATA

__all__ = ["DOMAIN_WORDS_PATH", "DomainWord", "init_jieba", "load_domain_words"]

DOMAIN_WORDS_PATH = DATA / "domain_words.tsv"

DOMAIN_WORDS_HEADER = ("word", "freq", "tag")

# jieba only forms words inside runs of these characters (jieba.re_han_default); a dictionary
# entry containing anything else (full-width brackets, CJK beyond U+9FD5 ...) can never be
# produced, so it is rejected when the file is loaded instead of silently doing nothing.
_JIEBA_BLOCK_RE = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")

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
