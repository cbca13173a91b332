"""snippets.run_cache.shared_run: one computation per build, none saved outside a build."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from snippets.run_cache import ENV, call_key, code_digest, shared_run

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hooks"))

calls: list[tuple[int, int]] = []


def experiment(a: int, b: int = 0) -> dict[str, int]:
    calls.append((a, b))
    return {"sum": a + b}


def test_outside_a_build_every_call_computes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    calls.clear()
    run = shared_run(experiment)
    assert run(1, b=2) == run(1, b=2) == {"sum": 3}
    assert calls == [(1, 2), (1, 2)]


def test_inside_a_build_the_same_call_computes_once_and_other_args_compute_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, str(tmp_path / "runs"))
    calls.clear()
    run = shared_run(experiment)
    assert run(1, b=2) == {"sum": 3}
    assert shared_run(experiment)(1, b=2) == {"sum": 3}  # a second wrapper, as in another process
    assert run(1, b=5) == {"sum": 6}
    assert calls == [(1, 2), (1, 5)]
    assert len(list((tmp_path / "runs").rglob("*.pkl"))) == 2


def test_the_losses_experiment_is_shared_by_its_figure_and_notebook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from snippets.losses import ce_vs_mse

    monkeypatch.setenv(ENV, str(tmp_path))
    small = ce_vs_mse.ce_vs_mse_experiment(seeds=(0,), steps=3)
    again = ce_vs_mse.ce_vs_mse_experiment(seeds=(0,), steps=3)
    (kept,) = tmp_path.rglob("*.pkl")
    module, code, name = kept.relative_to(tmp_path).parts
    assert (module, name.split("-")[0]) == ("snippets.losses.ce_vs_mse", "ce_vs_mse_experiment")
    assert code == code_digest(ce_vs_mse.__file__)
    assert again.keys() == small.keys()


def test_the_key_changes_when_the_module_or_a_file_it_imports_changes_and_only_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import snippets.run_cache as rc

    monkeypatch.setattr(rc._deps(), "ROOT", tmp_path)  # hooks/deps.py, as run_cache loaded it
    files = {"snippets/__init__.py": "", "snippets/a.py": "from snippets.b import g\n",
             "snippets/b.py": "def g():\n    return 1\n", "snippets/c.py": "x = 1\n"}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    a = str(tmp_path / "snippets/a.py")
    before = code_digest(a)
    (tmp_path / "snippets/c.py").write_text("x = 2\n", encoding="utf-8")  # not imported by a
    assert code_digest(a) == before
    (tmp_path / "snippets/b.py").write_text("def g():\n    return 2\n", encoding="utf-8")  # imported
    assert code_digest(a) != before
    assert call_key(experiment, (1,), {}, "c0de").startswith(f"{experiment.__module__}/c0de/experiment-")
    assert call_key(experiment, (1,), {}, "c0de") != call_key(experiment, (2,), {}, "c0de")


def test_an_edit_saved_while_the_experiment_runs_keeps_its_result_out_of_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import snippets.run_cache as rc

    monkeypatch.setenv(ENV, str(tmp_path / "runs"))
    digests = iter(["old", "new"])  # at import, then after computing: the file changed meanwhile
    monkeypatch.setattr(rc, "code_digest", lambda path: next(digests))
    calls.clear()
    run = shared_run(experiment)
    assert run(1) == {"sum": 1}
    assert not list((tmp_path / "runs").rglob("*.pkl"))  # nothing kept under "old" or "new"


def test_code_defined_outside_the_checkout_runs_without_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, str(tmp_path / "runs"))
    scope: dict = {}
    exec("def f(x):\n    return x + 1\n", scope)  # as pytest-codeblocks runs a docs block
    assert shared_run(scope["f"])(1) == 2
    assert not (tmp_path / "runs").exists()


def test_rejects_what_is_not_callable() -> None:
    with pytest.raises(TypeError, match="fn must be callable"):
        shared_run(3)  # type: ignore[arg-type]


def test_a_shared_run_computes_on_one_thread_and_restores_the_pools(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch
    from threadpoolctl import threadpool_info

    def threads() -> tuple[int, list[int]]:
        return torch.get_num_threads(), [p["num_threads"] for p in threadpool_info()]

    original = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        before = threads()
        for folder in (None, tmp_path / "runs"):  # outside and inside a build
            if folder is None:
                monkeypatch.delenv(ENV, raising=False)
            else:
                monkeypatch.setenv(ENV, str(folder))
            seen = shared_run(threads)()
            assert seen[0] == 1 and set(seen[1]) == {1}, seen
            assert threads() == before
    finally:
        torch.set_num_threads(original)
