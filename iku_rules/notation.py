"""Numbers written as text: the two notations, and the one rule that reads them.

Indonesian government documents write ``1.234.567,89``: ``.`` groups thousands in
threes and ``,`` marks decimals. Programs exported in English write ``1,234,567.89``.
Both turn up in one office's files, sometimes in one row of one table (Tabel 2.1 of
the Pandeglang IKU has ``55,33`` beside ``56.73``). iku-rules reads every number
written as text — in formulas, in the string values of the definitions (targets,
baselines, parameters, rule values) and in the text cells of data files — by one rule:

**The notations.** ``id`` (the notation of Indonesian documents: ``.`` groups
thousands, ``,`` marks decimals) and ``en`` (the reverse). A spelling is an optional
sign (``-``, ``−`` or ``+``), digits with ``.`` and ``,`` between them, and, where a
percentage is allowed, a ``%`` after. A notation *reads* a spelling when it is

* digits, optionally followed by its decimal mark and one or more digits
  (``1234``, ``1234,5`` in ``id``, ``1234.5`` in ``en``); or
* digits grouped in threes by its grouping mark — a first group of one to three
  digits that does not start with ``0``, then groups of exactly three digits — and
  optionally its decimal mark and one or more digits (``1.234.567`` and ``1.234,5``
  in ``id``; ``1,234,567`` and ``1,234.5`` in ``en``).

**The rule.**

1. A spelling that neither notation reads is not a number (``1.2.3``, ``12.34.567``).
2. A spelling that only one notation reads is read that way, whatever the office
   declared: a ``.`` or ``,`` followed by other than three digits cannot group
   thousands, so ``56.73`` and ``0.5`` are decimals with a dot, ``55,33`` a decimal
   with a comma; two marks of one kind (``1.234.567``) or both marks (``1.234,5``)
   can only be read one way too.
3. A spelling both notations read alike is that number (``1234``, ``0.500``: a group
   cannot start with ``0``, so only ``en`` reads it).
4. A spelling the two read differently (``23.500``, ``100.000``, ``1,500``: one mark
   followed by exactly three digits, after one to three digits) is read by the
   notation the office (or the data source) *declared*. When none was declared the
   notation is ``id`` but *unsettled*, and such a spelling is an error that shows both
   readings and how to write each so that it reads one way.

>>> read("56.73"), read("55,33"), read("1.234.567"), read("1.234,5")
(Decimal('56.73'), Decimal('55.33'), Decimal('1234567'), Decimal('1234.5'))
>>> read("100.000", ID), read("100.000", EN)
(Decimal('100000'), Decimal('100.000'))
>>> read("100.000")
Traceback (most recent call last):
...
iku_rules.notation.AmbiguousNumber: '100.000' is read two ways: as 100000 in notation "id" (Indonesian documents: '.' groups thousands) and as 100 in notation "en" ('.' marks decimals)
>>> write(Decimal("1234567.5"), ID), write(Decimal("1234567.5"), EN)
('1.234.567,5', '1,234,567.5')
>>> unambiguous(Decimal("1.234"), ID), unambiguous(Decimal("23500"), ID)
('1,2340', '23500')
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from attrs import frozen

from iku_rules.errors import IkuError
from iku_rules.i18n import N_, _

Name = Literal["id", "en"]
NAMES: tuple[Name, ...] = ("id", "en")
"""The notations, the default first."""

MARKS: dict[Name, tuple[str, str]] = {"id": (".", ","), "en": (",", ".")}
"""Each notation's (grouping mark, decimal mark)."""

DESCRIPTIONS: dict[Name, str] = {
    "id": N_("Indonesian documents: '.' groups thousands, ',' marks decimals"),
    "en": N_("'.' marks decimals, ',' groups thousands"),
}
"""What each notation means, marked for translation: show it with ``_()``."""


@frozen
class Notation:
    """How numbers written as text are read: ``name`` is ``"id"`` or ``"en"``;
    ``declared`` is false for the default (``id``, *unsettled*), which refuses a
    spelling the two notations read differently instead of choosing."""

    name: Name = "id"
    declared: bool = False

    def __str__(self) -> str:
        return self.name if self.declared else _("{name} (not declared)").format(name=self.name)


ID = Notation("id", declared=True)
EN = Notation("en", declared=True)
UNSETTLED = Notation("id", declared=False)
"""The notation when none is declared: ``id``, but a spelling ``en`` reads
differently is refused with both readings."""


def notation(value: Notation | str | None) -> Notation:
    """``value`` as a :class:`Notation`: ``"id"`` and ``"en"`` are declared notations,
    ``None`` the unsettled default.

    >>> notation("en"), notation(None)
    (Notation(name='en', declared=True), Notation(name='id', declared=False))
    """
    if value is None:
        return UNSETTLED
    if isinstance(value, Notation):
        return value
    folded = str(value).strip().casefold()
    if folded == "id":
        return ID
    if folded == "en":
        return EN
    raise IkuError(
        _('unknown notation {value}; the notations are "id" and "en"').format(value=repr(value))
    )


class NumberError(IkuError):
    """Text that is not a number (``message`` says why, without the place)."""

    def __init__(self, message: str, text: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.text = text
        self.hint = hint


class AmbiguousNumber(NumberError):
    """A spelling the two notations read differently, when no notation was declared.

    ``readings`` maps each notation to its reading; ``spellings`` to a spelling of that
    reading that every notation reads alike (what to write instead).
    """

    def __init__(self, text: str, readings: dict[Name, Decimal], percent: bool) -> None:
        sign = "%" if percent else ""
        shown = {name: _plain(value) + sign for name, value in readings.items()}
        self.readings = readings
        self.spellings = {
            name: unambiguous(value, Notation(name, True)) + sign
            for name, value in readings.items()
        }
        message = (
            _(
                "'{text}' is read two ways: as {id} in notation \"id\" (Indonesian documents:"
                " '{id_mark}' groups thousands) and as {en} in notation \"en\" ('{en_mark}'"
                " marks decimals)"
            ).format(
                text=text.strip(),
                id=shown["id"],
                id_mark=MARKS["id"][0],
                en=shown["en"],
                en_mark=MARKS["en"][1],
            )
            if MARKS["id"][0] in text
            else _(
                "'{text}' is read two ways: as {id} in notation \"id\" (Indonesian documents:"
                " '{id_mark}' marks decimals) and as {en} in notation \"en\" ('{en_mark}'"
                " groups thousands)"
            ).format(
                text=text.strip(),
                id=shown["id"],
                id_mark=MARKS["id"][1],
                en=shown["en"],
                en_mark=MARKS["en"][0],
            )
        )
        super().__init__(message, text, self.fix())

    def fix(self, declare: str | None = None) -> str:
        """What to write instead: either reading spelled so that it reads one way, or
        where to declare the notation (``declare`` says where; by default
        ``notation = "id" or "en" in [office]``)."""
        one, two = self.spellings["id"], self.spellings["en"]
        if declare is None:
            declare = _('notation = "id" or "en" in [office]')
        return _(
            "write {one} or {two}, whichever is meant, or declare the notation: {declare}"
        ).format(one=one, two=two, declare=declare)


class MisgroupedNumber(NumberError):
    """A spelling one notation reads as a number, which the other one reads as thousands
    grouped out of place (``1000.000``: 1000 in notation "en", or a million with its
    dots misplaced in notation "id"), when the notation that reads it is not the one
    declared. Reading it as the one notation would give a thousandfold wrong number in
    silence. ``message`` names both readings, ``hint`` what to write instead."""

    def __init__(
        self, text: str, grouping: Name, grouped: Decimal, reader: Name, value: Decimal
    ) -> None:
        example = write(Decimal(1000000), Notation(grouping, True))
        message = _(
            "'{text}' is read two ways: as {value} in notation \"{reader}\", and as {grouped}"
            " in notation \"{grouping}\" with its thousands grouped out of place ('{group}'"
            " groups every three digits from the right, as in {example})"
        ).format(
            text=text.strip(),
            value=_plain(value),
            reader=reader,
            grouped=_plain(grouped),
            grouping=grouping,
            group=MARKS[grouping][0],
            example=example,
        )
        declared = Notation(grouping, True)
        hint = _("write {one} or {two}, whichever is meant").format(
            one=write(grouped, declared), two=unambiguous(value, declared)
        )
        super().__init__(message, text, hint)
        self.readings = {grouping: grouped, reader: value}


def _misgrouped(body: str, name: Name) -> Decimal | None:
    """``body`` as digits grouped by notation ``name``'s thousands mark with a group out of
    place (``1000.000``, ``12.345.6789`` is not: only whole groups of three after the
    first), or None."""
    group, mark = MARKS[name]
    parts = body.split(group)
    first, rest = parts[0], parts[1:]
    if mark in body or not rest or not first.isdigit() or first[0] == "0":
        return None
    if not all(len(part) == 3 and part.isdigit() for part in rest):
        return None
    return Decimal("".join(parts))


Kind = Literal["plain", "id", "en", "declared"]


@frozen
class Reading:
    """A spelling read as a number.

    ``kind`` says how: ``"plain"`` (both notations read it alike), ``"id"`` or ``"en"``
    (only that notation reads it), or ``"declared"`` (the two differ, and the declared
    notation chose). ``percent`` is true when a ``%`` followed.
    """

    value: Decimal
    percent: bool
    kind: Kind


_SPELLING = re.compile(r"\s*([+\-−]?)([0-9][0-9.,]*)\s*(%?)\s*")


def _one(body: str, name: Name) -> Decimal | None:
    """``body`` (digits and marks, no sign) as notation ``name`` reads it, or None."""
    group, mark = MARKS[name]
    whole, found, fraction = body.partition(mark)
    if found and (not fraction or not fraction.isdigit()):
        return None
    if whole.isdigit():
        digits = whole
    else:
        parts = whole.split(group)
        first, rest = parts[0], parts[1:]
        if not (
            rest
            and 1 <= len(first) <= 3
            and first.isdigit()
            and first[0] != "0"
            and all(len(part) == 3 and part.isdigit() for part in rest)
        ):
            return None
        digits = "".join(parts)
    return Decimal(f"{digits}.{fraction}" if found else digits)


def readings(text: str) -> dict[Name, Decimal]:
    """How each notation reads ``text`` (a spelling without ``%``), for those that do.

    >>> readings("1.500")
    {'id': Decimal('1500'), 'en': Decimal('1.500')}
    >>> readings("12,75")
    {'id': Decimal('12.75')}
    """
    match = _SPELLING.fullmatch(text)
    if match is None or match.group(3):
        return {}
    return _readings(match.group(1), match.group(2))


def _readings(sign: str, body: str) -> dict[Name, Decimal]:
    found: dict[Name, Decimal] = {}
    for name in NAMES:
        value = _one(body, name)
        if value is not None:
            found[name] = value.copy_negate() if sign in ("-", "−") else value
    return found


def parse(text: str, notation_: Notation = UNSETTLED, *, percent: bool = True) -> Reading:
    """``text`` read by the rule above, with how it was read.

    ``percent`` allows a ``%`` after the number. Raises :class:`AmbiguousNumber` for a
    spelling the notations read differently when ``notation_`` is not declared, and
    :class:`NumberError` for text that is not a number.

    >>> parse("93%")
    Reading(value=Decimal('93'), percent=True, kind='plain')
    >>> parse("6.284", ID)
    Reading(value=Decimal('6284'), percent=False, kind='declared')
    """
    match = _SPELLING.fullmatch(text)
    if match is None or (match.group(3) and not percent):
        raise NumberError(_("'{text}' is not a number").format(text=text.strip()), text)
    sign, body, percent_sign = match.groups()
    found = _readings(sign, body)
    is_percent = bool(percent_sign)
    if not found:
        raise NumberError(
            _("'{text}' is not a number").format(text=text.strip()),
            text,
            _(
                "write digits with at most one decimal mark, and thousands grouped in threes"
                " (1.234.567,5 or 1234567,5)"
            ),
        )
    if len(found) == 1:
        ((name, value),) = found.items()
        if not notation_.declared or notation_.name != name:
            other: Name = "en" if name == "id" else "id"
            grouped = _misgrouped(body, other)
            if grouped is not None:
                grouped = grouped.copy_negate() if sign in ("-", "−") else grouped
                raise MisgroupedNumber(text, other, grouped, name, value)
        return Reading(value, is_percent, name)
    if found["id"] == found["en"]:
        return Reading(found["id"], is_percent, "plain")
    if not notation_.declared:
        raise AmbiguousNumber(text, found, is_percent)
    return Reading(found[notation_.name], is_percent, "declared")


def read(text: str, notation_: Notation = UNSETTLED) -> Decimal:
    """The number ``text`` spells (no ``%``); see :func:`parse`."""
    return parse(text, notation_, percent=False).value


def _plain(value: Decimal) -> str:
    """``value`` in plain digits with a dot for decimals, no trailing zeros."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def write(value: Decimal, notation_: Notation = UNSETTLED, *, group: bool = True) -> str:
    """``value`` as notation ``notation_`` writes it: thousands grouped (unless not
    ``group``), its decimal mark, the digits ``value`` has (no exponent).

    Read back under the same declared notation it gives ``value``:

    >>> write(Decimal("-1234.50"), ID), read(write(Decimal("-1234.50"), ID), ID)
    ('-1.234,50', Decimal('-1234.50'))
    """
    group_mark, decimal_mark = MARKS[notation_.name]
    text = format(value, "f")
    sign = "-" if text.startswith("-") else ""
    digits = text.lstrip("-")
    whole, _, fraction = digits.partition(".")
    if group and len(whole) > 3:
        head = len(whole) % 3 or 3
        whole = group_mark.join(
            [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
        )
    return sign + whole + (decimal_mark + fraction if fraction else "")


def unambiguous(value: Decimal, notation_: Notation = UNSETTLED) -> str:
    """``value`` spelled so that both notations read it alike, or only one does: no
    grouping, the decimal mark of ``notation_``, and a ``0`` after three decimals, which
    would look like a group of thousands (``1,2340`` for 1.234, ``5664,8330`` for
    5664.833).

    >>> unambiguous(Decimal("1.5"), EN), unambiguous(Decimal("12.345"), EN)
    ('1.5', '12.3450')
    """
    text = write(Decimal(_plain(value)), notation_, group=False)
    _whole, mark, fraction = text.partition(MARKS[notation_.name][1])
    if mark and len(fraction) == 3:
        text += "0"
    return text
