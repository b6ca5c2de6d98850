"""vitk2.files: output files (regular files, links, devices, FIFOs) and bounded reading."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from vitk2.errors import ImportFileError, InvalidOptionError
from vitk2.files import (
    MAX_JSON_DEPTH,
    JsonObjectStream,
    TextChunks,
    lines,
    output_path,
    write_bytes_atomic,
    write_text_atomic,
)


def test_a_regular_file_is_replaced_in_one_step(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    inode = target.stat().st_ino
    write_text_atomic(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert target.stat().st_ino != inode  # a new file renamed into place
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary left


def test_a_symbolic_link_is_written_through(tmp_path: Path) -> None:
    target = tmp_path / "real.csv"
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    write_text_atomic(link, "through the link")
    assert link.is_symlink()
    assert target.read_text() == "through the link"
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "new.csv")
    write_text_atomic(dangling, "created")
    assert dangling.is_symlink() and (tmp_path / "new.csv").read_text() == "created"


@pytest.mark.skipif(not os.access("/dev/null", os.W_OK), reason="/dev/null is not writable")
def test_dev_null_stays_a_device() -> None:
    write_bytes_atomic(Path("/dev/null"), b"x" * 1000)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_fifo_is_written_to_its_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_bytes_atomic(fifo, b"through the pipe")
    reader.join(timeout=30)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("", "is empty: give the name of the file"),
        ("   ", "is empty"),
    ],
)
def test_an_empty_name_is_refused(name: str, match: str) -> None:
    with pytest.raises(InvalidOptionError, match=match):
        output_path(name)


def test_folders_and_missing_folders_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidOptionError, match="it is a folder"):
        write_text_atomic(tmp_path, "x")
    with pytest.raises(InvalidOptionError, match="does not exist"):
        write_text_atomic(tmp_path / "missing" / "x.csv", "x")


def read_all(path: Path) -> str:
    with TextChunks(path) as chunks:
        return "".join(iter(chunks.read, None))


def test_invalid_utf8_names_its_byte(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(b"date,text\n2026-01-01,caf" + b"\xe9\n")
    with pytest.raises(ImportFileError, match=r"not UTF-8 text \(byte 0xe9 at byte 24\)"):
        read_all(bad)
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffdate\n".encode())
    assert read_all(bom) == "date\n"


def test_an_endless_line_is_refused_in_bounded_memory() -> None:
    with (
        TextChunks(Path("/dev/zero")) as chunks,
        pytest.raises(ImportFileError, match="line 1 is longer than 1,048,576 characters"),
    ):
        for _ in lines(chunks):
            pass


def members(path: Path, **kw: object) -> list[tuple[str, object]]:
    with TextChunks(path) as chunks:
        found = []
        for key, value in JsonObjectStream(chunks, arrays=frozenset({"items"})).members():
            found.append((key, list(value) if key == "items" else value))
        return found


def test_json_members_stream_element_by_element(tmp_path: Path) -> None:
    document = {"format": "x", "items": [{"n": n, "s": "é" * (n % 7)} for n in range(20_000)]}
    path = tmp_path / "big.json"
    path.write_text(json.dumps(document, ensure_ascii=False))
    assert members(path) == list(document.items())
    path.write_text('{"n": 1234567890123, "t": true}  ')
    assert members(path) == [("n", 1234567890123), ("t", True)]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[1, 2]", "expected '{', found '\\['"),
        ('{"a": 1', "expected ',' or '}'"),
        ('{"a": 1} x', "more text after the end"),
        ('{"items": [1, 2', "expected ',' or ']'"),
        ('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested deeper than"),
        ('{"a": ' + "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1) + "}", "nested"),
        ('{"a": "' + "x" * 1_100_000 + '"}', "one value is longer than 1,048,576"),
        ('{"a": ' + "9" * 5000 + "}", "a number with too many digits"),
    ],
)
def test_bad_json_is_one_clear_error(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ImportFileError, match=match):
        members(path)
