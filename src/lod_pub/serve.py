"""`lod-pub serve`: serve the current release (building it first when there is none, or publishing the
files given with --data). The pipeline's and the web's at once, so it sits above both, beside cli.py.

With --data the files are loaded and their release made current before the server starts; its dumps
and VoID are written meanwhile, in a child process (lod_pub.adhoc: the release that holds them follows)."""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import sys
import threading
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping

from .errors import LodPubError
from .settings import BY_NAME, Settings, web_config

if TYPE_CHECKING:
    from .adhoc import Finishing

DUMPS_NICENESS = 10  # added to the niceness of the process that writes a --data release's dumps and VoID
PR_SET_PDEATHSIG = 1


def cmd_serve(args: argparse.Namespace, settings: Settings, environment: Mapping[str, object]) -> int:
    from .published import current
    from .release import build
    from .web import create_app

    if args.data:
        from .adhoc import start_files

        settings = settings.with_(data_dir=Path(args.data_dir or Path(".lod-pub-data")))
        _finish_apart(start_files(args.data, settings, _say))
    elif current(settings.data_dir) is None and settings.remote:
        print(f"lod-pub: no release in {settings.data_dir}: with --remote, the data comes from the remote store and "
              "the files (manifest, dumps, vocabulary) from the release folder that `lod-pub build` wrote; "
              "copy it here (its store/ is not needed)", file=sys.stderr)
        return 2
    elif current(settings.data_dir) is None:
        print("lod-pub: no release yet; building one first", file=sys.stderr)
        build(settings, lambda msg: print(f"lod-pub: {msg}", file=sys.stderr, flush=True))
    elif not settings.remote and (finishing := _resumed(settings)) is not None:
        _finish_apart(finishing)
    app = create_app(settings, **web_config(environment))
    source = f" with data from the remote store {settings.remote}" if settings.remote else ""
    print(f"lod-pub: serving {settings.data_dir}/current{source} on http://{args.host}:{args.port}/", file=sys.stderr)
    app.run(host=args.host, port=args.port, debug=False, use_reloader=False, threaded=True)
    return 0


def _say(message: str) -> None:
    print(f"lod-pub: {message}", file=sys.stderr, flush=True)


def _resumed(settings: Settings) -> Finishing | None:
    """The current release's dumps and VoID to write, when a `serve --data` stopped before it wrote them."""
    from .adhoc import resume_files

    return resume_files(settings, _say)


def _finish_apart(finishing: Finishing) -> None:
    """Write the dumps and VoID of a release published from files in a child process while it is served:
    forked now, before the server has a thread; at a lower CPU priority than the requests (DUMPS_NICENESS);
    ended with the server (PR_SET_PDEATHSIG). The child holds the build lock from here (an flock belongs
    to the open file, which the fork shares); a failure is told, and the release published first stays."""
    server = os.getpid()
    pid = os.fork()
    if pid == 0:
        os._exit(_finish(finishing, server))
    finishing.lock.close()  # this process's handle only: the child's keeps the lock
    threading.Thread(target=os.waitpid, args=(pid, 0), name="lod-pub dumps", daemon=True).start()


def _finish(finishing: Finishing, server: int) -> int:
    """The child: the exit status of writing the dumps and VoID (0 done, 2 failed or the server is gone)."""
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != server:  # it ended before the signal was asked for
            return 2
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, and the server's end this
        os.nice(DUMPS_NICENESS)
        finishing.finish(_say)
        return 0
    except LodPubError as exc:
        _say(f"error: {exc}; the release is served without its dumps and VoID")
        return 2
    except BaseException:  # a bug: told, and the child never returns into the server's code
        traceback.print_exc()
        return 2


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                 common: Callable[[argparse.ArgumentParser], None],
                 to_settings: Callable[[argparse.Namespace], Settings],
                 remote_arguments: Callable[[argparse.ArgumentParser], None],
                 environment: Callable[[], Mapping[str, object]]) -> None:
    """`serve`; `environment()` gives the settings the environment sets (the CLI reads it, once)."""
    serve = sub.add_parser(
        "serve", help="serve the current release over HTTP (builds one first when there is none)",
        description="Serve the current release: entity IRIs, documents, the SPARQL endpoint and the dumps. "
                    "This is the development server; for production run the same app under gunicorn "
                    "(see docs/deploy.md).",
    )
    common(serve)
    for name, kind in (("LOD_PUB_HOST", str), ("LOD_PUB_PORT", int)):
        setting = BY_NAME[name]
        serve.add_argument(setting.option, dest=setting.option.lstrip("-"), type=kind, default=None,
                           help=f"{setting.help} Env: {setting.variable} (default: {setting.default})")
    serve.add_argument("--data", action="append", metavar="[GRAPH_IRI=]PATH",
                       help="serve these RDF files instead of the built seeds (repeatable; Turtle, N-Triples, "
                            "N-Quads, TriG, RDF/XML, JSON-LD); each goes into the named graph given, or one "
                            "named after the file; quads keep their own graphs")
    remote_arguments(serve)
    serve.set_defaults(func=lambda args: _serve(args, to_settings(args), environment()))


def _serve(args: argparse.Namespace, settings: Settings, environment: Mapping[str, object]) -> int:
    args.host = args.host or environment.get("LOD_PUB_HOST", BY_NAME["LOD_PUB_HOST"].default)
    args.port = args.port or environment.get("LOD_PUB_PORT", BY_NAME["LOD_PUB_PORT"].default)
    return cmd_serve(args, settings, environment)
