"""Keep the theme's compiled Jinja templates in the build cache (`jinja/`).

MkDocs makes a new template environment for every build, so each rebuild of `mkdocs serve` compiled
the theme's ~40 templates again (a fifth of a page edit's rebuild). Jinja's bytecode cache keys each
template by its name and a checksum of its source: an edited template is compiled afresh.
"""

from __future__ import annotations

import deps  # hooks/deps.py
import jinja2


def on_env(env: jinja2.Environment, config, files) -> jinja2.Environment:
    folder = deps.cache_dir() / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env
