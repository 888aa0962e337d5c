"""Reading the editors' files: regular files inside the seeds folder, never more than a cap.

    read_below(root, path, limit) -> bytes     raises Refused (the file is not one to read) or OSError

Every file the reader takes from seeds/ (the register, each record, each article's text) comes
through here. The file must be a regular file below the seeds folder, reached from it without
passing through a symbolic link: each step below the folder is opened relative to the one before
with O_NOFOLLOW, so a link (whether it points inside the folder or out of it) is refused, and so is a
file swapped for a link after it was looked at. The file is opened without blocking (a named pipe
cannot hang the build) and its type is checked on the open descriptor before a byte is read: a
folder, a pipe, a device or a socket is refused. It is read in slices up to limit + 1 bytes, never
more, whatever size it claims. The seeds folder itself may be reached through a link: it is the
operator's choice.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..errors import Problem, RecordError

_SLICE = 1 << 20
#: a folder on the way, and the file: never through a link; the file without blocking (a pipe) and
#: without becoming the controlling terminal (a terminal device)
_FOLDER = os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_DIRECTORY
_FILE = os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY
_KINDS = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


class Refused(Exception):
    """A file the reader will not read; str() says why, as a phrase that follows the file's name."""


class UnreadableFile(RecordError):
    """A file found good at an earlier reading that cannot be read now (read when first needed)."""

    def __reduce__(self) -> tuple[type[UnreadableFile], tuple[list[Problem]]]:  # the problems, not the message, make one: it crosses process pools whole
        return type(self), (self.problems,)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _refuse(mode: int) -> Refused:
    kind = _kind(mode)
    return Refused(f"is {kind}: only regular files inside the seeds folder are read" if kind.startswith("a ")
                   else f"is {kind}")


def read_at_most(fd: int, limit: int) -> bytes:
    """What fd holds, read in slices; Refused as soon as more than limit bytes came."""
    chunks, size = [], 0
    while size <= limit:
        chunk = os.read(fd, min(_SLICE, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise Refused(f"is larger than {limit} bytes")
    return b"".join(chunks)


def _open_below(root: Path | str, parts: list[str]) -> int:
    """A descriptor of root/parts..., each step opened without following a link (and the last one
    without blocking); Refused when a step is a link, or is not a folder where one is expected."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for depth, part in enumerate(parts, 1):
            last = depth == len(parts)
            flags = _FILE if last else _FOLDER
            try:
                step = os.open(part, flags, dir_fd=fd)
            except OSError as exc:
                if exc.errno not in (errno.ELOOP, errno.ENOTDIR):
                    raise
                mode = os.stat(part, dir_fd=fd, follow_symlinks=False).st_mode
                if last:
                    raise _refuse(mode) from None
                raise Refused(f"is in {os.path.join(*parts[:depth])}, {_kind(mode)}: only regular files "
                              "inside the seeds folder are read") from None
            os.close(fd)
            fd = step
        return fd
    except BaseException:
        os.close(fd)
        raise


def read_below(root: Path | str, path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file at path, below the folder root; Refused when it is not such a
    file or holds more than limit bytes, OSError when it cannot be read (e.g. it is not there)."""
    root, path = os.fspath(root), os.fspath(path)
    head = "" if root == os.curdir else root if root.endswith(os.sep) else root + os.sep
    parts = path[len(head):].split(os.sep) if path.startswith(head) and not os.path.isabs(path[len(head):]) else []
    if not parts or any(part in ("", ".", "..") for part in parts):
        raise Refused("is outside the seeds folder")
    if "\0" in path:
        raise Refused("has a NUL character in its name")
    fd = _open_below(root, parts)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _refuse(st.st_mode)
        if st.st_size > limit:
            raise Refused(f"is larger than {limit} bytes")
        return read_at_most(fd, limit)
    finally:
        os.close(fd)
