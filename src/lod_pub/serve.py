"""`lod-pub serve`: serve the current release (building it first when there is none, or publishing the
files given with --data). The pipeline's and the web's at once, so it sits above both, beside cli.py."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .settings import BY_NAME, web_config


def cmd_serve(args: argparse.Namespace, settings, environment: dict) -> int:
    from .published import current
    from .release import build
    from .web import create_app

    if args.data:
        from .adhoc import publish_files

        settings = settings.with_(data_dir=Path(args.data_dir or Path(".lod-pub-data")))
        publish_files(args.data, settings)
    elif current(settings.data_dir) is None and settings.remote:
        print(f"lod-pub: no release in {settings.data_dir}: with --remote, the data comes from the remote store and "
              "the files (manifest, dumps, vocabulary) from the release folder that `lod-pub build` wrote; "
              "copy it here (its store/ is not needed)", file=sys.stderr)
        return 2
    elif current(settings.data_dir) is None:
        print("lod-pub: no release yet; building one first", file=sys.stderr)
        build(settings, lambda msg: print(f"lod-pub: {msg}", file=sys.stderr, flush=True))
    app = create_app(settings, **web_config(environment))
    source = f" with data from the remote store {settings.remote}" if settings.remote else ""
    print(f"lod-pub: serving {settings.data_dir}/current{source} on http://{args.host}:{args.port}/", file=sys.stderr)
    app.run(host=args.host, port=args.port, debug=False, use_reloader=False, threaded=True)
    return 0


def add_commands(sub, common, to_settings, remote_arguments, environment) -> None:
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
        serve.add_argument(setting.flag, dest=setting.flag.lstrip("-"), type=kind, default=None,
                           help=f"{setting.help} Env: {setting.variable} (default: {setting.default})")
    serve.add_argument("--data", action="append", metavar="[GRAPH_IRI=]PATH",
                       help="serve these RDF files instead of the built seeds (repeatable; Turtle, N-Triples, "
                            "N-Quads, TriG, RDF/XML, JSON-LD); each goes into the named graph given, or one "
                            "named after the file; quads keep their own graphs")
    remote_arguments(serve)
    serve.set_defaults(func=lambda args: _serve(args, to_settings(args), environment()))


def _serve(args: argparse.Namespace, settings, environment: dict) -> int:
    args.host = args.host or environment.get("LOD_PUB_HOST", BY_NAME["LOD_PUB_HOST"].default)
    args.port = args.port or environment.get("LOD_PUB_PORT", BY_NAME["LOD_PUB_PORT"].default)
    return cmd_serve(args, settings, environment)
