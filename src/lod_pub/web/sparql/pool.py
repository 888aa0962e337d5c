"""A pool of query worker processes with a hard time limit and a cap on concurrent queries.

    pool = QueryPool(size=4, timeout=30.0, memory_mb=2048, network="none", wait=10.0, queue=32, group=key)
    outcome = pool.run(job)     # -> QueryResult; raises Busy, TimedOut, WorkerLost
    pool.close()                # kills every worker (also registered with atexit)

Each worker (worker.py) is a child process started with `python -m`, so nothing of the web
process (threads, sockets, the open store) is inherited. A query that passes the time limit is
stopped by killing its worker, and a fresh worker takes its place; nothing is left running.
A query runs once it holds a slot (slots.py): one of the pool's `size`, or, once it has waited
BORROW_AFTER_SECONDS behind queries that are still short, a free one of a sibling process of the same
`group` (gunicorn's other workers), so that under light load every slot of the server is used before
anyone is refused. A query that finds none free waits up to `wait` seconds for one, or until every slot
is held by a query that has run `stall` seconds (long queries hold them all); `queue` queries at most
wait at once. Past any of these bounds it gets Busy (the web answers 503 with Retry-After). A borrowed
slot runs on a worker process of this pool started beyond `size`; such extra workers are kept for the
next borrowed slot and stopped after EXTRA_IDLE_SECONDS unused. The pool is per process and starts its workers on its first query
(the others in the background meanwhile), so it works
the same under Flask's threaded server and under gunicorn's forked workers (a pool created before
a fork notices the new pid and starts afresh). Workers are started from one long-lived thread:
Linux's PR_SET_PDEATHSIG, which each worker sets, fires when the *thread* that started it ends.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .messages import Answer, Job
from .slots import Full, Slot, Slots, Stalled
from .slots import TimedOut as SlotTimedOut

#: How long a new query worker may take to start (import, then say it is ready) on a loaded machine.
STARTUP_SECONDS = 60.0
#: How long a worker started beyond the pool's size (for a borrowed slot) is kept idle.
EXTRA_IDLE_SECONDS = 30.0
#: How long a query waits for one of its own process's slots before it borrows a sibling's: a borrowed slot
#: may need a worker started for it (a second or so on a loaded machine), which a cheap query should not
#: pay for a wait of milliseconds.
BORROW_AFTER_SECONDS = 1.0


class Busy(Exception):
    """Every query slot was taken for as long as a query may wait, or the queue of waiting queries is full."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TimedOut(Exception):
    """The query ran past the time limit and was stopped."""


class WorkerLost(Exception):
    """The worker died during the query (out of its memory limit, or a crash in the engine)."""


@dataclass(frozen=True)
class QueryResult:
    answer: Answer            # the worker's response
    body: bytes | None        # the serialized result when small, else
    path: Path | None         # the file holding it (the caller removes it)
    seconds: float

    @property
    def size(self) -> int:
        return len(self.body) if self.body is not None else self.path.stat().st_size if self.path else 0

    def chunks(self, size: int = 1 << 16) -> Iterator[bytes]:
        """The result's bytes, in chunks; the file (if any) is removed once opened."""
        if self.path is None:
            yield self.body or b""
            return
        with self.path.open("rb") as f:
            self.path.unlink(missing_ok=True)  # the open handle keeps the data until the end
            while chunk := f.read(size):
                yield chunk

    def read(self) -> bytes:
        return b"".join(self.chunks())

    def discard(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def _readable(fd: int, seconds: float) -> bool:
    """Whether fd has something to read (or is closed) within `seconds`. poll(2), not select(2): a server
    process with many connections or files open has descriptors numbered past select's 1,024."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    return bool(poller.poll(max(seconds, 0.0) * 1000))


class _Worker:
    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc = proc
        self.idle_since = time.monotonic()

    def ask(self, job: Job, deadline: float) -> tuple[Answer, bytes | None]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(job.line())
        self.proc.stdin.flush()
        remaining = deadline - time.monotonic()
        if not _readable(self.proc.stdout.fileno(), remaining):
            raise TimedOut()
        line = self.proc.stdout.readline()
        if not line:
            raise WorkerLost()
        answer = Answer.read(line)
        size = answer.inline
        if size is None:
            return answer, None
        body = self.proc.stdout.read(size)  # written at once, right after the line
        if len(body) != size:
            raise WorkerLost()
        return answer, body

    def wait_ready(self, seconds: float) -> None:
        """Wait for the worker's first line, which says it has started (imports done)."""
        assert self.proc.stdout
        if not _readable(self.proc.stdout.fileno(), seconds) or json.loads(self.proc.stdout.readline() or b"{}").get("ready") is not True:
            raise WorkerLost()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream:
                stream.close()


class QueryPool:
    def __init__(self, size: int, timeout: float, memory_mb: int = 0, network: str = "none", wait: float = 0.0,
                 queue: int = 0, group: str | None = None, stall: float = float("inf")):
        self.size, self.timeout, self.memory_mb, self.network = size, timeout, memory_mb, network
        self.wait, self.queue, self.group, self.stall = wait, queue, group, stall
        self._lock = threading.Lock()
        self._reset()
        atexit.register(_close_at_exit, weakref.ref(self))

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._slots = Slots(self.size, self.queue, _group_folder(self.group), BORROW_AFTER_SECONDS, self.stall)
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._spawner = ThreadPoolExecutor(1, thread_name_prefix="sparql-spawner")
        self._spool = Path(tempfile.mkdtemp(prefix="lod-pub-sparql-"))
        self._closed = False

    def _check_fork(self) -> None:
        if os.getpid() != self._pid:
            with self._lock:
                if os.getpid() != self._pid:
                    self._reset()  # the parent's workers belong to the parent

    def _popen(self) -> _Worker:
        """Start one worker; runs on the spawner thread only."""
        if self._closed:
            raise RuntimeError("the query pool is closed")
        command = [sys.executable, "-m", "lod_pub.web.sparql.worker", str(os.getpid()), str(self.memory_mb),
                   self.network]
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        worker = _Worker(proc)
        try:
            worker.wait_ready(STARTUP_SECONDS)
        except (WorkerLost, OSError, ValueError):
            worker.kill()
            raise WorkerLost() from None
        with self._lock:
            self._all.add(worker)
        return worker

    def _idle_worker(self) -> _Worker | None:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.proc.poll() is None:
                    return worker
                self._all.discard(worker)
        return None

    def _start(self) -> _Worker:
        """A worker started on the spawner thread, after any background starts queued before it (one of
        which it may take instead)."""
        return self._spawner.submit(lambda: self._idle_worker() or self._popen()).result()

    def _replenish(self, count: int = 1) -> None:
        """Start workers in the background, up to the pool's size."""
        def spawn() -> None:
            with self._lock:
                if len(self._all) >= self.size:
                    return
            worker = self._popen()
            with self._lock:
                self._idle.append(worker)
        try:
            for _ in range(count):
                self._spawner.submit(spawn)
        except RuntimeError:  # shutting down
            pass

    def _take(self) -> _Worker:
        worker = self._idle_worker()
        if worker is not None:
            return worker
        with self._lock:
            first = not self._all
        mine = self._spawner.submit(lambda: self._idle_worker() or self._popen())
        if first:  # the pool's first query: the other workers start after its own, ready for the next ones
            self._replenish(self.size - 1)
        return mine.result()

    def _drop(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
        for partial in self._spool.glob(f"{worker.proc.pid}-*"):  # what it was writing when stopped
            partial.unlink(missing_ok=True)

    def warm(self) -> None:
        """Start the workers now rather than on the first queries."""
        self._check_fork()
        with self._lock:
            missing = self.size - len(self._all)
        started = [self._start() for _ in range(max(missing, 0))]
        with self._lock:
            self._idle.extend(started)

    def run(self, job: Job, timeout: float | None = None) -> QueryResult:
        self._check_fork()
        try:
            slot = self._slots.acquire(self.wait)
        except Full:
            raise Busy(f"{self.queue} queries are already waiting for a query worker") from None
        except SlotTimedOut:
            raise Busy(f"no query worker came free within {self.wait:g} s") from None
        except Stalled:
            raise Busy(f"every query worker has been running its query for over {self.stall:g} s: they are all "
                       "running long queries") from None
        try:
            return self._run(job, self.timeout if timeout is None else timeout, slot)
        finally:
            self._slots.release(slot)
            self._retire_extras()

    def _retire_extras(self) -> None:
        """Stop idle workers beyond the pool's size (started for borrowed slots) unused for a while."""
        with self._lock:
            spare = len(self._all) - self.size
            if spare <= 0:
                return
            stale = [w for w in self._idle if time.monotonic() - w.idle_since > EXTRA_IDLE_SECONDS][:spare]
            for worker in stale:
                self._idle.remove(worker)
                self._all.discard(worker)
        for worker in stale:
            worker.kill()

    def _run(self, job: Job, timeout: float, slot: Slot) -> QueryResult:
        worker = self._take()  # a started worker: its start-up counts neither against the time limit nor a stall
        self._slots.running(slot)
        started = time.monotonic()
        try:
            answer, body = worker.ask(job.spooled_in(str(self._spool)), started + timeout)
        except (TimedOut, WorkerLost, OSError, ValueError) as exc:
            self._drop(worker)
            self._replenish()
            if isinstance(exc, TimedOut):
                raise
            raise WorkerLost() from exc
        worker.idle_since = time.monotonic()
        with self._lock:
            self._idle.append(worker)
        path = Path(answer.file) if answer.file else None
        return QueryResult(answer, body, path, time.monotonic() - started)

    def close(self) -> None:
        """Kill every worker of this process; idempotent."""
        if os.getpid() != self._pid:
            return
        self._closed = True
        self._spawner.shutdown(wait=True)  # a replacement being started finishes first, then dies below
        with self._lock:
            workers, self._all, self._idle = list(self._all), set(), []
        for worker in workers:
            worker.kill()
        self._slots.close()
        for leftover in self._spool.glob("*"):
            leftover.unlink(missing_ok=True)
        try:
            self._spool.rmdir()
        except OSError:
            pass

    def pids(self) -> list[int]:
        with self._lock:
            return [w.proc.pid for w in self._all]


def _group_folder(group: str | None) -> Path | None:
    """The folder of the slots shared by the processes of a group: a group's key, this user, and the parent
    process (gunicorn's master), so that only siblings share; None: this process's slots alone."""
    if not group:
        return None
    return Path(tempfile.gettempdir()) / f"lod-pub-sparql-slots-{os.getuid()}-{os.getppid()}-{group}"


def _close_at_exit(ref: weakref.ref[QueryPool]) -> None:
    """Close the pool, if it is still there, when the interpreter exits."""
    pool = ref()
    if pool is not None:
        pool.close()
