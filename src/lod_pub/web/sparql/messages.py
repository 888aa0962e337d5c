"""What the endpoint and a query worker say to each other: one JSON line each way.

    Job      endpoint -> worker: the query, where to run it, how to write the answer and its caps
    Answer   worker -> endpoint: rows written and whether cut, where the bytes are; or why it failed

The answer's bytes follow its line on the pipe when they are small (`inline` bytes), else they are in
`file`. Both classes read and write their own line, so neither side builds or reads a bare dict.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from typing import Literal

__all__ = ["Job", "Answer", "ERRORS"]

#: Why a worker could not answer: a syntax error, out of its memory, the store (or an allowed SERVICE)
#: could not be read, the chosen format cannot carry the answer, anything else the engine raised.
ERRORS = ("syntax", "memory", "io", "format", "failed")


@dataclass(frozen=True)
class Job:
    store: str                                  # the store's folder, or a remote store's query endpoint
    query: str                                  # what runs (rewritten, when a rewrite applied)
    format: str                                 # a key of results.NATIVE_RESULTS or NATIVE_GRAPH
    row_cap: int
    byte_cap: int
    original: str | None = None                 # the query as sent, run when the rewrite does not parse
    plan: bool = False                          # plan from the store's data first (narrow.py, joins.py)
    prefixes: dict[str, str] = field(default_factory=dict)
    union: bool = True                          # the default graph is the union of the named graphs
    default_graph: list[str] | None = None
    named_graphs: list[str] | None = None
    base_iri: str | None = None                 # relative IRIs of the query resolve against it (the endpoint's)
    inline_max: int = 1 << 20                   # larger answers go through a file in `spool`
    spool: str = ""                             # set by the pool

    def line(self) -> bytes:
        return _line(self)

    @classmethod
    def read(cls, line: bytes) -> "Job":
        return cls(**json.loads(line))

    def spooled_in(self, folder: str) -> "Job":
        return replace(self, spool=folder)


@dataclass(frozen=True)
class Answer:
    ok: bool
    kind: Literal["select", "ask", "graph"] | None = None
    rows: int = 0
    truncated: bool = False
    inline: int | None = None                   # bytes of the answer that follow the line, or
    file: str | None = None                     # the file that holds them
    error: str | None = None                    # one of ERRORS
    message: str = ""

    @classmethod
    def failed(cls, error: str, message: str) -> "Answer":
        assert error in ERRORS, error
        return cls(ok=False, error=error, message=message)

    def line(self) -> bytes:
        return _line(self)

    @classmethod
    def read(cls, line: bytes) -> "Answer":
        return cls(**json.loads(line))


def _line(message: Job | Answer) -> bytes:
    """One JSON line of a message's fields. Not dataclasses.asdict, which deep-copies every value (the job's
    prefixes, its graphs) and took a third of the hop to the worker for a one-entity query."""
    values = {f.name: getattr(message, f.name) for f in fields(message)}
    return json.dumps(values).encode("utf-8") + b"\n"
