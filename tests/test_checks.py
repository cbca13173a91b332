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


def test_check_float_array_accepts_finite_float_arrays_of_the_allowed_ndim() -> None:
    import numpy as np

    from snippets._checks import check_float_array

    check_float_array(np.zeros((2, 3)), "X", (2, 4))
    with pytest.raises(TypeError, match=r"^X must be a floating NumPy array"):
        check_float_array(np.zeros((2, 3), dtype=int), "X", (2,))
    with pytest.raises(TypeError, match=r"^X must be a floating NumPy array"):
        check_float_array([[1.0]], "X", (2,))
    with pytest.raises(ValueError, match=r"^X must have 2 or 4 dimensions"):
        check_float_array(np.zeros(3), "X", (2, 4))
    with pytest.raises(ValueError, match=r"^X must be finite"):
        check_float_array(np.array([[np.nan]]), "X", (2,))
