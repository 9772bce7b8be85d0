"""The CLI: thin wrappers, tested through click's CliRunner."""

from pathlib import Path

from click.testing import CliRunner

from extract.cli import cli

SEEDS = Path(__file__).parent.parent / "corpus" / "seeds"


def test_run_prints_summary_and_exits_0(tmp_path):
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "--db", str(tmp_path / "f.db")])
    assert result.exit_code == 0, result.output
    assert "sources:  5 (5 processed, 0 unchanged)" in result.output
    assert "articles: 16" in result.output
    assert "articles/s" in result.output
    assert (tmp_path / "f.db").exists()


def test_bad_usage_exits_2(tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["run"]).exit_code == 2  # no paths
    assert runner.invoke(cli, ["run", str(tmp_path / "missing.txt")]).exit_code == 2
    bad_date = runner.invoke(cli, ["run", str(SEEDS), "--reference-date", "2024-13-01", "--db", str(tmp_path / "f.db")])
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.output
    assert runner.invoke(cli, ["run", str(SEEDS), "--workers", "0"]).exit_code == 2


def test_not_a_database_is_a_clear_error(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("not sqlite", encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "--db", str(notes)])
    assert result.exit_code == 1 and "not a swfacts database" in result.output


def test_python_dash_m_entry_point():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "extract", "--version"], capture_output=True, text=True, check=True)
    assert "swfacts" in out.stdout
