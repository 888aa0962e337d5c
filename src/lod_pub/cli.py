"""The lod-pub command line. The environment is read here, at the edge, and nowhere else.

Exit codes: 0 success (published, valid, served), 1 invalid data (records or shapes), 2 any other error.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from typing import Callable

from . import __version__
from .errors import LodPubError, RecordError, ValidationFailed
from .settings import BY_NAME, PIPELINE_SETTINGS, Settings, read_environment, settings_from

EPILOG = "exit codes: 0 success, 1 invalid data (records or shapes), 2 any other error"


def _environment() -> dict[str, object]:
    """The settings the environment sets: read here, once per command, and nowhere else in the CLI."""
    return read_environment(os.environ)


def _settings(args: argparse.Namespace) -> Settings:
    """The environment's settings, then the command line's over them."""
    values = _environment()
    for setting in PIPELINE_SETTINGS:
        given = getattr(args, setting.name, None)
        if given is not None:
            values[setting.name] = setting.read(str(given)) if not isinstance(given, bool) else given
    if getattr(args, "no_cache", False):
        values["cache"] = False
    return settings_from(values)


def _add(parser: argparse.ArgumentParser, name: str, *, metavar: str,
         type: Callable[[str], object] = str) -> None:  # noqa: A002 - add_argument's name
    """The CLI option of a setting of the table, its help and environment variable from the table."""
    setting = BY_NAME[name]
    default = "none" if setting.default is None else setting.default
    parser.add_argument(setting.option, dest=name, default=None, metavar=metavar, type=type,
                        help=f"{setting.help} Env: {setting.variable} (default: {default})")


def _common(parser: argparse.ArgumentParser) -> None:
    _add(parser, "project_dir", metavar="DIR")
    _add(parser, "data_dir", metavar="DIR")
    _add(parser, "base", metavar="IRI")
    _add(parser, "keep_releases", metavar="N", type=int)
    _add(parser, "licence", metavar="IRI")
    parser.add_argument(BY_NAME["shacl"].option, dest="shacl", default=None, choices=("auto", "pyshacl"),
                        help=f"{BY_NAME['shacl'].help} Env: {BY_NAME['shacl'].variable} (default: auto)")


def _remote_arguments(parser: argparse.ArgumentParser) -> None:
    _add(parser, "remote", metavar="URL")
    _add(parser, "fuseki_dataset", metavar="NAME")


def _progress(quiet: bool) -> Callable[[str], None]:
    return (lambda _: None) if quiet else (lambda msg: print(f"lod-pub: {msg}", file=sys.stderr, flush=True))


def _step(quiet: bool) -> Callable[[int, int], None]:
    """Progress through batches: a bar on a terminal, a plain line every tenth in logs."""
    if quiet:
        return lambda done, total: None
    tty = sys.stderr.isatty()

    def step(done: int, total: int) -> None:
        if tty:
            filled = int(30 * done / total)
            end = "\n" if done == total else ""
            print(f"\r  [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} batches", end=end, file=sys.stderr, flush=True)
        elif done == total or done % max(1, total // 10) == 0:
            print(f"lod-pub:   {done}/{total} batches mapped and validated", file=sys.stderr, flush=True)
    return step


def cmd_build(args: argparse.Namespace) -> int:
    from .release import build

    progress = _progress(args.quiet)
    outcome = build(_settings(args), progress, _step(args.quiet))
    total = outcome.timings.get("total", 0.0)
    progress(f"took {total:.1f} s: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in outcome.timings.items()
                                              if name != "total"))
    if outcome.report is not None and outcome.report.warnings:
        print(outcome.report.text(), file=sys.stderr)
    print(f"published {outcome.release.id}: {outcome.release.manifest['quads']} quads in {outcome.release.path}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .release import check

    report, triples = check(_settings(args), _progress(args.quiet), _step(args.quiet))
    print(report.text(), end="")
    print(f"valid: {triples} triples; nothing published")
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .sources.draft import write_draft

    written = write_draft(Path(args.article), Path(_settings(args).project_dir) / "seeds", args.url, args.published)
    print(f"drafted {written}: confirm or correct each value marked #?, then run lod-pub check")
    return 0


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def cmd_push(args: argparse.Namespace) -> int:
    from .published import current
    from .store.http import Endpoints
    from .store.push import RemoteStore, push

    settings = _settings(args)
    if not settings.remote:
        print("lod-pub: push needs the remote store: --remote URL or LOD_PUB_REMOTE", file=sys.stderr)
        return 2
    release = current(settings.data_dir)
    if release is None:
        print(f"lod-pub: nothing published in {settings.data_dir}; run lod-pub build first", file=sys.stderr)
        return 2
    sent = push(release, RemoteStore(Endpoints.of(settings.remote, settings.fuseki_dataset)), _progress(args.quiet),
                verify_all=args.verify_all)
    print(f"pushed {release.id}: {release.manifest['quads']} quads to {settings.remote} "
          f"({sent} of {len(release.manifest['graphs'])} graphs sent, the rest unchanged)")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="lod-pub", description="Publish curated news records as Linked Data.",
                                  epilog=EPILOG)
    top.add_argument("--version", action="version", version=f"lod-pub {__version__}")
    sub = top.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="read seeds/, map, validate and publish a new release",
                           description="Read seeds/, map, validate with the shapes, write and check a release, "
                                       "and make it current in one atomic switch.", epilog=EPILOG)
    check = sub.add_parser("check", help="read, map and validate seeds/ without publishing",
                           description="Read, map and validate seeds/; publish nothing.", epilog=EPILOG)
    for p, fn in ((build, cmd_build), (check, cmd_check)):
        _common(p)
        _add(p, "gdelt", metavar="DIR")
        p.add_argument("-q", "--quiet", action="store_true", help="print no progress lines")
        p.set_defaults(func=fn)
    push = sub.add_parser("push", help="publish the current release into a remote SPARQL store",
                          description="Load the current release's new and changed graphs into a SPARQL 1.1 store "
                                      "over HTTP (Graph Store Protocol), switch to them in one SPARQL Update request, "
                                      "and check that the store holds the release (graph names, and the quads and a "
                                      "digest of each graph sent; the graphs not sent are trusted from the last push's "
                                      "note and their names); exit 2 with a report of each difference when it does "
                                      "not. --remote: an Oxigraph server's base URL, Virtuoso's /sparql URL, or "
                                      "Fuseki's base URL with --fuseki-dataset. See docs/remote.md.",
                          epilog=EPILOG)
    _common(push)
    _remote_arguments(push)
    push.add_argument("-q", "--quiet", action="store_true", help="print no progress lines")
    push.add_argument("--verify-all", action="store_true",
                      help="also count the quads of every graph of the store, before loading (a graph that "
                           "differs from the last push's: the whole release is sent again) and after the switch; "
                           "each count reads every quad of the store")
    push.set_defaults(func=cmd_push)
    build.add_argument("--no-cache", action="store_true",
                       help="read, map and validate every article again and write the whole release, "
                            "ignoring what the last build and the current release kept")
    draft = sub.add_parser("draft", help="propose a record for an article text, for the editor to confirm",
                           description="Write NAME.yaml beside NAME.txt: a proposed record (entities of the register "
                                       "and the country table, dates, events, statements, quotes), every value to "
                                       "confirm marked #?; never over an existing record. See docs/drafting.md.",
                           epilog=EPILOG)
    draft.add_argument("article", metavar="ARTICLE.txt", help="the article's text (UTF-8)")
    draft.add_argument("--url", help="where the article is published (its address gives the title and publisher)")
    draft.add_argument("--published", type=_day, metavar="DATE",
                       help="the article's date, YYYY-MM-DD (default: the date its first lines give)")
    _add(draft, "project_dir", metavar="DIR")
    draft.set_defaults(func=cmd_draft)
    from .serve import add_commands  # flask is a core dependency: a failing import is a bug to show

    add_commands(sub, _common, _settings, _remote_arguments, _environment)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except (RecordError, ValidationFailed) as exc:
        print(f"lod-pub: {exc}", file=sys.stderr)
        print("lod-pub: nothing was published; the current release is unchanged", file=sys.stderr)
        return exc.exit_code
    except LodPubError as exc:  # an operator's terminal: the store's address too, where the error has it
        print(f"lod-pub: error: {getattr(exc, 'detail', None) or exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("lod-pub: interrupted; the current release is unchanged", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
