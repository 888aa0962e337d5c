"""Helpers of the hostile-input tests (not a conftest, so tests import them by name)."""

from __future__ import annotations

import socket


def raw(url: str, data: bytes, timeout: float = 30) -> bytes:
    """Send bytes as they are (no client normalises the path) and return the whole answer."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
