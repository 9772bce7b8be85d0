"""Ingest: find input files, decode their bytes, and split JSON Lines and WARC archives into sources.

This is the first pipeline stage. It never raises for a bad input: every file (or archive line)
that cannot be used becomes an `IngestError` and the run goes on with the rest.

All text handed downstream has its line endings normalized to "\\n" (see `decode`), so every
offset a later stage records (raw_start, raw_end, ...) is an offset into this decoded text,
not into the file's bytes. For a web page (an `.html` file, a WARC response, a JSON Lines line
with `html`) that text is the page's main text as extracted by `extract.text.html`; the HTML
itself is kept in `RawSource.html` for provenance.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from extract.text.jsonl import LineError, iso_partial_date, json_type, optional_str
from extract.text.html import HTML_SUFFIXES, NoMainText, declared_charset, extract_page, is_warc_name, warc_records

__all__ = [
    "TEXT_SUFFIXES",
    "JSONL_SUFFIXES",
    "HTML_SUFFIXES",
    "DecodeError",
    "IngestError",
    "RawSource",
    "decode",
    "decode_html",
    "discover",
    "iso_partial_date",
    "jsonl_codec",
    "jsonl_sources",
    "line_id",
    "read_sources",
]

TEXT_SUFFIXES = (".txt", ".text", ".jsonl", ".ndjson")
# Files with these suffixes are archives: one JSON object (one source) per line.
JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True)
class RawSource:
    """One decoded input: a whole text file, an HTML page, one line of a JSON Lines archive or one
    HTML response of a WARC archive."""

    key: str  # absolute resolved path for files; JSON Lines line: f"{abs_path}#{id}"; WARC: f"{abs_path}#{uri}"
    kind: str  # "file", "html", "jsonl" or "warc"
    text: str  # decoded text, line endings normalized to "\n" (jsonl: the line's `text`; web pages: the main text)
    encoding: str  # "utf-8", "utf-8-sig", "gb18030", "utf-16" (jsonl lines: encoding of the archive; web pages
    #                also a declared codec such as "big5")
    sha256: str  # hex sha256 of the raw file bytes (file, html) / of the stripped JSON line as UTF-8 (jsonl) /
    #              of the HTTP body (warc)
    nbytes: int  # size of the same bytes
    reference_date: str | None = None  # jsonl `date`: YYYY, YYYY-MM or YYYY-MM-DD
    title: str | None = None  # jsonl `title`
    source: str | None = None  # jsonl `source`
    url: str | None = None  # jsonl `url`; a WARC record's WARC-Target-URI
    html: str | None = None  # web pages: the decoded HTML the text was extracted from
    page_date: str | None = None  # web pages: publication date stated in the page's markup (YYYY-MM-DD)
    sitename: str | None = None  # web pages: the site publishing the page, the source when nothing is credited


@dataclass(frozen=True)
class IngestError:
    """An input that could not be used, with a message saying what to fix."""

    path: str  # the file path (for a bad jsonl line: f"{abs_path}:{line_number}")
    message: str
    stage: str = "ingest"


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept."""


# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------

_CHUNK = 1 << 20  # even, so NUL parity counts per chunk add up to parity over the whole file

# Characters a Chinese news page is made of. Used to judge *guessed* decodings (GB18030, UTF-16
# without BOM): both codecs turn almost any byte string into some characters, so "it decoded"
# proves nothing; random bytes come out as a scatter of rare symbols, kana, Greek, private-use
# and unassigned code points instead.
_FAMILIAR_RE = re.compile(
    "["
    "\t\n\v\f\r -~"  # ASCII whitespace and printable
    "\u00a0\u00a7\u00a9\u00ae\u00b0\u00b1\u00b7\u00d7\u00f7"  # nbsp § © ® ° ± · × ÷
    "\u2000-\u206f"  # general punctuation: quotes, dashes, ellipsis
    "\u2100-\u218f"  # letterlike symbols and number forms: ℃ № Ⅳ
    "\u2190-\u21ff"  # arrows
    "\u2460-\u24ff"  # enclosed alphanumerics: ①
    "\u25a0-\u25ff"  # geometric shapes: ■ ●
    "\u2605\u2606"  # ★ ☆
    "\u3000-\u303f"  # CJK symbols and punctuation
    "\u3200-\u33ff"  # enclosed CJK letters, CJK compatibility: ㈠ ㎡
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\ufe30-\ufe4f"  # CJK compatibility forms
    "\uff00-\uffef"  # fullwidth and halfwidth forms
    "\U00020000-\U0003134f"  # CJK extensions B and later
    "]+"
)
_IDEOGRAPH_RE = re.compile("[\u4e00-\u9fff]")


def _gb2312_level1_re() -> re.Pattern[str]:
    # GB2312 level 1 (rows 0xB0-0xD7) holds the 3,755 most used characters; taken from the codec
    # itself, so no character list lives in this file.
    chars = []
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.append(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass  # the few unassigned cells at the end of row 0xD7
    return re.compile("[" + "".join(chars) + "]")


_COMMON_RE = _gb2312_level1_re()
_BAD_CATEGORIES = frozenset({"Cc", "Cn", "Co", "Cs"})  # control, unassigned, private use, surrogate

# Thresholds from the data contract: more than 1% junk means binary; a guessed decoding must be
# at least 95% characters of the kind above.
_MAX_BAD_SHARE = 0.01
_MIN_FAMILIAR_SHARE = 0.95
# Real Chinese text uses GB2312 level 1 for ~99.7% of its ideographs; bytes that only happen to
# form valid GBK pairs spread evenly over all ideographs (about half or fewer in level 1). Too
# few ideographs say nothing either way, hence the minimum.
_MIN_COMMON_SHARE = 0.8
_MIN_IDEOGRAPHS_FOR_COMMON = 20

_CANNOT_DECODE = "cannot decode as UTF-8, GB18030 or UTF-16"
_BINARY_NUL = "binary file (NUL bytes), not text"
_IMPLAUSIBLE = "binary or undecodable data, not text"

# Codec used for decoding -> encoding label reported in RawSource.encoding.
_LABELS = {
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "utf-16": "utf-16",
    # Without a BOM the byte order is our guess; the label stays "utf-16" because the schema
    # knows four encodings, not the byte order.
    "utf-16-le": "utf-16",
    "utf-16-be": "utf-16",
    "gb18030": "gb18030",
}


class _Tally:
    """Character counts of a decoded text, fed chunk by chunk so archives need not fit in memory."""

    __slots__ = ("total", "bad", "unfamiliar", "has_text", "count_common", "ideographs", "common")

    def __init__(self, count_common: bool = False) -> None:
        self.total = 0
        self.bad = 0
        self.unfamiliar = 0
        self.has_text = False
        self.count_common = count_common
        self.ideographs = 0
        self.common = 0

    def add(self, chunk: str) -> None:
        if not chunk:
            return
        self.total += len(chunk)
        if not self.has_text and chunk.strip():
            self.has_text = True
        # Only the (normally tiny) remainder that is not familiar needs a per-character look.
        rest = _FAMILIAR_RE.sub("", chunk)
        self.unfamiliar += len(rest)
        for ch in rest:
            if ch == "\ufffd" or unicodedata.category(ch) in _BAD_CATEGORIES:
                self.bad += 1
        if self.count_common:
            self.ideographs += len(chunk) - len(_IDEOGRAPH_RE.sub("", chunk))
            self.common += len(chunk) - len(_COMMON_RE.sub("", chunk))

    def plausible(self, guessed: bool) -> bool:
        if self.bad > _MAX_BAD_SHARE * self.total:
            return False
        if guessed and self.unfamiliar > (1 - _MIN_FAMILIAR_SHARE) * self.total:
            return False
        if (
            self.count_common
            and self.ideographs >= _MIN_IDEOGRAPHS_FOR_COMMON
            and self.common < _MIN_COMMON_SHARE * self.ideographs
        ):
            return False
        return True


def _nul_counts(f: BinaryIO) -> tuple[int, int, int]:
    """Return (NULs at even offsets, NULs at odd offsets, size) of the whole stream."""
    f.seek(0)
    even = odd = size = 0
    while chunk := f.read(_CHUNK):
        # Every chunk but the last is _CHUNK (even) bytes long, so each starts at an even offset.
        even += chunk[0::2].count(0)
        odd += chunk[1::2].count(0)
        size += len(chunk)
    return even, odd, size


def _scan(f: BinaryIO, codec: str, keep: bool) -> tuple[_Tally, str | None]:
    """Strictly decode the whole stream with `codec`, counting characters (and keeping the text if asked).

    Raises UnicodeDecodeError when the bytes are not valid in `codec`.
    """
    f.seek(0)
    decoder = codecs.getincrementaldecoder(codec)("strict")
    # Only GB18030 needs the common-character test: it is the one codec that turns random
    # high bytes into a stream of real ideographs.
    tally = _Tally(count_common=codec == "gb18030")
    parts: list[str] | None = [] if keep else None
    while True:
        chunk = f.read(_CHUNK)
        piece = decoder.decode(chunk, final=not chunk)
        tally.add(piece)
        if parts is not None:
            parts.append(piece)
        if not chunk:
            break
    return tally, ("".join(parts) if parts is not None else None)


def _detect(f: BinaryIO, keep: bool) -> tuple[str, _Tally, str | None]:
    """Pick the codec of a seekable binary stream: return (codec, tally, text or None).

    Candidates are tried in a fixed order and the first that decodes strictly *and* gives
    plausible text wins. Raises DecodeError when none does.
    """
    f.seek(0)
    head = f.read(4)
    has_nul = False
    if head.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", False)]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", False)]
    else:
        even, odd, size = _nul_counts(f)
        candidates = [("utf-8", False)]
        has_nul = bool(even or odd)
        if has_nul:
            # UTF-16 without BOM: ASCII characters put their NUL high byte at odd offsets in
            # little-endian and at even offsets in big-endian, and ASCII (digits, spaces,
            # newlines) is what produces most NULs in Chinese text, so try the likelier first.
            if size % 2 == 0:
                order = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
                candidates += [(codec, True) for codec in order]
        else:
            # GB18030 only without NULs: a NUL in GB18030 is a NUL, i.e. binary.
            candidates.append(("gb18030", True))

    decoded_somewhere = False
    for codec, guessed in candidates:
        try:
            tally, text = _scan(f, codec, keep)
        except UnicodeDecodeError as exc:
            if codec in ("utf-8-sig", "utf-16"):
                # A BOM is a promise about the encoding; say that it was broken rather than guess on.
                name = "UTF-8" if codec == "utf-8-sig" else "UTF-16"
                raise DecodeError(
                    f"starts with a {name} byte order mark but is not valid {name} ({exc.reason})"
                ) from None
            continue
        decoded_somewhere = True
        if tally.plausible(guessed):
            return codec, tally, text

    if has_nul:
        raise DecodeError(_BINARY_NUL)
    raise DecodeError(_IMPLAUSIBLE if decoded_somewhere else _CANNOT_DECODE)


def _normalize_newlines(text: str) -> str:
    # Downstream offsets are into this text, so normalize here once, before anyone counts.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes) -> tuple[str, str]:
    """Decode the bytes of a text file; return (text, encoding).

    A BOM decides (utf-8-sig, utf-16); otherwise strict UTF-8, then UTF-16 without BOM (only
    when there are NUL bytes), then GB18030 (which covers GBK). Guessed decodings must look
    like Chinese/ASCII text. Line endings become "\\n". Raises DecodeError with a message
    fit to show the user.

    >>> decode("社工\\r\\n".encode("gbk"))
    ('社工\\n', 'gb18030')
    """
    codec, _tally, text = _detect(io.BytesIO(data), keep=True)
    assert text is not None
    return _normalize_newlines(text), _LABELS[codec]


def decode_html(data: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """Decode the bytes of an HTML page; return (text, encoding label).

    A BOM decides; then bytes that are valid UTF-8 are UTF-8 (whatever the page says: a page
    labelled gb2312 and saved as UTF-8 is a common slip, and non-ASCII GBK text is practically never
    valid UTF-8); then the charset the HTTP header or `<meta charset>` declares, if the bytes are
    valid in it (Big5 pages decode as Big5, not as a guessed GB18030); then `decode`'s detection.

    >>> decode_html('<meta charset="gbk"><p>社工</p>'.encode("gbk"))
    ('<meta charset="gbk"><p>社工</p>', 'gb18030')
    """
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _normalize_newlines(data.decode("utf-8")), "utf-8"
        except UnicodeDecodeError:
            pass
        codec = declared_charset(data, header_charset)
        if codec and codec not in ("utf-8", "utf-16"):
            try:
                return _normalize_newlines(data.decode(codec)), _LABELS.get(codec, codec)
            except UnicodeDecodeError:
                pass  # the declaration is wrong; detect
    return decode(data)


# --------------------------------------------------------------------------------------------
# Finding files
# --------------------------------------------------------------------------------------------


def _as_path_list(paths) -> list[Path]:
    # A single path is a common slip for a list of paths; a str would otherwise iterate by char.
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    return [Path(p) for p in paths]


def _is_text_name(name: str) -> bool:
    suffix = Path(name).suffix.lower()
    return suffix == "" or suffix in TEXT_SUFFIXES or suffix in HTML_SUFFIXES or is_warc_name(name)


def discover(paths) -> tuple[list[Path], list[Path]]:
    """Expand files and directories into the list of files to read; return (files, skipped).

    Files are taken as given, whatever their suffix. Directories are walked recursively in
    sorted order, skipping hidden entries (name starting with "."); their files are taken when
    the suffix is in TEXT_SUFFIXES or HTML_SUFFIXES (any case), the name ends in .warc or
    .warc.gz, or there is no suffix; others are listed in `skipped`.
    Missing paths and unlistable directories are returned in `files`, for read_sources to report.
    Each file appears once, at its first occurrence.

    >>> discover(["corpus/"])  # doctest: +SKIP
    ([PosixPath('corpus/a.txt'), PosixPath('corpus/sub/b.jsonl')], [PosixPath('corpus/logo.png')])
    """
    files: list[Path] = []
    skipped: list[Path] = []
    seen: set[str] = set()
    visited_dirs: set[str] = set()

    def take(path: Path, into: list[Path]) -> None:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            into.append(path)

    def walk(directory: Path) -> None:
        real = os.path.realpath(directory)
        if real in visited_dirs:  # a symlink loop, or the same tree given twice
            return
        visited_dirs.add(real)
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            take(directory, files)  # read_sources reports why it cannot be listed
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = directory / entry.name
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError:
                is_dir = is_file = False
            if is_dir:
                walk(path)
            elif is_file and _is_text_name(entry.name):
                take(path, files)
            else:
                # Other suffixes, broken symlinks, sockets and pipes: not ours to read.
                take(path, skipped)

    for path in _as_path_list(paths):
        if path.is_dir():
            walk(path)
        else:
            take(path, files)
    return files, skipped


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def _os_reason(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return reason[:1].lower() + reason[1:]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes: how a source, and a page a model trained on, is known by
    its content."""
    return _sha256(Path(path).read_bytes())


def line_id(obj) -> str:
    """The id of a decoded archive line, as its source key has it; or raise LineError."""
    if not isinstance(obj, dict):
        raise LineError(f"not a JSON object but {json_type(obj)}")
    if "id" not in obj or obj["id"] is None:
        raise LineError("missing required field 'id'")
    raw_id = obj["id"]
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
        raise LineError(f"field 'id' must be a string or integer, not {json_type(raw_id)}")
    id_ = str(raw_id)
    if not id_.strip():
        raise LineError("field 'id' is empty")
    return id_


def _parse_line(obj, lineno: int, first_line_of: dict[str, int]) -> dict:
    """Validate one decoded archive object; return RawSource keyword fields or raise LineError."""
    id_ = line_id(obj)
    # Registered before the other checks, so a duplicate is reported now and not only after
    # the first line has been fixed.
    first = first_line_of.setdefault(id_, lineno)
    if first != lineno:
        raise LineError(f"duplicate id {id_!r} (first on line {first})")

    html = obj.get("html")
    if html is not None:
        if not isinstance(html, str):
            raise LineError(f"field 'html' must be a string, not {json_type(html)}")
        if not html.strip():
            raise LineError("field 'html' is empty")
    if obj.get("text") is None and html is None:
        raise LineError("missing required field 'text' (or 'html')")
    text = obj.get("text")
    if text is not None:
        if not isinstance(text, str):
            raise LineError(f"field 'text' must be a string, not {json_type(text)}")
        if not text.strip():
            raise LineError("field 'text' is empty")

    date = obj.get("date")
    reference_date = None
    if date is not None and not (isinstance(date, str) and not date.strip()):
        try:
            if not isinstance(date, str):
                raise ValueError
            reference_date = iso_partial_date(date)
        except ValueError:
            raise LineError(f"bad date {date!r} (want YYYY, YYYY-MM or YYYY-MM-DD)") from None

    fields = {
        "id": id_,
        "text": _normalize_newlines(text) if text is not None else None,
        "reference_date": reference_date,
        "title": optional_str(obj, "title"),
        "source": optional_str(obj, "source"),
        "url": optional_str(obj, "url"),
    }
    if html is not None:
        # the line's own fields win; the page fills what they leave open. A `text` given with the
        # html is taken as the archive's extraction and kept; the html is then provenance only.
        html = _normalize_newlines(html)
        try:
            page = extract_page(html, url=fields["url"])
        except NoMainText as exc:
            if text is None:
                raise LineError(f"field 'html': {exc}") from None
            page = None
        fields["html"] = html
        if page is not None:
            if fields["text"] is None:
                fields["text"] = page.text
            fields["title"] = fields["title"] or page.title
            fields["source"] = fields["source"] or page.source
            fields["url"] = fields["url"] or page.url
            fields["page_date"] = _page_date(page.date)
            fields["sitename"] = page.sitename
    return fields


def _page_date(value: str | None) -> str | None:
    # htmldate gives YYYY-MM-DD; anything else is dropped rather than trusted
    if not value:
        return None
    try:
        return iso_partial_date(value)
    except ValueError:
        return None


def _web_page(key: str, kind: str, data: bytes, header_charset: str | None = None,
              url: str | None = None) -> RawSource | IngestError:
    """One HTML page's bytes as a source: decoded, its main text extracted, its metadata read."""
    try:
        html, encoding = decode_html(data, header_charset)
    except DecodeError as exc:
        return IngestError(key, str(exc))
    try:
        page = extract_page(html, url=url)
    except NoMainText as exc:
        return IngestError(key, f"{url or key}: {exc}")
    return RawSource(key=key, kind=kind, text=page.text, encoding=encoding, sha256=_sha256(data), nbytes=len(data),
                     title=page.title, source=page.source, url=page.url, html=html,
                     page_date=_page_date(page.date), sitename=page.sitename)


def _read_file(path: Path, key: str) -> RawSource | IngestError:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return IngestError(key, _os_reason(exc))
    if not data:
        return IngestError(key, "empty file")
    if path.suffix.lower() in HTML_SUFFIXES:
        return _web_page(key, "html", data)
    try:
        text, encoding = decode(data)
    except DecodeError as exc:
        return IngestError(key, str(exc))
    if not text.strip():
        return IngestError(key, "empty file")
    return RawSource(key=key, kind="file", text=text, encoding=encoding, sha256=_sha256(data), nbytes=len(data))


def jsonl_codec(path: str | Path) -> str | None:
    """The codec `read_sources` reads a JSON Lines archive with (its first pass), or None when it
    would report the whole file instead (unreadable, not text, empty): what a reader of a byte
    range of the archive (extract/pipeline/partitions.py) needs to decode its lines the same way."""
    try:
        with open(path, "rb") as f:
            codec, tally, _ = _detect(f, keep=False)
    except (DecodeError, OSError):
        return None
    return codec if tally.has_text else None


def jsonl_sources(lines: Iterable[str], key: str, codec: str, first_lineno: int = 1,
                  first_line_of: dict[str, int] | None = None) -> Iterator[RawSource | IngestError]:
    """The sources (and the bad lines, as errors) of an archive's decoded lines, numbered from
    `first_lineno`: one line's checks and keys, for the whole archive (`read_sources`) and for a
    byte range of it read by a worker. `first_line_of` records where each id was first seen."""
    first_line_of = {} if first_line_of is None else first_line_of
    for lineno, line in enumerate(lines, start=first_lineno):
        line = line.strip()
        if not line:
            continue
        where = f"{key}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(where, f"line {lineno}: invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:
            yield IngestError(where, f"line {lineno}: invalid JSON: nested too deeply")
            continue
        try:
            fields = _parse_line(obj, lineno, first_line_of)
        except LineError as exc:
            yield IngestError(where, f"line {lineno}: {exc}")
            continue
        raw = line.encode("utf-8")
        yield RawSource(
            key=f"{key}#{fields.pop('id')}",
            kind="jsonl",
            encoding=_LABELS[codec],
            sha256=_sha256(raw),
            nbytes=len(raw),
            **fields,
        )


def _read_jsonl(path: Path, key: str) -> Iterator[RawSource | IngestError]:
    try:
        with open(path, "rb") as f:
            # First pass only decides the encoding (and rejects binary); nothing is kept.
            codec, tally, _ = _detect(f, keep=False)
            if not tally.has_text:
                yield IngestError(key, "empty file")
                return
            # Second pass streams lines. newline=None splits on \n, \r\n and lone \r, the same
            # line breaks decode() normalizes, so line numbers agree with an editor's.
            f.seek(0)
            lines = io.TextIOWrapper(f, encoding=codec, errors="strict", newline=None)
            yield from jsonl_sources(lines, key, codec)
    except DecodeError as exc:
        yield IngestError(key, str(exc))
    except OSError as exc:
        yield IngestError(key, _os_reason(exc))
    except UnicodeDecodeError:
        # Only possible when the file changed between the two passes.
        yield IngestError(key, "file changed while being read; run again")


def _read_warc(path: Path, key: str) -> Iterator[RawSource | IngestError]:
    from warcio.exceptions import ArchiveLoadFailed

    seen: set[str] = set()
    found = 0
    try:
        with open(path, "rb") as f:
            for record in warc_records(f):
                found += 1
                where = f"{key}#{record.uri}"
                if record.uri in seen:
                    # a page captured twice: the first capture is the source, as with a duplicate jsonl id
                    yield IngestError(where, f"duplicate record for {record.uri}")
                    continue
                seen.add(record.uri)
                if not record.payload:
                    yield IngestError(where, f"{record.uri}: empty response")
                    continue
                yield _web_page(where, "warc", record.payload, record.charset, url=record.uri or None)
    except OSError as exc:
        yield IngestError(key, _os_reason(exc))
        return
    except (ArchiveLoadFailed, ValueError, EOFError) as exc:
        yield IngestError(key, f"not a readable WARC archive: {exc}")
        return
    if not found:
        yield IngestError(key, "no HTML response records (status 200, text/html) in the WARC archive")


def read_sources(paths) -> Iterator[RawSource | IngestError]:
    """Read the given files and directories (see `discover`); yield a RawSource or an IngestError per input.

    Text and HTML files give one RawSource each; .jsonl/.ndjson archives one per line, streamed;
    WARC archives (.warc, .warc.gz) one per HTML response record.
    Never raises for a bad input: it becomes an IngestError and the next input is read.
    One file is in memory at a time (archives: one line, except UTF-16 ones).

    >>> [s.encoding for s in read_sources(["page.txt"])]  # doctest: +SKIP
    ['gb18030']
    """
    files, _skipped = discover(paths)
    for path in files:
        key = str(path.resolve())
        try:
            st = os.stat(path)
        except OSError as exc:
            yield IngestError(key, _os_reason(exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            # discover() hands back only directories it could not list; say why.
            try:
                os.scandir(path).close()
                message = "is a directory"
            except OSError as exc:
                message = f"cannot list directory: {_os_reason(exc)}"
            yield IngestError(key, message)
            continue
        if not stat.S_ISREG(st.st_mode):
            # Reading a pipe or device could block forever or never end.
            yield IngestError(key, "not a regular file")
            continue
        if path.suffix.lower() in JSONL_SUFFIXES:
            yield from _read_jsonl(path, key)
        elif is_warc_name(path.name):
            yield from _read_warc(path, key)
        else:
            yield _read_file(path, key)
