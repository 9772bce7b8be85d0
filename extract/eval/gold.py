"""Gold annotation files: the format (../shared/spec/gold-format.md) as pydantic models, loading
with errors that name the file and field, and `check_gold`, which holds a gold file against its
page and the division table.

The models accept any file in the published format; unknown fields are ignored, as the spec says.
`check_gold` is stricter: it is how we keep our own gold honest (every `text` is on the page in
reading order, every adcode exists, values agree with their granularity).

>>> g = GoldFile.model_validate({"page": "p", "reference_date": "2024", "articles": [
...     {"starts_with": "某县民政局近日", "dates": [{"text": "近日", "value": "2024", "granularity": "vague"}]}]})
>>> g.articles[0].dates[0].value
'2024'
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from extract.text.normalize import comparison_key as _punctuation_key
from extract.text.script import fold_script, pinyin_spans

__all__ = [
    "GoldFile", "GoldArticle", "GoldRegion", "GoldDate", "GoldCount", "GoldProgram",
    "GoldError", "Problem", "load_gold", "gold_paths", "find_page", "read_page", "check_gold", "KeyedText",
]

_PARTIAL = r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?"
PARTIAL_DATE = re.compile(rf"^{_PARTIAL}$")
# START/END with `..` for an open end (ISO 8601-2 style): 2021/.., ../2024-06, 2021/2023
DATE_VALUE = re.compile(rf"^({_PARTIAL}|({_PARTIAL}|\.\.)/({_PARTIAL}|\.\.))$")
ADCODE = re.compile(r"^\d{6}(\d{3})?$")


def _check_date_value(value: Optional[str]) -> Optional[str]:
    if value is not None and (not DATE_VALUE.match(value) or value == "../.."):
        raise ValueError("want an ISO partial date YYYY, YYYY-MM, YYYY-MM-DD or an interval START/END ('..' = open)")
    return value


class _Gold(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class GoldRegion(_Gold):
    name: str = Field(min_length=1, description="Fullest form of the place written in the article.")
    adcode: Optional[str] = Field(default=None, pattern=ADCODE.pattern,
                                  description="GB/T 2260 code (6 digits; 9 for 乡/镇/街道), null below township.")


class GoldDate(_Gold):
    text: str = Field(min_length=1, description="The time expression as written.")
    value: Optional[str] = Field(description="ISO partial date or interval START/END; null when unresolvable.")
    granularity: Literal["year", "month", "day", "season", "part", "interval", "vague"]

    _value = field_validator("value")(_check_date_value)


class GoldCount(_Gold):
    text: str = Field(min_length=1, description="Number with unit and hedge words as written.")
    value: float = Field(description="The number after scaling; the low end of a range.")
    value_max: Optional[float] = Field(default=None, description="High end of a range.")
    unit: Optional[str] = None
    qualifier: Literal["exact", "approx", "at_least", "at_most", "range"] = "exact"
    subject: Optional[str] = None
    region: Optional[str] = Field(default=None, description="Adcode or name of the place the number is about.")
    date: Optional[str] = Field(default=None, description="ISO partial date (or interval) the number refers to.")

    _date = field_validator("date")(_check_date_value)


class GoldProgram(_Gold):
    name: str = Field(min_length=1, description="Name without quotes or 《》.")
    kind: Literal["policy", "program", "brand", "mechanism", "other"]


class GoldArticle(_Gold):
    starts_with: str = Field(min_length=1, description="First 10-20 characters of the body, normalized.")
    title: Optional[str] = None
    source: Optional[str] = None
    regions: list[GoldRegion] = Field(default_factory=list)
    dates: list[GoldDate] = Field(default_factory=list)
    counts: list[GoldCount] = Field(default_factory=list)
    programs: list[GoldProgram] = Field(default_factory=list)


class GoldFile(_Gold):
    """One page's gold annotations."""

    page: str = Field(min_length=1, description="Stem of the page file the gold belongs to.")
    reference_date: Optional[str] = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD, or null.")
    reference_date_note: Optional[str] = None
    articles: list[GoldArticle]

    @field_validator("reference_date")
    @classmethod
    def _partial(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not PARTIAL_DATE.match(value):
            raise ValueError("want YYYY, YYYY-MM or YYYY-MM-DD")
        return value


class GoldError(ValueError):
    """A gold file that cannot be used; the message names the file and the field."""

    def __init__(self, path: Path | str, field: str, message: str):
        self.path, self.field, self.message = str(path), field, message
        super().__init__(f"{path}: {field}: {message}" if field else f"{path}: {message}")


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_gold(path: Path | str) -> GoldFile:
    """Read and validate one gold file; raise GoldError naming the file and the first bad field(s)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GoldError(path, "", exc.strerror or str(exc)) from None
    except UnicodeDecodeError:
        raise GoldError(path, "", "not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise GoldError(path, "", f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(data, dict):
        raise GoldError(path, "", "want a JSON object with page, reference_date and articles")
    try:
        return GoldFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise GoldError(path, _loc(first["loc"]), first["msg"] + more) from None


def gold_paths(path: Path | str) -> list[Path]:
    """The gold files named by `path`: the file itself, or every *.json in the directory (sorted)."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.glob("*.json") if p.is_file())
    if path.is_file():
        return [path]
    raise GoldError(path, "", "no such file or directory")


def find_page(pages: Path | str, stem: str) -> Path:
    """The page file for a gold `page` stem: `<pages>/<stem>.*` (a .txt first)."""
    pages = Path(pages)
    exact = pages / f"{stem}.txt"
    if exact.is_file():
        return exact
    candidates = sorted(p for p in pages.glob(f"{glob_escape(stem)}.*") if p.is_file())
    if not candidates:
        raise FileNotFoundError(f"no page {stem}.* in {pages}")
    return candidates[0]


def read_page(path: Path | str) -> str:
    """The text of a page file as ingest yields it to the pipeline, which is what gold describes.

    The one place check-gold reads a page: when ingest learns a new format (HTML), the checker
    follows. Raises ValueError with ingest's message when the file cannot be read.
    """
    from extract.text.ingest import IngestError, read_sources

    for source in read_sources([Path(path)]):
        if isinstance(source, IngestError):
            raise ValueError(f"{source.path}: {source.message}")
        text = source.text
        if source.title and comparison_key(source.title) not in comparison_key(text[:2000]):
            # a web page's headline is metadata (trafilatura keeps it out of the main text); the
            # pipeline's article is that title line and the text, so gold is held against both
            text = f"{source.title}\n{text}"
        # pinyin left in brackets (鎮(zhèn)) is dropped when the page is read: gold, like the
        # pipeline, reads the page without it (GUIDELINES §8)
        for start, end in reversed(pinyin_spans(text)):
            text = text[:start] + text[end:]
        return text
    raise ValueError(f"{path}: nothing to read")


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)



def comparison_key(text: str) -> str:
    """How gold texts are held against the page: whitespace and punctuation folded
    (`normalize.comparison_key`), and script — gold of a traditional page may be written in either
    script (`script.fold_script`: only traditional-only characters fold)."""
    return _punctuation_key(fold_script(text))


class KeyedText:
    """A text and its comparison key (no whitespace, punctuation folded), with a map from key
    positions back to text positions, so a key match can be shown in its sentence."""

    def __init__(self, text: str):
        self.text = text
        chars, index = [], []
        # the script is folded over the whole text first: a phrase converts as one (瞭解 → 了解)
        for i, ch in enumerate(fold_script(text)):
            k = _punctuation_key(ch)
            if k:
                chars.append(k)
                index.append(i)
        self.key = "".join(chars)
        self.index = index + [len(text)]

    def find(self, needle: str, start: int = 0, end: int | None = None) -> int:
        """Position in the key of `needle`'s key at or after key position `start`, or -1."""
        key = comparison_key(needle)
        if not key:
            return -1
        return self.key.find(key, start, len(self.key) if end is None else end)

    def sentence(self, key_pos: int, length: int = 1) -> str:
        """The sentence (up to 。！？； or a blank line) around key position `key_pos`."""
        start = self.index[min(key_pos, len(self.index) - 1)]
        end = self.index[min(key_pos + max(length, 1) - 1, len(self.index) - 1)] + 1
        left = max(self.text.rfind(c, 0, start) for c in "。！？；\n")
        right_candidates = [p for p in (self.text.find(c, end) for c in "。！？；\n") if p != -1]
        right = min(right_candidates) + 1 if right_candidates else len(self.text)
        return " ".join(self.text[left + 1:right].split())

    def line_start(self, key_pos: int) -> int:
        """Key position of the start of the text line that holds key position `key_pos`."""
        pos = self.index[min(key_pos, len(self.index) - 1)]
        return bisect.bisect_left(self.index, self.text.rfind("\n", 0, pos) + 1)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a gold file, by field."""

    path: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


_GRANULARITY = {
    "year": re.compile(r"^\d{4}$"),
    "month": re.compile(r"^\d{4}-\d{2}$"),
    "day": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "season": re.compile(r"^\d{4}(-\d{2})?$"),
    "part": re.compile(r"^\d{4}(-\d{2})?$"),
    "interval": re.compile(r"/"),
}

# A day written without its month (22日，): GUIDELINES §4 values it null when the page cannot give
# the month, so its null is not an annotator's gap like other unresolved non-vague dates.
_BARE_DAY = re.compile(r"^([12]?\d|3[01]|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号]$")

# How an article writes a place only by its level word (GUIDELINES §3: 市委社会工作部, 我市, 全县,
# 县民政局): the level word (the name's last character) after a pointing word or before a body.
_ABBREVIATION = "(?:[我全本该此]{level}|{level}(?:委|政府|人民政府|民政|级))"


@functools.lru_cache(maxsize=1)
def _short_forms() -> dict[str, frozenset[str]]:
    """adcode → the short and bare forms the gazetteer knows for it (内蒙古, 威宁自治县, 宜昌)."""
    from extract.gazetteer.names import lexicon

    out: dict[str, set[str]] = {}
    for surface, forms in lexicon().forms.items():
        for form in forms:
            if form.kind != "full":
                out.setdefault(form.code, set()).add(surface)
    return {code: frozenset(v) for code, v in out.items()}


def _region_written(region: GoldRegion, page: KeyedText, lo: int, hi: int) -> bool:
    """Whether the article writes the place, by its name or (GUIDELINES §3) by an abbreviation.

    The name is in the article; or it is the place's full name and the article writes a short
    form of it (内蒙古 for 内蒙古自治区); or the article writes only an abbreviation of the level
    (市委, 我市, 县民政局) and the name is the nearest full form elsewhere on the page (the site's
    header, another article)."""
    if page.find(region.name, lo, hi) >= 0:
        return True
    if region.adcode and any(page.find(s, lo, hi) >= 0 for s in _short_forms().get(region.adcode, ())):
        return True
    name = comparison_key(region.name)
    if len(name) < 2 or page.find(region.name) < 0:
        return False
    return re.search(_ABBREVIATION.format(level=re.escape(name[-1])), page.key[lo:hi]) is not None


def check_gold(gold: GoldFile, page_text: str, divisions: dict, path: str = "") -> list[Problem]:
    """Hold a gold file against its page text and the division table; return what is wrong.

    Articles must appear in page order; each `text` of an article's dates (and counts) must occur
    in order between the article's start (its title, else the start of the line holding its
    `starts_with`, where a dateline stands) and the next article's start; names of regions (or,
    GUIDELINES §3, an abbreviation of them) and programs must occur in the article; adcodes must
    exist. Comparison ignores whitespace and folds ASCII/full-width punctuation, like the scorer.
    """
    page = KeyedText(page_text)
    problems: list[Problem] = []

    def problem(field: str, message: str) -> None:
        problems.append(Problem(path or gold.page, field, message))

    # where each article starts (title or body) and where its body starts, in key positions
    spans = []
    cursor = 0
    for i, art in enumerate(gold.articles):
        body = page.find(art.starts_with, cursor)
        if body < 0:
            problem(f"articles[{i}].starts_with", f"{art.starts_with!r} not found on the page after the previous article")
            spans.append(None)
            continue
        key = comparison_key(art.starts_with)
        if not 10 <= len(key) <= 20:
            problem(f"articles[{i}].starts_with", f"{len(key)} characters; the spec asks for 10-20")
        # no headline: a dateline before the body on its line (新华社合肥3月18日电 …) is the
        # article's (GUIDELINES §7), so its place and date are looked for from the line's start
        start = max(cursor, page.line_start(body))
        if art.title:
            # the title is printed before the body, after the previous article's body start
            t = page.key.rfind(comparison_key(art.title), cursor, body + len(comparison_key(art.title)))
            if t < 0:
                t = page.find(art.title)
                if t < 0:
                    problem(f"articles[{i}].title", f"{art.title!r} not found on the page")
            else:
                start = min(body, t)
        spans.append(start)
        cursor = body + 1
    ends = []
    for i in range(len(spans)):
        nxt = next((s for s in spans[i + 1:] if s is not None), len(page.key))
        ends.append(nxt)

    for i, art in enumerate(gold.articles):
        if spans[i] is None:
            continue
        lo, hi = spans[i], max(ends[i], spans[i])
        for kind in ("dates", "counts"):
            pos = lo
            for j, item in enumerate(getattr(art, kind)):
                found = page.find(item.text, pos, hi)
                if found < 0:
                    where = "anywhere in the article" if page.find(item.text, lo, hi) < 0 else "after the previous one"
                    problem(f"articles[{i}].{kind}[{j}].text", f"{item.text!r} not found {where}")
                else:
                    pos = found + 1
        for j, region in enumerate(art.regions):
            if not _region_written(region, page, lo, hi):
                problem(f"articles[{i}].regions[{j}].name", f"{region.name!r} not found in the article")
            if region.adcode is not None and region.adcode not in divisions:
                problem(f"articles[{i}].regions[{j}].adcode", f"{region.adcode} is not in the division table")
        seen_regions = set()
        for j, region in enumerate(art.regions):
            ident = region.adcode or comparison_key(region.name)
            if ident in seen_regions:
                problem(f"articles[{i}].regions[{j}]", f"{region.name} listed twice (regions are distinct places)")
            seen_regions.add(ident)
        seen_programs = set()
        for j, program in enumerate(art.programs):
            if page.find(program.name, lo, hi) < 0:
                problem(f"articles[{i}].programs[{j}].name", f"{program.name!r} not found in the article")
            if comparison_key(program.name) in seen_programs:
                problem(f"articles[{i}].programs[{j}]", f"{program.name} listed twice (programs are distinct)")
            seen_programs.add(comparison_key(program.name))
        for j, date in enumerate(art.dates):
            rule = _GRANULARITY.get(date.granularity)
            if date.value is not None and rule and not rule.search(date.value):
                problem(f"articles[{i}].dates[{j}].value", f"{date.value!r} does not fit granularity {date.granularity}")
            if date.value is None and date.granularity != "vague" and \
                    not (date.granularity == "day" and _BARE_DAY.match(comparison_key(date.text))):
                problem(f"articles[{i}].dates[{j}].value",
                        "null value: only vague dates and bare days (22日) may be unresolved")
        for j, count in enumerate(art.counts):
            if (count.qualifier == "range") != (count.value_max is not None):
                problem(f"articles[{i}].counts[{j}].value_max", "a range has value_max, and only a range")
            if count.value_max is not None and count.value_max < count.value:
                problem(f"articles[{i}].counts[{j}].value_max", "smaller than value")
            if count.region is not None and ADCODE.match(count.region) and count.region not in divisions:
                problem(f"articles[{i}].counts[{j}].region", f"{count.region} is not in the division table")
    return problems
