"""Where the package keeps its files: the rules, lexicons and gazetteer (``data/``) and the trained
models' weights (``weights/``)."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
#: rules, lexicons, gazetteer and configs: every file here is validated when it loads
DATA = PACKAGE / "data"
#: the trained models (spaCy pipelines written by `swfacts train` and `swfacts train-programs`)
WEIGHTS = PACKAGE / "weights"
NER_WEIGHTS = WEIGHTS / "ner"
PROGRAM_WEIGHTS = WEIGHTS / "programs"
