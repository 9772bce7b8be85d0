"""Benchmark: the date finder on a made-up suite of general-text sentences (tests/data/time_suite.jsonl).

Each line of the suite: {"id", "domain", "reference_date", "text", "mentions": [{"text", "value",
"granularity"}]}, written by hand from the forms general Chinese text uses (news, notices, daily
life, weather, sports, finance; simplified and traditional; ASCII and full-width punctuation),
values by corpus/GUIDELINES.md §4. A sentence with no mentions is a negative case.

The text goes through the pipeline's own script step (extract.text.script.to_simplified, the
same length, so spans hold) and then extract.extractors.dates.find_dates with the sentence's
reference date. Scores:
- mention precision, recall, F1, for dates and periods apart: a period is a mention whose
  granularity is `interval` (2021年以来, 本周, 1990/1999); a gold mention is matched by a found
  one with the same text (whitespace removed), each at most once; a found mention counts as a
  false positive of its own kind;
- value accuracy over matched mentions, and the share of all gold mentions found with the right
  value ("found right").
Run: .venv/bin/python benchmarks/time_suite.py [--suite FILE] [--json FILE] [--misses]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path

from extract.extractors.dates import find_dates
from extract.text.script import to_simplified

SUITE = Path(__file__).resolve().parent.parent / "tests" / "data" / "time_suite.jsonl"
KINDS = ("date", "period")


def _kind(granularity: str | None) -> str:
    return "period" if granularity == "interval" else "date"


def _key(text: str) -> str:
    return "".join(text.split())


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    value_right: int = 0

    def as_dict(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        gold = self.tp + self.fn
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": self.tp,
                "fp": self.fp, "fn": self.fn,
                "value_accuracy": round(self.value_right / self.tp, 4) if self.tp else 0.0,
                "found_right": round(self.value_right / gold, 4) if gold else 0.0}


@dataclass
class Report:
    tallies: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    misses: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        total = Tally(*(sum(getattr(t, a) for t in self.tallies.values())
                        for a in ("tp", "fp", "fn", "value_right")))
        return {**{k: t.as_dict() for k, t in self.tallies.items()}, "all": total.as_dict()}


def load_suite(path: Path = SUITE) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(cases: list[dict]) -> Report:
    """Score find_dates on the suite's cases."""
    report = Report()
    for case in cases:
        text, ref = case["text"], case.get("reference_date")
        found = [(_key(text[d.start:d.end]), d.value, d.granularity)
                 for d in find_dates(to_simplified(text).text, ref)]
        unmatched = list(found)
        for gold in case["mentions"]:
            tally = report.tallies[_kind(gold["granularity"])]
            hit = next((f for f in unmatched if f[0] == _key(gold["text"])), None)
            if hit is None:
                tally.fn += 1
                report.misses.append(f"#{case['id']} miss {gold['text']} ({gold['value']}) in {text}")
                continue
            unmatched.remove(hit)
            tally.tp += 1
            if hit[1] == gold["value"]:
                tally.value_right += 1
            else:
                report.misses.append(f"#{case['id']} value {gold['text']}: {hit[1]} ≠ {gold['value']}")
        for f in unmatched:
            report.tallies[_kind(f[2])].fp += 1
            report.misses.append(f"#{case['id']} false {f[0]} ({f[1]}) in {text}")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", type=Path, default=SUITE)
    parser.add_argument("--json", type=Path, help="also write the scores as JSON to this file")
    parser.add_argument("--misses", action="store_true", help="list every miss, false find and wrong value")
    args = parser.parse_args()
    cases = load_suite(args.suite)
    report = score(cases)
    scores = report.as_dict()
    print(f"{len(cases)} sentences, {sum(len(c['mentions']) for c in cases)} mentions")
    print(f"{'':<8}{'P':>7}{'R':>7}{'F1':>7}{'value':>8}{'found right':>13}")
    for kind, s in scores.items():
        print(f"{kind:<8}{s['precision']:7.3f}{s['recall']:7.3f}{s['f1']:7.3f}{s['value_accuracy']:8.3f}"
              f"{s['found_right']:13.3f}")
    if args.misses:
        print("\n".join(report.misses))
    if args.json:
        args.json.write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
