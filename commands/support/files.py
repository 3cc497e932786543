"""Writing a user's --output FILE: the same rules for every command.

A file is written whole or not at all (a temporary file beside it, then renamed), never
overwrites an existing file unless --force is given, never follows a symbolic link, and never
replaces the ledger's own database file. A missing folder or an unwritable path is one line.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from commands.support.context import Ledger
from ledger.errors import Invalid

F = TypeVar("F", bound=Callable[..., Any])


def force_option(fn: F) -> F:
    """``--force``: replace an existing --output file (never a link, never the ledger itself)."""
    return click.option("--force", is_flag=True, help="Replace FILE if it exists (never a symbolic link, "
                                                      "never the ledger's database).")(fn)


def check_output(path: Path, ledger: Ledger | None, force: bool) -> None:
    """Refuse, before anything is written or recorded, an --output that must not be written."""
    if path.is_symlink():
        raise Invalid(f"{path} is a symbolic link: give the file itself as --output")
    if ledger is not None and ledger.config.path is not None:
        database = Path(ledger.config.path).resolve()
        target = path.resolve()
        if target in (database, database.with_name(database.name + "-wal"),
                      database.with_name(database.name + "-shm")):
            raise Invalid(f"{path} is the ledger's own database: choose another --output")
    if path.is_dir():
        raise Invalid(f"{path} is a folder: give a file name as --output")
    if not path.parent.is_dir():
        raise Invalid(f"no folder {path.parent}: create it first, or give another --output")
    if path.exists() and not force:
        raise Invalid(f"{path} exists: give --force to replace it, or another --output")


def write_output(path: Path, text: str | bytes, ledger: Ledger | None = None, *, force: bool = False) -> None:
    """Write TEXT (or bytes) to PATH whole (a temporary file, then renamed), after ``check_output``."""
    check_output(path, ledger, force)
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise Invalid(f"cannot write {path}: {error.strerror or error}") from None
    try:
        if isinstance(text, bytes):
            with os.fdopen(handle, "wb") as binary:
                binary.write(text)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
        if not force and path.exists():  # someone else wrote it meanwhile
            raise Invalid(f"{path} exists: give --force to replace it, or another --output")
        os.replace(temporary, path)
    except OSError as error:
        raise Invalid(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
