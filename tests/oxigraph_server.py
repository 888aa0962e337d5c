"""An Oxigraph server process for the tests of the remote store: started on a free loopback port, stopped by pid.

    with OxigraphServer(folder) as server:     server.url ("http://127.0.0.1:PORT/"), server.remote()
        ...
    server.pause() / server.resume()            SIGSTOP / SIGCONT: a store that stops answering
    server.stop(); server.start()                a store that goes away and comes back (same folder, same port)
    server.kill()                                SIGKILL, mid-request

The union of the named graphs is the default graph (`--union-default-graph`), as lod-pub expects.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from helpers import stop_process
from lod_pub.store.push import Endpoints, RemoteStore

OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer:
    def __init__(self, folder: Path):
        self.folder, self.port = Path(folder), free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.proc: subprocess.Popen | None = None

    def start(self, seconds: float = 30) -> "OxigraphServer":
        self.folder.mkdir(parents=True, exist_ok=True)
        log = (self.folder / "oxigraph.log").open("ab")
        self.proc = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(self.folder / "db"), "--bind",
                                      f"127.0.0.1:{self.port}", "--union-default-graph"],
                                     stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + seconds
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.5).close()
                return self
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    log = (self.folder / "oxigraph.log").read_text()[-2000:]
                    raise RuntimeError(f"oxigraph did not start: {log}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        stop_process(self.proc)

    def kill(self) -> None:
        """SIGKILL: the store gone at once, mid-request (start() again on the same folder)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def pause(self) -> None:
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.proc.send_signal(signal.SIGCONT)

    def remote(self, timeout: float = 30) -> RemoteStore:
        return RemoteStore(Endpoints.oxigraph(self.url), timeout=timeout)

    def __enter__(self) -> "OxigraphServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

