"""Person-day intakes of a cohort: the engine's sums equal the library's own intake
computation (`vitk2.intake.totals`) for the same foods, on generated cohorts; files
with bad rows compute nothing unless --skip-bad; the NHANES layout is read as it is."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from cohort_files import write_csv, write_nhanes, write_small_cohort
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vitk2 import FoodDB
from vitk2.errors import ImportFileError, InvalidOptionError
from vitk2.intake.meals import MealParser
from vitk2.intake.totals import food_intake, sum_intakes, supplement_intake
from vitk2.services.cohort import cohort_intake

#: Foods of the generated cohorts: some with measured K2, some imputed, some unknown.
FOODS = (
    "usda:01022", "usda:01009", "usda:05028", "usda:16113", "usda:01001", "usda:11090",
    "fndds:58106230", "fndds:11111000", "fndds:24147310", "usda:01068", "usda:03041",
)  # fmt: skip
SUPPLEMENTS = ("1 capsule MK-7 90 µg", "1000 IU vitamin D3", "1 tablet MK-4 45 mg")
KEYS = ("k1_ug", "mk4_ug", "mk7_ug", "k2_ug", "vitk_ug", "vitd_ug", "calcium_mg")


def _rows(person: int) -> st.SearchStrategy[list[tuple[object, ...]]]:
    food = st.tuples(
        st.just(person), st.integers(1, 3), st.sampled_from(FOODS),
        st.decimals(min_value="0.5", max_value="900", places=2).map(str),
    )  # fmt: skip
    supplement = st.tuples(
        st.just(person), st.integers(1, 3), st.sampled_from(SUPPLEMENTS), st.just("")
    )
    return st.lists(st.one_of(food, food, food, supplement), min_size=1, max_size=8)


cohorts = st.integers(1, 5).flatmap(lambda n: st.tuples(*(_rows(p) for p in range(1, n + 1))))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts)
def test_person_day_totals_equal_the_librarys_intake_computation(
    db: FoodDB, cohort: tuple[list[tuple[object, ...]], ...]
) -> None:
    rows = [row for person in cohort for row in person]
    persons = [("person_id", "sex", "age")] + [(p, "female", 40) for p in range(1, len(cohort) + 1)]
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        records = write_csv(base / "r.csv", [("person_id", "day", "food", "grams"), *rows])
        write_csv(base / "p.csv", persons)
        cohort_intake(records, persons=base / "p.csv", out=base / "o.parquet", db=db)
        table = pq.read_table(base / "o.parquet").to_pylist()
    parser = MealParser(db)
    days = sorted({(int(str(r[0])), int(str(r[1]))) for r in rows})
    assert [(r["person_id"], r["day"]) for r in table] == days
    vectors = db.vectors(list(FOODS))
    for got in table:
        mine = [r for r in rows if (r[0], r[1]) == (got["person_id"], got["day"])]
        foods = [food_intake(vectors[str(r[2])], float(str(r[3]))) for r in mine if r[3] != ""]
        supplements = []
        for r in mine:
            if r[3] == "":
                item = parser.parse_item(str(r[2]))
                assert item.intake is not None
                supplements.append(
                    supplement_intake({k: v or 0.0 for k, v in item.intake.amounts.items()})
                )
        expected = sum_intakes(foods)
        taken = sum_intakes(supplements)
        assert got["food_rows"] == len(foods) and got["supplement_rows"] == len(supplements)
        for key in KEYS:
            total = expected.total(key)
            if not foods or total.value is None:
                assert got[key] is None
            else:
                assert got[key] == pytest.approx(total.value, rel=1e-9, abs=1e-6)
                assert (got[f"{key}_unknown_g"] > 0) == total.lower_bound
            assert got[f"supp_{key}"] == pytest.approx(
                taken.values[key] if supplements else 0.0, abs=1e-6
            )
        k2 = expected.k2_range()
        if foods and k2 is not None:
            assert got["k2_low_ug"] == pytest.approx(k2[0], rel=1e-9, abs=1e-6)
            assert got["k2_high_ug"] == pytest.approx(k2[1], rel=1e-9, abs=1e-6)
        assert got["k2_measured_g"] == pytest.approx(expected.coverage.measured_g, abs=1e-6)
        assert got["k2_imputed_g"] == pytest.approx(expected.coverage.imputed_g, abs=1e-6)
        assert got["k2_ug_unknown_g"] == pytest.approx(expected.coverage.unknown_g, abs=1e-6)


def test_a_small_cohort_has_person_days_with_persons_and_supplements_apart(
    db: FoodDB, tmp_path: Path
) -> None:
    records, persons = write_small_cohort(tmp_path)
    run = cohort_intake(records, persons=persons, out=tmp_path / "o.parquet", db=db)
    table = pq.read_table(tmp_path / "o.parquet").to_pylist()
    assert run.person_days == 5 and run.counts["food_rows"] == 7
    assert run.counts["supplement_rows"] == 2
    first = table[0]
    assert (first["person_id"], first["day"], first["sex"], first["age_group"]) == (
        1,
        1,
        "female",
        "31-50",
    )
    assert first["supp_mk7_ug"] == 90.0 and first["mk7_ug"] != 90.0
    assert table[-1]["supp_vitd_ug"] == 25.0 and table[-1]["region"] == "north"


def test_bad_rows_are_named_by_line_and_nothing_is_written(db: FoodDB, tmp_path: Path) -> None:
    records, persons = write_small_cohort(tmp_path)
    text = records.read_text(encoding="utf-8")
    records.write_text(
        text + "4,1,gouda,-3\n4,x,gouda,10\n5,1,no such food zq,10\n", encoding="utf-8"
    )
    out = tmp_path / "o.parquet"
    with pytest.raises(ImportFileError) as error:
        cohort_intake(records, persons=persons, out=out, db=db)
    message = str(error.value)
    assert "3 bad rows" in message and "line 11: grams '-3'" in message
    assert "line 12: day 'x'" in message and "line 13: food 'no such food zq'" in message
    assert "--skip-bad" in message and not out.exists()


def test_skip_bad_leaves_bad_rows_out_and_counts_them(db: FoodDB, tmp_path: Path) -> None:
    records, persons = write_small_cohort(tmp_path)
    text = records.read_text(encoding="utf-8")
    records.write_text(text + "1,1,gouda,-3\n9,1,gouda,10\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"1 row name a person not in persons\.csv"):
        write_csv(records, [("person_id", "day", "food", "grams"), (9, 1, "gouda", 10)])
        cohort_intake(records, persons=persons, out=tmp_path / "o.parquet", db=db)
    records.write_text(text + "1,1,gouda,-3\n9,1,gouda,10\n", encoding="utf-8")
    run = cohort_intake(records, persons=persons, out=tmp_path / "o.parquet", db=db, skip_bad=True)
    assert run.counts["bad_rows_skipped"] == 1
    assert run.counts["rows_without_person_skipped"] == 1
    assert run.counts["food_rows"] == 7 and "line 11" in run.skipped[0]


def test_a_bad_persons_file_is_named(db: FoodDB, tmp_path: Path) -> None:
    records, persons = write_small_cohort(tmp_path)
    write_csv(
        persons, [("person_id", "sex", "age"), (1, "female", 34), (2, "other", 70), (3, "f", 200)]
    )
    with pytest.raises(ImportFileError) as error:
        cohort_intake(records, persons=persons, out=tmp_path / "o.parquet", db=db)
    assert "persons.csv: 2 bad rows" in str(error.value) and "line 3" in str(error.value)
    with pytest.raises(InvalidOptionError, match="--persons FILE is needed"):
        cohort_intake(records, out=tmp_path / "o.parquet", db=db)


def test_the_nhanes_layout_is_read_as_it_is(db: FoodDB, tmp_path: Path) -> None:
    folder = write_nhanes(
        tmp_path / "cycle",
        day1=[(101.0, 5000.0, 58106230.0, 200.0, 1.0), (101.0, 5000.0, 11111009.0, 244.0, 1.0),
              (102.0, "", 99999999.0, 50.0, 1.0), (102.0, "", 11111000.0, 100.0, 2.0)],
        day2=[(101.0, 5000.0, 11111000.0, 100.0, 1.0)],
    )  # fmt: skip
    run = cohort_intake(folder, fmt="nhanes", out=tmp_path / "o.parquet", db=db)
    counts = run.counts
    assert counts["rows_read"] == 5 and counts["excluded_rows"] == 1
    assert (counts["matched_code_rows"], counts["matched_description_rows"]) == (2, 1)
    assert counts["matched_none_rows"] == 1 and counts["matched_none_row_share"] == 0.25
    table = pq.read_table(tmp_path / "o.parquet").to_pylist()
    assert [(r["person_id"], r["day"]) for r in table] == [(101, 1), (101, 2), (102, 1)]
    milk = db.vectors(["fndds:11111000"])["fndds:11111000"]
    pizza = db.vectors(["fndds:58106230"])["fndds:58106230"]
    expected = sum_intakes([food_intake(pizza, 200.0), food_intake(milk, 244.0)]).total(
        "calcium_mg"
    )
    assert table[0]["calcium_mg"] == pytest.approx(expected.value)
    assert table[0]["survey_weight"] == 5000.0 and table[2]["survey_weight"] is None
    assert table[2]["calcium_mg"] is None and table[2]["unmatched_g"] == 50.0
    bad = write_nhanes(tmp_path / "bad", day1=[(101.0, 1.0, 58106230.0, "x", 1.0)], day2=[])
    with pytest.raises(ImportFileError, match="line 2: DR1IGRMS is not grams above 0"):
        cohort_intake(bad, fmt="nhanes", out=tmp_path / "b.parquet", db=db)
