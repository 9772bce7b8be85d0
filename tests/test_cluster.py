"""The run on a Dask cluster (extract/pipeline/cluster.py): partitions, shards, merge.

A real LocalCluster of two worker processes runs a generated archive (two JSON Lines files cut
into byte ranges, five text files); the merged database must equal a one-process run's, table
by table (every table but `runs`, run ids masked), also when a worker is killed mid-run or a
partition keeps failing.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

from extract.db.shards import done_partitions, merge, read_table
from extract.db.store import Store
from extract.pipeline import run
from extract.pipeline.cluster import run_dask
from extract.pipeline.partitions import parse_size, plan, read_partition
from extract.text.ingest import read_sources

ROOT = Path(__file__).resolve().parent.parent
SIZE = 20_000  # bytes: each JSON Lines file of the archive becomes four ranges


def _archive_module():
    spec = importlib.util.spec_from_file_location("swfacts_bench_archive", ROOT / "benchmarks" / "archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    write = _archive_module().write_archive
    write(27, root / "a.jsonl", seed=1)
    write(28, root / "b.jsonl", seed=2)
    write(5, root / "pages", seed=3, fmt="txt")
    with (root / "b.jsonl").open("a", encoding="utf-8") as f:
        f.write('{"id": "broken", "text": \n')  # a bad line: a row in errors, in both runs
    return root


def _masked(db: Path) -> list[str]:
    """The database's dump without the runs table, every run id replaced."""
    with Store(db) as store:
        return store.dump_without_runs()


@pytest.fixture(scope="module")
def one_process(archive, tmp_path_factory) -> list[str]:
    db = tmp_path_factory.mktemp("one") / "facts.db"
    with Store(db) as store:
        run([archive], store, extractors="rules")
    return _masked(db)


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        with Client(c) as client:
            yield c, client


def test_partitions_read_as_read_sources(tmp_path):
    # ranges cut inside lines, CRLF and lone CR line breaks, a BOM, a bad line, a duplicate id
    lines = [json.dumps({"id": i, "text": f"社工站第{i}篇" * 40}, ensure_ascii=False) for i in range(12)]
    lines[3] = '{"id": 3, "text": '
    lines[7] = json.dumps({"id": 2, "text": "重复的编号"}, ensure_ascii=False)
    data = "\ufeff" + "\r\n".join(lines[:6]) + "\r" + "\n".join(lines[6:]) + "\n"
    (tmp_path / "a.jsonl").write_bytes(data.encode("utf-8"))
    (tmp_path / "b.txt").write_text("一篇文字。\n", encoding="utf-8")
    partitions, _ = plan([tmp_path], size=700)
    assert len(partitions) > 4 and partitions[-1].start is None  # the text file is one
    assert [p.index for p in partitions] == list(range(len(partitions)))
    whole = list(read_sources([tmp_path]))
    by_range = [item for p in partitions for item in read_partition(p)]
    assert by_range == whole
    assert any("duplicate id '2' (first on line 3)" in getattr(x, "message", "") for x in whole)
    assert parse_size("8MB") == 8 << 20
    with pytest.raises(ValueError):
        parse_size("lots")


def test_dask_run_equals_one_process_and_reruns_skip(archive, one_process, cluster, tmp_path):
    c, _client = cluster
    db, shards = tmp_path / "facts.db", tmp_path / "shards"
    seen = []
    first = run_dask([archive], db, address=c.scheduler_address, extractors="rules", partition_size=SIZE,
                     progress=seen.append, dashboard=False)
    assert first.partitions == 13 and first.skipped == 0 and first.failed == 0 and len(seen) == 13
    assert first.merged.sources == 60 and first.merged.errors == 1
    assert _masked(db) == one_process
    assert sorted(p.name for p in shards.iterdir()) == ["_done", "_runs", "articles", "counts", "dates", "errors",
                                                       "facts", "programs", "regions", "sources"]
    name = next(iter(done_partitions(shards).values()))
    facts = read_table(shards, "facts", name)
    assert facts and {"indicator", "province", "sentence", "run_id"} <= set(facts[0])
    # a rerun skips every partition, and the database stays as it was
    second = run_dask([archive], db, address=c.scheduler_address, extractors="rules", partition_size=SIZE,
                      dashboard=False)
    assert second.skipped == 13 and second.sources == 0 and second.merged.sources == 0
    assert second.merged.unchanged == 60
    assert _masked(db) == one_process
    # merging again changes nothing
    with Store(db) as store:
        before = store.dump()
        again = merge(shards, store)
        assert again.sources == 0 and store.dump() == before


def _fail_one():
    import extract.pipeline.cluster as cluster_module

    real = cluster_module.read_partition

    def failing(p):
        if p.index == 2:
            raise RuntimeError("disk gone")
        return real(p)

    cluster_module._real_read_partition = real
    cluster_module.read_partition = failing


def _restore():
    import extract.pipeline.cluster as cluster_module

    cluster_module.read_partition = cluster_module._real_read_partition


def test_failing_partition_becomes_an_error_and_the_rest_goes_on(archive, cluster, tmp_path):
    c, client = cluster
    client.run(_fail_one)
    try:
        s = run_dask([archive], tmp_path / "facts.db", address=c.scheduler_address, extractors="rules",
                     partition_size=SIZE, retries=1, dashboard=False)
    finally:
        client.run(_restore)
    assert s.failed == 1 and s.partitions == 13
    error = [e for e in s.errors if e.stage == "partition"][0]
    assert "disk gone" in error.message and error.source.endswith("a.jsonl:17")
    with Store(tmp_path / "facts.db") as store:
        assert store.counts()["sources"] == 60 - 8  # the third range of a.jsonl holds lines 17-24
        rows = list(store.db.query("SELECT source, stage FROM errors ORDER BY stage"))
    assert [r["stage"] for r in rows] == ["ingest", "partition"]
    # the next run does the failed partition only, and the error row of the failure stays as a log
    s = run_dask([archive], tmp_path / "facts.db", address=c.scheduler_address, extractors="rules",
                 partition_size=SIZE, dashboard=False)
    assert s.skipped == 12 and s.failed == 0 and s.merged.sources == 8


def test_killed_worker_gives_the_same_database(archive, one_process, cluster, tmp_path):
    c, client = cluster
    killed = []

    def kill_one(n):
        # once the first partition is done: kill a worker that is running one (its nanny restarts it)
        if killed:
            return
        busy = [w for w, tasks in client.processing().items() if tasks] or list(client.scheduler_info()["workers"])
        killed.append(busy[0])
        try:
            client.run(os._exit, 1, workers=[busy[0]], wait=False)
        except Exception:
            pass  # the worker is gone before it answers

    db = tmp_path / "facts.db"
    s = run_dask([archive], db, address=c.scheduler_address, extractors="rules", partition_size=SIZE,
                 progress=kill_one, dashboard=False)
    assert killed and s.failed == 0
    assert _masked(db) == one_process
    client.wait_for_workers(2, timeout=60)


def test_cli_run_no_merge_then_merge(archive, cluster, tmp_path):
    from click.testing import CliRunner

    from extract.cli import cli

    c, _client = cluster
    db, shards = tmp_path / "facts.db", tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(cli, ["run", str(archive / "pages"), "--dask", c.scheduler_address, "--extractors", "rules",
                                 "--shards", str(shards), "--no-merge", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "partitions: 5 (5 run, 0 skipped as done, 0 failed)" in result.output
    assert not db.exists() and len(done_partitions(shards)) == 5
    first = runner.invoke(cli, ["merge", str(shards), "--db", str(db)])
    assert first.exit_code == 0 and "5 stored, 0 unchanged" in first.output
    with Store(db) as store:
        before = store.dump()
    second = runner.invoke(cli, ["merge", str(shards), "--db", str(db)])
    assert "0 stored, 5 unchanged" in second.output
    with Store(db) as store:
        assert store.dump() == before and store.counts()["runs"] == 1
