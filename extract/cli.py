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
              help="Publication date for sources that carry none (an archive's date and a web page's own date come first; relative dates resolve against it).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes for normalizing, splitting and segmenting.")
@click.option("--force", is_flag=True, help="Reprocess sources even when unchanged since the last run.")
@click.option("--extractors", type=click.Choice(["rules", "model", "both"]), default="both", show_default=True,
              help="Rule extractors, the trained NER, or both combined (see extract/models/ner.py; needs the model).")
@click.option("--commit-every", type=click.IntRange(min=1), default=50, show_default=True, metavar="N",
              help="Commit after N sources (or 5 s); a killed run loses at most the open chunk, which a rerun redoes.")
@click.option("--wait", type=click.FloatRange(min=0), default=10.0, show_default=True, metavar="SECONDS",
              help="How long to wait when another run is writing the same database, before stopping.")
@click.option("--dask", "dask_address", metavar="local[:N]|tcp://HOST:PORT",
              help="Run on a Dask cluster: a LocalCluster of N worker processes (default: one per core) or a scheduler's address; results go to Parquet shards, then into --db (see `swfacts merge`).")
@click.option("--shards", type=click.Path(file_okay=False, path_type=Path),
              help="With --dask: the shards directory, seen by every worker (default: shards/ beside --db).")
@click.option("--no-merge", is_flag=True, help="With --dask: write the shards only; `swfacts merge` loads them later.")
@click.option("--partition-size", default="8MB", show_default=True,
              help="With --dask: JSON Lines archives are cut into line-aligned ranges of about this many bytes.")
def run_command(paths, db, reference_date, workers, force, extractors, commit_every, wait, dask_address, shards,
                no_merge, partition_size):
    """Run the pipeline over files, directories (recursive), JSON Lines and WARC archives.

    Inputs: text files (.txt, .text, no suffix), JSON Lines (.jsonl, .ndjson; a line holds `text`
    or `html`), web pages (.html, .htm, .shtml, .xhtml) and WARC archives (.warc, .warc.gz; each
    HTML response is a page). A web page is one article: its main text, title, outlet and date.

    One run writes a database at a time: a second waits up to --wait seconds for the first, then
    stops without writing. A run killed midway leaves whole sources only; run it again to finish.

    Example: swfacts run corpus/seeds --db outputs/facts.db
    """
    if dask_address:
        return _run_dask(paths, db, reference_date, force, extractors, dask_address, shards, no_merge, partition_size)
    from extract.db.lock import RunLock
    from extract.db.store import Store, StoreError

    try:  # the lock first, before the pipeline's slow imports: a refused run stops at once
        store = Store(db, lock=RunLock(db, wait=wait, on_wait=lambda message: click.echo(message, err=True)))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    from extract.pipeline import run

    bar = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit="source", file=sys.stderr, dynamic_ncols=True)
    with store:
        summary = run(paths, store, reference_date=reference_date, workers=workers, force=force,
                      progress=bar.update if bar else None, extractors=extractors, commit_every=commit_every)
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


def _run_dask(paths, db, reference_date, force, extractors, address, shards, no_merge, partition_size):
    from extract.pipeline.cluster import run_dask
    from extract.pipeline.partitions import parse_size

    try:
        size = parse_size(partition_size)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--partition-size") from None
    bar = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit="partition", file=sys.stderr, dynamic_ncols=True)
    s = run_dask(paths, db, address=address, shards=shards, merge_after=not no_merge, reference_date=reference_date,
                 extractors=extractors, partition_size=size, force=force, progress=bar.update if bar else None,
                 echo=click.echo)
    if bar:
        bar.close()
    click.echo(f"partitions: {s.partitions} ({s.partitions - s.skipped - s.failed} run, {s.skipped} skipped as done, "
               f"{s.failed} failed)")
    click.echo(f"sources:  {s.sources} read by the tasks run, {s.articles} articles, "
               + ", ".join(f"{n} {name}" for name, n in s.records.items()) + f"; {s.source_errors} errors")
    if s.merged:
        m = s.merged
        click.echo(f"merged:   {m.sources} sources stored, {m.unchanged} unchanged, {m.errors} error rows"
                   + (f", {len(m.missing)} partitions not done" if m.missing else "") + f" into {db}")
    for err in s.errors:
        click.echo(f"  {err.source}: {err.message}", err=True)
    click.echo(f"time:     {s.seconds:.1f} s")
    sys.exit(1 if s.failed or s.source_errors else 0)


@cli.command(name="merge")
@click.argument("shards", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("outputs/facts.db"),
              show_default=True, help="SQLite database to load the shards into.")
@click.option("--force", is_flag=True, help="Store every source again, even when the database holds it unchanged.")
def merge_command(shards, db, force):
    """Load the Parquet shards of `swfacts run --dask` into the database: the same rows as a
    one-process run; a second merge changes nothing.

    Example: swfacts merge outputs/shards --db outputs/facts.db
    """
    from extract.db.lock import RunLock
    from extract.db.shards import merge
    from extract.db.store import Store, StoreError

    try:  # one writer at a time, as for `swfacts run`
        store = Store(db, lock=RunLock(db, wait=10.0, on_wait=lambda message: click.echo(message, err=True)))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    with store:
        m = merge(shards, store, force=force)
    click.echo(f"partitions: {m.partitions} merged" + (f", {len(m.missing)} listed but not done" if m.missing else ""))
    click.echo(f"sources:  {m.sources} stored, {m.unchanged} unchanged; {m.errors} error rows; {m.runs} runs")
    click.echo(f"database: {db}")


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
    from extract.gazetteer.divisions import load_divisions
    from extract.eval.gold import GoldError, check_gold, find_page, gold_paths, load_gold, read_page

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
        try:
            text = read_page(page)
        except ValueError as exc:
            click.echo(f"{path}: page cannot be read: {exc}")
            bad += 1
            continue
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
@click.option("--extractors", type=click.Choice(["rules", "model", "both", "compare"]), default="both",
              show_default=True, help="Which extractors to score; 'compare' scores all three and prints F1 side by side.")
def eval_command(gold, pages, json_out, show, baseline, update_baseline, check, extractors):
    """Score the pipeline against gold annotations (precision, recall, F1, attribute accuracy).

    Runs the pipeline in memory on the pages the gold files name, with each gold file's reference
    date; nothing is written to a database.

    Example: swfacts eval --gold corpus/gold --pages corpus/seeds --json outputs/scores.json
    """
    import json

    from extract.eval.evaluate import baseline_json, compare_to_baseline, evaluate, format_report
    from extract.eval.gold import GoldError

    if extractors != "rules":
        from extract.models.ner import trained_on

        scored = sorted(p for p in pages.glob("*") if p.is_file())
        seen = trained_on(scored)
        click.echo(f"NER: trained on {len(seen)} of the {len(scored)} scored pages"
                   + (f" ({', '.join(seen)}): model and both scores here are not held-out" if seen
                      else " (every page held out)"))
        from extract.models.program_classifier import trained_on as classifier_trained_on

        seen = classifier_trained_on(scored)
        click.echo(f"program classifier: trained on {len(seen)} of the {len(scored)} scored pages"
                   + (": both programs scores here are not held-out (benchmarks/program_classifier.py "
                      "scores each page with a classifier trained without it)" if seen else " (every page held out)"))
    if extractors == "compare":
        from extract.eval.evaluate import TYPES

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
    from extract.gazetteer.divisions import DivisionError, build_divisions, write_divisions

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
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("extract/weights/ner"),
              show_default=True, help="Where to write the trained pipeline (replaced if it is one already).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed for initialisation and batching.")
@click.option("--silver", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of news pages (.txt) whose rule-found places become silver PLACE labels "
                   "[default: corpus/dev/pages]; never pages the model is scored on.")
@click.option("--no-silver", is_flag=True, help="Train on CLUENER alone.")
def train_command(cluener, out, seed, silver, no_silver):
    """Train the NER (PLACE, GOV, ORG) on CLUENER2020 and print its dev scores (about 13 minutes).

    Training progress goes to stderr; the scores, time and model size to stdout.

    Example: swfacts train --cluener ../shared/datasets/cluener --out extract/weights/ner --seed 0
    """
    from extract.train.ner import train

    try:
        from extract.train.ner import DEFAULT_SILVER_PAGES

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


@cli.command(name="train-programs")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("extract/weights/programs"),
              show_default=True, help="Where to write the classifier (replaced if it is one already).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed for initialisation and batching.")
def train_programs_command(out, seed):
    """Train the program-candidate classifier on the quotations of the project's gold pages
    (corpus/gold, corpus/dev, corpus/dev2; never corpus/heldout*), in seconds.

    Example: swfacts train-programs --out extract/weights/programs
    """
    import time

    from extract.train.programs import build

    started = time.perf_counter()
    meta = build(out=out, seed=seed)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) / 1e6
    click.echo(f"{meta['examples']} quotations ({meta['positives']} programs) from {len(meta['pages'])} pages; "
               f"{time.perf_counter() - started:.0f} s; model: {size:.1f} MB in {out}")


_DB_OPTION = dict(type=click.Path(dir_okay=False, path_type=Path), default=Path("outputs/facts.db"), show_default=True,
                  help="The swfacts database (opened read-only).")


def _read_only(db):
    """A read-only connection, or a ClickException the user can act on."""
    from extract.db.query import connect
    from extract.db.store import StoreError

    try:
        return connect(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command(name="query")
@click.argument("sql")
@click.option("--db", **_DB_OPTION)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="Output format.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A named parameter (:NAME) for the SQL.")
@click.option("--timeout", type=click.FloatRange(min=0), default=5.0, show_default=True, metavar="SECONDS",
              help="Stop the query after this long (0: no limit).")
def query_command(sql, db, fmt, params, timeout):
    """Run one read-only SQL statement on the database and print the rows.

    Tables: facts, divisions, articles, regions, dates, counts, programs, sources, runs, errors;
    view program_places. The database is opened read-only: writes, ATTACH, DETACH, PRAGMA
    writes and extensions are refused, and a query is stopped after --timeout seconds.

    Example: swfacts query "SELECT indicator, count(*) FROM facts GROUP BY 1" --format csv
    """
    from contextlib import closing

    from extract.db.query import QueryError, format_rows, run_sql

    named = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        named[key] = value
    with closing(_read_only(db)) as conn:
        try:
            columns, rows = run_sql(conn, sql, named, timeout=timeout or None)
        except QueryError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(format_rows(columns, rows, fmt))


@cli.command(name="facts")
@click.option("--db", **_DB_OPTION)
@click.option("--region", help="A division by name (兰州, 兰州市) or code; includes everything below it.")
@click.option("--indicator", help="An indicator id (certified_social_workers, social_work_stations …; see data/indicators.toml).")
@click.option("--year", type=int, help="The year the numbers refer to.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="Output format.")
def facts_command(db, region, indicator, year, fmt):
    """List facts (one per count, with its place, date and evidence), filtered.

    Example: swfacts facts --region 甘肃 --indicator certified_social_workers --format csv
    """
    from contextlib import closing

    from extract.db.query import QueryError, facts, format_rows

    with closing(_read_only(db)) as conn:
        try:
            columns, rows = facts(conn, region=region, indicator=indicator, year=year)
        except QueryError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(format_rows(columns, rows, fmt))
    if fmt == "table":
        click.echo(f"({len(rows)} facts)", err=True)


@cli.command(name="export")
@click.option("--db", **_DB_OPTION)
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True,
              help="CSV with a header row, or JSON Lines.")
@click.option("--table", "tables", multiple=True, help="A table or view to export (repeatable); default all.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("outputs/export"), show_default=True,
              help="Directory for the files (<table>.csv / .jsonl); '-' writes one table to stdout.")
def export_command(db, fmt, tables, out):
    """Export tables (default: all, with the program_places view) as CSV or JSON Lines.

    Example: swfacts export --format jsonl --table facts --out -
    """
    from contextlib import closing

    from extract.db.query import EXPORT_TABLES, QueryError, export

    tables = tables or EXPORT_TABLES
    with closing(_read_only(db)) as conn:
        try:
            if str(out) == "-":
                if len(tables) != 1:
                    raise click.BadParameter("stdout takes one table: give --table", param_hint="--out")
                export(conn, tables[0], fmt, sys.stdout)
                return
            out.mkdir(parents=True, exist_ok=True)
            for table in tables:
                path = out / f"{table}.{fmt}"
                with path.open("w", encoding="utf-8", newline="") as handle:
                    n = export(conn, table, fmt, handle)
                click.echo(f"{table}: {n} rows → {path}", err=True)
        except QueryError as exc:
            raise click.ClickException(str(exc)) from None


@cli.command(name="search")
@click.argument("query", nargs=-1, required=True)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("outputs/facts.db"),
              show_default=True, help="SQLite database to search (opened read-only).")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="Most articles to list.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="Output format.")
def search_command(query, db, limit, fmt):
    """Find articles by words, best match first; Chinese matches any run of characters (站, 社工).

    All words must occur; "quoted words" must occur together. See extract/db/search.py.

    Example: swfacts search 社工站 石城 --db outputs/facts.db
    """
    from contextlib import closing

    from extract.db.database import open_readonly
    from extract.db.search import QueryError, ensure_index, format_hits, has_index, search
    from extract.db.store import StoreError

    try:
        conn = open_readonly(db)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    with closing(conn):
        if not has_index(conn):
            # built in the connection's temp schema: the database file is not touched
            click.echo(f"note: {db} has no search index, using a temporary one; "
                       "any `swfacts run` with this version stores it", err=True)
            ensure_index(conn, temporary=True)
        try:
            hits = search(conn, " ".join(query), limit=limit)
        except QueryError as exc:
            raise click.BadParameter(str(exc), param_hint="QUERY") from None
    if hits or fmt != "table":
        click.echo(format_hits(hits, fmt))
    else:
        click.echo(f"no article matches {' '.join(query)}")


@cli.command(name="show")
@click.argument("article_id")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("outputs/facts.db"),
              show_default=True, help="SQLite database to read (opened read-only).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
def show_command(article_id, db, fmt):
    """Print one article with its regions, dates, counts and programs marked in the text.

    ARTICLE_ID may be a unique prefix of the id. See extract/db/show.py for the markers.

    Example: swfacts show 83a1 --db outputs/facts.db
    """
    import json
    from contextlib import closing

    from extract.db.database import open_readonly
    from extract.db.show import ArticleLookupError, as_json, format_text, load_article
    from extract.db.store import StoreError

    try:
        conn = open_readonly(db, temp_writes=False)  # show only reads, not even a temp table
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    with closing(conn):
        try:
            view = load_article(conn, article_id)
        except ArticleLookupError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(as_json(view), ensure_ascii=False, indent=2) if fmt == "json" else format_text(view))


@cli.command(name="browse")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=Path("outputs/facts.db"),
              show_default=True, help="SQLite database to serve (opened read-only).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True, help="Port to listen on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the database page in a web browser.")
@click.option("--metadata-out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the generated Datasette metadata (JSON) to this file and exit without serving "
                   "(for `datasette publish ... --metadata FILE`).")
def browse_command(db, host, port, open_browser, metadata_out):
    """Browse the database in Datasette: documented tables and canned research queries.

    Needs the browse extra (pip install -e '.[browse]'), except with --metadata-out. Ctrl-C stops
    the server. See extract/db/browse.py for the queries.

    Example: swfacts browse --db outputs/facts.db --port 8001
    """
    import json

    from extract.db.browse import BrowseError, metadata, serve

    try:
        if metadata_out:
            meta = metadata(db)
            metadata_out.parent.mkdir(parents=True, exist_ok=True)
            metadata_out.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            click.echo(f"metadata written to {metadata_out}")
            return
        serve(db, host=host, port=port, open_browser=open_browser)
    except BrowseError as exc:
        raise click.ClickException(str(exc)) from None


def main():
    cli(prog_name="swfacts")


if __name__ == "__main__":
    main()
