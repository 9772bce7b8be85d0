"""The spaCy pipeline: jieba words with the domain dictionary, sentences, and the extractor
components, assembled from ``extract/data/pipeline.cfg`` (a plain spaCy config), so which
components run is decided by the config, not by code.

Typical use::

    from extract.pipeline.nlp import get_nlp
    doc = get_nlp()("全市建成社工站120个。持证社工达到300名。")
    [s.text for s in doc.sents]   # ['全市建成社工站120个。', '持证社工达到300名。']
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Optional, Union

import spacy
from spacy.language import Language

import extract.pipeline.components  # noqa: F401  (registers the extractor factories)
import extract.text.sentences  # noqa: F401  (registers swfacts_sentences_v1)
from extract.base.dictionary import init_jieba
from extract.base.paths import DATA

__all__ = ["EXTRACTOR_MODES", "PIPELINE_CONFIG_PATH", "build_nlp", "get_nlp"]

PIPELINE_CONFIG_PATH = DATA / "pipeline.cfg"

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
