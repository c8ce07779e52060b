"""The planners' language: gettext catalogs, the choice of language, numbers and dates.

Every text a person reads is written in English in the code and wrapped in :func:`_`, with
named placeholders filled *after* translation, so that a translation may move them::

    _("unknown name '{name}'").format(name=name)

The catalogs are gettext ``.po`` files under ``iku_rules/locale/<lang>/LC_MESSAGES/``,
extracted with Babel (``babel.cfg``) and compiled to ``.mo`` when the wheel is built. In a
source tree (a fresh clone, an editable install) where no ``.mo`` stands beside a ``.po``, or
the ``.po`` is newer, the ``.po`` is compiled in memory on first use; so the catalogs are
the same wherever the package runs.

Which language: Indonesian (``id``) unless chosen otherwise; English (``en``) is the
language of the code and needs no catalog. The ``iku`` command chooses with
:func:`resolve_language`: ``--lang``, then ``LANGUAGE``, then ``LANG``, then the office's
``language`` in its definitions, then Indonesian. :func:`set_language` sets the language of
the whole process (every thread); :func:`use_language` sets it for a block of code.

>>> with use_language("id"):
...     _("not available")
'tidak tersedia'
>>> with use_language("en"):
...     _("not available")
'not available'
>>> format_number(Decimal("1234.5"), "id"), format_number(Decimal("1234.5"), "en")
('1.234,5', '1,234.5')
>>> format_day(date(2026, 12, 31), "id")
'31 Desember 2026'
"""

from __future__ import annotations

import gettext as _gettext
import io
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from iku_rules.decimals import room_for

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

LANGUAGES = ("id", "en")
"""The languages iku-rules speaks: Indonesian and English."""

DEFAULT_LANGUAGE = "id"
"""The language when nothing chooses another: the planners' own."""

DOMAIN = "iku_rules"
"""The gettext domain: the catalogs are ``<lang>/LC_MESSAGES/iku_rules.po`` (and ``.mo``)."""

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
"""Where the catalogs stand, inside the package."""

_ALIASES = {"in": "id", "ind": "id", "indonesian": "id", "eng": "en", "english": "en"}

_process_language: str | None = None
_process_lock = threading.Lock()
_block_language: ContextVar[str | None] = ContextVar("iku_language", default=None)
_number_language: ContextVar[str | None] = ContextVar("iku_number_language", default=None)


class LanguageError(ValueError):
    """A language iku-rules does not speak."""


@lru_cache(maxsize=256)  # asked on every message when no language is set: the same few codes
def normalize(code: str | None) -> str | None:
    """The language of a code such as ``id``, ``id_ID.UTF-8``, ``en-GB`` or
    ``LANGUAGE``'s ``id:en`` (the first one spoken), or None when none is spoken
    (``C``, ``POSIX``, an empty value, a language without a catalog).

    >>> normalize("id_ID.UTF-8"), normalize("en-GB"), normalize("fr:en"), normalize("C.UTF-8")
    ('id', 'en', 'en', None)
    """
    if not code:
        return None
    for part in code.split(":"):
        base = part.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].strip().lower()
        base = _ALIASES.get(base, base)
        if base in LANGUAGES:
            return base
    return None


def checked(code: str) -> str:
    """``code`` as one of :data:`LANGUAGES`, or a :class:`LanguageError` that lists them."""
    language = normalize(code)
    if language is None:
        raise LanguageError(
            _("'{code}' is not a language iku-rules speaks; write one of: {languages}").format(
                code=code, languages=", ".join(LANGUAGES)
            )
        )
    return language


def resolve_language(
    option: str | None = None,
    office: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The language to speak: ``option`` (``--lang``), then the environment's ``LANGUAGE``,
    then ``LANG`` (each skipped when it names no language spoken here, such as ``C.UTF-8``),
    then the ``office``'s language, then Indonesian.

    >>> resolve_language(office="en", environ={"LANG": "C.UTF-8"})
    'en'
    >>> resolve_language(office="en", environ={"LANG": "id_ID.UTF-8"})
    'id'
    >>> resolve_language("en", office="id", environ={"LANGUAGE": "id"})
    'en'
    """
    if option is not None:
        return checked(option)
    return environment_language(environ) or normalize(office) or DEFAULT_LANGUAGE


def command_language(argv: Sequence[str]) -> str:
    """The language the command line asks for (``--lang``), else the environment's, else
    Indonesian; the office's language is known only once the folder is read."""
    option = None
    for index, word in enumerate(argv):
        if word == "--":
            break
        if word == "--lang" and index + 1 < len(argv):
            option = argv[index + 1]
        elif word.startswith("--lang="):
            option = word.split("=", 1)[1]
    return resolve_language(option)


def environment_language(environ: Mapping[str, str] | None = None) -> str | None:
    """The language the environment's ``LANGUAGE``, else ``LANG``, names (None: neither
    names a language spoken here)."""
    if environ is None:
        import os

        environ = os.environ
    for variable in ("LANGUAGE", "LANG"):
        language = normalize(environ.get(variable))
        if language is not None:
            return language
    return None


def current_language() -> str:
    """The language spoken now: the block's (:func:`use_language`), else the process's
    (:func:`set_language`), else the environment's ``LANGUAGE`` or ``LANG``, else Indonesian."""
    language = _block_language.get()
    if language is not None:
        return language
    if _process_language is not None:
        return _process_language
    return resolve_language()


def set_language(language: str | None) -> str | None:
    """Speak ``language`` in the whole process, in every thread (None: back to the default);
    returns the language set before, to set it back."""
    global _process_language
    with _process_lock:
        previous = _process_language
        _process_language = None if language is None else checked(language)
    return previous


@contextmanager
def numbers_as(language: str) -> Iterator[None]:
    """Write numbers in ``language``'s notation inside the ``with`` block (this thread or
    task only), whatever language the words are in: a report in English words with the
    decimal comma writes every number of it so, its explanations' too (``1234,5678``
    beside ``1.234,57``), never two notations in one document.

    >>> with use_language("en"), numbers_as("id"):
    ...     format_number(Decimal("1234.5")), decimal_sign(), _("not available")
    ('1.234,5', ',', 'not available')
    """
    token = _number_language.set(checked(language))
    try:
        yield
    finally:
        _number_language.reset(token)


@contextmanager
def use_language(language: str) -> Iterator[str]:
    """Speak ``language`` inside the ``with`` block (in this thread or task only)."""
    token = _block_language.set(checked(language))
    try:
        yield _block_language.get() or language
    finally:
        _block_language.reset(token)


@cache
def translations(language: str) -> _gettext.NullTranslations:
    """The catalog of ``language``: its ``.mo``, or its ``.po`` compiled in memory when no
    ``.mo`` is as new; English, the language of the code, needs none."""
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as file:
            return _gettext.GNUTranslations(file)
    if po.is_file():
        return _gettext.GNUTranslations(io.BytesIO(compile_catalog(po)))
    return _gettext.NullTranslations()


def compile_catalog(po: Path) -> bytes:
    """The ``.mo`` of the catalog ``po`` (fuzzy entries left out), through Babel."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as file:
        catalog = read_po(file, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def gettext_for(language: str | None = None) -> Callable[[str], str]:
    """The translation function of ``language`` (None: of the language spoken when it is
    called): for the workspace and anything else that renders text of its own.

    >>> gettext_for("id")("not available")
    'tidak tersedia'
    """
    if language is None:
        return _
    return translations(checked(language)).gettext


def _(message: str) -> str:
    """``message`` (English, as written in the code) in the language spoken now."""
    return translations(current_language()).gettext(message)


def N_(message: str) -> str:
    """``message`` unchanged: marks a text kept in a table for :func:`_` to translate where it
    is shown (extraction finds it; the table does not freeze one language at import)."""
    return message


def cut_short(
    items: Sequence[str], limit: int, *, separator: str = ", ", total: int | None = None
) -> str:
    """The first ``limit`` of ``items`` joined by ``separator``, then how many more there are
    of ``total`` (default: of ``items``), in the language spoken: a message names a few of a
    long list and counts the rest.

    >>> with use_language("en"):
    ...     cut_short(["a", "b", "c", "d"], 2), cut_short(["a"], 2, total=7)
    ('a, b and 2 more', 'a and 6 more')
    """
    shown = separator.join(items[:limit])
    hidden = (len(items) if total is None else total) - min(len(items), limit)
    if hidden > 0:
        shown = _("{names} and {count} more").format(names=shown, count=hidden)
    return shown


def ngettext(singular: str, plural: str, count: int) -> str:
    """``singular`` or ``plural`` (English) for ``count``, in the language spoken now."""
    return translations(current_language()).ngettext(singular, plural, count)


def format_number(value: Decimal | int, language: str | None = None, *, group: bool = True) -> str:
    """An exact number in the language's notation, every digit kept (``1.234,5`` in
    Indonesian, ``1,234.5`` in English; ``group=False``: no thousands sign); never through
    a float.

    >>> format_number(Decimal("-0.50"), "id"), format_number(23500, "id")
    ('-0,50', '23.500')
    >>> format_number(Decimal("23500.5"), "id", group=False)
    '23500,5'
    """
    if not isinstance(value, Decimal):
        value = Decimal(value)
    if not value.is_finite():
        return str(value)
    language = language or _numbers_language()
    symbols = NUMBER_SYMBOLS.get(language)
    if symbols is None:  # a language this table does not hold: Babel's own pattern
        return _babel_number(value, language, group)
    decimal, separator, minus = symbols
    # Every digit as the value holds it (no precision asked: nothing is rounded), grouped
    # by threes, then the language's signs put in place of Python's.
    text = format(value, ",f" if group else "f")
    return text.translate({ord("."): decimal, ord(","): separator, ord("-"): minus})


NUMBER_SYMBOLS: Mapping[str, tuple[str, str, str]] = {
    "id": (",", ".", "-"),
    "en": (".", ",", "-"),
}
"""Each language's decimal sign, thousands separator and minus sign, as Babel's CLDR data
give them (``tests/test_i18n_numbers.py`` keeps them so, and keeps :func:`format_number`'s
text Babel's): both languages group by threes (``#,##0.###``). Held here because Babel
reads the whole of a language's CLDR data to give them (about 0.035 s, its dates,
currencies and time zones too): the first number an evaluation formats in a message (a
share outside its denominator, say) paid that in every process."""


def _babel_number(value: Decimal, language: str, group: bool) -> str:
    """``value`` formatted by Babel's pattern for ``language``, every digit kept."""
    places = max(0, -int(value.as_tuple().exponent))
    locale, pattern = _number_format(language, places, group)
    with room_for(value):  # Babel quantizes in the current context: every digit kept
        text: str = pattern.apply(value, locale, decimal_quantization=True)
    return text


@lru_cache(maxsize=256)
def _number_format(language: str, places: int, group: bool) -> tuple[Locale, NumberPattern]:
    """Babel's locale and parsed pattern for ``places`` decimals, made once: what
    ``babel.numbers.format_decimal`` parses again on every call (a report formats
    thousands of numbers)."""
    from babel import Locale
    from babel.numbers import parse_pattern

    whole = "#,##0" if group else "0"
    return Locale.parse(language), parse_pattern(whole + "." + "0" * places if places else whole)


def format_day(day: date, language: str | None = None) -> str:
    """A date in words: ``31 Desember 2026``, ``31 December 2026``."""
    from babel.dates import format_date

    return format_date(day, "d MMMM y", locale=language or current_language())


def decimal_sign(language: str | None = None) -> str:
    """The language's decimal sign (``,`` in Indonesian, ``.`` in English)."""
    language = language or _numbers_language()
    symbols = NUMBER_SYMBOLS.get(language)
    if symbols is not None:
        return symbols[0]
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(language)


def _numbers_language() -> str:
    """The language whose notation numbers are written in now (:func:`numbers_as`, else
    the language spoken)."""
    return _number_language.get() or current_language()
