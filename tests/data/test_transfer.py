"""Tests of snippets/data/transfer.py: parameter groups, freezing, the digits split and the experiment."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.data.transfer import (
    METHODS,
    digits_transfer_split,
    fit,
    make_body,
    param_groups,
    transfer_run,
    transfer_runs,
)


def _step(body: torch.nn.Module, head: torch.nn.Module, body_lr: float, head_lr: float) -> torch.optim.Optimizer:
    opt = torch.optim.AdamW(param_groups(body, head, body_lr, head_lr), weight_decay=0.1)
    X = torch.randn(8, 64, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    y = torch.arange(8) % 5
    opt.zero_grad()
    torch.nn.functional.cross_entropy(head(body(X)), y).backward()
    opt.step()
    return opt


def test_each_group_has_its_lr_and_both_groups_move() -> None:
    body, head = make_body(0), torch.nn.Linear(64, 5).double()
    before = [p.detach().clone() for p in body.parameters()]
    opt = _step(body, head, 1e-3, 1e-2)
    assert [g["lr"] for g in opt.param_groups] == [1e-3, 1e-2]
    assert sum(p.numel() for p in opt.param_groups[0]["params"]) == 64 * 64 + 64 + 64 * 64 + 64
    assert sum(p.numel() for p in opt.param_groups[1]["params"]) == 64 * 5 + 5
    assert all(not torch.equal(a, p) for a, p in zip(before, body.parameters(), strict=True))


def test_a_frozen_body_does_not_change_after_a_step_even_with_weight_decay() -> None:
    body, head = make_body(0), torch.nn.Linear(64, 5).double()
    before = [p.detach().clone() for p in body.parameters()]
    head_before = [p.detach().clone() for p in head.parameters()]
    opt = _step(body, head, 0.0, 1e-2)
    assert len(opt.param_groups) == 1 and opt.param_groups[0]["lr"] == 1e-2
    assert all(not p.requires_grad and p.grad is None for p in body.parameters())
    assert all(torch.equal(a, p) for a, p in zip(before, body.parameters(), strict=True))
    assert all(not torch.equal(a, p) for a, p in zip(head_before, head.parameters(), strict=True))


def test_unfreezing_restores_requires_grad() -> None:
    body, head = make_body(0), torch.nn.Linear(64, 5).double()
    param_groups(body, head, 0.0, 1e-2)
    param_groups(body, head, 1e-3, 1e-2)
    assert all(p.requires_grad for p in body.parameters())


def test_split_uses_only_the_right_classes_and_never_trains_on_test_images() -> None:
    d = digits_transfer_split(3, n_per_class=4)
    assert set(d["y_src"].tolist()) == {0, 1, 2, 3, 4}
    assert np.bincount(d["y_tr"]).tolist() == [4] * 5
    assert len(d["X_tr"]) + len(d["X_te"]) == 1797 - len(d["X_src"])
    train_rows = {r.tobytes() for r in d["X_tr"]}
    assert sum(r.tobytes() in train_rows for r in d["X_te"]) <= 2  # load_digits has a few duplicate images
    full = digits_transfer_split(0)  # the page's counts: 901 source images, 846 test images
    assert (len(full["X_src"]), len(full["X_tr"]), len(full["X_te"])) == (901, 50, 846)
    assert 0.0 <= d["X_tr"].min() and d["X_tr"].max() <= 1.0


def test_fit_with_frozen_body_is_logistic_regression_on_fixed_features() -> None:
    d = digits_transfer_split(0, n_per_class=5)
    body, head = make_body(0), torch.nn.Linear(64, 5).double()
    before = body(torch.from_numpy(d["X_tr"])).detach().clone()
    fit(body, head, d["X_tr"], d["y_tr"], 0.0, 1e-2, steps=20)
    assert torch.equal(before, body(torch.from_numpy(d["X_tr"])).detach())


@pytest.mark.experiment
def test_seed0_ranks_scratch_and_fine_tuning_above_the_linear_probe() -> None:
    acc = transfer_run(0)
    assert set(acc) == set(METHODS)
    assert acc["scratch"] > acc["linear probe"] + 0.1
    assert acc["fine-tune 1x"] > acc["fine-tune 0.1x"] > acc["linear probe"]


@pytest.mark.experiment
def test_seed0_probe_head_underfits_at_150_steps_and_stays_below_scratch_when_fitted() -> None:
    d = digits_transfer_split(0)
    source = make_body(0)
    fit(source, torch.nn.Linear(64, 5).double(), d["X_src"], d["y_src"], 1e-2, 1e-2)
    scratch = transfer_run(0)["scratch"]
    res = {}
    for steps in (150, 1000):
        body = make_body(0)
        body.load_state_dict(source.state_dict())
        head = torch.nn.Linear(64, 5).double()
        fit(body, head, d["X_tr"], d["y_tr"], 0.0, 1e-2, steps=steps)
        with torch.no_grad():
            tr = (head(body(torch.from_numpy(d["X_tr"]))).argmax(1).numpy() == d["y_tr"]).mean()
            te = (head(body(torch.from_numpy(d["X_te"]))).argmax(1).numpy() == d["y_te"]).mean()
        res[steps] = (float(tr), float(te))
    assert res[150][0] < 0.95 and res[1000][0] == 1.0  # the page's probe head has not fitted its 50 images
    assert res[1000][1] > res[150][1] + 0.05  # a fitted head helps the probe ...
    assert res[1000][1] < scratch - 0.1  # ... but it stays well below training from scratch


@pytest.mark.experiment
def test_five_seeds_give_the_page_medians_ranges_and_per_seed_rankings() -> None:
    acc = transfer_runs()
    page = {  # median, min, max as printed on the page
        "scratch": (0.93, 0.91, 0.96), "linear probe": (0.68, 0.62, 0.69),
        "fine-tune 0.1x": (0.85, 0.82, 0.87), "fine-tune 1x": (0.91, 0.89, 0.93),
    }
    for m, (med, lo, hi) in page.items():
        v = acc[m]
        assert len(v) == 5
        assert (round(float(np.median(v)), 2), round(float(v.min()), 2), round(float(v.max()), 2)) == (med, lo, hi), m
    others = np.stack([acc[m] for m in METHODS if m != "linear probe"])
    assert (acc["linear probe"] < others.min(0)).all()  # the probe is last on every seed
    assert (acc["fine-tune 0.1x"] < acc["scratch"]).all()  # 0.1x fine-tuning below scratch on every seed
    assert (acc["fine-tune 1x"] > acc["scratch"]).any() and (acc["fine-tune 1x"] < acc["scratch"]).any()  # mixed


def _head() -> torch.nn.Module:
    return torch.nn.Linear(64, 5).double()


@pytest.mark.parametrize(
    ("call", "exc", "name"),
    [
        (lambda: param_groups("body", torch.nn.Linear(2, 2), 0.1, 0.1), TypeError, "body"),
        (lambda: param_groups(torch.nn.Linear(2, 2), None, 0.1, 0.1), TypeError, "head"),
        (lambda: param_groups(torch.nn.Linear(2, 2), torch.nn.Linear(2, 2), -1.0, 0.1), ValueError, "body_lr"),
        (lambda: param_groups(torch.nn.Linear(2, 2), torch.nn.Linear(2, 2), 0.1, 0.0), ValueError, "head_lr"),
        (lambda: make_body(-1), ValueError, "seed"),
        (lambda: make_body(0, hidden=0), ValueError, "hidden"),
        (lambda: digits_transfer_split(0, n_per_class=0), ValueError, "n_per_class"),
        (lambda: digits_transfer_split(0, n_per_class=200), ValueError, "n_per_class"),
        (lambda: fit(make_body(0), _head(), np.zeros((3, 64)), np.zeros(2, np.int64), 0.1, 0.1), ValueError, "X"),
        (lambda: fit(make_body(0), _head(), np.zeros((3, 64)), np.zeros(3, np.int64), 1, 1, 0), ValueError, "steps"),
        (lambda: transfer_run(0, lr=0.0), ValueError, "lr"),
        (lambda: transfer_runs(seeds=()), ValueError, "seeds"),
    ],
)
def test_bad_arguments_raise_naming_the_argument(call, exc, name) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(exc, match=name):
        call()
