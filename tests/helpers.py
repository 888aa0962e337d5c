"""Small helpers shared by tests (import as `from helpers import ...`)."""

from __future__ import annotations

import signal
import subprocess

import pyoxigraph as ox

from lod_pub.vocab import PREFIXES


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT over the union of all graphs, values as plain strings."""
    result = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def stop_process(proc: subprocess.Popen | None, seconds: float = 10) -> None:
    """Stop a process this test run started, by its pid: SIGTERM (after SIGCONT, in case it was paused),
    then SIGKILL if it has not ended within seconds."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGCONT)
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
