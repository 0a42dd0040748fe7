"""Errors that stop the pipeline with a message a thesis author can act on."""
from __future__ import annotations

import errno


class InputError(Exception):
    """Bad input: the message names the file, row, column, value and what was expected."""


class ConsistencyError(Exception):
    """An internal invariant failed (e.g. row counts that do not add up)."""


_FULL = ("the disk is full: free some space (empty the recycle bin, delete old results/ folders) or move the "
         "project to a disk with room, then run the command again; files being written were left as they were")
_DENIED = ("permission denied: check that the file is not open in another program (Excel, Word), that it is "
           "not read-only, and that the folder belongs to you, then run the command again")
# OSErrors a user causes (disk, rights, names), in the reader's words, with the fix.
OS_ADVICE = {
    errno.ENOSPC: _FULL,
    errno.EDQUOT: _FULL.replace("the disk is full", "your disk quota is used up"),
    errno.EFBIG: "the file grew larger than the system allows (a file-size limit): free space or raise the limit",
    errno.EACCES: _DENIED,
    errno.EPERM: _DENIED,
    errno.EROFS: "the disk is read-only: copy the project to a disk you can write to",
    errno.ENAMETOOLONG: "the name is too long for the file system: choose a shorter study, wave or file name "
                        "(or move the project to a shorter folder path)",
    errno.ENOENT: "not found: check the name and the folder (a file moved or renamed since?)",
    errno.EISDIR: "is a folder where a file was expected",
    errno.ENOTDIR: "a part of this path is a file where a folder was expected",
}


def describe_os_error(exc: BaseException, where: str = "a file") -> str | None:
    """A message naming the file and the fix for an OSError the user can cause; None for any other error.

    `where` names the file when the error does not (a write that fails on a full disk names none)."""
    if not isinstance(exc, OSError) or exc.errno not in OS_ADVICE:
        return None
    return f"{exc.filename if exc.filename is not None else where}: {OS_ADVICE[exc.errno]}"
