"""The one number rule (iku_rules.notation): reading back what a notation writes gives the
same Decimal, and no spelling that is accepted is read two ways."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iku_rules import notation as notations
from iku_rules.notation import (
    EN,
    ID,
    UNSETTLED,
    AmbiguousNumber,
    MisgroupedNumber,
    NumberError,
    parse,
    read,
)
from iku_rules.parser import parse as parse_formula
from iku_rules.testing import notation_values, spellings

DECLARED = (ID, EN)


@given(value=notation_values(), notation=st.sampled_from(DECLARED))
def test_what_a_notation_writes_it_reads_back(value: Decimal, notation: notations.Notation) -> None:
    written = notations.write(value, notation)
    assert read(written, notation) == value
    # digit by digit: the same digits, trailing zeros included
    assert format(read(written, notation), "f") == format(value, "f")
    # the spelling that reads one way is read alike whatever is declared, or not declared
    plain = notations.unambiguous(value, notation)
    for anyhow in (UNSETTLED, ID, EN):
        assert read(plain, anyhow) == value


@given(text=spellings())
def test_no_accepted_spelling_is_read_two_ways(text: str) -> None:
    body = text.removesuffix("%")
    found = notations.readings(body)
    outcomes: dict[str, Decimal | type[Exception]] = {}
    for name, notation in (("unsettled", UNSETTLED), ("id", ID), ("en", EN)):
        try:
            outcomes[name] = parse(text, notation).value
        except AmbiguousNumber:
            outcomes[name] = AmbiguousNumber
        except MisgroupedNumber:
            outcomes[name] = MisgroupedNumber
        except NumberError:
            outcomes[name] = NumberError
    if not found:
        # neither notation reads it: refused however declared
        assert set(outcomes.values()) == {NumberError}
    elif len(found) == 1 and _out_of_place(body, *found):
        # one notation reads it, the other as thousands grouped out of place (1000.000):
        # read so only where that one is declared, refused elsewhere
        ((reader, value),) = found.items()
        expected = {name: MisgroupedNumber for name in outcomes}
        expected[reader] = value
        assert outcomes == expected
    elif len(set(found.values())) == 1:
        # both read it alike, or only one reads it: one value, however declared
        (value,) = set(found.values())
        assert set(outcomes.values()) == {value}
    else:
        # the two read it differently: each declared notation reads its own way, and
        # without a declaration it is refused with both readings
        assert outcomes == {"unsettled": AmbiguousNumber, "id": found["id"], "en": found["en"]}


def _out_of_place(body: str, reader: str) -> bool:
    """Whether ``body`` is digits grouped in threes by the other notation's thousands mark,
    the first group longer than three digits (``1000.000`` for notation "en")."""
    group = "," if reader == "id" else "."
    return re.fullmatch(rf"[+\-−]?[1-9][0-9]{{3,}}(\{group}[0-9]{{3}})+", body) is not None


@given(text=spellings().filter(lambda text: "," not in text and not text.startswith("-")))
def test_formulas_read_numbers_by_the_same_rule(text: str) -> None:
    for notation in (ID, EN):
        try:
            expected = parse(text, notation)
        except NumberError:
            continue
        body = parse_formula(f"a × {text}", notation=notation).body
        number = body.operands[1]  # type: ignore[attr-defined]
        assert (number.value, number.percent) == (expected.value, expected.percent)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("55,33", "55.33"),  # Tabel 2.1 writes 55,33 …
        ("56.73", "56.73"),  # … and 56.73 in the same row: both decimals
        ("0.5", "0.5"),
        ("12.75", "12.75"),
        ("1.234.567", "1234567"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("0.500", "0.5"),  # a group of thousands never starts with 0
        ("−7,5", "-7.5"),
    ],
)
def test_a_spelling_only_one_notation_reads_is_read_that_way_whatever_is_declared(
    text: str, value: str
) -> None:
    assert {read(text, notation) for notation in (UNSETTLED, ID, EN)} == {Decimal(value)}


@pytest.mark.parametrize(
    ("text", "reader", "value", "grouped"),
    [
        ("1000.000", "en", "1000", "1000000"),  # a million, its dots out of place in "id"
        ("1234.567", "en", "1234.567", "1234567"),
        ("-20000.500", "en", "-20000.5", "-20000500"),
        ("1000,000", "id", "1000", "1000000"),
        ("12345,678,900", "id", None, None),  # "id" reads no second comma: not a number
    ],
)
def test_thousands_grouped_out_of_place_are_read_only_where_their_reading_is_declared(
    text: str, reader: str, value: str | None, grouped: str | None
) -> None:
    # Read as notation "en" 1000.000 is 1000; written in an office of notation "id" it is
    # a million with its dots out of place: a thousandfold difference, never read in silence.
    declared = {"id": ID, "en": EN}
    other = "id" if reader == "en" else "en"
    if value is None:
        for notation in (UNSETTLED, ID, EN):
            with pytest.raises(NumberError):
                read(text, notation)
        return
    assert read(text, declared[reader]) == Decimal(value)
    for notation in (UNSETTLED, declared[other]):
        with pytest.raises(MisgroupedNumber) as caught:
            read(text, notation)
        assert caught.value.readings == {reader: Decimal(value), other: Decimal(grouped)}
        # what to write instead reads one way, whatever is declared
        one, _, two = (caught.value.hint or "").removeprefix("write ").partition(" or ")
        two = two.removesuffix(", whichever is meant")
        assert {read(one, declared[other]), read(two, declared[other])} == {
            Decimal(value),
            Decimal(grouped),
        }


@pytest.mark.parametrize(
    ("text", "id_value", "en_value"),
    [("23.500", "23500", "23.5"), ("100.000", "100000", "100"), ("1,500", "1.5", "1500")],
)
def test_a_spelling_the_two_read_differently_needs_a_declared_notation(
    text: str, id_value: str, en_value: str
) -> None:
    assert read(text, ID) == Decimal(id_value) and read(text, EN) == Decimal(en_value)
    with pytest.raises(AmbiguousNumber) as caught:
        read(text)
    assert caught.value.readings == {"id": Decimal(id_value), "en": Decimal(en_value)}
    # what to write instead reads one way, whatever is declared
    for spelling in caught.value.spellings.values():
        assert len({read(spelling, notation) for notation in (UNSETTLED, ID, EN)}) == 1
