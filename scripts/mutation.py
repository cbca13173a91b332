"""Measure how strong the unit tests are: the share of mutants of snippets/ that some test kills.

Run with `make mutation` (installs requirements-mutation.txt into .venv first). mutmut 3 copies
snippets/ and tests/ to ./mutants/, changes one operator, constant or call at a time, and runs only
the tests that reach the changed function. A mutant that no test fails on ("survived") is a
behaviour the tests do not pin down; `.venv/bin/mutmut show NAME` prints its diff.

    python scripts/mutation.py                    # every chapter, then the table
    python scripts/mutation.py --chapter losses   # one chapter (mutmut keeps earlier results)
    python scripts/mutation.py --report-only      # the table from ./mutants/ as it is

The table counts, per chapter, killed / (killed + survived + timeout); mutants no test reaches are
listed separately ("no tests"). Figure and plotting modules are excluded in pyproject.toml
([tool.mutmut] do_not_mutate): their output is checked by rendering, not by values. Slow (an hour
or more on two cores for the whole of snippets/), so it is not part of `make test`.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = Path(sys.executable).with_name("mutmut")
LINE = re.compile(r"^\s*(snippets\.[\w.]+?)__mutmut_\d+: (.+)$")


def chapters() -> list[str]:
    return sorted(p.name for p in (ROOT / "snippets").iterdir() if p.is_dir() and (p / "__init__.py").exists())


def run(chapter: str | None, max_children: int) -> None:
    patterns = [f"snippets.{chapter}.*"] if chapter else []
    cmd = [str(MUTMUT), "run", "--max-children", str(max_children), *patterns]
    env = dict(os.environ, MPLBACKEND="Agg", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    subprocess.run(cmd, cwd=ROOT, env=env, check=False)


def tally() -> dict[str, collections.Counter[str]]:
    out = subprocess.run([str(MUTMUT), "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True)
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for line in out.stdout.splitlines():
        m = LINE.match(line)
        if m:
            chapter = m.group(1).split(".")[1]
            counts[chapter][m.group(2).strip()] += 1
    return counts


def table(counts: dict[str, collections.Counter[str]]) -> str:
    rows = [
        "| chapter | mutants | killed | survived | timeout | no tests | killed share |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    total: collections.Counter[str] = collections.Counter()
    for chapter in sorted(counts):
        c = counts[chapter]
        total.update(c)
        rows.append(row(chapter, c))
    if len(counts) > 1:
        rows.append(row("all", total))
    return "\n".join(rows)


def row(name: str, c: collections.Counter[str]) -> str:
    judged = c["killed"] + c["survived"] + c["timeout"]
    share = f"{100 * c['killed'] / judged:.0f} %" if judged else "n/a"
    return (f"| {name} | {sum(c.values())} | {c['killed']} | {c['survived']} | {c['timeout']} "
            f"| {c['no tests']} | {share} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chapter", choices=chapters(), help="mutate only snippets/<chapter>/")
    ap.add_argument("--max-children", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--report-only", action="store_true", help="print the table from ./mutants/ without running")
    args = ap.parse_args()
    if not MUTMUT.exists():
        sys.exit(f"{MUTMUT} not found: run `make mutation`, which installs requirements-mutation.txt")
    if not args.report_only:
        run(args.chapter, args.max_children)
    counts = tally()
    if not counts:
        sys.exit("no mutation results in ./mutants/; run without --report-only first")
    print(table(counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
