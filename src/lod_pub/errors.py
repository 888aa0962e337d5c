"""One exception tree for lod-pub.

    LodPubError                 base; `exit_code` is what the CLI returns
    ├── RecordError             bad source records: every problem found, each with file, line, field
    ├── ValidationFailed        the mapped graph violates the SHACL shapes (exit 1)
    ├── IriError                a minted IRI is not a valid IRI (a bug or a hostile id)
    ├── ReleaseError            a release could not be written, read back or switched to (exit 2)
    │   └── store.http.RemoteError, .StoreUnavailable   a remote store refused, or could not be reached
    └── WebError                an HTTP answer that is not a success: `status`, `message` (what the client
        │                       reads), `headers` (Retry-After where it applies); web.errors.render_error renders it
        ├── web.state.NoRelease         503 + Retry-After: nothing published yet (also a ReleaseError)
        └── web.sparql.guard.Rejected   a query the endpoint will not run, with its Protocol status

Exit codes: 0 published, 1 invalid data (records or shapes), 2 any other error.
"""

from __future__ import annotations

from dataclasses import dataclass


class LodPubError(Exception):
    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a source record, located as precisely as the source allows."""

    file: str
    line: int | None
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" [{self.field}]" if self.field else ""
        return f"{where}:{field} {self.reason}"


class RecordError(LodPubError):
    exit_code = 1

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field))
        count = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the records:\n{lines}")


class ValidationFailed(LodPubError):
    exit_code = 1

    def __init__(self, report_text: str):
        self.report_text = report_text
        super().__init__(f"the graph does not conform to the shapes:\n{report_text}")


class IriError(LodPubError):
    exit_code = 2


class ReleaseError(LodPubError):
    exit_code = 2


class WebError(LodPubError):
    """An answer other than a success; `message` is what the client reads (it names no internal path)."""

    status = 500
    retry_after: int | None = None

    def __init__(self, message: str = "", status: int | None = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.status = status or type(self).status
        self.headers = dict(headers or {})
        if self.retry_after is not None:
            self.headers.setdefault("Retry-After", str(self.retry_after))
