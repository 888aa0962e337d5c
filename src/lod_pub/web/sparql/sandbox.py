"""Take away a thread's means to reach the network: a seccomp filter that refuses network sockets.

    seal()        from now on, this thread (and threads it starts) cannot create a socket other than
                  a Unix one (socket() fails with EACCES) nor set up io_uring; raises Unsealable
    supported()   whether this machine can seal (Linux on x86_64 or aarch64)

The query engine (Oxigraph) would otherwise answer a SERVICE clause with an HTTP request of its own.
The guard (guard.py) refuses SERVICE before a query runs; a sealed worker makes a request
impossible even for a spelling the guard did not foresee: this is the defence that holds by
construction, the guard the one that explains.

The filter is a dozen classic-BPF instructions written here, through prctl(2) from libc, because the
job is that small and a binding to libseccomp would add a native dependency for it. It needs no
privilege (PR_SET_NO_NEW_PRIVS first) and is irreversible for the thread. Only `socket(2)` is
filtered: descriptors the thread already holds (its pipes) keep working, and `socketpair(2)` makes
only Unix sockets.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct

__all__ = ["seal", "supported", "Unsealable"]

# syscall numbers of socket(2) and io_uring_setup(2), and the audit arch value, per machine
_ARCHES = {
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}
_X32_BIT = 0x40000000           # x86_64: the x32 ABI's numbers, refused whole
_AF_UNIX = 1
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_LD_W_ABS, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06
_ALLOW = 0x7FFF0000
_DENY = 0x00050000 | errno.EACCES   # SECCOMP_RET_ERRNO
_NR, _ARCH, _ARG0 = 0, 4, 16        # offsets in struct seccomp_data (arg 0's low word: little-endian)


class Unsealable(OSError):
    """This machine cannot take a thread's network away."""


def supported() -> bool:
    return platform.system() == "Linux" and platform.machine() in _ARCHES


def _program(arch: int, socket_nr: int, uring_nr: int) -> list[tuple[int, int, int, int]]:
    """(code, jump if true, jump if false, k) instructions; jumps count the instructions skipped."""
    return [
        (_LD_W_ABS, 0, 0, _ARCH),
        (_JEQ, 1, 0, arch),             # another ABI: refuse every call
        (_RET, 0, 0, _DENY),
        (_LD_W_ABS, 0, 0, _NR),
        (_JGE, 5, 0, _X32_BIT),         # -> deny
        (_JEQ, 4, 0, uring_nr),         # -> deny
        (_JEQ, 0, 2, socket_nr),        # not socket(): -> allow
        (_LD_W_ABS, 0, 0, _ARG0),
        (_JEQ, 0, 1, _AF_UNIX),         # not a Unix socket: -> deny
        (_RET, 0, 0, _ALLOW),
        (_RET, 0, 0, _DENY),
    ]


def seal() -> None:
    if not supported():
        raise Unsealable(f"cannot take the network from query workers on {platform.system()} "
                         f"{platform.machine()} (needs Linux on x86_64 or aarch64)")
    program = _program(*_ARCHES[platform.machine()])
    raw = b"".join(struct.pack("=HBBI", *instruction) for instruction in program)
    filters = ctypes.create_string_buffer(raw, len(raw))

    class _Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = _Prog(len(program), ctypes.addressof(filters))
    libc = ctypes.CDLL(None, use_errno=True)
    prctl = libc.prctl
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    if prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise Unsealable(f"prctl(PR_SET_NO_NEW_PRIVS) failed: {errno.errorcode.get(ctypes.get_errno())}")
    if prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) != 0:
        raise Unsealable(f"prctl(PR_SET_SECCOMP) failed: {errno.errorcode.get(ctypes.get_errno())}")
