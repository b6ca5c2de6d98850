"""Writing an output file (exports, HTML pages, plots): the one way vitk2 does it.

A temporary file beside the target is written and renamed into place, so readers
never see half a file and a failure leaves the target as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from vitk2.errors import InvalidOptionError

__all__ = ["write_bytes_atomic", "write_text_atomic"]


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` atomically (see `write_bytes_atomic`)."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place:
    readers never see half a file, and a failure leaves ``path`` as it was."""
    directory = path.resolve().parent
    if not directory.is_dir():
        raise InvalidOptionError(f"Cannot write {path}: folder {directory} does not exist.")
    if path.is_dir():
        raise InvalidOptionError(f"Cannot write {path}: it is a folder.")
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
        raise InvalidOptionError(f"Cannot write {path}: {error.strerror or error}.") from None
