"""Reading and writing the user's files: the one way vitk2 does it.

**Writing** (exports, backups, HTML pages, plots): a regular file, or a name that does
not exist yet, is written to a temporary file beside it and renamed into place, so
readers never see half a file and a failure leaves the old file as it was. A symbolic
link is written *through* (its target gets the data; the link stays), and a file that
is not a regular one (``/dev/null``, a FIFO, a terminal) is written to directly: those
cannot be replaced by a rename.

**Reading** (imports, restores) is streamed in bounded memory whatever the file is
(``/dev/zero`` included): `TextChunks` decodes UTF-8 chunk by chunk and names the
byte offset of invalid UTF-8; `lines` refuses a line longer than `MAX_LINE_CHARS`;
`JsonObjectStream` reads a top-level JSON object member by member, a long array
element by element, each value at most `MAX_JSON_VALUE_CHARS` long and nested at
most `MAX_JSON_DEPTH` deep.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Final, Self

from vitk2.errors import ImportFileError, InvalidOptionError, quoted

__all__ = [
    "MAX_JSON_DEPTH",
    "MAX_JSON_VALUE_CHARS",
    "MAX_LINE_CHARS",
    "JsonObjectStream",
    "TextChunks",
    "atomic_path",
    "lines",
    "output_path",
    "write_bytes_atomic",
    "write_text_atomic",
]

#: The longest line an imported text file may have (characters).
MAX_LINE_CHARS: Final = 1_048_576
#: The longest single JSON value (one diary entry, the profile …) a file may hold.
MAX_JSON_VALUE_CHARS: Final = 1_048_576
#: How deep JSON values may nest inside a vitk2 file (a file has 4 levels).
MAX_JSON_DEPTH: Final = 8
_CHUNK_BYTES: Final = 1 << 16


# -- writing ----------------------------------------------------------------------------------


def output_path(text: str, *, what: str = "FILE") -> Path:
    """The path of an output file as given on the command line; an empty name is an
    error (it would otherwise mean the current folder)."""
    if not text.strip():
        raise InvalidOptionError(
            f"{what} is empty: give the name of the file to write, e.g. diary.csv."
        )
    return Path(text)


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` (see `write_bytes_atomic`)."""
    write_bytes_atomic(path, text.encode("utf-8"))


def _cannot(path: Path, error: OSError | str) -> InvalidOptionError:
    reason = error if isinstance(error, str) else (error.strerror or str(error))
    return InvalidOptionError(f"Cannot write {quoted(str(path), 200)}: {reason}.")


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``: through a temporary file and a rename for a regular
    file (or a new name); directly for a symbolic link's target or a file that is not
    a regular one (``/dev/null``, a FIFO)."""
    if _writes_through(path):
        _write_through(path, data)
        return
    directory = _folder(path)
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=".vitk2-", suffix=".tmp", dir=directory)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as error:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
        raise _cannot(path, error) from None


def _writes_through(path: Path) -> bool:
    """True when ``path`` is written in place (a symbolic link's target, a device, a
    FIFO), False when through a temporary file and a rename; a folder is refused."""
    try:
        mode = path.stat().st_mode  # follows a symbolic link
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise _cannot(path, error) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise _cannot(path, "it is a folder")
    return path.is_symlink() or (mode is not None and not stat.S_ISREG(mode))


def _folder(path: Path) -> Path:
    directory = path.resolve().parent
    if not directory.is_dir():
        raise InvalidOptionError(
            f"Cannot write {quoted(str(path), 200)}: folder {directory} does not exist."
        )
    return directory


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary file name for a writer that needs a name rather than bytes (a
    Parquet writer): the file is put in place of ``path`` when the block ends without
    an error (renamed, or copied through for a link or device, as
    `write_bytes_atomic` does) and removed when it raises."""
    through = _writes_through(path)
    directory = Path(tempfile.gettempdir()) if through else _folder(path)
    try:
        handle, name = tempfile.mkstemp(prefix=".vitk2-", suffix=".tmp", dir=directory)
        os.close(handle)
    except OSError as error:
        raise _cannot(path, error) from None
    temporary = Path(name)
    try:
        yield temporary
        if through:
            with temporary.open("rb") as source, open(path, "wb") as target:
                shutil.copyfileobj(source, target)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
            os.replace(temporary, path)
    except OSError as error:
        raise _cannot(path, error) from None
    finally:
        if temporary.exists():
            temporary.unlink()


def _write_through(path: Path, data: bytes) -> None:
    """A plain write: a symbolic link's target, a device or a FIFO keeps its identity."""
    try:
        with open(path, "wb") as stream:
            stream.write(data)
    except OSError as error:
        raise _cannot(path, error) from None


# -- reading ----------------------------------------------------------------------------------


class TextChunks:
    """UTF-8 text of a file in chunks, in bounded memory; a context manager.

    ``progress`` is called with the number of bytes read so far after each chunk.
    Invalid UTF-8 raises `ImportFileError` naming its byte offset; a leading byte-order
    mark is dropped. ``size`` is the file's size when it is a regular file, else None.
    """

    def __init__(self, path: Path, *, progress: Callable[[int], None] | None = None) -> None:
        self.path = path
        self.progress = progress
        self.bytes_read = 0
        self.size: int | None = None
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._first = True
        self._pushed = ""
        try:
            self._stream: BinaryIO = open(path, "rb")  # noqa: SIM115 - closed by __exit__
            info = os.fstat(self._stream.fileno())
        except FileNotFoundError:
            raise self.error("no such file") from None
        except IsADirectoryError:
            raise self.error("it is a folder") from None
        except OSError as error:
            raise self.error(error.strerror or str(error)) from None
        if stat.S_ISDIR(info.st_mode):
            self._stream.close()
            raise self.error("it is a folder")
        if stat.S_ISREG(info.st_mode):
            self.size = info.st_size

    def error(self, why: str) -> ImportFileError:
        return ImportFileError(f"Cannot import {quoted(str(self.path), 200)}: {why}.")

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stream.close()

    def peek(self) -> str:
        """The first character that is not white space ('' for a blank file); reads as
        much as it needs and keeps it for `read`."""
        while True:
            stripped = self._pushed.lstrip()
            if stripped:
                return stripped[0]
            if len(self._pushed) > MAX_LINE_CHARS:
                raise self.error("it starts with more than a megabyte of blank space")
            text = self._read_chunk()
            if text is None:
                return ""
            self._pushed += text

    def read(self) -> str | None:
        """The next chunk of text ('' is possible), or None at the end of the file."""
        if self._pushed:
            pushed, self._pushed = self._pushed, ""
            return pushed
        return self._read_chunk()

    def _read_chunk(self) -> str | None:
        try:
            data = self._stream.read(_CHUNK_BYTES)
        except OSError as error:
            raise self.error(error.strerror or str(error)) from None
        final = not data
        try:
            text = self._decoder.decode(data, final=final)
        except UnicodeDecodeError as error:
            offset = self.bytes_read + error.start
            raise self.error(
                f"it is not UTF-8 text (byte 0x{data[error.start]:02x} at byte {offset:,}); "
                "save it as UTF-8"
                if error.start < len(data)
                else "it ends in the middle of a UTF-8 character"
            ) from None
        self.bytes_read += len(data)
        if self.progress is not None and data:
            self.progress(self.bytes_read)
        if self._first and text:
            self._first = False
            text = text.removeprefix("\ufeff")
        if final and not text:
            return None
        return text


def lines(chunks: TextChunks, *, max_chars: int = MAX_LINE_CHARS) -> Iterator[str]:
    """The lines of the text (each with its line end), none longer than ``max_chars``."""
    pending = ""
    number = 1
    while (text := chunks.read()) is not None:
        pending += text
        start = 0
        while (end := pending.find("\n", start)) >= 0:
            if end + 1 - start > max_chars:
                break
            yield pending[start : end + 1]
            number += 1
            start = end + 1
        pending = pending[start:]
        if len(pending) > max_chars:
            raise chunks.error(
                f"line {number:,} is longer than {max_chars:,} characters; a vitk2 file has "
                "short lines (is it the right file?)"
            )
    if pending:
        yield pending


class JsonObjectStream:
    """A JSON document whose top level is an object, read member by member.

    `members` yields ``(key, value)``; for a key in ``arrays`` whose value is an array,
    the value is an iterator over its elements instead, which must be used up before
    the next member is read. Every value is decoded on its own, so memory stays bounded
    by `MAX_JSON_VALUE_CHARS` however long the array is.
    """

    def __init__(self, chunks: TextChunks, *, arrays: frozenset[str] = frozenset()) -> None:
        self.chunks = chunks
        self.arrays = arrays
        self._buffer = ""
        self._position = 0
        self._line_base = 1  # line number of the buffer's start
        self._end = False
        self._decoder = json.JSONDecoder()

    # -- the buffer ------------------------------------------------------------------------

    def _fill(self) -> bool:
        """Read more text; False at the end of the file."""
        if self._end:
            return False
        if self._position > _CHUNK_BYTES:
            dropped = self._buffer[: self._position]
            self._line_base += dropped.count("\n")
            self._buffer = self._buffer[self._position :]
            self._position = 0
        text = self.chunks.read()
        if text is None:
            self._end = True
            return False
        self._buffer += text
        return True

    def _where(self) -> str:
        line = self._line_base + self._buffer.count("\n", 0, self._position)
        return f"line {line:,}"

    def _fail(self, why: str) -> ImportFileError:
        return self.chunks.error(f"not valid JSON ({self._where()}: {why})")

    def _peek(self) -> str:
        """The next character that is not white space ('' at the end of the file)."""
        while True:
            while self._position < len(self._buffer):
                if not self._buffer[self._position].isspace():
                    return self._buffer[self._position]
                self._position += 1
            if not self._fill():
                return ""

    def _expect(self, character: str) -> None:
        found = self._peek()
        if found != character:
            shown = "the end of the file" if not found else repr(found)
            raise self._fail(f"expected {character!r}, found {shown}")
        self._position += 1

    def _value(self) -> Any:
        """One JSON value, decoded once the buffer surely holds all of it."""
        self._peek()
        while True:
            start = self._position
            try:
                value, end = self._decoder.raw_decode(self._buffer, start)
            except RecursionError:
                raise self._fail(f"values nested deeper than {MAX_JSON_DEPTH} levels") from None
            except json.JSONDecodeError as error:
                if self._grow():
                    continue
                raise self._fail(error.msg) from None
            except ValueError:  # an integer of more digits than Python converts
                raise self._fail("a number with too many digits") from None
            if end >= len(self._buffer) and self._grow():
                continue  # a number or literal may go on in the next chunk
            break
        if end - start > MAX_JSON_VALUE_CHARS:
            raise self._too_long()
        self._position = end
        if _depth(value) > MAX_JSON_DEPTH:
            raise self._fail(f"values nested deeper than {MAX_JSON_DEPTH} levels")
        return value

    def _grow(self) -> bool:
        if len(self._buffer) - self._position > MAX_JSON_VALUE_CHARS:
            raise self._too_long()
        return self._fill()

    def _too_long(self) -> ImportFileError:
        return self._fail(
            f"one value is longer than {MAX_JSON_VALUE_CHARS:,} characters, more than a "
            "vitk2 file holds"
        )

    # -- the document ----------------------------------------------------------------------

    def members(self) -> Iterator[tuple[str, Any]]:
        """``(key, value)`` of each member of the top-level object, in file order."""
        self._expect("{")
        if self._peek() == "}":
            self._position += 1
        else:
            while True:
                key = self._value()
                if not isinstance(key, str):
                    raise self._fail("expected a member name in double quotes")
                self._expect(":")
                if key in self.arrays and self._peek() == "[":
                    self._position += 1
                    yield key, self._elements()
                else:
                    yield key, self._value()
                separator = self._peek()
                self._position += 1
                if separator == "}":
                    break
                if separator != ",":
                    raise self._fail("expected ',' or '}' after a member")
        if self._peek():
            raise self._fail("more text after the end of the document")

    def _elements(self) -> Iterator[Any]:
        if self._peek() == "]":
            self._position += 1
            return
        while True:
            yield self._value()
            separator = self._peek()
            self._position += 1
            if separator == "]":
                return
            if separator != ",":
                raise self._fail("expected ',' or ']' in a list")


def _depth(value: object) -> int:
    """How deep a decoded JSON value nests (a number or string is 0, [] is 1)."""
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0
