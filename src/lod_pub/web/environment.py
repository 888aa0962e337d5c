"""Settings and web configuration from environment variables: read at the edge (wsgi, CLI), once."""

from __future__ import annotations

import os
from pathlib import Path

from ..settings import Settings


def settings_from_environment(env=os.environ) -> Settings:
    return Settings().with_(
        base=env.get("LOD_PUB_BASE") or None,
        data_dir=Path(env["LOD_PUB_DATA_DIR"]) if env.get("LOD_PUB_DATA_DIR") else None,
        project_dir=Path(env["LOD_PUB_PROJECT"]) if env.get("LOD_PUB_PROJECT") else None,
        remote=env.get("LOD_PUB_REMOTE") or None,
        fuseki_dataset=env.get("LOD_PUB_FUSEKI_DATASET") or None,
    )


def config_from_environment(env=os.environ) -> dict:
    """The web's tuning knobs, and the SPARQL endpoint's limits (LOD_PUB_SPARQL_*, see docs/sparql.md)."""
    from .sparql import environment_config

    config = {key: int(env[key]) for key in ("LOD_PUB_CACHE_SIZE", "LOD_PUB_PAGE_SIZE") if env.get(key)}
    if env.get("LOD_PUB_REMOTE_TIMEOUT"):
        config["LOD_PUB_REMOTE_TIMEOUT"] = float(env["LOD_PUB_REMOTE_TIMEOUT"])
    return {**config, **environment_config(env)}
