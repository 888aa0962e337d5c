"""A Virtuoso server process for the tests of the remote store (Debian's virtuoso-opensource, installed
by .ci/setup): its own ini and database in a temporary folder, SQL and HTTP on free loopback ports,
stopped by pid.

    with VirtuosoServer(folder) as server:     server.url ("http://127.0.0.1:PORT/sparql"), server.remote()
    server.kill(); server.start()               a store killed (SIGKILL) and started again on its database
    server.pause(); server.resume()             a store that stops answering (SIGSTOP), and goes on (SIGCONT)

On start, the SPARQL user (the HTTP endpoint's, without a login) is given the SPARQL_UPDATE role and
write access to every graph: the publisher's `push` needs both; the store listens on 127.0.0.1 only.
Its HTTP threads get a stack of 2,000,000 bytes (`HTTPThreadSize`): with the server's own (532,480
bytes), a query of 40 chained triple patterns or 96 joined groups, under the web's caps, overflows it
(docs/remote.md; benchmarks/bench_remote_caps.py).
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from helpers import stop_process
from lod_pub.store.push import Endpoints, RemoteStore
from oxigraph_server import free_port

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))  # the ini is shared with them
from servers import VIRTUOSO_INI  # noqa: E402

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")

INI = VIRTUOSO_INI  # one ini for the tests and the benchmarks (docs/remote.md says why each line)

GRANTS = "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"


class VirtuosoServer:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.sql, self.http = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.http}/sparql"
        self.proc: subprocess.Popen | None = None
        self.granted = False

    def start(self, seconds: float = 60) -> "VirtuosoServer":
        db = self.folder / "db"
        db.mkdir(parents=True, exist_ok=True)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(INI.format(db=db, sql=self.sql, http=self.http, buffers=10000, dirty=6000, seconds=60), "utf-8")
        log = (self.folder / "virtuoso.out").open("ab")
        self.proc = subprocess.Popen([str(VIRTUOSO), "+configfile", str(ini), "+foreground"], cwd=db,
                                     stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self._wait(seconds)
        if not self.granted:
            subprocess.run([str(ISQL), f"127.0.0.1:{self.sql}", "dba", "dba", f"exec={GRANTS}"], check=True,
                           capture_output=True, timeout=60)
            self.granted = True
        return self

    def _wait(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.http), 0.5).close()
                return
            except OSError:
                if self.proc is None or self.proc.poll() is not None or time.monotonic() > deadline:
                    log = (self.folder / "db" / "virtuoso.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"virtuoso did not start: {log}") from None
                time.sleep(0.2)

    def stop(self) -> None:
        stop_process(self.proc, seconds=30)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def pause(self) -> None:
        """SIGSTOP: the store there but not answering (resume() with SIGCONT)."""
        if self.proc is not None:
            self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGCONT)

    def remote(self, timeout: float = 30) -> RemoteStore:
        return RemoteStore(Endpoints.of(self.url), timeout=timeout)

    def __enter__(self) -> "VirtuosoServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def load_as_is(release, remote: RemoteStore) -> None:
    """The release's graphs put into Virtuoso one by one and the release named, without push's checks:
    Virtuoso cannot hold the sample exactly (it rewrites its one xsd:duration, so push refuses it; see
    tests/test_remote.py), and the web tests read the sample as Virtuoso holds it."""
    import pyoxigraph as ox

    from lod_pub.store.push import switch_request

    store = release.open_store()
    for graph in release.manifest["graphs"]:
        remote.put_graph(graph, store.dump(None, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)) or b"")
    remote.update(switch_request(remote.flavour, {}, set(), release.id))
