"""A generated archive of made-up social-work news articles, for benchmarks and scale tests.

Every article is assembled from the hand-written blocks in benchmarks/archive_templates.toml with
a real division chain (province → city → county → township from extract/data/divisions.tsv),
numbers, dates, outlets and program names drawn from a seeded random generator: the same
`(n, seed)` always gives the same bytes. Articles run about 1,000 characters, like the news the
pipeline reads.

    python benchmarks/archive.py 5000 outputs/bench/archive.jsonl          # JSON Lines
    python benchmarks/archive.py 500 outputs/bench/pages --format txt     # one text file each
"""

from __future__ import annotations

import argparse
import json
import random
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from extract.gazetteer.divisions import load_divisions

TEMPLATES = Path(__file__).with_name("archive_templates.toml")

__all__ = ["articles", "write_archive"]


@cache
def _chains() -> list[tuple[str, str, str, str]]:
    """(province, city, county, township) name chains: every township whose county and city exist."""
    divisions = load_divisions()
    chains = []
    for d in divisions.values():
        if d.level != "township":
            continue
        county = divisions.get(d.parent or "")
        city = divisions.get(county.parent or "") if county else None
        province = divisions.get(city.parent or "") if city else None
        if county and city and province and city.level == "prefecture":
            chains.append((province.name, city.name, county.name, d.name))
    chains.sort(key=lambda c: c[3])
    return chains


@cache
def _templates() -> dict:
    return tomllib.loads(TEMPLATES.read_text(encoding="utf-8"))


def _article(rng: random.Random) -> tuple[str, str]:
    t = _templates()
    province, city, county, town = rng.choice(_chains())
    year = rng.randint(2012, 2025)
    slots = {
        "province": province, "city": city, "county": county, "town": town,
        "year": year, "month": rng.randint(1, 12), "day": rng.randint(1, 28),
        "n": rng.randint(120, 98000), "m": rng.randint(10, 900), "k": rng.randint(2, 59),
        "program": rng.choice(t["programs"]), "outlet": rng.choice(t["outlets"]),
        "person": rng.choice(t["people"]),
    }

    def fill(template: str) -> str:
        # fresh numbers per sentence, the same places, date and names throughout the article
        slots.update(n=rng.randint(120, 98000), m=rng.randint(10, 900), k=rng.randint(2, 59))
        return template.format(**slots)

    body = t["body"]
    paragraphs = [fill(rng.choice(body["lead"]))]
    paragraphs.append("".join(fill(s) for s in rng.sample(body["facts"], 8)))
    details = rng.sample(body["detail"], 18)
    paragraphs += ["".join(fill(s) for s in details[i: i + 4]) for i in range(0, 18, 5)]
    lines = [fill(rng.choice(t["headlines"]))]
    furniture = fill(rng.choice(t["furniture"]))
    if furniture:
        lines.append(furniture)
    lines += ["　　" + p for p in paragraphs]
    lines.append(f"（编辑：{rng.choice(t['people'])}）")
    date = f"{year}-{slots['month']:02d}-{slots['day']:02d}"
    return "\n".join(lines) + "\n", date


def articles(n: int, seed: int = 0) -> Iterator[dict]:
    """`n` made-up articles as JSON Lines records: id, date, text."""
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")  # one generator per article: any prefix is the same
        text, date = _article(rng)
        yield {"id": f"gen-{seed}-{i:07d}", "date": date, "text": text}


def write_archive(n: int, out: Path, seed: int = 0, fmt: str = "jsonl") -> Path:
    """Write `n` articles to `out`: one JSON Lines file, or a folder of text files (`fmt="txt"`)."""
    out = Path(out)
    if fmt == "jsonl":
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as f:
            for record in articles(n, seed):
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif fmt == "txt":
        out.mkdir(parents=True, exist_ok=True)
        for record in articles(n, seed):
            (out / f"{record['id']}.txt").write_text(record["text"], encoding="utf-8")
    else:
        raise ValueError(f"unknown format {fmt!r}: want jsonl or txt")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many articles")
    parser.add_argument("out", type=Path, help="a .jsonl file, or a folder for --format txt")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", choices=["jsonl", "txt"], default="jsonl")
    args = parser.parse_args()
    write_archive(args.n, args.out, args.seed, args.format)
    print(f"wrote {args.n} articles to {args.out}")


if __name__ == "__main__":
    main()
