"""Input checks used by more than one chapter (each message names the argument)."""

from __future__ import annotations


def check_int(value: int, name: str, low: int) -> int:
    """Require an int (not a bool) >= ``low``; a ValueError naming ``name`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{name} must be an int >= {low}, got {value!r}")
    return value
