"""The made-up general-text time suite (tests/data/time_suite.jsonl, scored by
benchmarks/time_suite.py) holds its measured level: mention F1 for dates and periods, value
accuracy, and the share found with the right value. The floors are the scores measured when the
suite was last extended; raise them when the finder improves, never lower them."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("time_suite", ROOT / "benchmarks" / "time_suite.py")
time_suite = importlib.util.module_from_spec(_spec)
sys.modules["time_suite"] = time_suite  # its dataclasses look their module up there
_spec.loader.exec_module(time_suite)

# measured: .venv/bin/python benchmarks/time_suite.py
FLOORS = {
    "date": {"f1": 0.9875, "value_accuracy": 0.9905, "found_right": 0.975},
    "period": {"f1": 0.9964, "value_accuracy": 0.9783, "found_right": 0.9712},
}


@pytest.fixture(scope="module")
def scores():
    return time_suite.score(time_suite.load_suite()).as_dict()


def test_suite_is_big_and_well_formed():
    cases = time_suite.load_suite()
    assert len(cases) >= 200
    assert len({c["id"] for c in cases}) == len(cases)
    for case in cases:
        assert case["reference_date"] and case["text"]
        last = 0
        for m in case["mentions"]:  # every mention is in the text, in text order
            at = case["text"].find(m["text"], last)
            assert at >= 0, (case["id"], m["text"])
            last = at
    assert sum(not c["mentions"] for c in cases) >= 30  # negative cases


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_suite_holds_its_level(scores, kind):
    for metric, floor in FLOORS[kind].items():
        assert scores[kind][metric] >= floor, (kind, metric, scores[kind][metric])
