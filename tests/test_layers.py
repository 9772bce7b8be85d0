"""The package's import contract (pyproject.toml, [tool.importlinter]) holds.

The layers run one way (cli > train > eval > pipeline > db > models > extractors > text >
gazetteer > base) and no subpackage's modules import each other in a circle. import-linter reads
the imports statically, so this fails on the commit that adds an upward import, not when someone
happens to trip over the circle at run time.
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports() -> str:
    # The console script sits beside the interpreter running the tests (the project's venv).
    beside = Path(sys.executable).parent / "lint-imports"
    found = str(beside) if beside.exists() else shutil.which("lint-imports")
    assert found, "lint-imports is not installed: `pip install -e '.[dev]'` (import-linter)"
    return found


def test_import_contract_is_kept():
    done = subprocess.run([_lint_imports()], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
