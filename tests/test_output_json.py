"""``json_dumps``: the layout of ``json.dumps(indent=2, ensure_ascii=False)``, with every
Decimal written with exactly its digits."""

from __future__ import annotations

import json
from collections import OrderedDict
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iku_rules.output import json_dumps
from iku_rules.reasons import Reason

# Text as planners and data write it: Indonesian words, quotes, backslashes, control
# characters, characters outside the BMP, and the separators JSON must escape.
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",))
    | st.sampled_from(['"', "\\", "\n", "\t", "\x00", "\u2028", "é", "–", "Σ", "😀"]),
    max_size=12,
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(TEXT, inner, max_size=4)
    ),
    max_leaves=25,
)


@given(JSON)
def test_laid_out_as_json_dumps_lays_it_out(data: Any) -> None:
    assert json_dumps(data) == json.dumps(data, indent=2, ensure_ascii=False)
    assert json_dumps(data, indent=4) == json.dumps(data, indent=4, ensure_ascii=False)


DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, places=None)


@given(st.dictionaries(TEXT, st.lists(DECIMALS, max_size=3) | DECIMALS, max_size=4))
def test_every_decimal_read_back_digit_for_digit(data: dict[str, Any]) -> None:
    back = json.loads(json_dumps(data), parse_float=Decimal)
    assert back.keys() == data.keys()
    for key, value in data.items():
        found = back[key]
        pairs = zip(found, value, strict=True) if isinstance(value, list) else [(found, value)]
        for read, written in pairs:
            assert read == written  # the same number: nothing rounded, no float between
            if isinstance(read, Decimal):  # 25.00 keeps its places, 1E+70 its exponent
                assert read.as_tuple() == written.as_tuple()
            else:  # written without a point or an exponent (25): read back as an int
                assert written == written.to_integral_value()


def test_a_row_of_iku_eval() -> None:
    # One row as ``iku eval --format json`` writes it: a Reason (a str of its own kind),
    # a Decimal of 50 digits, a range target as a tuple, a mapping proxy and None.
    row = OrderedDict(
        id="iku-pmks-tertangani",
        value=Decimal("14.104010025062656641604010025062656641604010025063"),
        capaian=Decimal("25.00"),
        target=(Decimal("80"), Decimal("90.5")),
        reason=Reason("tidak ada target untuk 2026-TW1", "no-target"),
        extra=MappingProxyType({"threshold": "<=", "value": Decimal("14")}),
        unit=None,
        counted=True,
    )
    assert json_dumps([row]) == (
        "[\n"
        "  {\n"
        '    "id": "iku-pmks-tertangani",\n'
        '    "value": 14.104010025062656641604010025062656641604010025063,\n'
        '    "capaian": 25.00,\n'
        '    "target": [\n'
        "      80,\n"
        "      90.5\n"
        "    ],\n"
        '    "reason": "tidak ada target untuk 2026-TW1",\n'
        '    "extra": {\n'
        '      "threshold": "<=",\n'
        '      "value": 14\n'
        "    },\n"
        '    "unit": null,\n'
        '    "counted": true\n'
        "  }\n"
        "]"
    )


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (float("nan"), ValueError),
        (Decimal("NaN"), ValueError),
        (Decimal("Infinity"), ValueError),
        (b"bytes", TypeError),
        ({"set"}, TypeError),
    ],
)
def test_what_json_cannot_hold_is_refused(value: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        json_dumps({"value": value})
