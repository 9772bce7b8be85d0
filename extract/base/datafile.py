"""Reading a rules or lexicon TOML file into its pydantic model, with one kind of error message.

Every data file the extractors read (regions.toml, counts.toml, dates.toml, programs.toml,
link.toml, layout.toml, indicators.toml, unit_kinds.toml) is validated when it loads; a bad file
stops the program with ``<file>: <field>: <message>``, so whoever edited it knows where to look.
One loader keeps that message the same for all of them.

>>> from pydantic import BaseModel
>>> class Example(BaseModel):
...     n: int
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "x.toml"
>>> _ = p.write_text('n = "many"', encoding="utf-8")
>>> try:
...     load_toml(p, Example)
... except ValueError as exc:
...     print(str(exc).replace(str(p.parent), "DIR"))
DIR/x.toml: n: Input should be a valid integer, unable to parse string as an integer
"""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path
from typing import Annotated, TypeVar

import regex
from pydantic import AfterValidator, BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


def validation_message(path: Path, exc: ValidationError) -> str:
    """``path: field.sub: message`` for the first error pydantic found.

    A validator's own ValueError is shown without pydantic's "Value error, " prefix, since it
    already says what is wrong in the project's words.
    """
    err = exc.errors()[0]
    where = ".".join(str(x) for x in err["loc"])
    error = (err.get("ctx") or {}).get("error")
    msg = str(error) if isinstance(error, ValueError) else err["msg"]
    return f"{path}: {where}: {msg}" if where else f"{path}: {msg}"


def load_toml(path: Path | str, model: type[M], error: type[ValueError] = ValueError) -> M:
    """Parse ``path`` and validate it as ``model``; any failure raises ``error`` naming the file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:  # its message names the line and column
        raise error(f"{path}: {exc}") from None
    except OSError as exc:
        raise error(f"{path}: {exc.strerror or exc}") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(validation_message(path, exc)) from None


def compile_pattern(value) -> regex.Pattern:
    """A data file's regular expression, compiled; ValueError (for pydantic to report with the
    field) when it is empty or does not compile. Shared by every rules file's validator."""
    if isinstance(value, regex.Pattern):
        return value
    if not isinstance(value, str) or not value:
        raise ValueError("must be a non-empty regular expression string")
    try:
        return regex.compile(value)
    except regex.error as exc:
        raise ValueError(f"bad regular expression {value!r}: {exc}") from exc


def _one_character(value: str) -> str:
    if len(value) != 1:
        raise ValueError(f"must be one character, got {value!r}")
    return value


#: a field holding exactly one character (a table of character mappings: radicals, variants)
OneChar = Annotated[str, AfterValidator(_one_character)]


def load_tsv(path: Path | str, model: type[M]) -> list[M]:
    """The rows of a tab-separated data file, each validated as ``model``: a header line names the
    columns; blank lines and ``#`` comment lines are skipped. A bad row raises ValueError naming
    the file and the row."""
    path = Path(path)
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    rows = []
    for lineno, row in enumerate(csv.DictReader(lines, delimiter="\t"), start=2):
        try:
            rows.append(model(**row))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{path}: row {lineno}: {exc}") from exc
    return rows
