"""snippets._checks: the shared input checks."""

from __future__ import annotations

import pytest

from snippets._checks import check_int


def test_check_int_accepts_ints_at_and_above_low() -> None:
    assert check_int(3, "n", 3) == 3
    assert check_int(10, "n", 0) == 10


@pytest.mark.parametrize("value", [True, 2.0, "3", None, 2])
def test_check_int_rejects_bools_non_ints_and_small_values_naming_the_argument(value: object) -> None:
    with pytest.raises(ValueError, match=r"^steps must be an int >= 3, got "):
        check_int(value, "steps", 3)  # type: ignore[arg-type]
