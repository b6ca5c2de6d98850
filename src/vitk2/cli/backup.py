"""``vitk2 backup`` and ``vitk2 restore``: the whole diary in one file, and back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from vitk2.cli.common import db_option, json_option, open_service
from vitk2.cli.output import file_progress, print_json, stdout
from vitk2.files import output_path


def register(root: typer.Typer) -> None:
    """Add `backup` and `restore` to the top-level app."""

    @root.command("backup")
    def backup_command(
        path: str = typer.Argument(..., help="The backup file to write, e.g. diary-backup.json."),
        db: str | None = db_option(),
    ) -> None:
        """Write the whole diary to one JSON file: profile, medications, kidney status,
        INR readings, your supplement products, your foods and recipes and every entry."""
        target = output_path(path)
        count = open_service(db).backup(target)
        stdout.print(
            f"Backed up {count} entries with the profile, INR readings, products, foods and "
            f"recipes to {target}."
        )

    @root.command("restore")
    def restore_command(
        path: Path = typer.Argument(..., help="A file written by `vitk2 backup`."),
        replace_profile: bool = typer.Option(
            False, "--replace-profile", help="Take the backup's profile over a different one."
        ),
        replace_products: bool = typer.Option(
            False,
            "--replace-products",
            help="Take the backup's products over different ones of the same name.",
        ),
        as_json: bool = json_option(),
        db: str | None = db_option(),
    ) -> None:
        """Restore a backup into this diary, all or nothing. What the diary already holds
        is kept: restoring the same file twice adds nothing."""
        service = open_service(db)
        with file_progress(path, "Restoring") as progress:
            counts = service.restore(
                path,
                replace_profile=replace_profile,
                replace_products=replace_products,
                progress=progress,
            )
        data: dict[str, Any] = {
            "profile": counts.profile,
            "products": {
                "added": counts.products_added,
                "unchanged": counts.products_unchanged,
                "replaced": counts.products_replaced,
            },
            "own_foods": {
                "added": counts.own_foods.added,
                "unchanged": counts.own_foods.unchanged,
                "retired": counts.own_foods.retired,
            },
            "inr_readings": {"added": counts.readings.added, "skipped": counts.readings.skipped},
            "entries": {"added": counts.entries.added, "skipped": counts.entries.skipped},
        }
        if as_json:
            print_json(data)
            return
        profile = {
            "none": "no profile in the backup",
            "set": "profile set",
            "unchanged": "profile unchanged",
            "replaced": "profile replaced",
        }[counts.profile]
        stdout.print(
            f"Restored from {path}: {profile}; products {counts.products_added} added, "
            f"{counts.products_unchanged} unchanged, {counts.products_replaced} replaced; "
            f"your foods and recipes {counts.own_foods.added} added"
            + (
                f" ({counts.own_foods.retired} retired: the diary has another of that name)"
                if counts.own_foods.retired
                else ""
            )
            + f", {counts.own_foods.unchanged} unchanged; "
            f"INR readings {counts.readings.added} added, {counts.readings.skipped} already "
            f"there; entries {counts.entries.added} added, {counts.entries.skipped} already "
            "there."
        )
