"""JSON Schema export of the record models (`swfacts schemas`); a test checks the committed copy."""

from __future__ import annotations

import json
from pathlib import Path

from extract.eval.gold import GoldFile
from extract.db.records import ALL_MODELS

#: record models, plus the gold annotation format other annotators write to
EXPORTED = {**ALL_MODELS, "gold": GoldFile}


def schema_texts() -> dict[str, str]:
    """File name → JSON text, for every record model and the gold format.

    >>> sorted(schema_texts())[:2]
    ['article.json', 'count.json']
    """
    return {
        f"{stem}.json": json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        for stem, model in EXPORTED.items()
    }


def write_schemas(out: Path) -> list[Path]:
    """Write the schema files into `out`, replacing what is there; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
