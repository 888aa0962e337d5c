"""Servers for the benchmarks: start on a free port of 127.0.0.1, wait until they answer, stop by pid.

    port = free_port()
    proc = start([...], log=path)             # any server command; its own session when asked
    wait_listening(port, proc, seconds=60)    # a TCP connect succeeds, or RuntimeError (exited / too slow)
    stop(proc)                                # SIGTERM to the pid (or its group), SIGKILL after a grace
    start_gunicorn(data_dir, env=..., log=...) -> (url, proc)   lod-pub under gunicorn -k gthread
    start_oxigraph(location, port, ...)       -> proc           `oxigraph serve[-read-only] --union-default-graph`
    start_virtuoso(folder, ...)               -> (sparql URL, proc)   Debian's virtuoso-t on an ini of its own
    descendants(pid), rss_kib(pid), command(pid)                 the process tree and its memory, from /proc
    cpu_seconds(pid), wait_idle(pid, seconds)                    its CPU time; until it is idle

Only loopback addresses are used, and only processes started here are ever signalled.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(argv: list[str], log: Path | None = None, env: dict | None = None, session: bool = False,
          cwd: Path | None = None) -> subprocess.Popen:
    """Start a server; its output goes to log (appended) or nowhere. session=True: its own process group."""
    out = open(log, "ab") if log else subprocess.DEVNULL
    try:
        return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
                                start_new_session=session, cwd=cwd)
    finally:
        if log:
            out.close()


def wait_listening(port: int, proc: subprocess.Popen, seconds: float = 60) -> float:
    """Seconds until something accepts a connection on the port; RuntimeError if proc exits or time runs out."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if proc.poll() is not None:
            raise RuntimeError(f"server {proc.args[0]} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return time.monotonic() - started
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds:.0f} s")


def wait_answering(port: int, path: str, proc: subprocess.Popen, seconds: float = 60) -> float:
    """Seconds until GET path gets any HTTP answer (the server has loaded its data)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if proc.poll() is not None:
            raise RuntimeError(f"server {proc.args[0]} exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()
            return time.monotonic() - started
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"127.0.0.1:{port} did not answer {path} within {seconds:.0f} s")


def stop(proc: subprocess.Popen, grace: float = 15) -> None:
    """Stop a server started here: SIGTERM to its pid (its group if it has its own session), SIGKILL after grace."""
    if proc.poll() is not None:
        return
    group = os.getpgid(proc.pid) == proc.pid

    def signal_it(sig: int) -> None:
        try:
            os.killpg(proc.pid, sig) if group else os.kill(proc.pid, sig)
        except ProcessLookupError:
            pass

    signal_it(signal.SIGTERM)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        signal_it(signal.SIGKILL)
        proc.wait()


def start_gunicorn(data_dir: Path, workers: int = 2, threads: int = 8, env: dict | None = None,
                   log: Path | None = None, seconds: float = 60) -> tuple[str, subprocess.Popen]:
    """lod-pub under `gunicorn -k gthread` over data_dir on a free loopback port; (base URL, process)."""
    port = free_port()
    proc = start([str(BIN / "gunicorn"), "-w", str(workers), "-k", "gthread", "--threads", str(threads),
                  "-b", f"127.0.0.1:{port}", "--graceful-timeout", "5", "lod_pub.web.wsgi:app"],
                 log=log, env={"LOD_PUB_DATA_DIR": str(data_dir), **(env or {})})
    try:
        wait_answering(port, "/robots.txt", proc, seconds)
    except RuntimeError:
        stop(proc)
        raise
    return f"http://127.0.0.1:{port}", proc


def start_granian(data_dir: Path, workers: int = 2, threads: int = 8, env: dict | None = None,
                  log: Path | None = None, seconds: float = 60) -> tuple[str, subprocess.Popen]:
    """lod-pub under granian (docs/deploy.md) over data_dir on a free loopback port; (base URL, process)."""
    port = free_port()
    proc = start([str(BIN / "granian"), "--interface", "wsgi", "--workers", str(workers), "--blocking-threads",
                  str(threads), "--no-ws", "--host", "127.0.0.1", "--port", str(port), "lod_pub.web.wsgi:app"],
                 log=log, env={"LOD_PUB_DATA_DIR": str(data_dir), **(env or {})})
    try:
        wait_answering(port, "/robots.txt", proc, seconds)
    except RuntimeError:
        stop(proc)
        raise
    return f"http://127.0.0.1:{port}", proc


def start_oxigraph(location: Path, port: int, read_only: bool = True, log: Path | None = None) -> subprocess.Popen:
    """An Oxigraph server over a loaded store, the union of its graphs as the default graph."""
    proc = start([str(BIN / "oxigraph"), "serve-read-only" if read_only else "serve", "--location", str(location),
                  "--bind", f"127.0.0.1:{port}", "--union-default-graph"], log=log)
    try:
        wait_listening(port, proc)
    except RuntimeError:
        stop(proc)
        raise
    return proc


VIRTUOSO_INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
ServerThreads = 10
CheckpointInterval = 0
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = ., {db}
VADInstallDir = {db}

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {db}
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
HTTPThreadSize = 2000000

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = {seconds}
"""
VIRTUOSO_GRANTS = "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"


def start_virtuoso(folder: Path, buffers: int = 170_000, query_seconds: int = 60, log: Path | None = None,
                   seconds: float = 120) -> tuple[str, subprocess.Popen]:
    """Virtuoso 7 (Debian's virtuoso-t) on a database of its own in folder, SQL and HTTP on free loopback
    ports; its SPARQL user may update every graph (what `lod-pub push` needs). buffers: 8 KiB pages
    of cache (170,000, about 1.3 GiB, is Virtuoso's advice for a machine with 2 GiB to give it).
    (the /sparql URL, its process); the same ini as tests/virtuoso_server.py but for the cache."""

    virtuoso, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if virtuoso is None or isql is None:
        raise RuntimeError("virtuoso-t or isql-vt is not installed (apt-get install virtuoso-opensource-7-bin)")
    db = folder / "db"
    db.mkdir(parents=True, exist_ok=True)
    sql, http = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(
        db=db, sql=sql, http=http, buffers=buffers, dirty=buffers * 3 // 4, seconds=query_seconds), "utf-8")
    proc = start([virtuoso, "+configfile", str(folder / "virtuoso.ini"), "+foreground"], log=log, session=True, cwd=db)
    try:
        wait_answering(http, "/sparql?query=ASK%7B%7D", proc, seconds)
        subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba", f"exec={VIRTUOSO_GRANTS}"], check=True,
                       capture_output=True, timeout=60)
    except (RuntimeError, subprocess.SubprocessError):
        stop(proc, grace=30)
        raise
    return f"http://127.0.0.1:{http}/sparql", proc


def descendants(pid: int) -> list[int]:
    """pid and every process below it."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += children(p)
    return found


def children(pid: int) -> list[int]:
    """The direct children of pid (gunicorn's workers, for its master)."""
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return found


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) pid has used so far, in seconds (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(pid: int, seconds: float, busy: float = 0.05) -> bool:
    """Wait until pid uses less than `busy` of a core over one second (a server done with the queries
    its clients gave up on), at most `seconds`; whether it got there."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        time.sleep(1.0)
        if cpu_seconds(pid) - before < busy:
            return True
    return False


def rss_kib(pid: int) -> int:
    """VmRSS of pid in KiB (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
