"""Settings are data: one table of every setting, one reader of the environment.

    TABLE                      every setting: name, default, help, environment variable, CLI flag, the doc
                               that lists it, and where it goes (a field of Settings, or the web app's config)
    read_environment(env)      {name: value} of the settings the environment sets, each read as its type
    Settings                   the pipeline's settings (build, check, push, serve), a frozen dataclass
    settings_from(values)      Settings with the given values over the defaults
    web_config(values)         the web app's config (create_app's keyword arguments) of the given values

The CLI (`lod-pub`), `serve` and the WSGI entry point read the environment through read_environment
and nothing else; a test fails when the code reads a variable outside it or a setting is undocumented.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

DEFAULT_BASE = "https://lod.example.org/"

#: The types a setting's value may have (its default's, or None for "not set").
Value = str | int | float | bool | Path | tuple[str, ...] | None


@dataclass(frozen=True)
class Setting:
    name: str                # a field of Settings (pipeline), or a key of the web app's config (web)
    default: Value
    help: str
    where: str = "web"       # "pipeline" or "web"
    flag: str | None = None  # the CLI option, where there is one
    doc: str = "docs/sparql.md"
    env: str = ""            # LOD_PUB_<NAME> unless given

    @property
    def variable(self) -> str:
        return self.env or f"LOD_PUB_{self.name.upper()}"

    @property
    def option(self) -> str:
        """The CLI option (flag); ValueError for a setting that has none."""
        if self.flag is None:
            raise ValueError(f"the setting {self.name} has no command-line option")
        return self.flag

    def read(self, raw: str) -> Value:
        """The value of an environment variable's text, as this setting's type."""
        if isinstance(self.default, bool):
            return raw.strip().lower() in ("1", "true", "yes", "on")
        if isinstance(self.default, tuple):
            return tuple(raw.split())
        if isinstance(self.default, Path):
            return Path(raw)
        if self.default is None:
            return raw
        return type(self.default)(raw)


def _pipeline(name: str, default: Value, help: str, flag: str | None = None, env: str = "") -> Setting:  # noqa: A002
    return Setting(name, default, help, "pipeline", flag, "docs/deploy.md", env)


def _web(name: str, default: Value, help: str, flag: str | None = None) -> Setting:  # noqa: A002
    return Setting(name, default, help, "web", flag, "docs/deploy.md", name)


def _sparql(name: str, default: Value, help: str) -> Setting:  # noqa: A002
    return Setting(name, default, help, "web", None, "docs/sparql.md", f"LOD_PUB_{name}")


PIPELINE_SETTINGS: tuple[Setting, ...] = (
    _pipeline("base", DEFAULT_BASE, "Base IRI under which every entity IRI is minted (ends with '/').", "--base"),
    _pipeline("project_dir", Path("."), "Folder holding seeds/, ontology/ and shapes/.", "--project",
              "LOD_PUB_PROJECT"),
    _pipeline("data_dir", Path("var"), "Folder holding releases/ and the 'current' pointer.", "--data-dir"),
    _pipeline("keep_releases", 3, "How many published releases to keep for rollback.", "--keep-releases"),
    _pipeline("cache", True, "Reuse what unchanged articles mapped to and how they validated in the last build "
                             "(`--no-cache` turns it off for one build).", None),
    _pipeline("remote", None, "Base URL of a remote SPARQL 1.1 store holding the release (`lod-pub push`), e.g. "
                              "http://127.0.0.1:7878/ for an Oxigraph server, a URL ending in /sparql for Virtuoso; the web then reads "
                              "entity data and "
                              "answers SPARQL from it, and needs only the release's files, not its store.",
              "--remote"),
    _pipeline("fuseki_dataset", None, "The remote store is Apache Jena Fuseki, with this dataset.",
              "--fuseki-dataset"),
    _pipeline("gdelt", (), "More folders of GDELT 2.0 event exports (*.export.CSV) to publish, besides "
                           "seeds/gdelt/ (space-separated in the environment).", "--gdelt"),
    _pipeline("licence", "https://creativecommons.org/licenses/by/4.0/",
              "Licence IRI stated in the dataset description.", "--licence"),
    _pipeline("shacl", "auto", "How the shapes are checked: auto (the SHACL Core constraints the shapes use, in "
                               "Python over an index of the data, and their SPARQL constraints with Oxigraph; pyshacl "
                               "for a shape with anything else; the same results, many times faster) or pyshacl "
                               "(pyshacl for every shape).", "--shacl"),
)
WEB_SETTINGS: tuple[Setting, ...] = (
    _web("LOD_PUB_HOST", "127.0.0.1", "Address `lod-pub serve` binds.", "--host"),
    _web("LOD_PUB_PORT", 5000, "Port `lod-pub serve` binds.", "--port"),
    _web("LOD_PUB_CACHE_SIZE", 4096, "Rendered documents each server process keeps, and as many answers to "
                                     "whether an IRI is in the release (0 turns both off)."),
    _web("LOD_PUB_PAGE_SIZE", 500, "Links per page of a description before rel=next."),
    _web("LOD_PUB_REMOTE_TIMEOUT", 30.0, "Seconds the web waits for the remote store on an entity document "
                                        "before answering 503."),
    _web("LOD_PUB_PROXIES", 0, "Reverse proxies in front of the server whose X-Forwarded-Proto, -Host and -For "
                               "the app trusts (0: none; 1: one, such as nginx on the same machine). For servers "
                               "without an option of their own (granian); gunicorn's is --forwarded-allow-ips."),
)
SPARQL_SETTINGS: tuple[Setting, ...] = (
    _sparql("SPARQL_TIMEOUT", 30.0, "Seconds a query may run (evaluation and serialization) before its "
                                    "worker is killed; the client gets 504."),
    _sparql("SPARQL_ROW_CAP", 100_000, "Most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) in one answer; "
                                       "beyond it the answer is cut and says so (X-SPARQL-Truncated: true)."),
    _sparql("SPARQL_WORKERS", 4, "Query worker processes per server process: its share of the cap on concurrent "
                                 "queries (a query beyond it waits, see SPARQL_QUEUE_SECONDS)."),
    _sparql("SPARQL_MAX_QUERY", 65_536, "Longest query accepted, in characters (413 beyond)."),
    _sparql("SPARQL_NESTING", 100, "Deepest nesting of { ( [ accepted (400 beyond); Oxigraph's parser "
                                   "crashes at a few thousand."),
    _sparql("SPARQL_SERVICE_ALLOW", (), "SERVICE endpoints a query may call (exact IRIs); empty: SERVICE is "
                                        "refused with 400."),
    _sparql("SPARQL_MEMORY_MB", 2048, "Memory (address space, MiB) a query may add to its worker beyond what "
                                      "the worker maps at rest with the store open (0: no limit); a query that "
                                      "needs more is stopped (503)."),
    _sparql("SPARQL_BYTE_CAP", 64 << 20, "Most bytes in one answer; beyond it the answer is cut before the "
                                         "row that would pass it, and says so (X-SPARQL-Truncated: true)."),
    _sparql("SPARQL_HTML_ROWS", 1000, "Most rows shown in the HTML results table (downloads obey the row cap)."),
    _sparql("SPARQL_HTML_BYTES", 2 << 20, "Most bytes of a result the HTML results page reads (cut and marked "
                                          "beyond, like the row cap); each value shown is cut at 2,000 characters."),
    _sparql("SPARQL_INLINE_BYTES", 1 << 20, "Results up to this size pass from the worker in memory; larger "
                                           "ones through a temporary file, streamed to the client in chunks."),
    _sparql("SPARQL_REWRITE", True, "Rewrite two shapes Oxigraph evaluates slowly into equivalent fast ones: "
                                    "sequence paths with a constant object, joins after a UNION "
                                    "(web/sparql/rewrite.py); and, in the query worker on the embedded store, "
                                    "bind a closure path that reaches at most 1,000 nodes from its constant "
                                    "end with VALUES before the rest (web/sparql/narrow.py), and join large "
                                    "patterns by hashing where the counts say it reads less "
                                    "(web/sparql/joins.py)."),
    _sparql("SPARQL_REMOTE_OPERATORS", 1000, "With a remote store: most operators (UNION, OPTIONAL, ||, +, / "
                                             "...) a query may hold (400 beyond). An Oxigraph server aborts on a "
                                             "flat chain of 10,000 `||`, and takes 4.7 s to plan 2,000 FILTERs."),
    _sparql("SPARQL_REMOTE_GROUPS", 64, "With a remote store: most `{ }` groups (OPTIONAL, MINUS, VALUES, UNION "
                                         "branches, sub-selects) a query may hold. An Oxigraph server plans joins "
                                         "in time growing with the fourth power of their count (64: 0.15 s, 200: 14 s) "
                                         "and aborts at about 2,750 VALUES, MINUS or sub-selects. Virtuoso 7.2 "
                                         "needs HTTPThreadSize = 2000000 for it (96 overflowed its own stack)."),
    _sparql("SPARQL_REMOTE_PATTERNS", 64, "With a remote store: most triple patterns a query may hold (counted as "
                                          "three terms each outside VALUES data). An Oxigraph server took 1.6 s to "
                                          "plan 100 joined patterns and 24 s for 200, on an empty store. Virtuoso "
                                          "7.2 needs HTTPThreadSize = 2000000 for it (40 overflowed its own stack)."),
    _sparql("SPARQL_REMOTE_BINDS", 400, "With a remote store: most BINDs and projected expressions (`AS`) a "
                                        "query may hold. An Oxigraph server holding data aborted (stack overflow) "
                                        "in 2 to 4 of 8 runs of 1,000 BINDs, none of 16 at 400."),
    _sparql("SPARQL_RETRY_AFTER", 5, "Seconds sent in Retry-After when every worker is busy."),
    _sparql("SPARQL_CACHE_ENTRIES", 1024, "Answers to GET queries each server process keeps for repeated "
                                          "queries (0 turns the result cache off)."),
    _sparql("SPARQL_CACHE_BYTES", 64 << 20, "Most bytes of the answers each server process keeps; an answer is "
                                            "kept only when it passed from the worker in memory "
                                            "(SPARQL_INLINE_BYTES)."),
    _sparql("SPARQL_QUEUE_SECONDS", 10.0, "Seconds a query waits for a free query worker before it is refused "
                                          "(503 with Retry-After)."),
    _sparql("SPARQL_QUEUE_STALL", 0.5, "A query is refused (503 with Retry-After) rather than kept waiting once "
                                       "every query worker of its server process has been running its query for "
                                       "this many seconds: they are long ones, and the wait would hold a server "
                                       "thread."),
    _sparql("SPARQL_QUEUE", 32, "Queries that may wait for a query worker in one server process; one more is "
                                "refused at once (503 with Retry-After)."),
    _sparql("SPARQL_SHARE_SLOTS", True, "Server processes of one parent (gunicorn's workers) serving the same "
                                        "data folder lend each other free query workers' slots, so every slot is "
                                        "used before a query is refused (lock files in the temporary folder)."),
)
TABLE: tuple[Setting, ...] = PIPELINE_SETTINGS + WEB_SETTINGS + SPARQL_SETTINGS
BY_NAME: dict[str, Setting] = {s.name: s for s in TABLE}


def read_environment(env: Mapping[str, str]) -> dict[str, object]:
    """{name: value} of every setting whose environment variable is set and not empty."""
    return {s.name: s.read(env[s.variable]) for s in TABLE if env.get(s.variable)}


def _field(name: str) -> Any:  # Any: the default is of the type the field's annotation declares
    s = BY_NAME[name]
    return field(default=s.default, metadata={"help": s.help})


@dataclass(frozen=True)
class Settings:
    base: str = _field("base")
    project_dir: Path = _field("project_dir")
    data_dir: Path = _field("data_dir")
    keep_releases: int = _field("keep_releases")
    cache: bool = _field("cache")
    remote: str | None = _field("remote")
    fuseki_dataset: str | None = _field("fuseki_dataset")
    licence: str = _field("licence")
    gdelt: tuple[str, ...] = _field("gdelt")
    shacl: str = _field("shacl")

    def with_(self, **changes: Any) -> "Settings":
        """These settings with the given ones over them (None: left as they are). Any: the values come
        from the table (Setting.read), each of its field's type."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def settings_from(values: Mapping[str, object]) -> Settings:
    return Settings().with_(**{s.name: values.get(s.name) for s in PIPELINE_SETTINGS})


def web_config(values: Mapping[str, object]) -> dict[str, object]:
    return {s.name: values[s.name] for s in WEB_SETTINGS + SPARQL_SETTINGS if s.name in values}


def documented() -> list[tuple[str, object, str]]:
    """(name, default, help) for every pipeline setting, for --help and docs."""
    return [(f.name, f.default, f.metadata["help"]) for f in fields(Settings)]
