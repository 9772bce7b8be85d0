"""Tests for extract.base.cache: built once, reused by later processes, rebuilt when an input changes."""

from __future__ import annotations

import subprocess
import sys

from extract.base import cache


def test_a_value_is_built_once_then_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("SWFACTS_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "rules.toml"
    source.write_text("a = 1\n", encoding="utf-8")
    built = []

    def build():
        built.append(1)
        return {"value": source.read_text(encoding="utf-8")}

    assert cache.cached("thing", [source], build) == {"value": "a = 1\n"}
    assert cache.cached("thing", [source], build) == {"value": "a = 1\n"}
    assert len(built) == 1
    # an edited input is a new entry, and the old one goes
    source.write_text("a = 2\n", encoding="utf-8")
    assert cache.cached("thing", [source], build) == {"value": "a = 2\n"}
    assert len(built) == 2
    assert len(list((tmp_path / "cache").glob("thing-*.pickle"))) == 1
    # so does another `extra` (a library version the value depends on)
    assert cache.cached("thing", [source], build, extra="jieba 9") == {"value": "a = 2\n"}
    assert len(built) == 3


def test_off_or_unwritable_means_built_every_time(tmp_path, monkeypatch):
    source = tmp_path / "rules.toml"
    source.write_text("x", encoding="utf-8")
    monkeypatch.setenv("SWFACTS_CACHE_DIR", "off")
    assert cache.cache_dir() is None
    calls = []
    assert cache.cached("thing", [source], lambda: calls.append(1) or 5) == 5
    assert cache.cached("thing", [source], lambda: calls.append(1) or 5) == 5
    assert len(calls) == 2
    blocked = tmp_path / "file"
    blocked.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("SWFACTS_CACHE_DIR", str(blocked / "cache"))
    assert cache.cached("thing", [source], lambda: 7) == 7


def test_a_broken_entry_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("SWFACTS_CACHE_DIR", str(tmp_path))
    source = tmp_path / "rules.toml"
    source.write_text("x", encoding="utf-8")
    cache.cached("thing", [source], lambda: 1)
    (entry,) = tmp_path.glob("thing-*.pickle")
    entry.write_bytes(b"\x80\x05truncated")
    assert cache.cached("thing", [source], lambda: 2) == 2


def test_the_lexicon_from_the_cache_equals_a_fresh_build(tmp_path):
    # two processes: the first builds and writes the entry, the second reads it
    code = ("import pickle, sys; from extract.gazetteer.names import lexicon, _build_lexicon; "
            "sys.stdout.buffer.write(pickle.dumps((lexicon() == _build_lexicon(), len(lexicon().forms))))")
    env = {"SWFACTS_CACHE_DIR": str(tmp_path), "PATH": ""}
    import pickle

    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, check=True).stdout
        same, n = pickle.loads(out)
        assert same and n > 30000
    assert len(list(tmp_path.glob("lexicon-*.pickle"))) == 1
