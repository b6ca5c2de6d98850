"""``vitk2 cohort``: intakes and usual-intake distributions of whole studies
(`vitk2.services.cohort`; the extras ``vitk2[cohort]`` and ``vitk2[spark]``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from vitk2.cli.common import AuthorityChoice, authority_option, json_option
from vitk2.cli.output import print_json, stderr, stdout
from vitk2.files import output_path

app = typer.Typer(
    help="Cohorts: person-day intakes, usual-intake distributions and their summary for "
    "whole studies (DuckDB or Spark; docs/cohort.md).",
    no_args_is_help=True,
)


@contextmanager
def stage_progress() -> Iterator[Callable[[str, float], None] | None]:
    """A progress bar on stderr (stage name and share done) when stderr is a terminal."""
    if not stderr.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f} %"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    ) as progress:
        task = progress.add_task("Starting", total=1.0)

        def update(stage: str, share: float) -> None:
            progress.update(task, description=stage, completed=share)

        yield update


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@app.command("intake")
def intake_command(
    records: Path = typer.Argument(
        ..., help="Records file (CSV or Parquet), or with --format nhanes a cycle's folder."
    ),
    out: str = typer.Option(..., "--out", help="The Parquet file of person-day intakes."),
    persons: Path | None = typer.Option(
        None, "--persons", help="Persons file (CSV or Parquet): person_id, sex, age …"
    ),
    fmt: str = typer.Option("long", "--format", help="long (records + persons) or nhanes."),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb (default) or spark."),
    nutrients: str = typer.Option(
        "", "--nutrients", help="More nutrients, comma-separated (or 'all'), besides K, D, Ca."
    ),
    skip_bad: bool = typer.Option(
        False, "--skip-bad", help="Leave bad rows out (counted) instead of stopping."
    ),
    as_json: bool = json_option(),
) -> None:
    """Person-day intakes of every person and recall day: K1, each menaquinone (K2 with
    its low/high bounds and the grams with a known K2 value), vitamin D, calcium;
    foods and supplements apart. Nothing is written when a file has bad rows."""
    from vitk2.services.cohort import cohort_intake

    target = output_path(out, what="--out")
    with stage_progress() as progress:
        run = cohort_intake(
            records, out=target, persons=persons, engine=engine, fmt=fmt, skip_bad=skip_bad,
            nutrients=_names(nutrients), progress=progress,
        )  # fmt: skip
    if as_json:
        print_json(run.as_dict())
        return
    counts = run.counts
    stdout.print(
        f"Wrote {run.person_days:,} person-days to {run.out} ({run.engine}): "
        f"{int(counts.get('food_rows', 0)):,} food rows, "
        f"{int(counts.get('supplement_rows', 0)):,} supplement rows."
    )
    if "matched_code_row_share" in counts:
        matched = 1.0 - counts["matched_none_row_share"]
        grams = 1.0 - counts["matched_none_gram_share"]
        stdout.print(
            f"Matched to FNDDS 2017-2018: {100 * matched:.1f} % of rows "
            f"({100 * counts['matched_code_row_share']:.1f} % by code, "
            f"{100 * counts['matched_description_row_share']:.1f} % by description), "
            f"{100 * grams:.1f} % of grams; the rest are unknown foods (not zero)."
        )
    skipped = sum(
        int(counts.get(name, 0))
        for name in ("bad_rows_skipped", "bad_persons_skipped", "rows_without_person_skipped")
    )
    if skipped:
        stdout.print(f"Skipped {skipped:,} bad rows (--skip-bad):")
        for message in run.skipped:
            stdout.print(f"  {message}")
    for note in run.notes:
        stdout.print(note)


@app.command("usual")
def usual_command(
    intake: Path = typer.Argument(..., help="A person-day file written by `cohort intake`."),
    out: str = typer.Option(..., "--out", help="The Parquet file of distributions."),
    by: str = typer.Option(
        "sex,age_group", "--by", help="Group by these person columns (comma-separated)."
    ),
    nutrients: str = typer.Option(
        "", "--nutrients", help="Nutrients to model, comma-separated (default: K, D, Ca)."
    ),
    se: str | None = typer.Option(
        None, "--se", help="Standard errors: brr, bootstrap or none (default: by design)."
    ),
    replicates: int = typer.Option(
        32, "--replicates", help="Bootstrap replicates (BRR: one per Hadamard row)."
    ),
    authority: AuthorityChoice = authority_option(),
    as_json: bool = json_option(),
) -> None:
    """Usual-intake distributions per group (NCI-type measurement-error model, survey
    weights, replicate standard errors) and the shares below the EAR, above the AI
    and above the UL."""
    from vitk2.services.cohort import cohort_usual

    target = output_path(out, what="--out")
    with stage_progress() as progress:
        run = cohort_usual(
            intake, out=target, by=_names(by), nutrients=_names(nutrients), se=se,
            replicates=replicates, authority=authority.value, progress=progress,
        )  # fmt: skip
    if as_json:
        print_json(run.as_dict())
        return
    described = run.described
    stdout.print(
        f"Wrote {run.rows} distributions (group × nutrient) to {run.out}: "
        f"{described['persons_weighted']:,} persons with a survey weight "
        f"({described['persons_without_weight']:,} without, left out); standard errors by "
        f"{described['se']} ({described['replicates']} replicates)."
    )


@app.command("summary")
def summary_command(
    dist: Path = typer.Argument(..., help="A distribution file written by `cohort usual`."),
    html: str | None = typer.Option(
        None, "--html", help="Also write a printable HTML page (tables and plots)."
    ),
    as_json: bool = json_option(),
) -> None:
    """The distributions as tables: mean (SE), percentiles and the prevalences per group."""
    from rich.table import Table

    from vitk2.cohort.usual import CUTS
    from vitk2.services.cohort import cohort_summary, write_cohort_html

    document = cohort_summary(dist)
    if html is not None:
        write_cohort_html(document, output_path(html, what="--html"))
    if as_json:
        print_json(document)
        return
    by = list(document["by"])
    for nutrient in document["nutrients"]:
        table = Table(title=f"{nutrient['nutrient']} ({nutrient['unit']}/day), usual intake")
        for name in [*by, "n", "mean (SE)", "p5", "p50", "p95", "<EAR", ">AI", ">UL"]:
            table.add_column(name, justify="left" if name in by else "right")
        for group in nutrient["groups"]:
            table.add_row(*_row(group, by, CUTS))
        stdout.print(table)
    if html is not None:
        stdout.print(f"Wrote {html}.")


def _row(group: dict[str, Any], by: list[str], cuts: dict[str, Any]) -> list[str]:
    from vitk2.cli.output import fmt

    mean = group["mean"]
    bound = "≥ " if group["lower_bound"] and mean["value"] is not None else ""
    cells = [str(group["group"][b]) for b in by]
    cells += [str(group["persons"]), f"{bound}{fmt(mean['value'])} ({fmt(mean['se'])})"]
    cells += [fmt(group["percentiles"][p]["value"]) for p in ("p05", "p50", "p95")]
    for name in cuts:
        value = group["prevalence"][name]["value"]
        cells.append("—" if value is None else f"{100 * value:.1f} %")
    return cells
