"""Command line: thin wrappers that parse, call the library, and report.

Exit codes: 0 success, 1 a source failed (the others were still processed), 2 bad usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from extract import __version__


def _date(ctx, param, value):
    if value is None:
        return None
    from extract.pipeline import validate_date

    try:
        return validate_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="swfacts")
def cli():
    """swfacts: facts about social work (regions, counts, programs, dates) from Chinese news."""


@cli.command(name="run")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("outputs/facts.db"),
              show_default=True, help="SQLite database to write.")
@click.option("--reference-date", callback=_date, metavar="YYYY-MM-DD",
              help="Publication date for sources that carry none (relative dates resolve against it).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes for normalizing, splitting and segmenting.")
@click.option("--force", is_flag=True, help="Reprocess sources even when unchanged since the last run.")
@click.option("--extractors", type=click.Choice(["rules", "model", "both"]), default="rules", show_default=True,
              help="Rule extractors, the trained NER, or both combined (see extract/ner.py; needs the model).")
def run_command(paths, db, reference_date, workers, force, extractors):
    """Run the pipeline over files, directories (recursive) and JSON Lines archives.

    Example: swfacts run corpus/seeds --db outputs/facts.db
    """
    from extract.pipeline import run
    from extract.store import Store, StoreError

    try:
        store = Store(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    bar = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit="source", file=sys.stderr, dynamic_ncols=True)
    with store:
        summary = run(paths, store, reference_date=reference_date, workers=workers, force=force,
                      progress=bar.update if bar else None, extractors=extractors)
    if bar:
        bar.close()
    records = ", ".join(f"{n} {name}" for name, n in summary.records.items())
    click.echo(f"sources:  {summary.sources} ({summary.processed} processed, {summary.unchanged} unchanged"
               + (f", {summary.skipped_files} non-text files skipped" if summary.skipped_files else "") + ")")
    click.echo(f"articles: {summary.articles}")
    click.echo(f"records:  {records}")
    click.echo(f"errors:   {len(summary.errors)}")
    for err in summary.errors:
        click.echo(f"  {err.source}: {err.message}", err=True)
    click.echo(f"time:     {summary.seconds:.1f} s, {summary.articles_per_second:.1f} articles/s")
    click.echo(f"database: {db}")
    sys.exit(1 if summary.errors else 0)


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"),
              show_default=True, help="Directory to write the JSON Schema files into.")
def schemas(out):
    """Export the record models as JSON Schema files (one per record type).

    Example: swfacts schemas --out schemas
    """
    from extract.schemas import write_schemas

    for path in write_schemas(out):
        click.echo(str(path))


@cli.command(name="check-gold")
@click.argument("gold", type=click.Path(exists=True, path_type=Path), default=Path("corpus/gold"))
@click.option("--pages", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("corpus/seeds"),
              show_default=True, help="Directory holding the pages the gold files name.")
def check_gold_command(gold, pages):
    """Check gold files: valid format, every text on the page in reading order, every adcode known.

    Exits 1 when a file has problems, 2 when a file cannot be read at all.

    Example: swfacts check-gold corpus/gold --pages corpus/seeds
    """
    from extract.gazetteer import load_divisions
    from extract.gold import GoldError, check_gold, find_page, gold_paths, load_gold
    from extract.ingest import decode

    divisions = load_divisions()
    try:
        paths = gold_paths(gold)
        loaded = []
        for path in paths:
            g = load_gold(path)
            try:
                page = find_page(pages, g.page)
            except FileNotFoundError as exc:
                raise GoldError(path, "page", str(exc)) from None
            loaded.append((path, g, page))
    except GoldError as exc:
        raise click.ClickException(str(exc)) from None
    bad = 0
    for path, g, page in loaded:
        text, _ = decode(page.read_bytes())
        problems = check_gold(g, text, divisions, path=str(path))
        items = sum(len(getattr(a, t)) for a in g.articles for t in ("regions", "dates", "counts", "programs"))
        click.echo(f"{path}: {len(g.articles)} articles, {items} items, "
                   + (f"{len(problems)} problems" if problems else "ok"))
        for p in problems:
            click.echo(f"  {p.field}: {p.message}")
        bad += bool(problems)
    sys.exit(1 if bad else 0)


@cli.command(name="eval")
@click.option("--gold", type=click.Path(exists=True, path_type=Path), default=Path("corpus/gold"),
              show_default=True, help="A gold file, or a directory of them.")
@click.option("--pages", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("corpus/seeds"),
              show_default=True, help="Directory holding the pages the gold files name.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the scores as JSON to this file.")
@click.option("--show", type=click.IntRange(0), default=5, show_default=True,
              help="How many of the worst misses and false positives to list per type.")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path), default=Path("corpus/scores.json"),
              show_default=True, help="Accepted scores to compare with.")
@click.option("--update-baseline", is_flag=True, help="Write these scores to the baseline file.")
@click.option("--check", is_flag=True, help="Exit 1 when a score drops more than 0.005 below the baseline.")
@click.option("--extractors", type=click.Choice(["rules", "model", "both", "compare"]), default="rules",
              show_default=True, help="Which extractors to score; 'compare' scores all three and prints F1 side by side.")
def eval_command(gold, pages, json_out, show, baseline, update_baseline, check, extractors):
    """Score the pipeline against gold annotations (precision, recall, F1, attribute accuracy).

    Runs the pipeline in memory on the pages the gold files name, with each gold file's reference
    date; nothing is written to a database.

    Example: swfacts eval --gold corpus/gold --pages corpus/seeds --json outputs/scores.json
    """
    import json

    from extract.evaluate import baseline_json, compare_to_baseline, evaluate, format_report
    from extract.gold import GoldError

    if extractors != "rules":
        from extract.ner import trained_on

        scored = sorted(p for p in pages.glob("*") if p.is_file())
        seen = trained_on(scored)
        click.echo(f"model: trained on {len(seen)} of the {len(scored)} scored pages"
                   + (f" ({', '.join(seen)}): model and both scores here are not held-out" if seen
                      else " (every page held out)"))
    if extractors == "compare":
        from extract.evaluate import TYPES

        try:
            results = {mode: evaluate(gold, pages, extractors=mode).as_dict() for mode in ("rules", "model", "both")}
        except GoldError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"{'F1':<10}" + "".join(f"{mode:>8}" for mode in results))
        for t in TYPES:
            click.echo(f"{t:<10}" + "".join(f"{results[m][t]['f1']:8.3f}" for m in results))
        if json_out:
            json_out.parent.mkdir(parents=True, exist_ok=True)
            json_out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    try:
        report = evaluate(gold, pages, extractors=extractors)
    except GoldError as exc:
        raise click.ClickException(str(exc)) from None
    data = report.as_dict()
    click.echo(format_report(report, show=show))
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        click.echo(f"\nscores written to {json_out}")
    drops = []
    if baseline.is_file() and not update_baseline:
        drops = compare_to_baseline(data, json.loads(baseline.read_text(encoding="utf-8")))
        click.echo(f"\nagainst {baseline}: " + ("no drops" if not drops else f"{len(drops)} drops"))
        for line in drops:
            click.echo(f"  {line}")
    if update_baseline:
        baseline.parent.mkdir(parents=True, exist_ok=True)
        baseline.write_text(baseline_json(data), encoding="utf-8")
        click.echo(f"\nbaseline written to {baseline}")
    sys.exit(1 if check and drops else 0)


@cli.command(name="build-gazetteer")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--source-note", default="", help="Where the CSV files came from, for the file header.")
def build_gazetteer(src, source_note):
    """Regenerate extract/data/divisions.tsv from the official division CSV files in SRC.

    Example: swfacts build-gazetteer ../shared/gazetteer
    """
    from extract.gazetteer import DivisionError, build_divisions, write_divisions

    try:
        rows = build_divisions(src)
    except DivisionError as exc:
        raise click.ClickException(str(exc)) from None
    path = write_divisions(rows, source=source_note)
    click.echo(f"{len(rows)} divisions written to {path}")


@cli.command(name="train")
@click.option("--cluener", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=Path("../shared/datasets/cluener"), show_default=True,
              help="Directory holding CLUENER2020 train.json and dev.json (read there, never copied).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("extract/models/ner"),
              show_default=True, help="Where to write the trained pipeline (replaced if it is one already).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed for initialisation and batching.")
@click.option("--silver", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of news pages (.txt) whose rule-found places become silver PLACE labels "
                   "[default: corpus/dev/pages]; never pages the model is scored on.")
@click.option("--no-silver", is_flag=True, help="Train on CLUENER alone.")
def train_command(cluener, out, seed, silver, no_silver):
    """Train the NER (PLACE, GOV, ORG) on CLUENER2020 and print its dev scores (about 13 minutes).

    Training progress goes to stderr; the scores, time and model size to stdout.

    Example: swfacts train --cluener ../shared/datasets/cluener --out extract/models/ner --seed 0
    """
    from extract.train import train

    try:
        from extract.train import DEFAULT_SILVER_PAGES

        pages = None if no_silver else (silver or DEFAULT_SILVER_PAGES)
        metrics = train(cluener_dir=cluener, out=out, seed=seed, silver_pages=pages)
    except (FileNotFoundError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{'dev':<8}{'P':>7}{'R':>7}{'F1':>7}")
    for label, s in metrics["dev"].items():
        click.echo(f"{label:<8}{s['p']:7.3f}{s['r']:7.3f}{s['f']:7.3f}")
    conv = metrics["conversion"]
    click.echo(f"entities on token boundaries: {conv['aligned']:.1%} "
               f"(the rest marked missing in training, counted as misses on dev)")
    click.echo(f"training: {metrics['train_seconds'] / 60:.1f} min; model: {metrics['size_mb']:.1f} MB in {metrics['model']}")


def main():
    cli(prog_name="swfacts")


if __name__ == "__main__":
    main()
