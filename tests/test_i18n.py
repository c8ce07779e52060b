"""The planners' language: every message extracted from the code has its Indonesian
translation, with the same placeholders; the language is chosen in the documented order;
numbers and dates follow the language's notation; the catalogs are found in a source tree,
an editable install and a built wheel alike.

When the completeness test fails, it lists each message without a translation with the
file and line that use it. Bring the catalog up to date, then translate what it lists::

    pybabel extract -F babel.cfg --no-location --sort-output --omit-header -o messages.pot .
    pybabel update -i messages.pot -d iku_rules/locale -D iku_rules --no-fuzzy-matching
"""

from __future__ import annotations

import os
import re
import string
import subprocess
import sys
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from iku_rules import i18n
from iku_rules.i18n import (
    LANGUAGES,
    LOCALE_DIR,
    LanguageError,
    format_day,
    format_number,
    resolve_language,
    use_language,
)

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = [language for language in LANGUAGES if language != "en"]


def extracted() -> dict[str, list[str]]:
    """Every message the code and the templates wrap, with the places that use it."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as file:
        method_map, options_map = parse_mapping_cfg(file)
    found: dict[str, list[str]] = {}
    for path, line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                found.setdefault(text, []).append(f"{path}:{line}")
    return found


def catalog(language: str) -> dict[str, str]:
    po = LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with po.open("rb") as file:
        read = read_po(file, locale=language, domain=i18n.DOMAIN)
    found: dict[str, str] = {}
    for message in read:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        # A plural's forms each count as translated when every form of its msgstr is.
        translated = "" if message.fuzzy or not all(strings) else str(strings[0])
        for text in ids:
            found[str(text)] = translated
    return found


def fields(text: str) -> list[str]:
    """The named placeholders of ``text`` (``{name}``), sorted, repeated as often as used."""
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_the_code_wraps_messages() -> None:
    messages = extracted()
    assert len(messages) > 250
    assert "not available" in messages


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_has_a_translation(language: str) -> None:
    translations = catalog(language)
    missing = [
        f"  {places[0]}: {message!r}"
        + (f" (and {len(places) - 1} more places)" if places[1:] else "")
        for message, places in sorted(extracted().items(), key=lambda item: item[1][0])
        if not translations.get(message)
    ]
    assert not missing, (
        f"{len(missing)} message(s) have no {language} translation in"
        f" iku_rules/locale/{language}/LC_MESSAGES/{i18n.DOMAIN}.po"
        " (run pybabel extract and update, as this test's docstring shows, then translate):\n"
        + "\n".join(missing)
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders(language: str) -> None:
    places = extracted()
    differing = [
        f"  {places.get(message, ['(not in the code)'])[0]}: {message!r}"
        f" has {fields(message)}, the translation {translated!r} has {fields(translated)}"
        for message, translated in catalog(language).items()
        if translated and fields(message) != fields(translated)
    ]
    assert not differing, "placeholders differ between the languages:\n" + "\n".join(differing)


def test_no_message_is_wrapped_inside_an_f_string() -> None:
    """Python before 3.12 reads an f-string as one token: pybabel cannot see a ``_()`` inside
    its braces, so the message would never reach the catalog. Call ``_()`` outside."""
    inside = re.compile(r"""\bf(['"]).*\{[^}]*\b_\((['"])""")
    found = [
        f"  {path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "iku_rules").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if inside.search(line)
    ]
    assert not found, "_() inside an f-string, invisible to extraction:\n" + "\n".join(found)


def test_the_placeholder_check_finds_a_difference() -> None:
    assert fields("{name} is not defined") != fields("{nama} tidak didefinisikan")
    assert fields("{a} of {b}") == fields("{b} dari {a}")


def test_messages_use_named_placeholders_only() -> None:
    positional = [
        f"  {places[0]}: {message!r}"
        for message, places in extracted().items()
        if any(name == "" or name.isdigit() for name in fields(message))
        or "%(" in message
        or "%s" in message
    ]
    assert not positional, "write placeholders as {name}:\n" + "\n".join(positional)


def test_the_language_is_chosen_in_the_documented_order() -> None:
    # --lang, then LANGUAGE, then LANG, then the office, then Indonesian.
    environ = {"LANGUAGE": "en", "LANG": "id_ID.UTF-8"}
    assert resolve_language("id", office="en", environ=environ) == "id"
    assert resolve_language(None, office="id", environ=environ) == "en"
    assert resolve_language(None, office="en", environ={"LANG": "id_ID.UTF-8"}) == "id"
    # C and POSIX name no language: the office decides.
    assert resolve_language(None, office="en", environ={"LANG": "C.UTF-8"}) == "en"
    assert resolve_language(None, office="en", environ={"LANGUAGE": "", "LANG": "C"}) == "en"
    # A language without a catalog is skipped in LANGUAGE's list.
    assert resolve_language(None, office="id", environ={"LANGUAGE": "fr:en"}) == "en"
    assert resolve_language(None, office=None, environ={}) == "id"
    with pytest.raises(LanguageError, match="'fr'"):
        resolve_language("fr", environ={})


def test_a_block_speaks_its_language_and_the_default_is_indonesian(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert i18n.current_language() == "id"
    assert i18n._("not available") == "tidak tersedia"
    with use_language("en"):
        assert i18n._("not available") == "not available"
    monkeypatch.setenv("LANGUAGE", "en")
    assert i18n.current_language() == "en"


def test_numbers_and_dates_follow_the_language() -> None:
    # Exact: the digits given, the language's signs; no float on the way.
    assert format_number(Decimal("55.33"), "id") == "55,33"
    assert format_number(Decimal("55.33"), "en") == "55.33"
    assert format_number(Decimal("23500"), "id") == "23.500"
    assert format_number(Decimal("0.1000000000000000055511151231257827"), "id") == (
        "0,1000000000000000055511151231257827"
    )
    assert format_number(Decimal("-1234567.125"), "en") == "-1,234,567.125"
    assert format_day(date(2026, 12, 31), "id") == "31 Desember 2026"
    assert format_day(date(2026, 12, 31), "en") == "31 December 2026"


def test_periods_are_described_in_the_language() -> None:
    from iku_rules.periods import Period

    with use_language("id"):
        assert Period.parse("2026-TW2").describe() == "Triwulan II 2026 (1 April–30 Juni 2026)"
        assert Period.parse("2026").describe() == "2026 (1 Januari–31 Desember 2026)"
        assert Period.parse("2026-sd-TW3").describe() == (
            "2026 s.d. Triwulan III (1 Januari–30 September 2026)"
        )
    with use_language("en"):
        assert Period.parse("2026-TW2").describe() == "Triwulan II 2026 (1 April–30 June 2026)"


def test_the_workspace_translates_with_the_catalogs() -> None:
    from iku_rules.serve.text import _ as serve_gettext

    with use_language("id"):
        assert serve_gettext("not available") == "tidak tersedia"
    with use_language("en"):
        assert serve_gettext("not available") == "not available"
    assert i18n.gettext_for("id")("not available") == "tidak tersedia"
    assert i18n.gettext_for("en")("not available") == "not available"


def test_a_source_tree_without_mo_files_compiles_the_po(tmp_path: Path) -> None:
    """A fresh clone has only the .po: it is compiled in memory, with the same result."""
    po = LOCALE_DIR / "id" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    compiled = i18n.compile_catalog(po)
    folder = tmp_path / "id" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / f"{i18n.DOMAIN}.po").write_bytes(po.read_bytes())
    script = (
        "import iku_rules.i18n as i; from pathlib import Path; import sys;"
        " i.LOCALE_DIR = Path(sys.argv[1]);"
        " print(i.translations('id').gettext('not available'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "LANGUAGE": ""},
    ).stdout
    assert out.strip() == "tidak tersedia"
    assert compiled.startswith(b"\xde\x12\x04\x95")  # the gettext magic number


@pytest.mark.slow
def test_the_wheel_carries_the_compiled_catalogs(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for language in TRANSLATED:
            mo = f"iku_rules/locale/{language}/LC_MESSAGES/{i18n.DOMAIN}.mo"
            assert mo in names
            assert f"iku_rules/locale/{language}/LC_MESSAGES/{i18n.DOMAIN}.po" in names
            data = archive.read(mo)
    import gettext
    import io

    assert gettext.GNUTranslations(io.BytesIO(data)).gettext("not available") == "tidak tersedia"
