"""Layout patterns (data/layout.toml) and the radical table (data/radicals.tsv), validated on load.

Both normalize and split read page layout conventions from here, so a new attribution or byline
form is a data change, not a code change.
"""

from __future__ import annotations

import functools
from pathlib import Path

import regex
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from extract.base.datafile import OneChar, compile_pattern, load_toml, load_tsv
from extract.base.paths import DATA


# the named groups the splitter reads from each pattern: a data file without one is an error
_NEEDED_GROUPS = {
    "attribution": ("source",), "meta_source": ("source",), "meta_bare_source": ("source",),
    "meta_date": ("year", "month", "day"), "outlet_chain": ("outlet",), "site_title": ("title",),
    "web_dateline": ("wire",),
}


class Layout(BaseModel):
    """Compiled layout patterns; see data/layout.toml for what each one means."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True)

    attribution: regex.Pattern
    byline: regex.Pattern
    byline_place: regex.Pattern
    own_staff: regex.Pattern
    dateline: regex.Pattern
    dateline_start: regex.Pattern
    jump: regex.Pattern
    source_line: regex.Pattern
    credit: regex.Pattern
    marked_head: regex.Pattern
    column_label: regex.Pattern
    rule_line: regex.Pattern
    caption: list[regex.Pattern]
    kicker: regex.Pattern
    headline_kicker: regex.Pattern
    page_header: regex.Pattern
    terminal: regex.Pattern
    sentence_punct: regex.Pattern
    # web-page furniture and site chrome (text copied or crawled from web pages)
    meta_line: regex.Pattern
    meta_label_alone: regex.Pattern
    glued_meta: regex.Pattern
    label_bar: regex.Pattern
    title_label: regex.Pattern
    meta_source: regex.Pattern
    meta_bare_source: regex.Pattern
    meta_date: regex.Pattern
    outlet_chain: regex.Pattern
    own_site: regex.Pattern
    chrome: list[regex.Pattern]
    tail: list[regex.Pattern]
    web_mark: regex.Pattern
    site_title: regex.Pattern
    web_dateline: regex.Pattern
    credit_tail: regex.Pattern

    @field_validator("attribution", "byline", "byline_place", "own_staff", "dateline", "dateline_start", "jump",
                     "source_line", "credit", "marked_head", "column_label", "rule_line", "kicker", "headline_kicker", "page_header", "terminal",
                     "sentence_punct", "meta_line", "meta_label_alone", "glued_meta", "label_bar", "title_label", "meta_source", "meta_bare_source", "meta_date", "outlet_chain",
                     "own_site", "web_mark", "site_title", "web_dateline", "credit_tail", mode="before")
    @classmethod
    def _compile(cls, value):
        return compile_pattern(value)

    @field_validator("caption", "chrome", "tail", mode="before")
    @classmethod
    def _compile_list(cls, value):
        if not isinstance(value, list) or not value:
            raise ValueError("must be a non-empty list of regular expressions")
        return [compile_pattern(v) for v in value]

    @field_validator(*_NEEDED_GROUPS)
    @classmethod
    def _has_groups(cls, value: regex.Pattern, info: ValidationInfo):
        return _needs_groups(value, *_NEEDED_GROUPS[info.field_name])

    def is_caption(self, line: str) -> bool:
        return any(p.search(line) for p in self.caption)

    def is_chrome(self, line: str) -> bool:
        """A site's navigation, buttons, counters or image file names (see `chrome`)."""
        return any(p.search(line) for p in self.chrome)

    def is_tail(self, line: str) -> bool:
        """A line after which the rest of a web page is its footer or other stories (see `tail`)."""
        return any(p.search(line) for p in self.tail)

    def colon_form(self, line: str) -> str:
        """`line` with WeChat-style label bars read as colons (来源 | 某某 → 来源：某某); a
        printed byline (文/图　本报记者 某某) stays a byline."""
        return line if self.byline.match(line) else self.label_bar.sub(r"\1：", line)

    def is_web_furniture(self, line: str) -> bool:
        """A web page's metadata or chrome line (发布时间：…, 当前位置：…, 【打印】, 上一篇：…): a
        line of its own, never joined to the next as a wrapped line is."""
        line = self.colon_form(line.strip())
        return bool((self.meta_line.match(line) and not self.sentence_punct.search(line))
                    or self.meta_label_alone.match(line) or self.is_chrome(line) or self.is_tail(line))


def _needs_groups(value: regex.Pattern, *names: str) -> regex.Pattern:
    missing = [n for n in names if n not in value.groupindex]
    if missing:
        raise ValueError(f"needs named group(s) {', '.join(missing)}")
    return value


@functools.lru_cache(maxsize=None)
def load_layout(path: Path | None = None) -> Layout:
    """Load and validate the layout patterns.

    >>> load_layout().attribution.search("（据《西藏商报》）")["source"]
    '西藏商报'
    """
    return load_toml(path or DATA / "layout.toml", Layout)


class _Radical(BaseModel):
    radical: OneChar
    character: OneChar


@functools.lru_cache(maxsize=None)
def load_radicals(path: Path | None = None) -> dict[str, str]:
    """Map CJK radical look-alikes to the characters they stand for.

    >>> load_radicals()["⻄"]
    '西'
    """
    return {entry.radical: entry.character for entry in load_tsv(path or DATA / "radicals.tsv", _Radical)}
