"""Benchmark: percentages and sums of money in short made-up sentences (tests/data/amount_suite.jsonl).

Each line of the suite is one sentence written for it (news, statistics bulletins, donations in
港元 and 美元, government notices in Chinese numerals and financial capitals, shopping, traditional
characters, ASCII and full-width punctuation and digits, and sentences with no amount at all) with
every percentage and money mention in it: span, value (value_max for a range), unit and, for
money, the ISO 4217 currency, written by reading the sentence under GUIDELINES §5.

`find_counts` runs on each sentence as written (no normalization: ５％ and ２．４ stay full-width).
A predicted count is a percentage when its unit is of a per-cent kind (%, ‰, ‱, 成, 个百分点;
unit_kinds.toml) and money when it has a currency; others (people, things) are not scored. A
mention is found when a prediction of its class has the same span; its value is right when value,
value_max, unit and currency are all equal. Reported per class: precision, recall, F1, value
accuracy over the found mentions, and the share of all mentions found with the right value.
Run: .venv/bin/python benchmarks/amount_suite.py [--show 10]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from extract.db.indicators import unit_kind
from extract.extractors.counts import find_counts

SUITE = Path(__file__).resolve().parent.parent / "tests" / "data" / "amount_suite.jsonl"
CLASSES = ("percent", "money")
_PERCENT_KINDS = frozenset({"percent", "permille"})


def load_suite(path: Path = SUITE) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _class(count) -> str | None:
    kind = unit_kind(count.unit)
    if getattr(count, "currency", None) is not None or kind.startswith("money"):
        return "money"  # (a unit of money without a currency: code from before the field existed)
    if kind in _PERCENT_KINDS:
        return "percent"
    return None


def _same(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-6 * max(1, abs(b)))


def score(suite: list[dict]) -> tuple[dict, list[str]]:
    """Scores per class, and a line for every miss, false positive or wrong value."""
    tally = {c: {"gold": 0, "predicted": 0, "found": 0, "right_value": 0} for c in CLASSES}
    problems: list[str] = []
    for row in suite:
        text = row["text"]
        predicted = {(c.start, c.end, _class(c)): c for c in find_counts(text) if _class(c) is not None}
        for _, _, cls in predicted:
            tally[cls]["predicted"] += 1
        gold_keys = set()
        for g in row["mentions"]:
            key = (g["start"], g["end"], g["kind"])
            gold_keys.add(key)
            tally[g["kind"]]["gold"] += 1
            c = predicted.get(key)
            if c is None:
                problems.append(f"miss  {g['kind']:7} {g['text']}  | {text}")
                continue
            tally[g["kind"]]["found"] += 1
            if (_same(c.value, g["value"]) and _same(c.value_max, g["value_max"]) and c.unit == g["unit"]
                    and getattr(c, "currency", None) == g["currency"]):
                tally[g["kind"]]["right_value"] += 1
            else:
                problems.append(f"value {g['kind']:7} {g['text']}: got {c.value} {c.value_max} {c.unit} {getattr(c, 'currency', None)}, "
                                f"want {g['value']} {g['value_max']} {g['unit']} {g['currency']}  | {text}")
        for key, c in predicted.items():
            if key not in gold_keys:
                problems.append(f"fp    {key[2]:7} {c.text}  | {text}")
    scores = {}
    for cls, t in tally.items():
        p = t["found"] / t["predicted"] if t["predicted"] else 0.0
        r = t["found"] / t["gold"] if t["gold"] else 0.0
        scores[cls] = {**t, "precision": round(p, 4), "recall": round(r, 4),
                       "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
                       "value_accuracy": round(t["right_value"] / t["found"], 4) if t["found"] else 0.0,
                       "found_with_value": round(t["right_value"] / t["gold"], 4) if t["gold"] else 0.0}
    return scores, problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=10, help="how many problems to list")
    parser.add_argument("--json", type=Path, help="also write the scores here")
    args = parser.parse_args()
    suite = load_suite()
    scores, problems = score(suite)
    print(f"{len(suite)} sentences, {sum(len(r['mentions']) for r in suite)} mentions")
    print(f"{'class':8} {'gold':>5} {'pred':>5} {'found':>5}   P      R      F1     value acc  found+value")
    for cls, s in scores.items():
        print(f"{cls:8} {s['gold']:5} {s['predicted']:5} {s['found']:5}   {s['precision']:.3f}  {s['recall']:.3f}  "
              f"{s['f1']:.3f}  {s['value_accuracy']:.3f}      {s['found_with_value']:.3f}")
    for line in problems[:args.show]:
        print(" ", line)
    if args.json:
        args.json.write_text(json.dumps(scores, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
