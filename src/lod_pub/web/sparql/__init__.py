"""The SPARQL endpoint, in the order a request meets it:

    endpoint   the Protocol: /sparql, its settings, reading the operation, answering
    guard      what a query is and whether it may run (on sparql_lex's tokens), before any parser
    rewrite    two shapes Oxigraph evaluates slowly, rewritten to equivalent fast ones
    pool       query worker processes with a hard time limit and a cap on concurrent queries
    worker     the child process that runs one query at a time (python -m lod_pub.web.sparql.worker)
    blocks     the triples blocks of a query, read from its tokens (for narrow and joins)
    narrow     in the worker: a closure path that reaches few nodes, bound with VALUES before the rest
    joins      in the worker: large patterns joined by hashing, where the counts say it reads less
    sandbox    the seccomp filter that takes a worker's network away
    results    result formats: row-by-row writers, byte and row caps, what a format cannot carry
    table      a result as the HTML table of the query page
    service    the Service Description
    examples   the example questions of the query page
"""

from .endpoint import SETTINGS, register

__all__ = ["SETTINGS", "register"]
