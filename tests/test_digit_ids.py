"""An indicator whose id starts with digits (Pandeglang's ``1.06.02-peningkatan-…``) is named
in a formula in brackets; written bare, its digits read as a number that cannot be, and the
message says to write the brackets, naming the whole id, where it said how to write digits."""

from __future__ import annotations

import pytest
from helpers import run


def test_an_id_written_bare_is_told_to_be_put_in_brackets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _ = run("--lang", "en", "formula", "1.06.02-peningkatan-kemampuan-psm-orang / 2")
    assert status != 0
    said = capsys.readouterr().err
    assert "'1.06.02' is not a number" in said
    assert (
        "hint: an id that starts with digits is written in brackets, or it reads as a number:"
        " [1.06.02-peningkatan-kemampuan-psm-orang]"
    ) in said
    # in brackets it is a name: 4 / 2 = 2
    status, text = run(
        "formula", "[1.06.02-peningkatan-kemampuan-psm-orang] / 2",
        "--set", "1.06.02-peningkatan-kemampuan-psm-orang=4",
    )  # fmt: skip
    assert status == 0
    assert text.startswith("[1.06.02-peningkatan-kemampuan-psm-orang] / 2 = 2")


def test_digits_followed_by_a_number_keep_the_hint_on_digits(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # '1.2.3-5': no letter after the dash, so no id: the hint says how to write digits
    status, _ = run("--lang", "en", "formula", "1.2.3-5 / 2")
    assert status != 0
    said = capsys.readouterr().err
    assert "hint: write digits with at most one decimal mark" in said
    assert "brackets" not in said
