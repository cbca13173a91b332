"""What a module of snippets/ depends on, read from its import statements (no import is run).

The build caches figures and notebooks by the files they import, so editing one chapter's snippet
re-renders that chapter's figures and re-runs that chapter's notebook, and nothing else.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import os
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "snippets"


def cache_dir() -> Path:
    """The build's cache folder: `.cache/`, or DLH_CACHE_DIR (the tests build from an empty one)."""
    return Path(os.environ.get("DLH_CACHE_DIR", ROOT / ".cache"))


_found: dict[tuple[Path, str], Path | None] = {}


def forget() -> None:
    """Look up module files afresh (a build calls this when it starts: files may have been added)."""
    _found.clear()


def module_file(dotted: str) -> Path | None:
    """The file of a module under snippets/ (a package's __init__.py), or None if there is none."""
    if (ROOT, dotted) not in _found:
        _found[ROOT, dotted] = _find(dotted)
    return _found[ROOT, dotted]


def _find(dotted: str) -> Path | None:
    parts = dotted.split(".")
    if parts[0] != PACKAGE:
        return None
    base = ROOT.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _dotted(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@functools.cache
def _imported(path: Path, source: str) -> frozenset[str]:
    """Dotted names this file imports, made absolute; `from a import b` yields a and a.b.

    Kept per (file, text) for the process: a build asks for the closures of 18 figure modules and
    notebooks that share most files, and `mkdocs serve` asks again on every rebuild."""
    names: set[str] = set()
    here = _dotted(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return frozenset(names)


def closure(*files: Path) -> list[Path]:
    """The files given (a snippet, a notebook) and every file under snippets/ they import, sorted.

    A module's package __init__.py files count too: Python runs them on import.
    """
    seen: set[Path] = set()
    todo = [Path(f).resolve() for f in files]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        if path.suffix != ".py":
            continue
        names = _imported(path, path.read_text(encoding="utf-8"))
        for name in names:
            parts = name.split(".")
            # the module itself and the packages on its way: snippets, snippets.losses, ...
            for i in range(1, len(parts) + 1):
                found = module_file(".".join(parts[:i]))
                if found is not None and found not in seen:
                    todo.append(found)
    return sorted(seen)


def digest(paths: list[Path], extra: str = "") -> str:
    """A short hash of the files (paths and bytes, in the order given) and `extra`."""
    h = hashlib.sha256(f"{extra}\n".encode())
    for path in paths:
        h.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def code_digest(path: Path) -> str:
    """A short hash of a file and every file under snippets/ it imports, directly or not: the key
    of an experiment's results (snippets/run_cache.py; hooks/figures.py removes stale ones)."""
    return digest(closure(path))


def key(*files: Path, extra: str = "") -> str:
    """A short hash of the files' closure, the matplotlib version and `extra`."""
    return digest(closure(*files), extra=f"matplotlib=={version('matplotlib')}\n{extra}")
