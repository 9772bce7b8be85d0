"""Traditional input: each gold set's pages converted to traditional characters (OpenCC s2t, s2hk,
s2tw) and scored against the same simplified gold, beside the pages as written.

The issue's bar: on every type, the converted pages score within 0.02 of the simplified ones. The
scorer folds script when it compares texts and names (extract/eval/evaluate.py), so the simplified
gold applies to the converted page as it stands. HTML pages are converted as text too (their
markup is ASCII).
Run: .venv/bin/python benchmarks/traditional.py [--sets webdev dev] [--configs s2t s2hk]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import opencc

from extract.eval.evaluate import TYPES, evaluate

ROOT = Path(__file__).resolve().parent.parent
SETS = {"seeds": (ROOT / "corpus" / "gold", ROOT / "corpus" / "seeds")} | {
    name: (ROOT / "corpus" / name / "gold", ROOT / "corpus" / name / "pages")
    for name in ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "webdev")}


def _converted(pages: Path, config: str, out: Path) -> Path:
    conv = opencc.OpenCC(f"{config}.json" if not config.endswith(".json") else config)
    out.mkdir(parents=True, exist_ok=True)
    for page in pages.iterdir():
        if page.is_file():
            text = page.read_text(encoding="utf-8")
            (out / page.name).write_text(conv.convert(text), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=list(SETS), default=list(SETS))
    parser.add_argument("--configs", nargs="+", default=["s2t", "s2hk", "s2tw"])
    parser.add_argument("--extractors", default="rules", choices=["rules", "both"])
    args = parser.parse_args()
    print(f"{'set':<8}{'script':<8}" + "".join(f"{t:>10}" for t in TYPES) + f"{'titles':>8}")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets:
            gold, pages = SETS[name]
            base = evaluate(gold, pages, extractors=args.extractors)
            f1 = {t: base.scores[t].f1 for t in TYPES}
            print(f"{name:<8}{'simp':<8}" + "".join(f"{f1[t]:10.3f}" for t in TYPES)
                  + f"{base.as_dict()['articles']['title_accuracy']:8.2f}")
            for config in args.configs:
                conv = _converted(pages, config, Path(tmp) / name / config)
                rep = evaluate(gold, conv, extractors=args.extractors)
                row = {t: rep.scores[t].f1 for t in TYPES}
                worst = max(worst, *(f1[t] - row[t] for t in TYPES))
                print(f"{'':<8}{config:<8}" + "".join(f"{row[t]:10.3f}" for t in TYPES)
                      + f"{rep.as_dict()['articles']['title_accuracy']:8.2f}")
                shutil.rmtree(conv)
    print(f"largest drop from simplified: {worst:.3f}")


if __name__ == "__main__":
    main()
