"""A query worker: a child process that runs one query at a time and can be killed mid-query.

    python -m lod_pub.web.sparql.worker PARENT_PID MEMORY_MB NETWORK

pyoxigraph has no way to cancel a running query, so each query runs in a process of its own that
the web process kills when the time limit passes (pool.py). The protocol is one JSON line
each way on the worker's stdin/stdout, and the result's bytes after the response when they are small:

    request  a messages.Job, one JSON line
    response a messages.Answer, one JSON line, then `inline` bytes of the answer when it is small

NETWORK says what the worker may reach (sandbox.py seals a thread against network sockets):
    none    the whole process is sealed before the first query: the embedded store, no SERVICE
    store   the engine runs on a sealed thread; only the thread that reads a remote store over HTTP
            has the network (a remote store's query is parsed on the sealed thread first)
    any     nothing is sealed: the operator allow-listed SERVICE endpoints

Results are written row by row into a buffer that moves to a file in `spool` once it passes
`inline_max` bytes, so memory stays flat whatever the result size, and a small result costs no file.
The worker opens each release's store read-only, once, and keeps the last one open; a `store` that is
an http(s) URL is a remote store's query endpoint, read over the SPARQL Protocol with the answer
streamed in. It imports nothing of the web; it dies with its parent (PR_SET_PDEATHSIG, and EOF on stdin).
"""

from __future__ import annotations

import ctypes
import os
import io
import resource
import signal
import sys
import tempfile
import queue
import threading
from dataclasses import replace
from typing import IO, BinaryIO, Callable, Iterator, Literal, Protocol, TypedDict, TypeVar, cast

import pyoxigraph as ox

from ...store.http import Endpoints, HttpStore, StoreUnavailable
from ...store.http import RemoteError as RemoteRefused
from ..reading import QueryAnswer
from . import sandbox
from .messages import Answer, Job
from .joins import Count, Rows, hash_joins
from .narrow import Probe, narrow
from .results import NATIVE_GRAPH, NATIVE_RESULTS, FormatError, representable, write_solutions

STACK_MB = 512  # for the query thread; see main()
REMOTE_TIMEOUT = 3600.0  # a socket timeout only: the pool stops a query at the time limit by killing its worker
NETWORKS = ("none", "store", "any")
T = TypeVar("T")


def _die_with_parent(parent: int) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(0)


def _limit_memory(megabytes: int) -> None:
    """Let queries grow the worker by at most `megabytes` beyond what it maps at rest.

    Only the soft limit is set, relative to the address space in use now (the open store's caches
    map a lot), so that it can be set again after the next release's store is opened.
    """
    if megabytes <= 0:
        return
    resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    with open("/proc/self/statm") as f:
        in_use = int(f.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (in_use + (megabytes << 20), resource.RLIM_INFINITY))


class Engine:
    """Runs calls on a thread of its own that has been sealed against the network (mode `store`)."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[Callable[[], None]] = queue.Queue()  # each hands its outcome back itself
        sealed = threading.Event()
        self._error: BaseException | None = None
        threading.Thread(target=self._serve, args=(sealed,), name="engine", daemon=True).start()
        sealed.wait()
        if self._error is not None:
            raise self._error

    def _serve(self, sealed: threading.Event) -> None:
        try:
            sandbox.seal()
        except sandbox.Unsealable as exc:
            self._error = exc
            sealed.set()
            return
        sealed.set()
        while True:
            self._jobs.get()()

    def call(self, function: Callable[[], T]) -> T:
        answer: queue.Queue[tuple[Literal[True], T] | tuple[Literal[False], BaseException]] = queue.Queue(maxsize=1)

        def job() -> None:
            try:
                answer.put((True, function()))
            except BaseException as exc:  # handed to the caller, who decides
                answer.put((False, exc))

        self._jobs.put(job)
        outcome = answer.get()
        if outcome[0]:
            return outcome[1]
        raise outcome[1]


def _inline(function: Callable[[], T]) -> T:
    return function()


class Runner(Protocol):
    """Where the query engine runs a call: here (_inline), or on the sealed engine thread (Engine.call)."""

    def __call__(self, function: Callable[[], T], /) -> T: ...


class Worker:
    def __init__(self, memory_mb: int, engine: Runner = _inline) -> None:
        self._path: str | None = None
        self._store: ox.Store | HttpStore | None = None
        self._memory_mb = memory_mb
        self._engine = engine  # where the query engine runs: here, or Engine.call on a sealed thread

    def store(self, path: str) -> ox.Store | HttpStore:
        if path != self._path or self._store is None:  # None: the last one failed to open
            self._store = None
            if self._memory_mb > 0:
                resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
            remote = path.startswith(("http://", "https://"))
            self._store = HttpStore(Endpoints(path, "", ""), timeout=REMOTE_TIMEOUT) if remote else ox.Store.read_only(path)
            self._path = path
            _limit_memory(self._memory_mb)
        return self._store

    def run(self, job: Job) -> tuple[Answer, bytes]:
        """The answer, and its bytes when they are small enough to follow it on the pipe."""
        if job.store.startswith(("http://", "https://")):
            return self._run(job)
        return self._engine(lambda: self._run(job))

    def _run(self, job: Job) -> tuple[Answer, bytes]:
        store = self.store(job.store)
        if isinstance(store, HttpStore):
            refused = self._engine(lambda: _parse(job.original or job.query, job))
            if refused is not None:
                return refused, b""
        planned = _plan(store, job) if job.plan and isinstance(store, ox.Store) else None
        # a planned query (narrow.py, joins.py) or a rewrite (rewrite.py) that does not parse: the one before it
        tries = [text for text in (planned, job.query, job.original) if text]
        for n, text in enumerate(tries):
            try:
                result = _query(store, text, job)
                break
            except StoreUnavailable:
                raise
            except (SyntaxError, RemoteRefused) as exc:
                if n == len(tries) - 1:
                    return _refused(exc), b""
        out = Spill(job.spool, job.inline_max)
        try:
            answer = _write(result, job, out)
        except BaseException:
            out.discard()
            raise
        inline, file = out.finish()
        return replace(answer, inline=inline, file=file), (out.data if inline is not None else b"")


_PARSER = ox.Store()  # empty, in memory: `query` on it parses (and plans) a query for a remote store


def _query(store: ox.Store | HttpStore, query: str, job: Job) -> QueryAnswer:
    """Run a query on the job's dataset, with its prefixes. A remote store's answer is streamed in: its
    rows are written as they arrive, up to the row cap."""
    prefixes = job.prefixes or None
    defaults = None if job.default_graph is None else [ox.NamedNode(g) for g in job.default_graph]
    named = None if job.named_graphs is None else [ox.NamedNode(g) for g in job.named_graphs]
    if isinstance(store, HttpStore):  # the remote store's own base would be its URL: the job's is declared
        based = f"BASE <{job.base_iri}>\n{query}" if job.base_iri else query
        return store.query(based, use_default_graph_as_union=job.union, prefixes=prefixes, default_graph=defaults,
                           named_graphs=named, stream=True)
    # cast: pyoxigraph's stub asks for a list of its wider unions of terms (a list is invariant); a list of
    # named nodes is one
    return store.query(query, base_iri=job.base_iri, use_default_graph_as_union=job.union, prefixes=prefixes,
                       default_graph=cast("list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None", defaults),
                       named_graphs=cast("list[ox.NamedNode | ox.BlankNode] | None", named))


def _plan(store: ox.Store, job: Job) -> str | None:
    """The job's query with the choices that depend on the store's data made (narrow.py, then joins.py), or
    None when neither applies."""
    count, rows = _counter(store, job), _rows(store, job)
    try:
        narrowed = narrow(job.query, _prober(rows), count)
        return hash_joins(narrowed or job.query, count, rows) or narrowed
    except Exception:  # a plan is a way to run faster, never a reason to fail: the query as it was
        return None


def _counter(store: ox.Store, job: Job) -> Count:
    """joins.py's count: a count query's number, read on the job's dataset."""
    def count(query: str) -> int | None:
        try:
            for row in cast("ox.QuerySolutions", _query(store, query, job)):
                node = row[0]
                return int(node.value) if isinstance(node, ox.Literal) else None
        except (SyntaxError, ValueError, TypeError):
            return None
        return None
    return count


def _rows(store: ox.Store, job: Job) -> Rows:
    """joins.py's rows: a query's rows as {variable: N-Triples}, read on the job's dataset."""
    def rows(query: str) -> list[dict[str, str]] | None:
        try:
            solutions = cast("ox.QuerySolutions", _query(store, query, job))
            names = [v.value for v in solutions.variables]
            out = []
            for row in solutions:
                values = {}
                for name in names:
                    node = row[name]
                    if node is None:
                        continue
                    if not isinstance(node, (ox.NamedNode, ox.Literal)):
                        return None
                    values["?" + name] = str(node)
                out.append(values)
            return out
        except (SyntaxError, ValueError, TypeError):
            return None
    return rows


def _prober(rows: Rows) -> Probe:
    """narrow.py's probe: the node of each row of a one-variable query (`_rows`)."""
    def probe(query: str) -> list[str] | None:
        found = rows(query)
        return None if found is None else [value for row in found for value in row.values()]
    return probe


def _parse(query: str, job: Job) -> Answer | None:
    """Parse a query meant for a remote store on the empty store, so that errors read (and point) the
    same as on the embedded store. Oxigraph evaluates as it parses; it runs sealed, and whatever else
    than a syntax error it meets on an empty store is not the query's fault."""
    try:
        _query(_PARSER, query, job)
    except SyntaxError as exc:
        return _refused(exc)
    except Exception:  # noqa: BLE001 - evaluation on an empty, sealed store: only syntax matters here
        pass
    return None


def _refused(exc: Exception) -> Answer:
    """A query the embedded store could not parse, or the remote store refused (HTTP 4xx)."""
    return Answer.failed("syntax" if isinstance(exc, SyntaxError) else "failed", str(exc))


class Spill:
    """A binary writer that keeps up to `inline` bytes in memory, then moves everything to a file."""

    def __init__(self, folder: str, inline: int) -> None:
        self.folder, self.inline = folder, inline
        self.buffer: io.BytesIO | None = io.BytesIO()
        self.file: BinaryIO | None = None
        self.path: str | None = None
        self.size = 0  # bytes written so far

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.buffer is not None:
            if self.buffer.tell() + len(data) <= self.inline:
                return self.buffer.write(data)
            fd, self.path = tempfile.mkstemp(dir=self.folder, prefix=f"{os.getpid()}-", suffix=".out")
            self.file = os.fdopen(fd, "wb", buffering=1 << 16)
            self.file.write(self.buffer.getvalue())
            self.buffer = None
        assert self.file is not None, "no buffer: everything goes to the file"
        return self.file.write(data)

    def flush(self) -> None:
        pass

    def finish(self) -> tuple[int | None, str | None]:
        """(bytes held in memory, None), or (None, the file that holds them)."""
        if self.file is not None:
            self.file.close()
            return None, self.path
        assert self.buffer is not None, "no file: everything is in the buffer"
        self.data = self.buffer.getvalue()
        return len(self.data), None

    def discard(self) -> None:
        if self.file is not None:
            self.file.close()
            if self.path is not None:  # always: the file was made at this path
                os.unlink(self.path)


class _Count(TypedDict):
    rows: int
    truncated: bool


def _write(result: QueryAnswer, job: Job, out: Spill) -> Answer:
    fmt, cap, budget = job.format, job.row_cap, job.byte_cap
    # cast: pyoxigraph's writers take any object with write() (and flush()); its stub asks for IO[bytes]
    sink = cast(IO[bytes], out)
    if isinstance(result, ox.QueryBoolean):
        result.serialize(sink, NATIVE_RESULTS[fmt])
        return Answer(ok=True, kind="ask", rows=1)
    if isinstance(result, ox.QuerySolutions):
        rows, truncated = write_solutions(result, fmt, out, cap, budget)
        return Answer(ok=True, kind="select", rows=rows, truncated=truncated)
    seen: _Count = {"rows": 0, "truncated": False}

    def capped() -> Iterator[ox.Triple]:
        for triple in result:
            if seen["rows"] >= cap or out.size + _size(triple) > budget:
                seen["truncated"] = True
                return
            seen["rows"] += 1
            yield triple

    ox.serialize(representable(capped(), fmt), sink, NATIVE_GRAPH[fmt], prefixes=job.prefixes or None)
    return Answer(ok=True, kind="graph", rows=seen["rows"], truncated=seen["truncated"])


def _size(triple: ox.Triple) -> int:
    """A lower bound of the bytes a triple takes written out: its terms' text."""
    total = 0
    for term in (triple.subject, triple.predicate, triple.object):
        total += _size(term) if type(term) is ox.Triple else len(term.value)
    return total


def serve(proto: BinaryIO, worker: Worker) -> None:
    proto.write(b'{"ready": true}\n')  # started: from here on, the pool's time limit applies
    proto.flush()
    for line in sys.stdin.buffer:
        body = b""
        try:
            answer, body = worker.run(Job.read(line))
        except MemoryError:
            answer = Answer.failed("memory", "out of memory")
        except FormatError as exc:
            answer = Answer.failed("format", str(exc))
        except (OSError, StoreUnavailable) as exc:  # the store (local or remote), or an allowed SERVICE endpoint
            answer = Answer.failed("io", str(exc))
        except Exception as exc:  # noqa: BLE001 - whatever the engine raises ends this query, not the worker
            answer = Answer.failed("failed", f"{type(exc).__name__}: {exc}")
        proto.write(answer.line() + body)
        proto.flush()


def main(argv: list[str]) -> int:
    parent, memory, network = int(argv[1]), int(argv[2]), argv[3] if len(argv) > 3 else "none"
    _die_with_parent(parent)
    if network not in NETWORKS:
        sys.stderr.write(f"lod_pub.web.sparql.worker: NETWORK must be one of {', '.join(NETWORKS)}, not {network!r}\n")
        return 2
    proto = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything else printed goes to stderr, never into the protocol
    # Oxigraph parses and evaluates recursively: a flat chain of 8,000 `+1` (no brackets, so the
    # guard's nesting cap does not see it) overflows the main thread's 8 MiB stack and kills the
    # worker. Queries run on a thread with a STACK_MB stack (reserved, touched only as deep as used),
    # enough for the longest chain a query of SPARQL_MAX_QUERY's default length can hold.
    threading.stack_size(STACK_MB << 20)
    try:
        if network == "none":
            sandbox.seal()  # this thread, and every thread started from here on
        worker = Worker(memory, Engine().call if network == "store" else _inline)
    except sandbox.Unsealable as exc:
        sys.stderr.write(f"lod_pub.web.sparql.worker: {exc}\n")  # the pool sees no ready line: 503, and the log says why
        return 3
    runner = threading.Thread(target=serve, args=(proto, worker), name="query")
    runner.start()
    runner.join()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
