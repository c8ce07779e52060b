"""What the pages show, as plain data for the templates: the cascade as a tree with each
indicator's result (and where the data behind it stop short), numbers written the office's
way, explanations as nested nodes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import frozen

from iku_rules import Definitions, Evaluation, IndicatorResult
from iku_rules import decimals as decimals_
from iku_rules import notation as notations
from iku_rules.levels import LEVEL_TITLES
from iku_rules.output import with_satuan
from iku_rules.serve.text import _

PALETTE = 5
"""Predikat colours: ``p0`` (best) to ``p4`` (worst), spread over the office's scale."""


def number(value: Decimal | None, definitions: Definitions, places: int = 2) -> str:
    """A value for people, in the office's notation (``55,73``; ``1.234``), rounded half
    away from zero to ``places`` places for the tree (explanations keep every digit)."""
    if value is None:
        return "–"
    if value.is_infinite():
        return "∞" if value > 0 else "−∞"
    shown = decimals_.plain(decimals_.round_half_away(value, places))
    return notations.write(shown, definitions.notation)


def every_digit(value: Decimal, definitions: Definitions) -> str:
    """An explanation's value for people: in the office's notation, with every digit it
    has (``36,8``; ``1.750``), as its values and the steps of its computation show them."""
    return notations.write(decimals_.plain(value), definitions.notation)


def written_places(value: Decimal) -> int:
    """The decimals ``value`` carries (``0.305`` 3, ``90.995`` 3, ``40`` 0): a target is shown
    with no fewer than it is written with, a capaian with those its table rounded it to
    (the number its predikat was given for), as the LKjIP report shows them."""
    if not value.is_finite():
        return 0
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def target_text(target: Any, definitions: Definitions, places: int = 2) -> str:
    """A target as planners write it: ``40``, ``80–90``, ``< 70``; with ``places``
    decimals, or those it is written with when more (``0,305`` stays ``0,305``)."""

    def shown(value: Decimal) -> str:
        return number(value, definitions, max(places, written_places(value.normalize())))

    if target is None:
        return "–"
    if isinstance(target, tuple):
        return f"{shown(target[0])}–{shown(target[1])}"
    if hasattr(target, "op"):
        sign = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}[target.op]
        return f"{sign} {shown(target.value)}"
    return shown(target)


def number_hint(definitions: Definitions) -> str:
    """How the targets typed in the form are read, in the office's notation."""
    found = definitions.notation
    if not found.declared:
        return _(
            "This office declares no notation, so a number that reads two ways, such as 23.500"
            ' or 1,500, is refused: write 23500 or 55,33. A range is written "80–90", a'
            ' threshold "< 70". An empty field has no target.'
        )
    grouped, decimal = ("23.500", "55,33") if found.name == "id" else ("23,500", "55.33")
    return _(
        'Numbers are read the way this office writes them (notation "{notation}"):'
        " {grouped} is twenty-three thousand five hundred and {decimal} is fifty-five and"
        ' 33 hundredths. A range is written "80–90", a threshold "< 70". An empty field has'
        " no target."
    ).format(notation=found.name, grouped=grouped, decimal=decimal)


def region_asked(asked: str | None, regions: Sequence[str]) -> str | None:
    """The region of ``regions`` a page asks for: as written, else ignoring case and
    spacing (as the data's names are matched); None when none is."""
    if not asked:
        return None
    if asked in regions:
        return asked

    def folded(name: str) -> str:
        return " ".join(name.split()).casefold()

    return next((r for r in regions if folded(r) == folded(asked)), None)


def predikat_class(label: str | None, bands: Sequence[str]) -> str:
    if label is None or label not in bands:
        return "pna"
    index = list(bands).index(label)
    return f"p{round(index * (PALETTE - 1) / max(len(bands) - 1, 1))}"


@frozen
class IndicatorRow:
    id: str
    name: str
    unit: str
    iku: bool
    value: str
    reason: str | None
    target: str
    capaian: str
    capaian_reason: str | None
    predikat: str | None
    css: str
    search: str
    gaps: tuple[str, ...] = ()
    """Where the data its value rests on stop short of the period's end or miss a declared
    region, in the language spoken (:func:`~iku_rules.data_gaps.data_gaps`, as the
    report's ``Keterangan`` says it): a planner reviewing 2026 in January would otherwise
    read nine months of services as the year's."""


@frozen
class Node:
    id: str
    level: str
    title: str
    name: str
    kode: str | None
    indicators: tuple[IndicatorRow, ...]
    children: tuple[Node, ...]
    search: str


def indicator_row(
    definitions: Definitions,
    indicator: Any,
    result: IndicatorResult | None,
    bands: Sequence[str],
    gaps: tuple[str, ...] = (),
) -> IndicatorRow:
    # Imported here, as in tree(): the report package loads on the first tree, not at start-up.
    from iku_rules.report.numbers import realisasi_decimals

    # The decimals the indicator asks for (a Gini ratio's 0,302, not 0,30), as reports show;
    # a value beside a threshold or range with those it needs to stand on the side of each
    # bound its capaian was given for (94,999 against ≥ 95 is not met: never shown 95).
    places = indicator.decimals if indicator.decimals is not None else 2
    value = (
        number(result.value, definitions, realisasi_decimals(result.value, result.target, places))
        if result is not None
        else "–"
    )
    if result is not None and result.value is not None and indicator.is_percent:
        value += " %"
    capaian = result.capaian.value if result is not None and result.capaian else None
    predikat = result.predikat if result is not None and capaian is not None else None
    return IndicatorRow(
        id=indicator.id,
        name=indicator.name,
        unit=indicator.unit,
        iku=indicator.iku,
        value=value,
        reason=result.reason if result is not None else None,
        target=target_text(result.target if result is not None else None, definitions, places),
        capaian=number(capaian, definitions, max(2, written_places(capaian))) + " %"
        if capaian is not None
        else "–",
        capaian_reason=result.capaian_reason if result is not None else None,
        predikat=predikat,
        css=predikat_class(predikat, bands),
        search=f"{indicator.id} {indicator.name}".casefold(),
        gaps=gaps,
    )


def tree(
    definitions: Definitions,
    evaluation: Evaluation | None,
    region: str | None,
    bands: Sequence[str],
    query: str = "",
) -> list[Node]:
    """The cascade from its roots; with ``query``, only what matches it by name or id and
    the elements above it. Each row says where the data of its value (for ``region``) stop
    short: asked of the data the first time a page shows the evaluation (one query per
    source, for each time it is read as, kept with the evaluation), so a page shown again
    asks nothing new."""
    # Imported here: the report package (and openpyxl) loads on the first tree, not at start-up.
    from iku_rules.data_gaps import data_gaps

    wanted = query.strip().casefold()

    def result(indicator_id: str) -> IndicatorResult | None:
        if evaluation is None:
            return None
        try:
            return evaluation.get(indicator_id, region)
        except Exception:
            return None

    def row_of(indicator: Any) -> IndicatorRow:
        found = result(indicator.id)
        gaps: tuple[str, ...] = ()
        if evaluation is not None and found is not None:
            gaps = tuple(gap.text for gap in data_gaps(evaluation, indicator.id, region))
        return indicator_row(definitions, indicator, found, bands, gaps)

    def build(element: Any, seen: set[str]) -> Node | None:
        seen.add(element.id)
        rows = tuple(row_of(indicator) for indicator in element.indicators)
        children = tuple(
            node
            for child in definitions.children(element.id)
            if child.id not in seen
            for node in [build(child, seen)]
            if node is not None
        )
        text = f"{element.id} {element.kode or ''} {element.name}".casefold()
        if wanted and wanted not in text:
            rows = tuple(row for row in rows if wanted in row.search)
            if not rows and not children:
                return None
        return Node(
            element.id,
            element.level,
            element.title,
            element.name,
            element.kode,
            rows,
            children,
            text,
        )

    seen: set[str] = set()
    return [node for root in definitions.roots() for node in [build(root, seen)] if node]


def explanation_node(data: Mapping[str, Any], definitions: Definitions) -> dict[str, Any]:
    """An explanation (``Explanation.as_dict()``) with its values written for people."""
    value = data.get("value")
    shown = None
    if isinstance(value, Decimal):
        shown = every_digit(value, definitions)
        unit = data.get("unit")
        if unit in ("Persen", "persen"):  # a satuan given as the unit
            unit = "%"
        shown = with_satuan(shown, unit, data.get("satuan"))  # 11,005 Km; 68,625 %
    kinds = {
        "indicator": _("Indicator"),
        "measure": _("Measure"),
        "input": _("Input"),
        "parameter": _("Parameter"),
        "realisasi": _("Realisasi"),
        "sub_kegiatan": LEVEL_TITLES["sub_kegiatan"],  # a part of a measure: its sub kegiatan
        "element": "",
    }
    return {
        "kind": data.get("kind"),
        "kind_label": kinds.get(str(data.get("kind")), str(data.get("kind") or "")),
        "id": data.get("id"),
        "name": data.get("name"),
        "formula": data.get("formula"),
        "value": shown,
        "reason": data.get("reason"),
        "reason_code": data.get("reason_code"),
        "details": list(data.get("details", [])),
        "trace": _trace_lines(data.get("trace"), definitions),
        "inputs": [explanation_node(child, definitions) for child in data.get("inputs", [])],
        "cascade": [explanation_node(child, definitions) for child in data.get("cascade", [])],
        "queries": data.get("queries", []),
    }


def _trace_lines(
    trace: Mapping[str, Any] | None, definitions: Definitions, depth: int = 0
) -> list[tuple[int, str]]:
    """The steps of a computation (``TraceStep.as_dict()``), each value in the office's
    notation with every digit, as the explanation's values: ``36,8 %`` in notation ``id``,
    never ``36.8``, whose point an Indonesian reader takes for a thousands mark."""
    if not trace:
        return []
    if depth == 0 and not trace.get("steps"):
        return []
    value = trace.get("value")
    if value is None and trace.get("reason"):
        shown = _("not available ({reason})").format(reason=trace["reason"])
    elif isinstance(value, bool):
        shown = _("true") if value else _("false")
    elif isinstance(value, str):
        shown = every_digit(Decimal(value), definitions)
        shown += " %" if trace.get("unit") == "%" else ""
    else:
        shown = ""
    lines = [(depth, f"{trace.get('expression')} = {shown}")]
    for step in trace.get("steps", []):
        lines += _trace_lines(step, definitions, depth + 1)
    return lines
