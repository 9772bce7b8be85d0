"""Partitions: an archive cut into pieces that workers read themselves, from a path they all see.

A text, HTML or WARC file is one partition. A JSON Lines archive (UTF-8 or GB18030, where a
newline byte is always a line break) is cut into line-aligned byte ranges of about `size` bytes;
a worker seeks to its range, decodes whole lines with the archive's codec and reads them with
ingest's own per-line code (`jsonl_sources`), numbered from the range's first line, so the source
keys and error messages are those `read_sources` gives for the whole file. Other archives
(UTF-16, unreadable, empty) are one partition read by `read_sources`, which reports them.

Each partition has an input hash (sha256 of its bytes); with its file, its range and the
pipeline's fingerprint it names the partition's shards (extract/db/shards.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from extract.pipeline.process import short_hash
from extract.text.ingest import (JSONL_SUFFIXES, IngestError, RawSource, discover, jsonl_codec, jsonl_sources,
                                 line_id, read_sources)
from extract.text.jsonl import LineError

__all__ = ["DEFAULT_SIZE", "Partition", "parse_size", "plan", "read_partition"]

DEFAULT_SIZE = 8 << 20
#: codecs in which the byte 0x0A is a line break wherever it stands, so a range cut after it
#: holds whole lines
_CUTTABLE = ("utf-8", "utf-8-sig", "gb18030")
_UNITS = {"": 1, "B": 1, "KB": 1 << 10, "K": 1 << 10, "MB": 1 << 20, "M": 1 << 20, "GB": 1 << 30, "G": 1 << 30}


def parse_size(text: str | int) -> int:
    """A size in bytes: 8MB, 512KB, 65536.

    >>> parse_size("8MB"), parse_size("20kb"), parse_size(4096)
    (8388608, 20480, 4096)
    """
    if isinstance(text, int):
        return text
    s = text.strip().upper()
    digits = s.rstrip("KMGB")
    unit = s[len(digits):]
    if not digits.isdigit() or unit not in _UNITS or int(digits) <= 0:
        raise ValueError(f"bad size {text!r}: want a number of bytes, or e.g. 512KB, 8MB")
    return int(digits) * _UNITS[unit]


@dataclass(frozen=True)
class Partition:
    """A whole file (`start` None) or a line-aligned byte range [start, end) of a JSON Lines archive."""

    index: int
    path: str  # as discovered, made absolute: what read_sources is given
    key: str  # the file's source key (its resolved path)
    sha256: str  # of the partition's bytes ("" for a file that cannot be read)
    start: int | None = None
    end: int | None = None
    first_line: int = 1
    codec: str | None = None
    # (id, line) of the ids this range repeats from earlier ranges of its archive, where they
    # were first seen: the range reports those lines as duplicates, as the whole file does
    earlier_ids: tuple[tuple[str, int], ...] = ()

    def digest(self, fingerprint: str) -> str:
        """What names the partition's shards: its input and the pipeline that reads it."""
        return short_hash(self.key, self.start, self.end, self.sha256, self.earlier_ids, fingerprint)

    def name(self, fingerprint: str) -> str:
        return f"part-{self.index:05d}-{self.digest(fingerprint)}"

    def where(self) -> str:
        """The partition in words, for an error row."""
        if self.start is None:
            return self.key
        return f"{self.key}:{self.first_line}"


def _file_sha256(path: Path) -> str:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return ""  # a directory or a pipe: read_sources reports it
        h = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return ""


def _ids(data: bytes, codec: str, first_line: int) -> Iterator[tuple[str, int]]:
    # the ids a line registers in read_sources (valid JSON with a valid id), with their lines
    lines = io.TextIOWrapper(io.BytesIO(data), encoding=codec, errors="strict", newline=None)
    for lineno, line in enumerate(lines, start=first_line):
        try:
            yield line_id(json.loads(line)), lineno
        except (ValueError, LineError, RecursionError):
            continue


def _ranges(path: Path, size: int, codec: str) -> Iterator[tuple[int, int, int, str, tuple]]:
    """(start, end, first line, sha256, earlier ids) of line-aligned ranges of about `size` bytes."""
    start, line = 0, 1
    first_line_of: dict[str, int] = {}  # over the whole archive: one JSON parse per line
    with open(path, "rb") as f:
        while data := f.read(size):
            if not data.endswith(b"\n"):
                data += f.readline()  # to the end of the line the cut fell in
            earlier = {}
            for id_, lineno in _ids(data, "utf-8" if start and codec == "utf-8-sig" else codec, line):
                first = first_line_of.setdefault(id_, lineno)
                if first != lineno and first < line:
                    earlier.setdefault(id_, first)
            yield start, start + len(data), line, hashlib.sha256(data).hexdigest(), tuple(sorted(earlier.items()))
            # universal newlines, as read_sources counts lines: \n, \r\n and a lone \r (a range
            # ends after \n, so no \r\n straddles two)
            line += data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
            start += len(data)


def plan(paths, size: int = DEFAULT_SIZE) -> tuple[list[Partition], list[Path]]:
    """The partitions of files and directories (as `discover` finds them); and the skipped files."""
    files, skipped = discover(paths)
    out: list[Partition] = []
    for path in files:
        key = str(path.resolve())
        # absolute, for workers whose working directory is another; not resolved, so a link keeps
        # the name (and suffix) read_sources goes by
        path = Path(os.path.abspath(path))
        codec = jsonl_codec(path) if path.suffix.lower() in JSONL_SUFFIXES and path.is_file() else None
        if codec in _CUTTABLE:
            try:
                ranges = list(_ranges(path, size, codec))
                for start, end, line, sha, earlier in ranges:
                    out.append(Partition(len(out), str(path), key, sha, start, end, line, codec, earlier))
                continue
            except (OSError, UnicodeDecodeError):
                pass  # read_sources says why, as one partition
        out.append(Partition(len(out), str(path), key, _file_sha256(path)))
    return out, skipped


def read_partition(p: Partition) -> Iterator[RawSource | IngestError]:
    """The sources (and errors) of one partition, as `read_sources` gives them for that part."""
    if p.start is None:
        yield from read_sources([p.path])
        return
    try:
        with open(p.path, "rb") as f:
            f.seek(p.start)
            data = f.read(p.end - p.start)
    except OSError as exc:
        yield IngestError(p.key, exc.strerror or str(exc))
        return
    if hashlib.sha256(data).hexdigest() != p.sha256:
        yield IngestError(p.key, "file changed while being read; run again")
        return
    # a byte order mark stands only at the file's start: a later range is plain UTF-8
    codec = "utf-8" if p.codec == "utf-8-sig" and p.start > 0 else p.codec
    lines = io.TextIOWrapper(io.BytesIO(data), encoding=codec, errors="strict", newline=None)
    try:
        yield from jsonl_sources(lines, p.key, p.codec, p.first_line, dict(p.earlier_ids))
    except UnicodeDecodeError:
        yield IngestError(p.key, "file changed while being read; run again")
