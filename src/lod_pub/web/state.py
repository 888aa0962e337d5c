"""Which release the web answers from. Follows the `current` pointer without a restart.

Each request asks the holder for the release; the holder compares the pointer's target (one
readlink) with the release it has open, and opens the new one when a build has switched it. A
release that fails its checks (a file the manifest lists missing or of the wrong size, no manifest, a
store that does not open or cannot read its first quad) is refused, logged, and the holder keeps the
one it had; a holder that had none yet takes the newest whole release kept under releases/.

With a remote store (Settings.remote) the release folder supplies the files (manifest, dumps,
vocabulary, description) and need not hold a store; entity data and SPARQL answers come from the
remote store, which `lod-pub push` filled. The holder keeps no connection state a request depends on:
a store that goes away makes those requests 503, and they work again once it is back.

The web never mixes a release's files with another release's data: `push` names the release it
switched the store to (store.http.RELEASE_GRAPH), and the holder asks the store which release it
holds (at most every STORE_CHECK seconds). The store's release is served when its files are under
releases/ (so web machines take the new release's files first, and follow the store when the push
switches it); otherwise every request is a 503 saying which release the store holds and which the
files are (StoreHoldsAnother), and so is a store that names no release (a push switching, or one that
failed its check). A store that cannot be reached is not checked: its data requests answer 503
themselves, and the files keep being served.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
from flask import current_app

from ..errors import ReleaseError, WebError
from ..store.embedded import bind_variables
from ..store.http import HttpStore, RemoteError
from ..published import Release, read_release
from .reading import QueryAnswer, Substitutions, Term

log = logging.getLogger("lod_pub.web")


class LocalStore:
    """The embedded store, read as the web reads any store: substitutions are written into the query
    text. Oxigraph 0.5 joins a substitution after evaluating the pattern; written in, the variable is a
    constant its planner starts from (an article's evidence at 10k articles: 131 ms against 0.6 ms)."""

    def __init__(self, store: ox.Store):
        self.store = store

    def query(self, query: str, *, substitutions: Substitutions | None = None,
              prefixes: dict[str, str] | None = None, use_default_graph_as_union: bool = False) -> QueryAnswer:
        return self.store.query(bind_variables(query, substitutions or {}), prefixes=prefixes,
                                use_default_graph_as_union=use_default_graph_as_union)

    def quads_for_pattern(self, subject: ox.NamedNode | ox.BlankNode | ox.Triple | None,
                          predicate: ox.NamedNode | None, object: Term | None,
                          graph_name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None,
                          ) -> Iterator[ox.Quad]:
        return self.store.quads_for_pattern(subject, predicate, object, graph_name)


@dataclass(frozen=True)
class Opened:
    release: Release
    store: LocalStore | HttpStore
    location: str  # what a query worker opens: the store's folder, or the remote query endpoint

    @property
    def remote(self) -> bool:
        return isinstance(self.store, HttpStore)


class NoRelease(ReleaseError, WebError):
    """Nothing has been published yet (or the pointer leads nowhere usable): 503, try again later. What
    the log says (str) names the data folder; what the client reads (`public`) does not."""

    status, retry_after = 503, 10
    public = "No release has been published yet. Run `lod-pub build`; this page will work as soon as it is done."

    def __init__(self, message: str = ""):
        WebError.__init__(self, message)


class StoreHoldsAnother(NoRelease):
    """The remote store holds a release other than the one this server has the files of, or names none:
    503, with both ids (release ids are public: every manifest and VoID page names its own)."""

    def __init__(self, held: str | None, files: str):
        where = f"release {held}" if held else "no whole release (a push is switching it, or its last push failed)"
        super().__init__(f"the remote store holds {where}; the files are release {files}")
        self.public = (f"The data store holds {where}, and this server has the files of release {files}: "
                       "it answers nothing rather than mix them. It will answer again when both are the same "
                       "release (copy a release's files to every web machine first, then push it).")


#: Seconds between two questions to the remote store about the release it holds.
STORE_CHECK = 1.0


class ReleaseHolder:
    def __init__(self, data_dir: Path, remote: HttpStore | None = None, store_check: float = STORE_CHECK):
        self.data_dir = Path(data_dir)
        self.remote = remote
        self.store_check = store_check
        self._lock = threading.Lock()
        self._target: str | None = None
        self._opened: Opened | None = None
        self._held: tuple[float, str | None] | None = None  # (when asked, the release id the store named)
        self._others: dict[str, Opened] = {}  # releases under releases/ the store was found holding

    def _pointer(self) -> str | None:
        try:
            return os.readlink(self.data_dir / "current")
        except OSError:
            return None

    def get(self) -> Opened:
        target = self._pointer()
        if target is not None and target != self._target:
            with self._lock:
                if target != self._target:
                    self._open(target)
        if self._opened is None:
            raise NoRelease(f"no release has been published in {self.data_dir}")
        return self._opened if self.remote is None else self._matching(self._opened)

    def _matching(self, opened: Opened) -> Opened:
        """The opened release, or the release the remote store holds when its files are here too; else
        StoreHoldsAnother."""
        asked, held = self._store_release(opened.release.id)
        if not asked or held == opened.release.id:
            return opened
        if held is None:
            raise StoreHoldsAnother(None, opened.release.id)
        other = self._others.get(held)
        if other is None:
            folder = self.data_dir / "releases" / held
            found = self._try(folder) if "/" not in held and held[:1] != "." and folder.is_dir() else None
            if found is None:
                raise StoreHoldsAnother(held, opened.release.id)
            with self._lock:
                other = self._others.setdefault(held, found)
                while len(self._others) > 4:
                    del self._others[next(iter(self._others))]
        return other

    def _store_release(self, expected: str) -> tuple[bool, str | None]:
        """(whether the store could be asked, the id of the release it names or None), asked at most
        every store_check seconds (first whether it names the expected one: one ASK); a store that could
        not be asked is asked again on the next request (its data requests say it is down)."""
        assert self.remote is not None
        now = time.monotonic()
        last = self._held
        if last is not None and now - last[0] < self.store_check:
            return True, last[1]
        try:
            held = expected if self.remote.is_named(expected) else self.remote.release_id()
        except RemoteError as exc:
            log.warning("could not ask the remote store which release it holds: %s", exc.detail)
            return False, None
        self._held = (now, held)
        return True, held

    def _open(self, target: str) -> None:
        path = (self.data_dir / target).resolve()
        opened = self._try(path)
        if opened is None and self._opened is None:
            opened = self._fallback(path)
        self._target = target  # not retried on every request; a new build changes the target
        if opened is None:
            log.error("keeping release %s", self._opened.release.id if self._opened else "none")
            return
        self._opened = opened
        log.info("serving release %s%s", opened.release.id, f" from {self.remote!r}" if self.remote else "")

    def _try(self, path: Path) -> Opened | None:
        try:
            release = read_release(path)
            release.verify(store=self.remote is None)
            if self.remote is not None:
                return Opened(release, self.remote, self.remote.endpoints.query)
            store = release.open_store()
            next(iter(store.quads_for_pattern(None, None, None)), None)  # a store that opens may still not read
        except (ReleaseError, OSError, RuntimeError) as exc:  # pyoxigraph: RuntimeError for a corrupt store
            log.error("refusing release at %s: %s", path, exc)
            return None
        return Opened(release, LocalStore(store), str(release.path / "store"))

    def _fallback(self, refused: Path) -> Opened | None:
        """A process that starts while `current` is damaged (a new gunicorn worker, a restart) has no
        release of its own to keep: it serves the newest whole release kept for rollback instead."""
        try:
            kept = sorted((p for p in (self.data_dir / "releases").iterdir()
                           if p.is_dir() and not p.name.startswith(".") and p.resolve() != refused), reverse=True)
        except OSError:
            return None
        for path in kept:
            opened = self._try(path)
            if opened is not None:
                log.warning("current release refused; serving %s, the newest whole release kept", opened.release.id)
                return opened
        return None


def holder() -> ReleaseHolder:
    """The current app's ReleaseHolder (create_app keeps it in app.extensions["lod_pub"])."""
    found = current_app.extensions["lod_pub"]
    if not isinstance(found, ReleaseHolder):
        raise TypeError(f"app.extensions['lod_pub'] holds a {type(found).__name__}, not a ReleaseHolder")
    return found
