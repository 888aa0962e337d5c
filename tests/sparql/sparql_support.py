"""Helpers of the SPARQL tests (not a conftest, so tests import them by name)."""

from __future__ import annotations

import os
import socket
from collections import Counter
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import requests

from helpers import stop_process
from lod_pub.vocab import PREFIXES
from lod_pub.web.sparql.messages import Job

SERVER = """
import logging, sys
from pathlib import Path
from lod_pub.settings import Settings
from lod_pub.web import create_app
logging.basicConfig(level=logging.INFO)
app = create_app(Settings(data_dir=Path(sys.argv[1])), SPARQL_WORKERS=2, SPARQL_TIMEOUT=10)
app.run(host="127.0.0.1", port=int(sys.argv[2]), threaded=True, use_reloader=False)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, data_dir: Path, folder: Path):
        self.data_dir, self.folder = data_dir, folder
        self.proc: subprocess.Popen | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def start(self) -> None:
        self.port = free_port()
        self.log = open(self.folder / "server.log", "wb")
        self.proc = subprocess.Popen([sys.executable, "-c", SERVER, str(self.data_dir), str(self.port)],
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(self.url, headers={"Accept": "text/turtle"}, timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server did not start: {(self.folder / 'server.log').read_text()}")

    def children(self) -> list[int]:
        """Pids of the server's child processes (its query workers)."""
        pids = []
        for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
            try:
                pids += [int(p) for p in (task / "children").read_text().split()]
            except FileNotFoundError:  # a thread that ended while we looked
                continue
        return pids

    def stop(self) -> None:
        stop_process(self.proc)
        self.log.close()


def expected_rows(store: ox.Store, query: str) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
    """What pyoxigraph itself answers, as {variable: term}, for comparison with a parsed response."""
    result = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: row[n] for n in names if row[n] is not None} for row in result]


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def plan_job(prefixes: dict[str, str], **fields) -> Job:
    """A job for the worker's plan steps (narrow.py, joins.py) on an in-memory store's default graph."""
    return Job(**{"store": "", "query": "", "format": "json", "row_cap": 10_000, "byte_cap": 1 << 20,
                  "prefixes": prefixes, "union": False, **fields})


def bag(store: ox.Store, query: str, prefixes: dict[str, str]) -> Counter | bool:
    """A query's answer on a store: its rows as a bag (a Counter), or a boolean."""
    result = store.query(query, prefixes=prefixes)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    return Counter(tuple(str(t) for t in row) for row in result)


def edge_store(edges, nodes: list[ox.NamedNode], base: str) -> ox.Store:
    """An in-memory store of (subject, predicate, object) edges: node numbers and `ex:NAME` or `a`."""
    store = ox.Store()
    for s, p, o in edges:
        predicate = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" if p == "a" else base + p[3:]
        store.add(ox.Quad(nodes[s], ox.NamedNode(predicate), nodes[o]))
    return store


def run_in_worker(store: str, query: str, prefixes: dict[str, str], spool: Path, plan: bool = True):
    """A query worker, in this process, run on a store folder: its answer and the answer's TSV bytes."""
    from lod_pub.web.sparql.worker import Worker

    return Worker(memory_mb=0).run(Job(store=store, query=query, format="tsv", row_cap=100, byte_cap=1 << 20,
                                       prefixes=prefixes, plan=plan, spool=str(spool)))
