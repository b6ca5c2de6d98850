"""The bad-input corpus: what a careful new user or a tester types, over every command.

Every case must exit with code 1 (2 for a usage error such as an unknown option),
print exactly one line on stderr (``error: …``) and no traceback, leave the diary
exactly as it was (a SQL dump of it before and after) and write no output file.
The cases run in-process through the real entry point (`vitk2.cli.app:main`, what
the console script runs; tests/cli_runner.py), a handful also as real processes.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from cli_runner import Cli, InProcessCli
from meal_scoring import nonfood_phrases

BIRTH = "1960-05-01"
LONG = "x" * 10_000

BAD_DATES = [
    "20261201", "2026-W01-1", "2026-13-01", "2026-02-30", "01/12/2026", "0001-01-01",
    "9999-12-31", "1899-12-31", "2999-01-01", "", "yesterday", "2026-1-1",
    "2026-11-20T08:00", "١٢٣٤-٠١-٠١",
]  # fmt: skip
DATE_COMMANDS: list[tuple[str, ...]] = [
    ("log", "50 g natto", "--date"),
    ("diary", "show", "--date"),
    ("diary", "show", "--from"),
    ("diary", "show", "--to"),
    ("inr", "add", "2.4", "--date"),
    ("inr", "show", "--from"),
    ("inr", "show", "--to"),
    ("report", "--from"),
    ("report", "--to"),
    ("findings", "--from"),
    ("findings", "--baseline-to", "2026-11-01", "--baseline-from"),
    ("consistency", "--to"),
    ("whatif", "--add", "MK-7 90 ug daily", "--from"),
    ("clinician-summary", "{dir}/out.html", "--to"),
    ("plan", "--from"),
    ("plan", "--start"),
    ("profile", "set", "--birth-date"),
]
BAD_MEALS = [
    "-5 g natto", "0 g natto", "1e309 g cheese", "0x10 g cheese", "1" * 400 + " g cheese",
    "1,000 g cheese", "6000 g natto", "MK-7 -5 µg", "vitamin D 1000000000000 IU",
    "vitamin D -1000 IU", "51 capsules MK-7 90 µg", "MK-7 0 µg", "1/0 cup milk",
    "MK-7 100 IU", "xyzzy plugh", "🍕🍕", "'; DROP TABLE entry; --", "", "   ",
    "breakfast:", LONG, "vitamin K2", "K2 100 µg", "MK-7 90 µg and D3 25 µg in one",
]  # fmt: skip
BAD_LABELS = [
    "-5ug", "0ug", "1e309ug", "0x10ug", "1" * 400 + "ug", "1000000000g", "100IU", "abc",
    "100", "1,000mg", "inf ug", "nan ug",
]  # fmt: skip
BAD_IDS = ["0", "-1", "9223372036854775808", "99999999999999999999", "999999"]
BAD_URLS = [
    "", "postgresql://x@h:notaport/db", "postgresql://x:pw@[::1/db",
    "sqlite:///t.sqlite?timeout=abc", "sqlite://", "sqlite:///:memory:", "nosuchdb://x/y",
    "postgresql://x@h:99999/db", "{dir}/missing/diary.sqlite", "{dir}/other.sqlite",
]  # fmt: skip


def case(*args: str, match: str = "", code: int = 1) -> tuple[tuple[str, ...], str, int]:
    return args, match, code


CASES = [
    *(case(*command, date) for command in DATE_COMMANDS for date in BAD_DATES),
    *(case("log", "50 g natto", "--date", "1959-12-31", match="before the birth date"),
      case("inr", "add", "2", "--date", "1959-12-31", match="before the birth date"),
      case("profile", "set", "--birth-date", "2026-11-21", match="after the first diary entry"))
]  # fmt: skip
for first, last in (("--from", "--to"), ("--baseline-from", "--baseline-to")):
    for command in (
        ("diary", "show"), ("inr", "show"), ("report",), ("findings",), ("consistency",),
        ("whatif", "--add", "MK-7 90 ug"), ("clinician-summary", "{dir}/out.html"),
    ):  # fmt: skip
        if first.startswith("--baseline") and command[0] not in {"findings", "consistency"}:
            continue
        CASES.append(case(*command, first, "2026-11-21", last, "2026-11-20", match="is after"))
CASES += [
    *(case("log", "--", meal) for meal in BAD_MEALS),
    *(case("parse", "--", meal) for meal in BAD_MEALS),
    *(case("whatif", "--add", f"{meal} daily") for meal in BAD_MEALS if meal.strip()),
    *(case("diary", "edit", "1", "--text", meal) for meal in BAD_MEALS),
    # Words no food is called ("50 g glue", "100 g lego bricks", "1 cup motor oil",
    # "100 g unicorn meat" …) are unresolved, never matched to a real food.
    *(case(command, "--", meal, match="unresolved") for command in ("log", "parse")
      for meal in nonfood_phrases()),
    *(case("supplement", "add", "X", "--per", "capsule", "--mk7", label) for label in BAD_LABELS),
    *(case("supplement", "simulate", "--form", "mk7", "--dose", label) for label in BAD_LABELS),
    *(case("diary", command, bad, *extra, match="No diary entry with id")
      for command, extra in (("edit", ("--grams", "5")), ("delete", ())) for bad in BAD_IDS),
    *(case("inr", "delete", bad, match="No INR reading with id") for bad in BAD_IDS),
    *(case("diary", "delete", bad, code=2) for bad in ("abc", "1.5", "")),
    *(case(*command, "--db", url) for command in (("log", "50 g natto"), ("diary", "show"),
      ("profile", "show"), ("report",)) for url in BAD_URLS),
    # `vitk2 serve` refuses before it opens anything or listens (the bad URLs that name
    # a file are left out: a new diary there is valid, and the server would start).
    *(case("serve", "--db", url) for url in BAD_URLS if not url.startswith("{dir}")),
    case("serve", "--port", "-1", match="--port must be 0 to 65535"),
    case("serve", "--port", "65536", match="--port must be 0 to 65535"),
    case("serve", "--port", "http", code=2),
    case("serve", "--host", "0.0.0.0", match="give an access token"),
    case("serve", "--host", "::", match="give an access token"),
    case("serve", "--host", "0.0.0.0", "--token", "short", match="characters long"),
    *(case("diary", "edit", "1", "--grams", grams)
      for grams in ("0", "6000", "inf", "nan", "1e309")),
    case("diary", "edit", "1", "--grams", "abc", code=2),
    case("diary", "edit", "1", match="exactly one of --grams or --text"),
    case("diary", "edit", "1", "--grams", "5", "--text", "5 g natto", match="exactly one"),
    case("diary", "edit", "3", "--grams", "5", match="is a supplement"),
    case("diary", "edit", "1", "--text", "50 g natto, 1 egg", match="must describe one item"),
    case("diary", "show", "--date", "2026-11-20", "--from", "2026-11-20", match="either --date"),
    case("log", "50 g natto", "--time", "25:00", match="HH:MM"),
    case("log", "50 g natto", "--time", "8", match="HH:MM"),
    case("log", "50 g natto", "--meal", "brunch", code=2),
    case("log", code=2),
    case("log", "50 g natto", "--nosuch", code=2),
    case("nosuch", code=2),
    case("diary", "export", "{dir}/out.csv", "--format", "xml", code=2),
    # output files
    case("diary", "export", "", match="is empty"),
    case("diary", "export", "{dir}", match="it is a folder"),
    case("diary", "export", "{dir}/missing/out.csv", match="does not exist"),
    case("backup", "", match="is empty"),
    case("backup", "{dir}/missing/b.json", match="does not exist"),
    case("report", "--html", "", match="--html is empty"),
    case("report", "--html", "{dir}", match="it is a folder"),
    case("clinician-summary", "", match="is empty"),
    case("supplement", "simulate", "--form", "mk7", "--dose", "90ug", "--plot", "{dir}/out.svg",
         match=".png"),
    case("supplement", "simulate", "--form", "mk7", "--dose", "90ug", "--plot", "", match="empty"),
    # the rest of every command
    case("supplement", "simulate", "--form", "mk7", "--dose", "90ug", "--population", "1000000",
         "--days", "3650", match="person-days"),
    case("supplement", "simulate", "--form", "mk7", "--dose", "90ug", "--population", "0"),
    case("supplement", "simulate", "--form", "mk7", "--dose", "90ug", "--days", "0"),
    case("supplement", "simulate", "--form", "mk7", "--dose", "90ug", "--days", "3651"),
    case("supplement", "simulate", "--form", "mk7", "--dose", "90ug", "--every", "daily"),
    case("supplement", "simulate", "--form", "mk7", "--dose", "90ug", "--skip", "0"),
    case("supplement", "simulate", "--form", "mk8", "--dose", "90ug", code=2),
    case("plan", "--target-k2", "who2020", match="No authority sets a K2 intake target"),
    case("plan", "--target-k2", "dalmeijer2012", match="gives several figures"),
    case("plan", "--target-k2", "", match="Unknown --target-k2"),
    case("plan", "--diet", "paleo", match="paleo"),
    case("plan", "--exclude", "", match="--exclude"),
    case("plan", "--weeks", "0", match="--weeks must be from 1"),
    case("plan", "--weeks", "13", match="--weeks must be from 1"),
    case("plan", "--weeks", "two", code=2),
    case("plan", "--max-kcal", "-1", match="--max-kcal must be"),
    case("plan", "--max-kcal", "nan", match="--max-kcal"),
    case("plan", "--max-sodium", "1e309", match="--max-sodium"),
    case("plan", "--start", "2030-01-01", match="within a year"),
    case("plan", "--typical", "xyzzy plugh", match="--typical"),
    case("plan", "--typical", "50 g natto", "--from", "2026-11-20", match="not both"),
    case("plan", "--ics", "", match="empty"),
    case("plan", "--ics", "{dir}", match="it is a folder"),
    case("plan", "--ics", "{dir}/missing/out.ics", match="does not exist"),
    *(case("plan", "--diet", "vegan", "--exclude", x) for x in (LONG, "🍕🍕")),
    case("substitutes", "xyzzy plugh", match="xyzzy"),
    case("substitutes", "", match="Name a food"),
    case("substitutes", "usda:99999", match="99999"),
    case("substitutes", "natto", "--limit", "0", match="--limit"),
    case("substitutes", "natto", "--limit", "101", match="--limit"),
    case("substitutes", "natto", "--grams", "0", match="--grams"),
    case("substitutes", "natto", "--grams", "-5", match="--grams"),
    case("substitutes", "natto", "--grams", "nan", match="--grams"),
    case("substitutes", "natto", "--diet", "carnivore", match="carnivore"),
    case("whatif", match="Nothing to add"),
    case("whatif", "--add", "MK-7 100 ug dayly", match="did you mean 'daily'"),
    case("whatif", "--add", "MK-7 100 ug every 3 days", match="Unknown frequency"),
    case("whatif", "--add", "MK-7 100 ug 2 daily", match="what does the number"),
    case("whatif", "--add", "MK-7 100 ug 11 times a day", match="more than 10 doses"),
    case("whatif", "--add", "daily", match="names no supplement or food"),
    case("profile", "set", "--medication", "", match="--no-medication"),
    case("profile", "set", "--medication", "   ", match="--no-medication"),
    case("profile", "set", "--medication", "warfarin", "--no-medication", match="either"),
    case("profile", "set", "--medication", LONG, match="1 to 100 characters"),
    case("profile", "set", "--weight-kg", "0", match="weight"),
    case("profile", "set", "--weight-kg", "501", match="weight"),
    case("profile", "set", "--weight-kg", "nan", match="weight"),
    case("profile", "set", "--weight-kg", "abc", code=2),
    case("profile", "set", "--sex", "male", "--pregnant", match="--pregnant and --lactating"),
    case("profile", "set", "--sex", "other", code=2),
    case("supplement", "add", "", "--per", "capsule", "--mk7", "1ug", match="needs a name"),
    case("supplement", "add", "a,b", "--per", "capsule", "--mk7", "1ug", match="separator"),
    case("supplement", "add", LONG, "--per", "capsule", "--mk7", "1ug", match="at most 60"),
    case("supplement", "add", "X", "--per", "bottle", "--mk7", "1ug", match="supplement unit"),
    case("supplement", "add", "X", "--per", "capsule", match="at least one amount"),
    case("supplement", "add", "X", "--per", "capsule", "--nosuch", "1ug", match="Unknown nutrient"),
    case("supplement", "add", "X", "--per", "capsule", "--mk7", "1ug", "--mk7", "2ug",
         match="given twice"),
    case("supplement", "add", "X", "--per", "capsule", "--mk7", "100ug", "--k2", "50ug",
         match="sum of its parts"),
    case("supplement", "add", "X", "--per", "capsule", "--energy", "10ug", match="kcal"),
    case("supplement", "add", "X", "--per", "capsule", "stray", match="Unexpected"),
    case("supplement", "add", "X", "--per", "capsule", "--mk7", match="needs an amount"),
    case("supplement", "remove", "NoSuch", match="No supplement named"),
    case("supplement", "remove", "[/x]", match="No supplement named"),
    case("supplement", "remove", "MK-7 90 µg", match="No supplement named"),
    case("foods", "show", "usda:99999", match="Unknown food id"),
    case("foods", "show", "[/b]", match="Unknown food id"),
    case("foods", "show", LONG, match="Unknown food id"),
    case("foods", "show", "my:ec0385ee", match="your own recipes or foods"),
    case("foods", "top", "nosuch", match="Unknown nutrient"),
    case("foods", "top", "calcium", "--group", "nosuch", match="Group"),
    case("foods", "top", "calcium", "--limit", "0", code=2),
    case("foods", "search", "", match="Empty search query"),
    case("foods", "search", "gouda", "--limit", "0", code=2),
    case("evidence", "show", "nosuch", match="Unknown evidence source key"),
    case("evidence", "search", "", match="Give words to search"),
    case("evidence", "search", "mk7", "--topic", "nosuch", match="Unknown evidence topic"),
    case("inr", "add", "abc", match="is not a number"),
    case("inr", "add", "0", match="INR must be above 0"),
    case("inr", "add", "16", match="outside 0.5"),
    case("inr", "add", "nan", match="is not a number"),
    case("inr", "add", "1e309", match="is not a number"),
    case("inr", "add", "2", "--note", LONG, match="at most 200 characters"),
    case("consistency", "--baseline-from", "2026-11-01", match="Give both"),
    case("findings", "--baseline-to", "2026-11-01", match="Give both"),
    case("report", "--to", "2020-01-01", match="before the first diary day"),
    case("consistency", "--from", "2020-01-01", "--to", "2020-01-31", match="No diary entries"),
    case("restore", "{dir}/missing.json", match="no such file"),
]  # fmt: skip


# Your recipes and foods: the fixture's diary has the recipe "stew" and the food "MyBar".
BAD_NAMES = ["", "a,b", "x;y", LONG, "2 eggs", "stew (mine)", "my:0000abcd", "[/b]", "   "]
BAD_COUNTS = ["0", "-1", "1e309", "nan", "inf", "abc", "1001", "1,000", "9" * 400]
BAD_FOOD_LABELS = [label for label in BAD_LABELS if label != "0ug"]  # 0: the label says none
RECIPE = ("recipe", "add", "new stew", "--serves", "4")
FOOD = ("food", "add", "NewBar", "--per", "1 bar", "--grams", "40")
CASES += [
    *(case("recipe", "add", name, "--serves", "4", "100 g beef") for name in BAD_NAMES),
    *(case(*RECIPE[:3], "--serves", count, "100 g beef") for count in BAD_COUNTS),
    *(case(*RECIPE, "--yield-g", grams, "100 g beef")
      for grams in ("0", "-5", "1e309", "nan", "abc", "1001", "9", "1,000")),
    *(case(*RECIPE, "--", meal) for meal in BAD_MEALS),
    case(*RECIPE, "100 g beef, 50 g glue", match="Recipe not saved: 1 of 2 ingredient(s)"),
    case(*RECIPE, "100 g beef, 1 capsule MK-7 90 µg", match="is a supplement"),
    case(*RECIPE, "100 g beef, 100 g my:00000000", match="None of your own foods has the id"),
    case(*RECIPE, "100 g beef", "--note", LONG, match="at most 200 characters"),
    case("recipe", "add", "big pot", "--serves", "0.5", "3000 g beef", match="one serving would"),
    case("recipe", "add", "stew", "--serves", "2", "100 g beef", match="already have a recipe"),
    case("recipe", "add", "STEW", "--serves", "2", "100 g stew", "--replace",
         match="cannot contain the recipe it replaces"),
    case("recipe", "add", "MyBar", "--serves", "2", "100 g beef", "--replace",
         match="is one of your foods, not a recipe"),
    case("recipe", "add", "MyK2", "--serves", "2", "100 g beef", match="supplement product named"),
    case("recipe", "add", "x", "--serves", "2", code=2),
    case("recipe", "add", "x", "100 g beef", code=2),
    case("recipe", "edit", "nosuch", "--serves", "2", match="None of your foods or recipes"),
    case("recipe", "edit", "stew", match="Nothing to change"),
    case("recipe", "edit", "stew", "--yield-g", "500", "--no-yield", match="not both"),
    case("recipe", "edit", "MyBar", "--serves", "2", match="is one of your foods"),
    case("recipe", "edit", "stew", "100 g glue", match="unresolved"),
    *(case("recipe", "edit", "stew", "--serves", count) for count in BAD_COUNTS),
    *(case("recipe", command, which, match=match)
      for command in ("show", "delete")
      for which, match in (("nosuch", "None of your"), ("", "None of your"),
                           (LONG, "None of your"), ("my:00000000", "None of your"),
                           ("-1", "None of your"), ("MyBar", "is one of your foods")))
    ,
    *(case("food", command, which, match=match)
      for command in ("show", "delete")
      for which, match in (("nosuch", "None of your"), ("[/b]", "None of your"),
                           ("stew", "is one of your recipes")))
    ,
    *(case("food", "add", name, "--per", "1 bar", "--grams", "40", "--calcium", "1mg")
      for name in BAD_NAMES),
    *(case(*FOOD, "--calcium", label) for label in BAD_FOOD_LABELS),
    *(case(*FOOD[:3], "--per", per, *grams, "--calcium", "1mg", match=match)
      for per, grams, match in (
          ("", (), "write the label's serving"), ("1 bar", (), "give the serving's weight"),
          ("1 bar", ("--grams", "0"), "above 0"), ("1 bar", ("--grams", "6000"), "5,000 g"),
          ("1 bar", ("--grams", "abc"), "not a number"), ("0 bar", ("--grams", "40"), "above 0"),
          ("1001 bars", ("--grams", "40"), "more than 1,000"), ("(40 g)", (), "label's serving"),
          ("1 bar (40 g)", ("--grams", "50"), "give one"), ("100 g", ("--grams", "50"),
          "leave --grams out"), ("1 b@r", ("--grams", "40"), "must be a word"),
          ("-1 bar", ("--grams", "40"), "label's serving"),
      )),
    case(*FOOD, match="at least one amount from the label"),
    case(*FOOD, "--nosuch", "1mg", match="Unknown nutrient"),
    case(*FOOD, "--calcium", "1mg", "--calcium", "2mg", match="given twice"),
    case(*FOOD, "--calcium", "1mg", "--ca", "2mg", match="given twice"),
    case(*FOOD, "--mk7", "10ug", "--k2", "5ug", match="sum of its parts"),
    case(*FOOD, "--energy", "10ug", match="kcal or kJ"),
    case(*FOOD, "--energy", "400kcal", match="most vitk2 takes"),
    case(*FOOD, "--calcium", "50g", match="most vitk2 takes"),
    case(*FOOD, "--mk7", "100IU", match="IU is defined for vitamin D only"),
    case(*FOOD, "--vita-iu", "100ug", match="cannot be given"),
    case(*FOOD, "stray", match="Unexpected"),
    case(*FOOD, "--mk7", match="needs an amount"),
    case(*FOOD, "--calcium", "1mg", "--note", LONG, match="at most 200 characters"),
    case("food", "add", "MyBar", "--per", "1 bar", "--grams", "40", "--calcium", "1mg",
         match="already have a food"),
    case("food", "add", "stew", "--per", "1 bar", "--grams", "40", "--calcium", "1mg",
         "--replace", match="is one of your recipes"),
    case("food", "add", "MyK2", "--per", "1 bar", "--grams", "40", "--calcium", "1mg",
         match="supplement product named"),
    case("food", "add", "NewBar", "--calcium", "1mg", code=2),
    case("supplement", "add", "stew", "--per", "capsule", "--mk7", "1ug",
         match="food or recipe named"),
    # your foods in meal text
    *(case(command, "--", text, match="unresolved")
      for command in ("log", "parse")
      for text in ("1 cup stew", "100 g my:00000000", "2 slices MyBar", "1 pot MyBar")),
    case("whatif", "--add", "1 cup stew daily", match="has no 'cup' measure"),
    case("diary", "edit", "1", "--text", "1 cup stew", match="has no 'cup' measure"),
]  # fmt: skip

# Files to import or restore, written by the fixture: name -> (text or bytes, error).
HEADER = "id,date,time,meal,kind,ref,name,quantity,unit,grams,amounts,text,uid"
GOOD = '7,2026-11-20,,,food,usda:01009,"Cheese, cheddar",28.0,g,28.0,,28 g cheddar,'
SUPPLEMENT = '8,2026-11-20,,,supplement,X,X,1.0,capsule,,"{""mk7_ug"": AMOUNT}",1 capsule X,'
UID = "3f2a1b4c-5d6e-4c7e-9d1e-0b5e2c6e8f0a"
IMPORTS: dict[str, tuple[str | bytes, str]] = {
    "truncated.csv": (f"{HEADER}\n{GOOD}\n" + GOOD[: GOOD.index("28.0,,") + 1], "fields where"),
    "empty.csv": ("", "the header lacks"),
    "header.csv": (f"{HEADER}\n", "the file has no entries"),
    "no_header.csv": (GOOD + "\n", "the header lacks"),
    "old_date.csv": (f"{HEADER}\n" + GOOD.replace("2026-11-20", "0001-01-01"), "before 1900"),
    "future.csv": (f"{HEADER}\n" + GOOD.replace("2026-11-20", "9999-12-31"), "in the future"),
    "compact_date.csv": (f"{HEADER}\n" + GOOD.replace("2026-11-20", "20261120"), "not a date"),
    "unborn.csv": (f"{HEADER}\n" + GOOD.replace("2026-11-20", "1959-01-01"), "birth date"),
    "negative.csv": (f"{HEADER}\n" + GOOD.replace("28.0,,", "-28.0,,"), "negative"),
    "huge.csv": (f"{HEADER}\n" + GOOD.replace("28.0,,", "1e309,,"), "not a number vitk2"),
    "hex.csv": (f"{HEADER}\n" + GOOD.replace("28.0,,", "0x10,,"), "not a number vitk2"),
    "digits.csv": (f"{HEADER}\n" + GOOD.replace("28.0,,", "9" * 400 + ",,"), "15 characters"),
    "heavy.csv": (f"{HEADER}\n" + GOOD.replace("28.0,,", "6000,,"), "more than 5,000 g"),
    "food.csv": (f"{HEADER}\n" + GOOD.replace("usda:01009", "usda:99999"), "unknown food id"),
    "dose.csv": (f"{HEADER}\n" + SUPPLEMENT.replace("AMOUNT", "1e12"), "most vitk2 takes"),
    "minus.csv": (f"{HEADER}\n" + SUPPLEMENT.replace("AMOUNT", "-5"), "0 or more"),
    "key.csv": (f"{HEADER}\n" + SUPPLEMENT.replace("mk7_ug", "no").replace("AMOUNT", "1"),
                "unknown nutrient key 'no'"),
    "amounts.csv": (f"{HEADER}\n" + SUPPLEMENT, "amounts is not a JSON object"),
    "uid.csv": (f"{HEADER}\n" + GOOD + "not-a-uuid", "is not a UUID"),
    "field.csv": (f'{HEADER}\n{GOOD[:-1]}"{"y" * 140_000}",', "longer than 131,072"),
    "line.csv": (f"{HEADER}\n" + "z" * 1_100_000, "longer than 1,048,576"),
    "latin1.csv": (f"{HEADER}\n{GOOD}".encode().replace(b"cheddar", b"ch\xe9ddar"), "not UTF-8"),
    "binary.csv": (bytes(range(256)) * 4, "not UTF-8"),
    "broken.json": ("{not json", "not valid JSON"),
    "list.json": ("[1, 2]", "not a vitk2 diary export"),
    "deep.json": ('{"format": "vitk2-diary", "entries": ' + "[" * 100_000 + "]" * 100_000 + "}",
                  "nested deeper"),
    "format.json": ('{"format": "other", "entries": []}', "not a vitk2 diary export"),
    "version.json": ('{"format": "vitk2-diary", "version": 3, "entries": []}', "version 3"),
    "entries.json": ('{"format": "vitk2-diary", "entries": 5}', "is not a list"),
    "entry.json": ('{"format": "vitk2-diary", "entries": [5]}', "not a JSON object"),
    "number.json": ('{"format": "vitk2-diary", "entries": [{"grams": ' + "9" * 5000 + "}]}",
                    "too many digits"),
    "text.json": ('{"format": "vitk2-diary", "entries": [{"date": 5}]}', "date must be text"),
    "backup.json": ('{"format": "vitk2-backup", "version": 1, "entries": []}', "vitk2 restore"),
    "own.csv": (f"{HEADER}\n" + GOOD.replace("usda:01009", "my:00000000"),
                "one of your own foods, which this diary does not have"),
}  # fmt: skip
OWN = {"id": "my:0000abcd", "kind": "label", "name": "Bar", "version": 1, "retired": False,
       "note": None, "per": {"quantity": 1, "unit": "bar", "grams": 40},
       "label": {"calcium_mg": 100}}  # fmt: skip
CHEDDAR = {"ref": "usda:01009", "name": "x", "grams": 10, "text": "x"}
RECIPE_RECORD = {**{k: v for k, v in OWN.items() if k not in {"per", "label"}}, "kind": "recipe",
                 "serves": 2, "yield_g": None, "text": "x", "ingredients": [CHEDDAR]}  # fmt: skip
BACKUPS: dict[str, tuple[dict[str, object], str]] = {
    "own_v1.json": ({"version": 1, "own_foods": []}, "a version 1 backup has no 'own_foods'"),
    "own_v3.json": ({"version": 3}, "backup format version 3"),
    "own_id.json": ({"own_foods": [{**OWN, "id": "bad"}]}, "id 'bad' is not 'my:'"),
    "own_kind.json": ({"own_foods": [{**OWN, "kind": "dish"}]}, "kind 'dish' is not label"),
    "own_name.json": ({"own_foods": [{**OWN, "name": "a,b"}]}, "contains ','"),
    "own_version.json": ({"own_foods": [{**OWN, "version": 0}]}, "version '0' is not a whole"),
    "own_label.json": ({"own_foods": [{**OWN, "label": {"calcium_mg": -1}}]}, "0 or more"),
    "own_grams.json": ({"own_foods": [{**OWN, "per": {**OWN["per"], "grams": 6000}}]},  # type: ignore[dict-item]
                       "5,000 g"),
    "own_heavy.json": ({"own_foods": [{**OWN, "label": {"calcium_mg": 1e9}}]}, "most vitk2"),
    "own_serves.json": ({"own_foods": [{**RECIPE_RECORD, "serves": 0}]}, "--serves must be"),
    "own_ingredient.json": ({"own_foods": [{**RECIPE_RECORD, "ingredients": [
        {"ref": "usda:99999", "name": "x", "grams": 10, "text": "x"}]}]}, "unknown ingredient"),
    "own_mine.json": ({"own_foods": [{**RECIPE_RECORD, "ingredients": [
        {"ref": "my:00000001", "name": "x", "grams": 10, "text": "x"}]}]}, "unknown ingredient"),
    "own_entry.json": ({"entries": [{"uid": None, "date": "2026-11-20", "time": None, "meal": None,
                        "kind": "food", "ref": "my:00000002", "name": "x", "quantity": 1.0,
                        "unit": "g", "grams": 1.0, "amounts": {}, "text": "x"}]},
                       "one of your own foods, which this diary does not have"),
}  # fmt: skip
EMPTY_BACKUP = {"format": "vitk2-backup", "version": 2, "vitk2": "0", "profile": None,
                "supplements": [], "own_foods": [], "inr_readings": [], "entries": []}  # fmt: skip
for name, (changes, _) in BACKUPS.items():
    IMPORTS[name] = (json.dumps({**EMPTY_BACKUP, **changes}), "")
CASES += [case("restore", f"{{dir}}/{name}", match=m) for name, (_, m) in BACKUPS.items()]
CASES += [
    case("cohort", "intake", "{dir}/missing.csv", "--persons", "{dir}/missing.csv", "--out",
         "{dir}/out.parquet", match="does not exist"),
    case("cohort", "intake", "{dir}/missing.csv", "--out", "{dir}/out.parquet", "--engine",
         "flink", match="Unknown --engine 'flink'"),
    case("cohort", "intake", "{dir}/missing.csv", "--out", "{dir}/out.parquet", "--format",
         "sas", match="Unknown --format 'sas'"),
    case("cohort", "usual", "{dir}/missing.parquet", "--out", "{dir}/out.parquet",
         match="Cannot read"),
    case("cohort", "usual", "{dir}/missing.parquet", "--out", "{dir}/out.parquet", "--se",
         "jackknife", match="Unknown --se 'jackknife'"),
    case("cohort", "summary", "{dir}/missing.parquet", match="Cannot read"),
]  # fmt: skip
CASES += [
    case("diary", "import", f"{{dir}}/{name}", match=m)
    for name, (_, m) in IMPORTS.items()
    if name not in BACKUPS
]
CASES += [
    case("diary", "import", "/dev/zero", match="longer than 1,048,576"),
    case("diary", "import", "{dir}", match="it is a folder"),
    case("diary", "import", "{dir}/missing.csv", match="no such file"),
    case("restore", "{dir}/truncated.csv", match="not a vitk2 backup"),
    case("restore", "/dev/zero", match="not a vitk2 backup"),
    case("restore", "{dir}/deep.json", match="not a vitk2 backup"),
    case("restore", "{dir}/version.json", match="not a vitk2 backup"),
]


@pytest.fixture(scope="module")
def diary(tmp_path_factory: pytest.TempPathFactory) -> InProcessCli:
    """A small warfarin diary: entries 1 and 2 foods, 3 a supplement; an INR reading."""
    folder = tmp_path_factory.mktemp("corpus")
    cli = InProcessCli(folder / "diary.sqlite")
    cli.ok("profile", "set", "--sex", "female", "--birth-date", BIRTH, "--medication", "warfarin")
    cli.ok("log", "2 slices of gouda, 50 g natto", "--date", "2026-11-20")
    cli.ok("log", "1 capsule MK-7 90 µg", "--date", "2026-11-21")
    cli.ok("inr", "add", "2.4", "--date", "2026-11-20")
    cli.ok("supplement", "add", "MyK2", "--per", "capsule", "--mk7", "100ug")
    cli.ok("recipe", "add", "stew", "--serves", "4", "500 g beef stew meat, 300 g carrots")
    cli.ok("food", "add", "MyBar", "--per", "1 bar", "--grams", "40", "--calcium", "200mg")
    cli.ok("log", "1 serving stew, 1 bar MyBar", "--date", "2026-11-21")
    for name, (content, _) in IMPORTS.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    with sqlite3.connect(folder / "other.sqlite") as other:
        other.execute("CREATE TABLE food_des (ndb_no TEXT)")
    return cli


def fill(args: tuple[str, ...], folder: Path) -> tuple[str, ...]:
    return tuple(arg.replace("{dir}", str(folder)) for arg in args)


def test_the_corpus_has_at_least_300_cases_over_every_command() -> None:
    assert len(CASES) >= 300
    commands = {args[0] if args[0] not in {"diary", "supplement", "profile", "inr", "foods",
                                           "evidence", "recipe", "food", "cohort"}
                else " ".join(args[:2])
                for args, _, _ in CASES}  # fmt: skip
    from test_docs import _commands  # every command the app has

    assert {name for name, _ in _commands()} - commands <= {
        "foods groups",
        "nutrients",
        "supplement list",
        "profile show",
        "recipe list",
        "food list",
    }  # these take no input that can be bad (only --json and --db, covered elsewhere)


IDS = [f"{n}-{' '.join(args)[:40]}" for n, (args, _, _) in enumerate(CASES)]


@pytest.mark.parametrize(("args", "match", "code"), CASES, ids=IDS)
def test_bad_input_is_one_line_and_changes_nothing(
    diary: InProcessCli, args: tuple[str, ...], match: str, code: int
) -> None:
    folder = diary.db.parent
    diary.fails(*fill(args, folder), match=match, code=code)
    assert not [p.name for p in folder.iterdir() if p.name.startswith("out")]


@pytest.mark.parametrize(
    ("args", "match", "code"),
    [
        case(
            "log",
            "--",
            b"50 g natto \xff".decode("utf-8", "surrogateescape"),
            match="Argument 3 is not valid UTF-8 text (byte 0xff at character 12)",
        ),
        case("log", "50 g natto", "--date", "0001-01-01", match="before 1900-01-01"),
        case("diary", "show", "--db", "postgresql://x@h:notaport/db", match="port is a number"),
        case("diary", "import", "/dev/zero", match="longer than 1,048,576"),
        case("diary", "edit", "-1", "--grams", "5", match="No diary entry with id -1"),
        case("log", "--meal", "brunch", "50 g natto", code=2, match="is not one of"),
    ],
)
def test_the_console_script_in_a_real_process(
    diary: InProcessCli, tmp_path: Path, args: tuple[str, ...], match: str, code: int
) -> None:
    Cli(diary.db).copied(tmp_path).fails(*args, match=match, code=code)


MARKUP = ["[/b]", "[/]", "[/x]", "[bold red]x[/bold red]", ":smile:", "[link=x]y"]


def test_user_text_is_printed_as_written_and_never_breaks_a_later_command(
    diary: InProcessCli, tmp_path: Path
) -> None:
    cli = diary.copied(tmp_path)
    for n, text in enumerate(MARKUP):
        cli.ok("log", "--date", "2026-11-22", "--", f"1 capsule MK-7 90 µg {text}")
        cli.ok("supplement", "add", f"P{n} {text}", "--per", "capsule", "--mk7", "10ug")
        parsed = json.loads(cli.ok("parse", "--json", "--", f"2 capsules P{n} {text}"))
        assert parsed["items"][0]["food"]["name"] == f"P{n} {text}"
        assert f"P{n} {text}"[:6] in cli.ok("parse", "--", f"2 capsules P{n} {text}")
    cli.ok("profile", "set", *(arg for text in MARKUP for arg in ("--medication", text)))
    texts = [entry["text"] for entry in cli.json("diary", "show")]
    assert texts[-len(MARKUP) :] == [f"1 capsule MK-7 90 µg {text}" for text in MARKUP]
    for command in (("diary", "show"), ("supplement", "list"), ("profile", "show")):
        shown = cli.ok(*command)
        assert "[/b]" in shown and "[/x]" in shown and ":smile:" in shown
    assert cli.json("profile", "show")["medications"][:3] == ["[/b]", "[/]", "[/x]"]
    cli.ok("report")
    cli.ok("findings")
    cli.fails("foods", "show", "[/b]", match="Unknown food id '[/b]'")


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_diary_with_dates_at_the_ends_of_the_calendar_still_reports(
    diary: InProcessCli, tmp_path: Path, day: str
) -> None:
    """An older vitk2 stored such dates; every report says what to do instead of an
    OverflowError, and a period within the rule still works."""
    cli = diary.copied(tmp_path)
    with sqlite3.connect(cli.db) as connection:
        connection.execute(
            "INSERT INTO entry (day, text, kind, ref, name, quantity, unit, grams, amounts, uid)"
            " VALUES (?, '50 g natto', 'food', 'usda:16113', 'Natto', 50, 'g', 50, '{}', ?)",
            (day, "00000000-0000-4000-8000-000000000000"),
        )
    html = str(tmp_path / "out.html")
    for command in (
        ("report",), ("findings",), ("consistency",), ("whatif", "--add", "MK-7 90 ug"),
        ("clinician-summary", html),
    ):  # fmt: skip
        cli.fails(*command, match=f"The diary has entries dated {day}")
        cli.ok(*command, "--from", "2026-11-20", "--to", "2026-11-21")
    simulate = ("supplement", "simulate", "--form", "k1", "--dose", "100ug", "--with-diary")
    cli.fails(*simulate, match=f"The diary has entries dated {day}")
    assert day in cli.ok("diary", "show")
    (entry,) = [e for e in cli.json("diary", "show") if e["date"] == day]
    cli.ok("diary", "delete", str(entry["id"]))
    cli.ok("report")
