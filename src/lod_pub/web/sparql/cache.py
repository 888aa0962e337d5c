"""Answers kept for repeated queries: a least-recently-used cache bounded in entries and in bytes.

    cache = ResultCache(entries=1024, size=64 << 20)
    cache.put(key, Cached(body, rows, truncated))   # dropped at once if larger than the whole budget
    cache.get(key)                                  # -> Cached | None

A release never changes, so neither does the answer to a query on it: the key (endpoint.request_key)
holds the release's id and the request as sent (its query string and Accept header); the app's settings
(the caps, the rewrite) are the same for every entry of one app's cache. A new release makes new keys;
the old ones age out.
Written here rather than taken from cachetools because it has two bounds at once (its caches have one
`maxsize`, in entries or in a size of one's choosing) and a dozen lines of OrderedDict do it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

__all__ = ["Cached", "ResultCache"]


@dataclass(frozen=True)
class Cached:
    body: bytes
    rows: int
    truncated: bool
    etag: str = ""          # the answer's ETag (endpoint.answer_key)
    content_type: str = ""
    format: str = ""        # the format's key, for the log


class ResultCache:
    def __init__(self, entries: int, size: int) -> None:
        self.entries, self.size = entries, size
        self._lock = threading.Lock()
        self._data: OrderedDict[str, Cached] = OrderedDict()
        self._bytes = 0

    def get(self, key: str) -> Cached | None:
        with self._lock:
            found = self._data.get(key)
            if found is not None:
                self._data.move_to_end(key)
            return found

    def put(self, key: str, value: Cached) -> None:
        if self.entries <= 0 or len(value.body) > self.size:
            return
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._data[key] = value
            self._bytes += len(value.body)
            while len(self._data) > self.entries or self._bytes > self.size:
                _, dropped = self._data.popitem(last=False)
                self._bytes -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._data)

    @property
    def bytes(self) -> int:
        return self._bytes
