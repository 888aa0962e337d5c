"""Query slots: the permits to run a query, waited for a bounded time, shared by sibling server processes.

    slots = Slots(size=4, queue=32, group=Path("/tmp/lod-pub-sparql-slots-1000-4242-ab12"))
    slot = slots.acquire(wait=10.0)   # -> Slot; raises Full (queue full), Stalled or TimedOut (waited `wait` s)
    ...                               # find a worker for the query (it may have to be started)
    slots.running(slot)               # the query runs: from now on it counts toward a stall
    ...                               # run the query (slot.own: one of this process's, else borrowed)
    slots.release(slot)
    slots.close()

Each process holds `size` slots of its own. A query takes a free one of its own at once; else it waits,
woken as soon as one of this process's queries ends, and once it has waited `borrow_after` seconds it
may also take a free slot of a sibling process (another gunicorn worker of the same master), so that under
light load the slots of every process of the group are used before anyone waits long or is refused. At most `queue` queries wait at once;
one more is refused at once. A wait also ends, or does not begin, when the queue stalls: when every
slot of this process is held by a query that has run `stall` seconds or more (counted from `running`, when
its worker has it: a query waiting for its worker to start is not a long one), the running queries are
long ones, and a query waiting behind them would hold a server thread for nothing (pages and documents
need those threads). Such a query does not borrow either: a borrowed slot needs a worker process started
for it in the borrowing process (about a second of a core), and under the load test's mix of slow
queries, borrowing on every stall started extra workers over and over while the lenders' own workers sat
idle; pages and documents paid for it (18.7 against 45.5 requests/s, cheap p99 4.6 s against 2.4 s).

A slot is a file `{pid}-{pool}-{n}.slot` in the group's folder, held with flock(2) while a query runs:
a lock is released by the kernel when its holder dies, so a crashed process never keeps a slot, and the
file of a process that is gone is removed by whoever finds it. flock rather than a shared-memory
semaphore because gunicorn's workers are forked before the app exists (no shared handle to inherit),
and a lock file needs nothing but a folder both can see. Without a group (None) the slots are
this process's alone.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Slots", "Slot", "Full", "Stalled", "TimedOut"]

#: How often a waiting query looks for a sibling's free slot (it is woken at once for one of its own).
POLL_SECONDS = 0.02
_POOLS = itertools.count()


class Full(Exception):
    """As many queries as the queue holds are already waiting."""


class TimedOut(Exception):
    """No slot came free within the wait."""


class Stalled(Exception):
    """No slot of this process came free for `stall` seconds: long queries hold them all."""


@dataclass(frozen=True)
class Slot:
    fd: int              # the open, locked file
    own: bool            # one of this process's slots (else borrowed from a sibling)
    index: int           # which of this process's slots (-1: borrowed)


class Slots:
    def __init__(self, size: int, queue: int, group: Path | None, borrow_after: float = 0.25,
                 stall: float = float("inf")) -> None:
        self.size, self.queue, self.group, self.borrow_after, self.stall = size, queue, group, borrow_after, stall
        self._started: dict[int, float] = {}  # this process's slots whose query runs: since when
        self._cond = threading.Condition()
        self._free = list(range(size))
        self._waiting = 0
        self._files: list[int] = []
        self._pid = os.getpid()
        if group is not None:
            group.mkdir(mode=0o700, parents=True, exist_ok=True)
            stem = f"{self._pid}-{next(_POOLS)}"
            self._names = [f"{stem}-{i}.slot" for i in range(size)]
            self._files = [os.open(group / name, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
                           for name in self._names]

    @property
    def waiting(self) -> int:
        return self._waiting

    def acquire(self, wait: float) -> Slot:
        deadline = time.monotonic() + wait
        with self._cond:
            slot = self._take_own()
            if slot is not None:
                return slot
            if self._waiting >= self.queue:
                raise Full()
            self._waiting += 1
        try:
            return self._wait(deadline, time.monotonic() + self.borrow_after)
        finally:
            with self._cond:
                self._waiting -= 1

    def running(self, slot: Slot) -> None:
        """The query holding `slot` now runs on its worker: from now on it counts toward a stall."""
        if slot.own:
            with self._cond:
                self._started[slot.index] = time.monotonic()
                self._cond.notify_all()  # a waiter sleeping toward its deadline now has a stall to wait for

    def _stalls_at(self) -> float:
        """When the queue counts as stalled: once the youngest of the queries holding every slot of this
        process has run `stall` seconds (never, while a slot is free or lent, or its query has not begun to
        run: its worker is starting, which says nothing of how long the query is). Holds _cond."""
        if len(self._started) < self.size:
            return float("inf")
        return max(self._started.values()) + self.stall

    def _wait(self, deadline: float, borrow_from: float) -> Slot:
        while True:
            now = time.monotonic()
            if now >= borrow_from:
                borrowed = self._borrow()
                if borrowed is not None:
                    return borrowed
            with self._cond:
                slot = self._take_own()
                if slot is not None:
                    return slot
                now = time.monotonic()
                if now >= deadline:
                    raise TimedOut()
                stalls_at = self._stalls_at()
                if now < stalls_at:
                    nap = min(deadline, stalls_at) - now
                    if self.group is not None:
                        nap = min(nap, max(borrow_from - now, POLL_SECONDS))
                    self._cond.wait(nap)
                    continue
            raise Stalled()  # not a sibling's slot either: see the module's docstring

    def _take_own(self) -> Slot | None:
        """One of this process's free slots, locked; None if all are busy (here, or lent). Holds _cond."""
        for i in list(self._free):
            if not self._files:
                self._free.remove(i)
                return Slot(-1, True, i)
            try:
                fcntl.flock(self._files[i], fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # lent to a sibling for now
                continue
            self._free.remove(i)
            return Slot(self._files[i], True, i)
        return None

    def _borrow(self) -> Slot | None:
        """A sibling process's free slot, locked; None if there is none."""
        if self.group is None:
            return None
        try:
            names = os.listdir(self.group)
        except OSError:
            return None
        mine = f"{self._pid}-"
        for name in names:
            if not name.endswith(".slot") or name.startswith(mine):
                continue
            try:
                fd = os.open(self.group / name, os.O_RDWR | os.O_CLOEXEC)
            except OSError:  # removed meanwhile
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            if not _alive(int(name.split("-", 1)[0])):  # its process is gone: so is the slot
                _unlink(self.group / name)
                os.close(fd)
                continue
            return Slot(fd, False, -1)
        return None

    def release(self, slot: Slot) -> None:
        if not slot.own:
            os.close(slot.fd)  # closing the only descriptor of the open file releases its lock
            return
        with self._cond:
            if slot.fd >= 0 and self._files:  # else closed meanwhile: nothing left to unlock
                fcntl.flock(slot.fd, fcntl.LOCK_UN)
            self._free.append(slot.index)
            self._started.pop(slot.index, None)
            self._cond.notify()

    def close(self) -> None:
        """Remove this process's slot files (a query still running keeps its open file until it ends)."""
        if os.getpid() != self._pid or self.group is None:
            return
        for name in self._names:
            _unlink(self.group / name)
        for fd in self._files:
            try:
                os.close(fd)
            except OSError:
                pass
        self._files = []
        try:
            self.group.rmdir()  # the last process of the group
        except OSError:
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
