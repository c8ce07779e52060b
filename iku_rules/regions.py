"""The regions an office declares: its kind (kabupaten or kota), the levels it groups by
(kecamatan, desa/kelurahan, service areas such as puskesmas) and the names at each level.

A definitions folder declares them in TOML (``[office] kind``, ``[[level]]``,
``[[region]]``); each ``[[source]]`` says which of its columns holds which level
(``regions = { kecamatan = "kecamatan" }``). Nothing here reads files or data: the
engine asks :func:`region_key` and :class:`RegionNames` to match the names written in
the data to the declared ones.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise

from attrs import field, frozen

from iku_rules.i18n import _
from iku_rules.suggest import closest

KINDS = ("kabupaten", "kota")
"""The kinds of area an office serves; the word used everywhere for the whole area."""


@frozen
class Level:
    """A level the office groups its results by, largest first: ``kecamatan``, ``desa``,
    or a service area such as ``puskesmas``. ``parent`` is the level each of its regions
    lies in (a desa in one kecamatan), or None."""

    id: str
    name: str
    parent: str | None = None
    location: object = field(default=None, eq=False)


@frozen
class Region:
    """One declared region: its level, its name as the office writes it, its
    Kemendagri code (``36.01.10``) and the name of the region it lies in.

    Desa names repeat across a kabupaten: where two regions of one level share a name
    under different parents, each is named with its parent (``Mekarsari (Giriwangi)``,
    :func:`with_parent`), as results, targets per region and ``--region`` name it, and
    ``written`` keeps the name its ``[[region]]`` writes (``Mekarsari``), the one the data
    write beside the parent's column."""

    level: str
    name: str
    code: str | None = None
    parent: str | None = None
    location: object = field(default=None, eq=False)
    written: str | None = None
    """The name as its ``[[region]]`` writes it, where ``name`` adds its parent; else None."""

    @property
    def plain(self) -> str:
        """The name as its ``[[region]]`` writes it (``Mekarsari``)."""
        return self.written if self.written is not None else self.name


def with_parent(name: str, parent: str) -> str:
    """A region named with the region it lies in, to tell it from another of its name:
    ``Mekarsari (Giriwangi)``."""
    return f"{name} ({parent})"


def namesakes(regions: Iterable[Region]) -> dict[tuple[str, str], dict[str, Region]]:
    """The declared regions named with their parent because another of their level has
    their name (:attr:`Region.written`): by their level and the :func:`region_key` of the
    name they share, each by the key of its parent."""
    found: dict[tuple[str, str], dict[str, Region]] = {}
    for region in regions:
        if region.written is not None and region.parent is not None:
            shared = found.setdefault((region.level, region_key(region.written)), {})
            shared.setdefault(region_key(region.parent), region)
    return found


def region_key(name: str) -> str:
    """What two spellings of one region name share: case, runs of spaces, invisible
    format characters (a zero-width space U+200B, a word joiner U+2060, a byte-order mark
    U+FEFF, a soft hyphen: Unicode's category Cf) and control characters other than spaces
    (a NUL a fixed-width export pads with, a DEL: category Cc) ignored (``LABUAN``,
    ``labuan ``, ``Labuan\u200b`` and ``Labuan\x00`` are ``Labuan``, which they print as),
    and an accent written apart from its letter (``e`` and U+0301) as the one character
    (``é``, Unicode's NFC)."""
    if not name.isprintable():  # printable: no Cf, nor Cc but spaces
        name = "".join(char for char in name if not _invisible(char))
    if not name.isascii():  # é written as e and a combining accent is é
        name = unicodedata.normalize("NFC", name)
    return " ".join(name.split()).casefold()


LEVEL_WORDS = frozenset(
    {"kecamatan", "kec", "distrik", "desa", "ds", "kelurahan", "kel", "kalurahan", "nagari"}
)
"""The words (and their abbreviations) an office writes before a region's name to say its
level: ``Kec. Labuan``, ``Kecamatan Labuan``, ``Ds. Cikole``, ``Kel. Sukasari``."""

_BETWEEN_WORDS = re.compile(r"[\s.,\-_/]+")


def spelling_key(name: str) -> str:
    """What two spellings of one region name share, beyond :func:`region_key`: the word of
    its level written before it (``Kec. Labuan``, ``KEC LABUAN``, ``Kecamatan Labuan``,
    :data:`LEVEL_WORDS`), and the dots, hyphens and spaces between its words
    (``Sukamaju-Kaler``, ``Suka Maju``, ``Sukamaju``) ignored, but for a space between two
    numbers (``3-4 Ulu`` is not ``34 Ulu``). Where the office declares no regions of a
    level, two names in the data with one such key are one region written two ways: counted
    as two, each would hold part of its rows.

    >>> spelling_key("Kec. Labuan") == spelling_key("Labuan ") == "labuan"
    True
    >>> spelling_key("Sukamaju-Kaler") == spelling_key("Suka Maju Kaler")
    True
    >>> spelling_key("Desa"), spelling_key("3-4 Ulu"), spelling_key("34 Ulu")
    ('desa', '3 4ulu', '34ulu')
    """
    words = [word for word in _BETWEEN_WORDS.split(region_key(name)) if word]
    if len(words) > 1 and words[0] in LEVEL_WORDS:
        words = words[1:]
    key = words[0] if words else ""
    for before, word in pairwise(words):  # 3-4 Ulu is not 34 Ulu
        key += (" " if before[-1].isdigit() and word[0].isdigit() else "") + word
    return key


def undeclared_clash(level: str, written: Sequence[tuple[str, str]]) -> tuple[int, str] | None:
    """Where the office declares no regions of ``level``, the names in the data are its
    regions, so each must be written one way. Of ``written`` (each name as met, with its
    column), the index of the first that is refused, and why, or None:

    * a region written two ways (``LABUAN`` or ``Kec. Labuan`` beside ``Labuan``,
      :func:`spelling_key`; an accent written apart is one way), which would count as two
      regions, each with part of the rows: the second way;
    * a name without a letter (a code, ``36.01.010``) beside names with letters: it would
      count as a region apart from the one its name writes. Names all codes are one way.
    """
    names = [name for name, _column in written]
    code = next((i for i, name in enumerate(names) if not _has_letter(name)), None)
    named = list(dict.fromkeys(name for name in names if _has_letter(name)))
    if code is not None and named:
        return code, _(
            "the column '{column}' writes the {level} {code} without a name, where other rows"
            " name their {level} ({names}): a code would count as a {level} apart from the"
            " one its name writes; write the name of the {level} in its place"
        ).format(
            column=written[code][1],
            level=level,
            code=repr(names[code]),
            names=", ".join(repr(name) for name in named[:3]),
        )
    first: dict[str, str] = {}
    for index, (name, column) in enumerate(written):
        composed = unicodedata.normalize("NFC", name)
        seen = first.setdefault(spelling_key(name), composed)
        if seen == composed:
            continue
        key = spelling_key(name)
        ways = dict.fromkeys(n for n in names if spelling_key(n) == key)
        return index, _(
            "the column '{column}' writes one {level} in several ways ({names}),"
            " which would count as different regions; write it one way, or declare"
            " the {level} as a [[region]] with level = '{level}'"
        ).format(column=column, level=level, names=", ".join(repr(way) for way in ways))
    return None


def _has_letter(name: str) -> bool:
    return any(char.isalpha() for char in name)


def listed(names: Sequence[str]) -> str:
    """``'Carita'``, ``'Carita' and 'Labuan'``, ``'A', 'B' and 'C'``."""
    quoted = [f"'{name}'" for name in names]
    if len(quoted) < 2:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + _(" and ") + quoted[-1]


def _invisible(char: str) -> bool:
    category = unicodedata.category(char)
    return category == "Cf" or (category == "Cc" and not char.isspace())


def area_word(kind: str | None) -> str:
    """The word for the office's whole area: ``kabupaten``, ``kota``, or (no kind declared)
    ``daerah`` (``area`` in English), in the language spoken."""
    from iku_rules.i18n import _

    return kind if kind is not None and kind in KINDS else _("area")


def level_name(levels: Iterable[Level], level: str) -> str:
    """How a level is named in a heading: its ``[[level]]``'s ``name`` (``Kelurahan``), else
    its id as a word of a title (``kecamatan`` read from a source's column: ``Kecamatan``).

    >>> level_name([Level("puskesmas", "Wilayah Puskesmas")], "puskesmas"), level_name([], "desa")
    ('Wilayah Puskesmas', 'Desa')
    """
    return next((found.name for found in levels if found.id == level), level.capitalize())


def area_title(kind: str | None) -> str:
    """The whole area as a row title: ``Kabupaten``, ``Kota`` or ``Daerah``."""
    return area_word(kind).capitalize()


@frozen
class UnknownRegion:
    """A name written in the data that no declared region of its level carries."""

    level: str
    written: str
    suggestions: tuple[str, ...]

    def message(self, column: str) -> str:
        """What is wrong, said of the data's ``column`` that holds the name."""
        names = {"column": column, "level": self.level, "written": repr(self.written)}
        if self.suggestions:
            return _(
                "the column '{column}' names the {level} {written}, which is not a declared"
                " {level}; did you mean {names}? (declare it as a [[region]] with"
                " level = '{level}', or correct the data)"
            ).format(**names, names=_(" or ").join(repr(s) for s in self.suggestions))
        return _(
            "the column '{column}' names the {level} {written}, which is not a declared"
            " {level} (declare it as a [[region]] with level = '{level}', or correct the data)"
        ).format(**names)


@frozen
class RegionNames:
    """The declared names of one level, matched to names written in data by
    :func:`region_key`."""

    level: str
    names: tuple[str, ...]
    _by_key: Mapping[str, str] = field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {region_key(name): name for name in self.names})

    def match(self, written: str) -> str | None:
        """The declared name ``written`` stands for, or None."""
        return self._by_key.get(region_key(written))

    def settle(self, written: Iterable[str]) -> tuple[dict[str, str], list[UnknownRegion]]:
        """Each written name that differs from its declared spelling, mapped to it; and
        the names no declared region carries, with the closest declared names."""
        renamed: dict[str, str] = {}
        unknown: list[UnknownRegion] = []
        for name in written:
            found = self.match(name)
            if found is None:
                close = tuple(closest(name, self.names)) or _sharing_a_word(name, self.names)
                unknown.append(UnknownRegion(self.level, name, close))
            elif found != name:
                renamed[name] = found
        return renamed, unknown


def _sharing_a_word(name: str, names: Sequence[str]) -> tuple[str, ...]:
    """Declared names sharing a word with ``name`` (case ignored), at most three."""
    words = set(region_key(name).split())
    return tuple(n for n in names if words & set(region_key(n).split()))[:3]
