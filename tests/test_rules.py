"""One runner for the rule extractors' test cases, kept as data in tests/cases/<type>.json.

Each file: {"_comment": "...", "cases": [{"text": ..., "reference_date": optional, "expect": [...],
"xfail": optional reason}]}; a link case may add "source", the article's outlet. `expect` lists
every mention the extractor must find in `text`, in
text order, with the fields to compare (a field left out is not compared); an empty list is a
negative case: nothing may be found. A case with "xfail" is a known failure, kept as a strict
xfail so a fix shows up. Cases are made up (other provinces, years, ASCII and full-width
punctuation), never copied from the seed pages.
"""

import importlib
import json
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases"

# type → (module, function, whether it takes the reference date)
EXTRACTORS = {
    "dates": ("extract.extractors.dates", "find_dates", True),
    "counts": ("extract.extractors.counts", "find_counts", False),
    "regions": ("extract.extractors.regions", "find_regions", False),
    "programs": ("extract.extractors.programs", "find_programs", False),
    "link": ("extract.extractors.link", "linked_counts", True),
}


def _load():
    params = []
    for kind, (module, function, _) in EXTRACTORS.items():
        path = CASES / f"{kind}.json"
        if not path.exists():
            continue
        for i, case in enumerate(json.loads(path.read_text(encoding="utf-8"))["cases"]):
            marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if case.get("xfail") else []
            params.append(pytest.param(kind, case, id=f"{kind}-{i}-{case['text'][:12]}", marks=marks))
    return params


def _as_dict(match) -> dict:
    if isinstance(match, dict):
        return match
    if hasattr(match, "model_dump"):
        return match.model_dump()
    return dict(vars(match)) if not hasattr(match, "_asdict") else match._asdict()


@pytest.mark.parametrize("kind, case", _load())
def test_case(kind, case):
    module, function, takes_date = EXTRACTORS[kind]
    find = getattr(importlib.import_module(module), function)
    # a link case may name the article's outlet (来源：某某日报), as the splitter hands it over
    extra = {"source": case["source"]} if "source" in case else {}
    found = find(case["text"], case.get("reference_date"), **extra) if takes_date else find(case["text"])
    got = []
    for match, want in zip(map(_as_dict, found), case["expect"] + [{}] * len(found)):
        keys = want.keys() or ("text",)
        got.append({k: match.get(k) for k in keys})
    assert got == case["expect"], f"{case['text']}\nfound: {[_as_dict(m) for m in found]}"
