"""The committed JSON Schema files are exactly what the models export (`swfacts schemas`)."""

from pathlib import Path

from click.testing import CliRunner

from extract.cli import cli
from extract.schemas import schema_texts

SCHEMAS = Path(__file__).parent.parent / "schemas"


def test_committed_schemas_match_the_models():
    expected = schema_texts()
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.json")}
    assert committed == expected, "schemas/ is stale: run `swfacts schemas` and commit the result"


def test_schemas_command_writes_every_model(tmp_path):
    result = CliRunner().invoke(cli, ["schemas", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.glob("*.json")) == sorted(schema_texts())
