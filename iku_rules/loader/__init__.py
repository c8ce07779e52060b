"""Read a definitions folder into :mod:`iku_rules.model` objects, losing no mistake.

Every ``.toml`` file under the folder is read with the standard library's
``tomllib``; :mod:`iku_rules.tomlpos` finds where each key stands, so every
problem is reported with its file, line and column. A broken file or entry
does not stop the others from being read: :func:`load` always returns the
definitions it could read, with all problems in ``diagnostics``, and then runs
the cross-checks of :mod:`iku_rules.check`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from attrs import evolve

from iku_rules import notation as notations
from iku_rules import tomlpos
from iku_rules.collector import paused
from iku_rules.i18n import _
from iku_rules.levels import LEVELS
from iku_rules.library_errors import Undecoded, save_as_utf8, undecoded
from iku_rules.limits import MAX_INDICATORS, MAX_MEASURES, MAX_NESTING, MAX_SUGGESTION_WORK
from iku_rules.loader.regions import (
    read_levels,
    read_regions,
    settle_namesakes,
    settle_region_columns,
)
from iku_rules.loader.sections import FileReader
from iku_rules.loader.toml_errors import toml_error
from iku_rules.model import (
    Definitions,
    Diagnostic,
    Element,
    Input,
    Location,
    Measure,
    Office,
    Parameter,
    Rules,
    Source,
)
from iku_rules.notation import UNSETTLED, Notation
from iku_rules.regions import Level, Region
from iku_rules.satuan import UnitTable
from iku_rules.suggest import search_budget


def declared_notation(tables: Iterable[Mapping[str, Any]]) -> Notation:
    """The notation the first [office] declares (its other files are read by it too);
    unsettled when none does (a wrong value is reported where that [office] is read)."""
    for data in tables:
        office = data.get("office")
        if isinstance(office, dict) and office.get("notation") in notations.NAMES:
            return notations.notation(office["notation"])
        if isinstance(office, dict):
            return UNSETTLED
    return UNSETTLED


def definition_files(root: Path) -> list[Path]:
    """The ``.toml`` files of a definitions folder, in a stable order; hidden ones (a name
    starting with ``.``, in a hidden folder) left out: the temporary file of a save cut
    short (``.cascade.1a2b3c4d.tmp.toml``, :mod:`iku_rules.atomic`) or an editor's copy is
    no second definition of what its file defines."""
    if root.is_file():
        return [root]
    return sorted(
        path
        for path in root.rglob("*.toml")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts)
    )


def _parse_files(
    root: Path, files: Sequence[Path], diagnostics: list[Diagnostic]
) -> list[tuple[Path, Path, str, dict[str, Any]]]:
    """Each file that reads as TOML: the file, its name as shown, its text and its data;
    every file that does not is a diagnostic in ``diagnostics``.

    Values nested more than :data:`~iku_rules.limits.MAX_NESTING` deep are refused
    before :mod:`tomllib` (which recurses) reads them."""
    parsed = []
    for file in files:
        shown = file if root.is_file() else root / file.relative_to(root)
        try:
            # A byte order mark, which Notepad writes first, is no part of the text.
            text = file.read_text(encoding="utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            diagnostics.append(_not_utf8(file, shown))
            continue
        deep = tomlpos.nesting_depth(text, MAX_NESTING)
        try:
            if deep is not None:
                raise RecursionError
            data = tomllib.loads(text, parse_float=Decimal)
        except tomllib.TOMLDecodeError as error:
            diagnostics.append(toml_error(file, shown, text, error))
            continue
        except RecursionError:
            where = tomlpos.Lines(text).position(deep or 0)
            diagnostics.append(
                Diagnostic(
                    "error",
                    _(
                        "values are nested more than {depth} deep here (lists or tables"
                        " inside one another); no definition needs that"
                    ).format(depth=MAX_NESTING),
                    Location(shown, where.line, where.column),
                    code="nesting",
                )
            )
            continue
        parsed.append((file, shown, text, data))
    return parsed


def _not_utf8(file: Path, shown: Path) -> Diagnostic:
    """The error of a definitions file that is not UTF-8, at its first byte that is not,
    saying what the bytes look like (:func:`~iku_rules.library_errors.undecoded`); its
    bytes read again whole, since the error of ``read_text`` places the byte in a part."""
    try:
        data = file.read_bytes()
        data.decode("utf-8")
        found = Undecoded(1, 1, _("the file is not UTF-8 text"))  # changed meanwhile
    except UnicodeDecodeError as error:
        found = undecoded(error)
    message = save_as_utf8(found)
    return Diagnostic("error", message, Location(shown, found.line, found.column), code="encoding")


def _entry_counts(data: Mapping[str, Any]) -> tuple[int, int]:
    """How many indicators and measures a file's data hold, counted before any is read."""
    indicators = 0
    for level in LEVELS:
        entries = data.get(level)
        if isinstance(entries, list):
            for entry in entries:
                if isinstance(entry, dict) and isinstance(entry.get("indikator"), list):
                    indicators += len(entry["indikator"])
    measures = data.get("measure")
    return indicators, len(measures) if isinstance(measures, list) else 0


def load(path: str | Path) -> Definitions:
    """Read the definitions folder ``path``; every problem found is in ``diagnostics``.

    Raises ``FileNotFoundError`` when ``path`` does not exist (nothing to read). Python's
    cycle collector is paused meanwhile: every object made is kept, and the collector would
    only walk them again and again (:mod:`iku_rules.collector`).
    """
    with paused(), search_budget(MAX_SUGGESTION_WORK):
        return _load(Path(path))


def _load(root: Path) -> Definitions:
    from iku_rules.check import check

    if not root.exists():
        raise FileNotFoundError(_("no such folder: {path}").format(path=root))
    files = definition_files(root)
    diagnostics: list[Diagnostic] = []
    offices: list[Office] = []
    elements: list[Element] = []
    sources: list[Source] = []
    measures: list[Measure] = []
    inputs: list[Input] = []
    parameters: list[Parameter] = []
    levels: list[Level] = []
    regions: list[Region] = []
    rules: list[Rules] = []
    satuan: dict[str, tuple[str, bool | None, Location]] = {}
    if not files:
        diagnostics.append(
            Diagnostic("error", _("there are no .toml files here"), Location(root), code="empty")
        )
    parsed = _parse_files(root, files, diagnostics)
    indicator_count = sum(_entry_counts(data)[0] for _, _, _, data in parsed)
    if indicator_count > MAX_INDICATORS:
        # Refused before any of them is read, so that the work stays bounded.
        diagnostics.append(
            Diagnostic(
                "error",
                _("the definitions have {count} indicators; at most {most} are allowed").format(
                    count=indicator_count, most=MAX_INDICATORS
                ),
                Location(root),
                code="limit",
            )
        )
        return Definitions(
            root=root, office=None, elements=(), files=tuple(files), diagnostics=tuple(diagnostics)
        )
    several = _several_offices(root, parsed)
    if several is not None:
        # Read together, one office's sections would be checked against the other's
        # [office] (dozens of errors about units and regions that are not the fault).
        return Definitions(
            root=root,
            office=None,
            elements=(),
            files=tuple(files),
            diagnostics=(*diagnostics, several),
        )
    measure_count = sum(_entry_counts(data)[1] for _, _, _, data in parsed)
    office_notation = declared_notation(data for _, _, _, data in parsed)
    for file, shown, text, data in parsed:
        reader = FileReader(file, shown, text, data, office_notation)
        room = MAX_MEASURES - len(measures)
        if _entry_counts(data)[1] > room:  # the rest are not read
            reader.problem(
                _(
                    "the definitions have {count} measures; at most {most} are allowed"
                    " (the rest were not read)"
                ).format(count=measure_count, most=MAX_MEASURES),
                ("measure", room),
                code="limit",
            )
            data["measure"] = data["measure"][:room]
        reader.read_sections()
        office = reader.office()
        if office is not None:
            offices.append(office)
        elements.extend(reader.elements())
        sources.extend(reader.sources())
        measures.extend(reader.measures())
        inputs.extend(reader.inputs())
        parameters.extend(reader.parameters())
        levels.extend(read_levels(reader))
        regions.extend(read_regions(reader))
        for unit, (dimension, whole, where) in reader.satuan().items():
            if unit in satuan:
                reader.problem(
                    _("the satuan '{unit}' is already in the unit table at {first}").format(
                        unit=unit, first=satuan[unit][2]
                    ),
                    ("satuan", unit),
                    code="duplicate-satuan",
                )
                continue
            satuan[unit] = (dimension, whole, where)
        found_rules = reader.rules()
        if found_rules is not None:
            rules.append(found_rules)
        if not text.lstrip().startswith("#:schema"):
            reader.problem(
                _(
                    "the file does not start with a '#:schema' line, so editors cannot check it"
                    " as you type"
                ),
                (),
                severity="warning",
                suggestion=_(
                    "add as first line: #:schema <path to iku_rules/schema/definitions.schema.json>"
                ),
                code="schema-reference",
            )
        diagnostics.extend(reader.diagnostics)
    diagnostics += _mixed_scales(satuan)
    for extra_rules in rules[1:]:
        diagnostics.append(
            Diagnostic(
                "error",
                _("a second [rules]; the first is at {first}").format(first=rules[0].location),
                extra_rules.location or Location(root),
                code="duplicate-rules",
            )
        )
    office = offices[0] if offices else None
    for extra in offices[1:]:
        diagnostics.append(
            Diagnostic(
                "error",
                _("a second [office]; the first is at {first}").format(first=offices[0].location),
                extra.location or Location(root),
                code="duplicate-office",
            )
        )
    definitions = Definitions(
        root=root,
        office=office,
        elements=tuple(elements),
        sources=tuple(settle_region_columns(sources, levels)),
        measures=tuple(measures),
        inputs=tuple(inputs),
        parameters=tuple(parameters),
        rules=rules[0] if rules else None,
        satuan={unit: dimension for unit, (dimension, _, _) in satuan.items()},
        satuan_whole={unit: whole for unit, (_, whole, _) in satuan.items() if whole is not None},
        files=tuple(files),
        diagnostics=tuple(diagnostics),
        levels=tuple(levels),
        regions=tuple(settle_namesakes(regions, levels)),
    )
    unreadable = any(d.code in ("toml-syntax", "nesting", "encoding") for d in diagnostics)
    return evolve(
        definitions, diagnostics=(*diagnostics, *check(definitions, complete=not unreadable))
    )


def _several_offices(
    root: Path, parsed: Sequence[tuple[Path, Path, str, dict[str, Any]]]
) -> Diagnostic | None:
    """One error where ``root`` holds several offices, each in a folder of its own
    (``definitions/`` with ``dinsos-pandeglang/`` and ``dinkes-contoh/``), naming the folders
    to give instead; None otherwise. Two ``[office]`` in one office's folder stay the error
    ``a second [office]`` at the second."""
    if root.is_file():
        return None
    folders: dict[str, tuple[Path, str]] = {}
    for file, shown, text, data in parsed:
        if not isinstance(data.get("office"), dict):
            continue
        parts = file.relative_to(root).parts
        if len(parts) < 2 or parts[0] in folders:
            return None
        folders[parts[0]] = (shown, text)
    if len(folders) < 2:
        return None
    names = sorted(folders)
    shown, text = folders[names[1]]
    line = next(
        (n for n, row in enumerate(text.splitlines(), 1) if row.strip().startswith("[office]")), 1
    )
    return Diagnostic(
        "error",
        _(
            "this folder holds the definitions of {count} offices, each in a folder of its own"
            " ({folders}): an office is checked and evaluated alone"
        ).format(count=len(names), folders=", ".join(names)),
        Location(shown, line, 1),
        _("give the folder of one office, e.g. {folder}").format(folder=root / names[0]),
        code="duplicate-office",
    )


def _mixed_scales(satuan: Mapping[str, tuple[str, bool | None, Location]]) -> list[Diagnostic]:
    """An error for each two satuan of one quantity at different scales that the office's
    ``[satuan]`` gives one dimension (``Km = "panjang"`` and ``Meter = "panjang"``): formulas
    would add and compare kilometres and metres as one unit, 1 Km + 1 Meter = 2, in silence.
    When the unit table knows both at their scales, the fix is to leave them to it: iku check
    then proves every conversion between them (two dimensions of the office's own could never
    be converted into each other)."""
    builtin = UnitTable.builtin()
    table = builtin.extended({unit: found[0] for unit, found in satuan.items()})
    found = []
    for unit, other, dimension in table.mixed_scales(list(satuan)):
        mine, theirs = builtin.factor(unit), builtin.factor(other)
        known = builtin.knows(unit) and builtin.knows(other) and mine != theirs
        big, small = (unit, other) if mine > theirs else (other, unit)
        ratio = (max(mine, theirs) / min(mine, theirs)).normalize()
        fix = _(
            "remove {names} from [satuan]: the unit table knows {unit} and {other} at their"
            " scales (1 {big} = {count} {small}) and iku check proves the conversions between"
            " them"
        ).format(
            names=", ".join(n for n in (unit, other) if n in satuan),
            unit=unit,
            other=other,
            big=big,
            small=small,
            count=notations.write(ratio),
        )
        if not known:
            fix = _(
                'give each its own dimension under [satuan], e.g. {unit_key} = "{unit_dimension}"'
                ' and {other_key} = "{other_dimension}", and convert where a formula needs both'
            ).format(
                unit_key=_bare_key(unit),
                other_key=_bare_key(other),
                unit_dimension=unit.casefold(),
                other_dimension=other.casefold(),
            )
        found.append(
            Diagnostic(
                "error",
                _(
                    "the satuan '{unit}' and '{other}' both count '{dimension}', but they measure"
                    " one quantity at different scales: formulas would add and compare {unit} and"
                    " {other} as one unit (1 {unit} + 1 {other} = 2)"
                ).format(unit=unit, other=other, dimension=dimension),
                satuan[unit][2],
                fix,
                code="mixed-scales",
            )
        )
    return found


def _bare_key(name: str) -> str:
    """``name`` as a TOML key: bare when it can be, else in quotes (``"Juta Rupiah"``)."""
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else '"' + name.replace('"', '\\"') + '"'
