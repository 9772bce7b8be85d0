"""Scoring the pipeline against gold files (`swfacts eval`), exactly as the spec's Scoring section
says (../shared/spec/gold-format.md), and the regression check against `corpus/scores.json`.

Each gold file's page is run through the same `Pipeline` the CLI uses, in memory, with the gold's
reference date as the page's date. Predicted articles are aligned to gold articles by
`starts_with`; inside an aligned pair regions match by adcode (by name when the gold adcode is
null), dates and counts by their `text`, programs by `name`. Texts and names are compared by
`gold.comparison_key`, the key check-gold holds gold against pages with: whitespace removed (as
the spec says) and ASCII/full-width punctuation folded, so a gold file written from the raw page
(`日前,`) matches the normalized text (`日前，`); and the script folded (`script.fold_script`), so
a traditional page's gold written as the page prints it (`逾120萬人次`, `一站多點`) matches records
whose names and subjects come out simplified, and a page converted to traditional scores against
its simplified gold alike. A simplified text is unchanged (only a text holding a
traditional-only character is converted).

>>> s = Score(tp=3, fp=1, fn=1)
>>> round(s.precision, 2), round(s.recall, 2), round(s.f1, 2)
(0.75, 0.75, 0.75)
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from extract.eval.gold import GoldArticle, GoldError, GoldFile, KeyedText, comparison_key, find_page, gold_paths, load_gold

__all__ = ["Score", "Item", "Report", "evaluate", "compare_to_baseline", "TYPES", "ATTRIBUTES", "ALIGN_WINDOW"]

TYPES = ("regions", "dates", "counts", "programs")


# attributes compared over matched pairs, per type (the spec's list)
ATTRIBUTES = {
    "regions": (),
    "dates": ("value", "granularity"),
    "counts": ("value", "unit", "qualifier", "subject", "region", "date"),
    "programs": ("kind",),
}
#: a predicted article aligns with a gold article whose starts_with begins in its first N characters
ALIGN_WINDOW = 200
#: largest drop below the baseline that still passes the regression check
TOLERANCE = 0.005


@dataclass
class Score:
    """True/false positives and misses of one type; precision etc. with the usual conventions for
    empty sets: nothing predicted and nothing to find is perfect, otherwise an empty side is 0."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        if self.tp + self.fp == 0:
            return 1.0 if self.fn == 0 else 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.tp + self.fn == 0:
            return 1.0 if self.fp == 0 else 0.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass(frozen=True)
class Item:
    """A miss or a false positive, with where it is, for the report."""

    kind: str  # "miss" | "false_positive"
    type: str
    page: str
    article: int  # gold article index for a miss, predicted article index for a false positive
    text: str
    sentence: str
    detail: str = ""


@dataclass
class Report:
    """Everything eval measured."""

    scores: dict[str, Score] = field(default_factory=lambda: {t: Score() for t in TYPES})
    pages: dict[str, dict[str, Score]] = field(default_factory=dict)
    attributes: dict[str, dict[str, list[int]]] = field(
        default_factory=lambda: {t: {a: [0, 0] for a in ATTRIBUTES[t]} for t in TYPES})
    articles: dict[str, int] = field(default_factory=lambda: {
        "gold": 0, "predicted": 0, "found": 0, "title_correct": 0, "source_correct": 0})
    items: list[Item] = field(default_factory=list)
    attribute_errors: dict[str, dict[str, list[tuple]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))

    def attribute_accuracy(self, type_: str, name: str) -> float | None:
        correct, total = self.attributes[type_][name]
        return correct / total if total else None

    def as_dict(self) -> dict:
        out: dict = {}
        for t in TYPES:
            out[t] = {**self.scores[t].as_dict(), "attributes": {
                a: (None if (acc := self.attribute_accuracy(t, a)) is None else round(acc, 4)) for a in ATTRIBUTES[t]}}
        a = self.articles
        out["articles"] = {
            "gold": a["gold"], "predicted": a["predicted"], "found": a["found"],
            "title_accuracy": round(a["title_correct"] / a["found"], 4) if a["found"] else None,
            "source_accuracy": round(a["source_correct"] / a["found"], 4) if a["found"] else None,
        }
        out["pages"] = {page: {t: s.as_dict() for t, s in scores.items()} for page, scores in self.pages.items()}
        return out


# --- predictions as plain comparable items --------------------------------------------------

@dataclass
class _Pred:
    key: object  # what it matches on
    fields: dict
    text: str
    sentence: str


def _predicted(records: dict, article_id: str) -> dict[str, list[_Pred]]:
    """The pipeline's records of one article, as items keyed the way gold items are."""
    out: dict[str, list[_Pred]] = {t: [] for t in TYPES}
    seen_regions, seen_programs = set(), set()
    for r in (r for r in records.get("regions", []) if r.article_id == article_id):
        ident = r.adcode or comparison_key(r.name)
        if ident in seen_regions:  # regions are distinct places, however often mentioned
            continue
        seen_regions.add(ident)
        keys = {("name", comparison_key(r.name))}
        if r.adcode:
            keys.add(("code", r.adcode))
        out["regions"].append(_Pred(keys, {"name": r.name, "adcode": r.adcode}, r.name, r.sentence))
    for r in (r for r in records.get("dates", []) if r.article_id == article_id):
        out["dates"].append(_Pred(comparison_key(r.text), {"value": r.value, "granularity": r.granularity},
                                  r.text, r.sentence))
    for r in (r for r in records.get("counts", []) if r.article_id == article_id):
        out["counts"].append(_Pred(comparison_key(r.text), {
            "value": r.value, "value_max": r.value_max, "unit": r.unit, "qualifier": r.qualifier,
            "subject": r.subject, "region": r.region, "date": r.date}, r.text, r.sentence))
    for r in (r for r in records.get("programs", []) if r.article_id == article_id):
        key = comparison_key(r.name)
        if key in seen_programs:
            continue
        seen_programs.add(key)
        out["programs"].append(_Pred(key, {"kind": r.kind}, r.name, r.sentence))
    return out


def _gold_key(type_: str, item) -> object:
    if type_ == "regions":
        return ("code", item.adcode) if item.adcode else ("name", comparison_key(item.name))
    if type_ == "programs":
        return comparison_key(item.name)
    return comparison_key(item.text)


def _gold_text(type_: str, item) -> str:
    return item.name if type_ in ("regions", "programs") else item.text


def _matches(type_: str, gold_key, pred: _Pred) -> bool:
    return gold_key in pred.key if type_ == "regions" else gold_key == pred.key


# --- attribute comparison -------------------------------------------------------------------

def _place_names(value: str, divisions: dict) -> set[str]:
    if value in divisions:
        return {value, comparison_key(divisions[value].name)}
    return {comparison_key(value)}


def _same(attr: str, gold, pred, divisions: dict) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    if attr == "value":
        if isinstance(gold, str) or isinstance(pred, str):
            return gold == pred
        return abs(float(gold) - float(pred)) <= 1e-9 * max(1.0, abs(float(gold)))
    if attr == "subject":
        g, p = comparison_key(gold), comparison_key(pred)
        return bool(g and p) and (g in p or p in g)
    if attr == "region":
        # an adcode and a name for the same place agree: 321000 = 扬州市
        return bool(_place_names(str(gold), divisions) & _place_names(str(pred), divisions))
    if attr == "unit":
        return comparison_key(gold) == comparison_key(pred)
    return gold == pred


# --- alignment ------------------------------------------------------------------------------

def align(gold_articles: list[GoldArticle], predicted_texts: list[str]) -> dict[int, int]:
    """Gold index → predicted index. A predicted article aligns with the gold article whose
    `starts_with` begins within its first ALIGN_WINDOW characters (whitespace ignored); with one
    article on each side they align regardless. Each article aligns at most once; a predicted
    article holding several gold starts takes the earliest.

    >>> g = [GoldArticle(starts_with="某县民政局近日召开会议")]
    >>> align(g, ["标题\\n某县民政局 近日召开会议。"])
    {0: 0}
    """
    if len(gold_articles) == 1 and len(predicted_texts) == 1:
        return {0: 0}
    pairs = {}
    taken = set()
    for p, text in enumerate(predicted_texts):
        keyed = KeyedText(text)
        # the window is counted in characters of the article text, whitespace included
        window = next((k for k, i in enumerate(keyed.index) if i >= ALIGN_WINDOW), len(keyed.key))
        best = None
        for g, art in enumerate(gold_articles):
            if g in taken:
                continue
            pos = keyed.find(art.starts_with)
            if 0 <= pos < window and (best is None or pos < best[0]):
                best = (pos, g)
        if best is not None:
            pairs[best[1]] = p
            taken.add(best[1])
    return pairs


# --- scoring --------------------------------------------------------------------------------

def _score_pair(report: Report, page: str, g_index: int, gold: GoldArticle, preds: dict[str, list[_Pred]],
                p_index: int, gold_page: KeyedText, divisions: dict) -> dict[str, Score]:
    scores = {t: Score() for t in TYPES}
    for t in TYPES:
        pool = preds[t]
        used = [False] * len(pool)
        for item in getattr(gold, t):
            key = _gold_key(t, item)
            hit = next((i for i, p in enumerate(pool) if not used[i] and _matches(t, key, p)), None)
            if hit is None:
                scores[t].fn += 1
                report.items.append(Item("miss", t, page, g_index, _gold_text(t, item), _gold_sentence(gold_page, gold, item, t)))
                continue
            used[hit] = True
            scores[t].tp += 1
            for attr in ATTRIBUTES[t]:
                g_val = getattr(item, attr)
                p_val = pool[hit].fields.get(attr)
                ok = _same(attr, g_val, p_val, divisions)
                report.attributes[t][attr][0] += ok
                report.attributes[t][attr][1] += 1
                if not ok:
                    report.attribute_errors[t][attr].append((page, _gold_text(t, item), g_val, p_val))
        for i, p in enumerate(pool):
            if not used[i]:
                scores[t].fp += 1
                report.items.append(Item("false_positive", t, page, p_index, p.text, p.sentence))
    return scores


def _gold_sentence(page: KeyedText, article: GoldArticle, item, type_: str) -> str:
    start = page.find(article.starts_with)
    text = _gold_text(type_, item)
    title_pos = page.find(article.title) if article.title else -1
    for lo in (title_pos, start, 0):
        if lo >= 0 and (pos := page.find(text, lo)) >= 0:
            return page.sentence(pos, len(comparison_key(text)))
    return ""


def evaluate(gold: Path | str, pages: Path | str, pipeline=None, progress=None, extractors: str = "rules",
             pipeline_for=None) -> Report:
    """Score the pipeline on every gold file under `gold` against its page in `pages`.
    `pipeline_for(gold_path)`, when given, supplies the pipeline per gold file (leave-one-page-out:
    extract.train.programs.held_out_pipelines).

    Every gold file is read and validated first, so a bad one fails the whole evaluation with a
    GoldError naming the file and field before any time is spent.
    """
    from extract.gazetteer.divisions import load_divisions
    from extract.text.ingest import IngestError, read_sources
    from extract.pipeline import Pipeline

    paths = gold_paths(gold)
    if not paths:
        raise GoldError(gold, "", "no gold files (*.json)")
    golds: list[tuple[Path, GoldFile, Path]] = []
    for path in paths:
        g = load_gold(path)
        try:
            golds.append((path, g, find_page(pages, g.page)))
        except FileNotFoundError as exc:
            raise GoldError(path, "page", str(exc)) from None
    divisions = load_divisions()
    pipeline = pipeline or Pipeline(extractors=extractors)
    report = Report()
    for path, g, page_path in golds:
        sources = list(read_sources([page_path]))
        if len(sources) != 1 or isinstance(sources[0], IngestError):
            message = sources[0].message if sources and isinstance(sources[0], IngestError) else "not one page"
            raise GoldError(path, "page", f"{page_path}: {message}")
        raw = sources[0]
        if g.reference_date is not None:  # the gold's date plays the archive's metadata
            raw = replace(raw, reference_date=g.reference_date)
        result = (pipeline_for(path) if pipeline_for else pipeline).process(raw, run_id="eval")
        _score_page(report, g, result, divisions)
        if progress:
            progress(1)
    return report


def _score_page(report: Report, gold: GoldFile, result, divisions: dict) -> None:
    page = gold.page
    page_scores = {t: Score() for t in TYPES}
    texts = [a.text for a in result.articles]
    pairs = align(gold.articles, texts)
    gold_page = KeyedText(result.source.text)
    report.articles["gold"] += len(gold.articles)
    report.articles["predicted"] += len(result.articles)
    report.articles["found"] += len(pairs)
    aligned_pred = set(pairs.values())
    for g_index, art in enumerate(gold.articles):
        if g_index in pairs:
            pred_article = result.articles[pairs[g_index]]
            report.articles["title_correct"] += _same_text(art.title, pred_article.title)
            report.articles["source_correct"] += _same_text(art.source, pred_article.source)
            preds = _predicted(result.records, pred_article.id)
            scores = _score_pair(report, page, g_index, art, preds, pairs[g_index], gold_page, divisions)
        else:
            scores = {t: Score(fn=len(getattr(art, t))) for t in TYPES}
            for t in TYPES:
                for item in getattr(art, t):
                    report.items.append(Item("miss", t, page, g_index, _gold_text(t, item),
                                             _gold_sentence(gold_page, art, item, t), "article not found"))
        for t in TYPES:
            page_scores[t].add(scores[t])
    for p_index, pred_article in enumerate(result.articles):
        if p_index in aligned_pred:
            continue
        preds = _predicted(result.records, pred_article.id)
        for t in TYPES:
            page_scores[t].fp += len(preds[t])
            for p in preds[t]:
                report.items.append(Item("false_positive", t, page, p_index, p.text, p.sentence, "article not in gold"))
    report.pages[page] = page_scores
    for t in TYPES:
        report.scores[t].add(page_scores[t])


def _same_text(gold: str | None, pred: str | None) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    return comparison_key(gold) == comparison_key(pred)


# --- regression -----------------------------------------------------------------------------

def baseline_numbers(report: dict) -> dict[str, float | None]:
    """The numbers the regression check watches: each type's F1 and attribute accuracies, and the
    article title/source accuracies, flattened to names like `counts.attributes.unit`."""
    out: dict[str, float | None] = {}
    for t in TYPES:
        out[f"{t}.f1"] = report[t]["f1"]
        for name, acc in report[t]["attributes"].items():
            out[f"{t}.attributes.{name}"] = acc
    for name in ("title_accuracy", "source_accuracy"):
        out[f"articles.{name}"] = report["articles"][name]
    return out


def compare_to_baseline(report: dict, baseline: dict, tolerance: float = TOLERANCE) -> list[str]:
    """What dropped more than `tolerance` below the accepted scores, one line each (empty: none).
    A number that is now undefined (no matched pairs) counts as 0."""
    now, then = baseline_numbers(report), baseline_numbers(baseline)
    drops = []
    for name, old in then.items():
        if old is None:
            continue
        new = now.get(name)
        if (new or 0.0) < old - tolerance:
            drops.append(f"{name}: {old:.4f} → {'undefined' if new is None else f'{new:.4f}'}")
    return drops


def baseline_json(report: dict) -> str:
    """The text of scores.json: the report without per-page detail, stable for diffs."""
    slim = {k: v for k, v in report.items() if k != "pages"}
    return json.dumps(slim, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# --- the printed table ----------------------------------------------------------------------

def format_report(report: Report, show: int = 5) -> str:
    """The table `swfacts eval` prints, then the `show` worst misses and false positives per type
    (most frequent text first, so the next fix is the one that pays most)."""
    data = report.as_dict()
    lines = [f"{'type':<9} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}  attributes"]
    for t in TYPES:
        d = data[t]
        attrs = "  ".join(f"{a} {'-' if v is None else f'{v:.2f}'}" for a, v in d["attributes"].items())
        lines.append(f"{t:<9} {d['precision']:6.3f} {d['recall']:6.3f} {d['f1']:6.3f} {d['tp']:5d} {d['fp']:5d} {d['fn']:5d}  {attrs}")
    a = data["articles"]

    def pct(v):
        return "-" if v is None else f"{v:.3f}"

    lines.append(f"articles: {a['found']}/{a['gold']} gold found ({a['predicted']} predicted); "
                 f"title accuracy {pct(a['title_accuracy'])}, source accuracy {pct(a['source_accuracy'])}")
    if len(data["pages"]) > 1:
        lines.append("")
        lines.append(f"{'page (F1)':<28} " + " ".join(f"{t:>9}" for t in TYPES))
        for page, scores in data["pages"].items():
            lines.append(f"{page:<28} " + " ".join(f"{scores[t]['f1']:9.3f}" for t in TYPES))
    if show:
        for t in TYPES:
            for kind, label in (("miss", "misses"), ("false_positive", "false positives")):
                items = [i for i in report.items if i.type == t and i.kind == kind]
                if not items:
                    continue
                freq = Counter(comparison_key(i.text) for i in items)
                items.sort(key=lambda i: -freq[comparison_key(i.text)])
                shown, seen = [], set()
                for i in items:
                    k = comparison_key(i.text)
                    if k in seen:
                        continue
                    seen.add(k)
                    shown.append(i)
                    if len(shown) == show:
                        break
                lines.append("")
                lines.append(f"{t}: {len(items)} {label}, worst {len(shown)}:")
                for i in shown:
                    times = f" ×{freq[comparison_key(i.text)]}" if freq[comparison_key(i.text)] > 1 else ""
                    note = f" ({i.detail})" if i.detail else ""
                    lines.append(f"  {i.text}{times}  [{i.page} #{i.article}]{note}")
                    if i.sentence:
                        lines.append(f"      {_clip(i.sentence)}")
            for attr, errors in report.attribute_errors.get(t, {}).items():
                lines.append("")
                lines.append(f"{t}.{attr}: {len(errors)} wrong, first {min(show, len(errors))}:")
                for page, text, g_val, p_val in errors[:show]:
                    lines.append(f"  {text}: gold {g_val!r}, predicted {p_val!r}  [{page}]")
    return "\n".join(lines)


def _clip(text: str, width: int = 100) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
