"""snippets.run_cache.shared_run: one computation per build, none saved outside a build."""

from __future__ import annotations

from pathlib import Path

import pytest

from snippets.run_cache import ENV, shared_run

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
    assert len(list((tmp_path / "runs").glob("*.pkl"))) == 2


def test_the_losses_experiment_is_shared_by_its_figure_and_notebook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from snippets.losses import ce_vs_mse

    monkeypatch.setenv(ENV, str(tmp_path))
    small = ce_vs_mse.ce_vs_mse_experiment(seeds=(0,), steps=3)
    again = ce_vs_mse.ce_vs_mse_experiment(seeds=(0,), steps=3)
    assert [p.name.split("-")[0] for p in tmp_path.glob("*.pkl")] == [
        "snippets.losses.ce_vs_mse.ce_vs_mse_experiment"
    ]
    assert again.keys() == small.keys()


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
