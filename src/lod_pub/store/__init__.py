"""The stores a release is read from and published into.

    store.embedded   the embedded store: Oxigraph on disk, opened read-only (open_store), and
                     bind_variables, how substitutions are written into a query's text
    store.http       a SPARQL 1.1 store over HTTP, read like pyoxigraph's Store (HttpStore, Endpoints),
                     on urllib3; its errors RemoteError and StoreUnavailable
    store.digest     a digest of a named graph that a SPARQL store computes itself (one query)
    store.push       publishing a built release into a remote store (RemoteStore, push): the builder's,
                     never imported by the web

Nothing is re-exported here: importing the package loads none of its modules, so the web, which
imports store.embedded and store.http, never loads store.push.
"""
