"""Tests for extract.text.ingest: decoding, file discovery, and reading files and JSON Lines archives."""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import random
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from extract.text.ingest import TEXT_SUFFIXES, DecodeError, IngestError, RawSource, decode, discover, iso_partial_date, read_sources

SENTENCE = "深圳市社会工作者协会2024年培训社工1,200名，覆盖“一老一小”服务。\n第二段：项目走深走实。\n"


def _read_all(*paths) -> list[RawSource | IngestError]:
    return list(read_sources([Path(p) for p in paths]))


def _only(items):
    assert len(items) == 1, items
    return items[0]


# --------------------------------------------------------------------------------------------
# decode
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "codec, label",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gbk", "gb18030"),
        ("gb18030", "gb18030"),
        ("utf-16", "utf-16"),  # Python writes a BOM, little-endian here
    ],
)
def test_decode_same_text_in_every_encoding(codec, label):
    assert decode(SENTENCE.encode(codec)) == (SENTENCE, label)


@pytest.mark.parametrize("bom, codec", [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_decode_utf16_with_bom_either_byte_order(bom, codec):
    assert decode(bom + SENTENCE.encode(codec)) == (SENTENCE, "utf-16")


def test_decode_utf8_bom_is_not_part_of_the_text():
    text, encoding = decode(b"\xef\xbb\xbf" + "社工".encode())
    assert (text, encoding) == ("社工", "utf-8-sig")
    assert not text.startswith("\ufeff")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_without_bom_is_recognised(codec):
    assert decode(SENTENCE.encode(codec)) == (SENTENCE, "utf-16")


def test_decode_normalizes_line_endings():
    text, _ = decode("第一行\r\n第二行\r第三行\n".encode("gbk"))
    assert text == "第一行\n第二行\n第三行\n"


def test_decode_error_is_a_value_error():
    assert issubclass(DecodeError, ValueError)


def test_decode_rejects_all_byte_values():
    with pytest.raises(DecodeError, match=r"^binary file \(NUL bytes\), not text$"):
        decode(bytes(range(256)) * 4)


def test_decode_rejects_png():
    rng = random.Random(20241220)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(4000)
    with pytest.raises(DecodeError, match="binary file"):
        decode(png)


def test_decode_rejects_random_bytes_without_nul():
    rng = random.Random(7)
    data = bytes(rng.randrange(1, 256) for _ in range(4000))
    assert b"\x00" not in data
    with pytest.raises(DecodeError, match="^cannot decode as UTF-8, GB18030 or UTF-16$"):
        decode(data)


def test_decode_rejects_random_valid_gbk_pairs():
    # Every byte pair is a valid GBK code, so strict GB18030 decoding succeeds: only the
    # plausibility check stands between these bytes and a page of nonsense ideographs.
    rng = random.Random(11)
    trails = [*range(0x40, 0x7F), *range(0x80, 0xFF)]
    data = bytes(b for _ in range(3000) for b in (rng.randrange(0x81, 0xFF), rng.choice(trails)))
    data.decode("gb18030")  # the premise
    with pytest.raises(DecodeError, match="^binary or undecodable data, not text$"):
        decode(data)


def test_decode_rejects_random_gb2312_ideographs():
    # Even pairs restricted to the GB2312 ideograph rows (no symbols, no private use) are
    # rejected: random picks do not favour common characters the way text does.
    rng = random.Random(12)
    data = bytes(b for _ in range(3000) for b in (rng.randrange(0xB0, 0xF8), rng.randrange(0xA1, 0xFF)))
    with pytest.raises(DecodeError, match="binary or undecodable"):
        decode(data)


def test_decode_rejects_utf8_full_of_control_characters():
    with pytest.raises(DecodeError, match="binary or undecodable"):
        decode(("社工\x01\x02" * 50).encode())


def test_decode_rejects_replacement_characters():
    with pytest.raises(DecodeError, match="binary or undecodable"):
        decode(("社工\ufffd" * 50).encode())


def test_decode_accepts_a_few_stray_controls():
    text = "社" * 500 + "\x1a"  # a DOS end-of-file mark: 0.2% of the text
    assert decode(text.encode()) == (text, "utf-8")


def test_decode_broken_bom_says_so():
    with pytest.raises(DecodeError, match="UTF-8 byte order mark but is not valid UTF-8"):
        decode(b"\xef\xbb\xbf" + "社工".encode("gbk"))
    with pytest.raises(DecodeError, match="UTF-16 byte order mark but is not valid UTF-16"):
        decode(b"\xff\xfe" + b"\x00\xd8" + b"a\x00")  # a lone high surrogate


_GB2312_LEVEL1 = [
    c
    for lead in range(0xB0, 0xD8)
    for trail in range(0xA1, 0xFF)
    for c in [bytes((lead, trail)).decode("gb2312", errors="ignore")]
    if c
]
_ALPHABET = sorted(
    {
        c
        for c in (
            [chr(i) for i in range(0x20, 0x7F)]
            + ["\n", "\r", "\t"]
            + list("，。、；：？！“”‘’（）《》【】—…·　％")
            + _GB2312_LEVEL1
        )
        if c.encode("gb18030").decode("gb18030") == c
    }
)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(_ALPHABET), min_size=1, max_size=80).filter(lambda s: s.strip()),
    codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]),
)
def test_decode_round_trips(text, codec):
    # Ideographs are drawn from GB2312 level 1, the common characters real text is made of;
    # decode() deliberately distrusts GB18030 text made of rare ones (see _MIN_COMMON_SHARE).
    data = text.encode(codec)
    if codec == "gb18030":
        try:
            as_utf8 = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            # The bytes are valid UTF-8 too (always for ASCII, by chance for a few short
            # texts); UTF-8 wins by rule, so only texts reading the same both ways are checked.
            assume(as_utf8 == text)
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    decoded, encoding = decode(data)
    assert decoded == expected
    assert encoding in ("utf-8", "utf-8-sig", "utf-16", "gb18030")


# --------------------------------------------------------------------------------------------
# discover
# --------------------------------------------------------------------------------------------


def _touch(path: Path, content: str = "社工\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for rel in [
        "z.txt",
        "a.txt",
        "B.TXT",
        "noext",
        "img.png",
        "notes.md",
        ".hidden.txt",
        ".git/config.txt",
        "sub/e.text",
        "sub/c.jsonl",
        "sub/deeper/d.NDJSON",
        "sub/.cache/x.txt",
    ]:
        _touch(root / rel)
    return root


def test_discover_walks_sorted_recursive_skipping_hidden(tree: Path):
    files, skipped = discover([tree])
    assert [p.relative_to(tree).as_posix() for p in files] == [
        "B.TXT",
        "a.txt",
        "noext",
        "sub/c.jsonl",
        "sub/deeper/d.NDJSON",
        "sub/e.text",
        "z.txt",
    ]
    assert [p.relative_to(tree).as_posix() for p in skipped] == ["img.png", "notes.md"]


def test_discover_takes_explicit_files_whatever_the_suffix(tree: Path):
    files, skipped = discover([tree / "img.png", tree / ".hidden.txt"])
    assert files == [tree / "img.png", tree / ".hidden.txt"]
    assert skipped == []


def test_discover_accepts_a_single_path_and_strings(tree: Path):
    assert discover(str(tree / "a.txt")) == ([tree / "a.txt"], [])


def test_discover_lists_each_file_once(tree: Path):
    files, _ = discover([tree / "a.txt", tree, tree / "sub"])
    names = [p.name for p in files]
    assert names.count("a.txt") == 1 and names.count("e.text") == 1
    assert files[0] == tree / "a.txt"


def test_discover_survives_symlink_loops(tree: Path):
    (tree / "sub" / "loop").symlink_to(tree, target_is_directory=True)
    files, _ = discover([tree])
    assert len(files) == 7


def test_discover_returns_missing_paths_as_files(tmp_path: Path):
    missing = tmp_path / "nope.txt"
    assert discover([missing]) == ([missing], [])


def test_text_suffixes():
    assert TEXT_SUFFIXES == (".txt", ".text", ".jsonl", ".ndjson")


# --------------------------------------------------------------------------------------------
# read_sources: files
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("codec, label", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("utf-16", "utf-16")])
def test_read_file(tmp_path: Path, codec, label):
    data = SENTENCE.replace("\n", "\r\n").encode(codec)
    path = tmp_path / "page.txt"
    path.write_bytes(data)
    source = _only(_read_all(path))
    assert source == RawSource(
        key=str(path.resolve()),
        kind="file",
        text=SENTENCE,
        encoding=label,
        sha256=hashlib.sha256(data).hexdigest(),
        nbytes=len(data),
    )


def test_read_same_text_two_encodings_same_text_different_hash(tmp_path: Path):
    (tmp_path / "u.txt").write_bytes(SENTENCE.encode("utf-8"))
    (tmp_path / "g.txt").write_bytes(SENTENCE.encode("gbk"))
    g, u = _read_all(tmp_path)
    assert g.text == u.text == SENTENCE
    assert g.sha256 != u.sha256


@pytest.mark.parametrize(
    "data",
    [b"", b" \r\n\t\n", "\u3000\n".encode(), b"\xef\xbb\xbf", b"\xff\xfe", "  \n".encode("utf-16")],
    ids=["zero-bytes", "ascii-space", "ideographic-space", "utf8-bom-only", "utf16-bom-only", "utf16-space"],
)
def test_read_empty_file(tmp_path: Path, data: bytes):
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    assert _only(_read_all(path)) == IngestError(str(path.resolve()), "empty file")


def test_read_binary_file(tmp_path: Path):
    path = tmp_path / "photo.txt"
    path.write_bytes(bytes(range(256)) * 4)
    error = _only(_read_all(path))
    assert error == IngestError(str(path.resolve()), "binary file (NUL bytes), not text")
    assert error.stage == "ingest"


def test_read_random_bytes(tmp_path: Path):
    path = tmp_path / "noise"
    rng = random.Random(3)
    path.write_bytes(bytes(rng.randrange(1, 256) for _ in range(2000)))
    error = _only(_read_all(path))
    assert isinstance(error, IngestError)
    assert error.message == "cannot decode as UTF-8, GB18030 or UTF-16"


def test_read_missing_path(tmp_path: Path):
    missing = tmp_path / "gone" / "page.txt"
    assert _only(_read_all(missing)) == IngestError(str(missing.resolve()), "no such file or directory")


def test_read_explicit_non_text_suffix(tmp_path: Path):
    path = tmp_path / "page.md"
    path.write_text(SENTENCE, encoding="utf-8")
    assert _only(_read_all(path)).text == SENTENCE


def test_read_directory_goes_on_after_errors(tree: Path):
    (tree / "a.txt").write_bytes(b"")
    items = _read_all(tree)
    assert [type(i).__name__ for i in items] == [
        "RawSource",  # B.TXT
        "IngestError",  # a.txt, empty
        "RawSource",  # noext
        "IngestError",  # sub/c.jsonl: "社工" is not JSON
        "IngestError",  # sub/deeper/d.NDJSON: idem, so the suffix test ignores case
        "RawSource",  # sub/e.text
        "RawSource",  # z.txt
    ]
    assert items[3].message.startswith("line 1: invalid JSON")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_read_unreadable_file_and_directory(tmp_path: Path):
    secret = _touch(tmp_path / "secret.txt")
    locked = tmp_path / "locked"
    _touch(locked / "inner.txt")
    secret.chmod(0)
    locked.chmod(0)
    try:
        items = _read_all(tmp_path)
    finally:
        secret.chmod(0o644)
        locked.chmod(0o755)
    assert items == [
        IngestError(str(locked.resolve()), "cannot list directory: permission denied"),
        IngestError(str(secret.resolve()), "permission denied"),
    ]


def test_read_sources_is_lazy(tmp_path: Path):
    first = _touch(tmp_path / "1.txt")
    second = _touch(tmp_path / "2.txt")
    items = read_sources([first, second])
    assert inspect.isgenerator(items)
    assert isinstance(next(items), RawSource)
    second.unlink()  # not read yet, so this shows up as an error, not as stale content
    assert next(items) == IngestError(str(second.resolve()), "no such file or directory")


# --------------------------------------------------------------------------------------------
# read_sources: JSON Lines
# --------------------------------------------------------------------------------------------


def _jsonl(*objs) -> str:
    return "\n".join(o if isinstance(o, str) else json.dumps(o, ensure_ascii=False) for o in objs) + "\n"


GOOD = {
    "id": "a1",
    "text": "第一篇\r\n正文",
    "date": "2024-12-20",
    "title": "社工站建设",
    "source": "中国社会报",
    "url": "https://example.org/1",
    "extra": [1, 2],  # unknown fields are ignored
}


def test_jsonl_good_line(tmp_path: Path):
    path = tmp_path / "archive.jsonl"
    path.write_text(_jsonl(GOOD), encoding="utf-8")
    line = json.dumps(GOOD, ensure_ascii=False)
    assert _only(_read_all(path)) == RawSource(
        key=f"{path.resolve()}#a1",
        kind="jsonl",
        text="第一篇\n正文",
        encoding="utf-8",
        sha256=hashlib.sha256(line.encode()).hexdigest(),
        nbytes=len(line.encode()),
        reference_date="2024-12-20",
        title="社工站建设",
        source="中国社会报",
        url="https://example.org/1",
    )


def test_jsonl_bad_lines_each_give_one_error_and_the_rest_goes_through(tmp_path: Path):
    path = tmp_path / "archive.ndjson"
    path.write_text(
        _jsonl(
            GOOD,  # 1
            "",  # 2: blank lines are skipped but counted
            '{"id": "b", "text": "x",',  # 3
            {"id": "c"},  # 4
            {"id": "d", "text": "正文", "date": "2024/13/01"},  # 5
            {"id": "a1", "text": "again"},  # 6
            {"id": "e", "text": "正文", "date": "2024-12-20T08:00:00"},  # 7
            {"id": 7, "text": "正文", "date": "2024-12-20 08:00", "title": None, "source": ""},  # 8
            {"id": "f", "text": "正文", "date": "2023-02-29"},  # 9
            {"id": "g", "text": "  "},  # 10
            [1, 2],  # 11
            {"text": "正文"},  # 12
            {"id": True, "text": "正文"},  # 13
            {"id": "h", "text": 5},  # 14
            {"id": "i", "text": "正文", "title": 3},  # 15
            {"id": "j", "text": "正文", "date": "2024-06"},  # 16
        ),
        encoding="utf-8",
    )
    abs_path = str(path.resolve())
    items = _read_all(path)
    got = [(i.key, i.reference_date) if isinstance(i, RawSource) else (i.path, i.message) for i in items]
    assert got[0] == (f"{abs_path}#a1", "2024-12-20")
    assert got[1][0] == f"{abs_path}:3" and got[1][1].startswith("line 3: invalid JSON: ")
    assert got[2:] == [
        (f"{abs_path}:4", "line 4: missing required field 'text' (or 'html')"),
        (f"{abs_path}:5", "line 5: bad date '2024/13/01' (want YYYY, YYYY-MM or YYYY-MM-DD)"),
        (f"{abs_path}:6", "line 6: duplicate id 'a1' (first on line 1)"),
        (f"{abs_path}#e", "2024-12-20"),
        (f"{abs_path}#7", "2024-12-20"),
        (f"{abs_path}:9", "line 9: bad date '2023-02-29' (want YYYY, YYYY-MM or YYYY-MM-DD)"),
        (f"{abs_path}:10", "line 10: field 'text' is empty"),
        (f"{abs_path}:11", "line 11: not a JSON object but array"),
        (f"{abs_path}:12", "line 12: missing required field 'id'"),
        (f"{abs_path}:13", "line 13: field 'id' must be a string or integer, not boolean"),
        (f"{abs_path}:14", "line 14: field 'text' must be a string, not number"),
        (f"{abs_path}:15", "line 15: field 'title' must be a string or null, not number"),
        (f"{abs_path}#j", "2024-06"),
    ]
    int_id = items[6]
    assert int_id.title is None and int_id.source is None and int_id.url is None


@pytest.mark.parametrize("codec, label", [("gbk", "gb18030"), ("utf-16", "utf-16"), ("utf-8-sig", "utf-8-sig")])
def test_jsonl_other_encodings_and_crlf(tmp_path: Path, codec, label):
    path = tmp_path / "archive.jsonl"
    content = _jsonl(GOOD, "", {"id": 2, "text": "第二篇", "date": "2024"}, "{oops}")
    path.write_bytes(content.replace("\n", "\r\n").encode(codec))
    first, second, error = _read_all(path)
    assert (first.text, first.encoding, first.title) == ("第一篇\n正文", label, "社工站建设")
    assert (second.key.rsplit("#", 1)[1], second.reference_date) == ("2", "2024")
    # Same line, same hash, whatever the archive's encoding.
    line = json.dumps(GOOD, ensure_ascii=False).encode()
    assert first.sha256 == hashlib.sha256(line).hexdigest()
    assert error.path.endswith(":4") and error.message.startswith("line 4: invalid JSON")


def test_jsonl_whole_file_errors(tmp_path: Path):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"\n \n")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(bytes(range(256)) * 4)
    missing = tmp_path / "missing.jsonl"
    assert _read_all(empty, binary, missing) == [
        IngestError(str(empty.resolve()), "empty file"),
        IngestError(str(binary.resolve()), "binary file (NUL bytes), not text"),
        IngestError(str(missing.resolve()), "no such file or directory"),
    ]


def test_jsonl_streams_lines(tmp_path: Path):
    path = tmp_path / "big.jsonl"
    path.write_text(_jsonl(*({"id": i, "text": "社工" * 50} for i in range(5000))), encoding="utf-8")
    items = read_sources([path])
    assert next(items).key.endswith("#0")
    assert sum(1 for _ in items) == 4999


# --------------------------------------------------------------------------------------------
# iso_partial_date
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024", "2024"),
        ("2024-02", "2024-02"),
        ("2024-02-29", "2024-02-29"),
        (" 2024-12-20 ", "2024-12-20"),
        ("2024-12-20T08:00:00", "2024-12-20"),
        ("2024-12-20 08:00", "2024-12-20"),
        ("2024-12-20T08:00:00.123+08:00", "2024-12-20"),
        ("2024-12-20T23:59:59Z", "2024-12-20"),
    ],
)
def test_iso_partial_date_accepts(value, expected):
    assert iso_partial_date(value) == expected


@pytest.mark.parametrize(
    "value",
    ["", "0000", "2024-13", "2024-00", "2023-02-29", "2024/12/20", "20241220", "24-12-20", "2024-12-20T25:00", "2024年12月"],
)
def test_iso_partial_date_rejects(value):
    with pytest.raises(ValueError):
        iso_partial_date(value)
