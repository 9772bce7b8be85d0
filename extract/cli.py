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
def run_command(paths, db, reference_date, workers, force):
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
                      progress=bar.update if bar else None)
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


def main():
    cli(prog_name="swfacts")


if __name__ == "__main__":
    main()
