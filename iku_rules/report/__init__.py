"""The reports an office files: the LKjIP performance tables, from an evaluation.

:func:`build_report` gathers the report as data (:class:`Report`): the IKU
table, one table per programme, the trend of each IKU over the plan years, the
explanation of each IKU and the whole cascade with every indicator's result.
Three renderers draw it:

- :func:`render_markdown`: a Markdown document;
- :func:`write_excel` / :func:`build_workbook`: an Excel workbook with numeric cells;
- :func:`render_html`: one self-contained HTML page with the cascade as a tree,
  charts of target against realisasi and the explanations.

:func:`write_report` writes any of them through :func:`write_atomic`, so a report
file is written whole or not at all, and an existing file is replaced only when
asked (``replace=True``)::

    engine = Engine("definitions/dinsos-pandeglang", "sample-data")
    report = build_report(engine, "2026")
    write_report(report, Path("lkjip-2026.xlsx"), "xlsx", replace=False)
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

from iku_rules.i18n import _
from iku_rules.report.atomic import ReportError, ReportExistsError, write_atomic
from iku_rules.report.excel import build_workbook, write_excel
from iku_rules.report.html import render_html
from iku_rules.report.markdown import render_markdown
from iku_rules.report.tables import (
    CascadeIndicator,
    CascadeNode,
    ExplainedIndicator,
    LegendBand,
    Report,
    Row,
    Table,
    TrendPoint,
    TrendSeries,
    build_report,
)

ReportFormat = Literal["md", "xlsx", "html"]
FORMATS: tuple[str, ...] = get_args(ReportFormat)
"""The formats :func:`write_report` writes."""
_ALIASES = {"markdown": "md", "excel": "xlsx", "htm": "html"}


class ReportFormatError(ReportError):
    """A report format iku-rules does not write."""


def report_format(name: str) -> ReportFormat:
    """The format called ``name`` (``md``, ``xlsx``, ``html``; also ``markdown``,
    ``excel``, ``htm``), or :class:`ReportFormatError`.

    >>> report_format("Markdown")
    'md'
    """
    key = name.strip().lower().lstrip(".")
    key = _ALIASES.get(key, key)
    if key == "md":
        return "md"
    if key == "xlsx":
        return "xlsx"
    if key == "html":
        return "html"
    raise ReportFormatError(
        _("unknown report format '{name}'; choose one of {formats}").format(
            name=name, formats=", ".join(FORMATS)
        )
    )


def format_from_path(path: Path | str) -> ReportFormat:
    """The format a file name asks for by its extension (``laporan.xlsx`` → ``xlsx``).

    >>> format_from_path("lkjip-2026.html")
    'html'
    """
    suffix = Path(path).suffix
    if not suffix:
        raise ReportFormatError(
            _("cannot tell the report format from '{path}'; give --format ({formats})").format(
                path=path, formats=", ".join(FORMATS)
            )
        )
    return report_format(suffix)


def write_report(
    report: Report,
    path: Path | str,
    format: str,
    *,
    replace: bool,
    decimal_comma: bool | None = None,
) -> None:
    """Write ``report`` to ``path`` as ``format`` (``md``, ``xlsx`` or ``html``), atomically.

    Raises :class:`ReportExistsError` when ``path`` exists and ``replace`` is False, and
    :class:`ReportFormatError` for an unknown format. ``decimal_comma`` writes numbers
    the Indonesian way (``55,73``) in Markdown and HTML; a workbook stores numbers, which
    Excel shows in the reader's own locale. The explanations' details are written as the
    report is built: build it inside :func:`~iku_rules.i18n.numbers_as` for them to follow
    too (``iku report --decimal-comma`` does).
    """
    kind = report_format(format)
    target = Path(path)
    if kind == "md":
        write_atomic(target, render_markdown(report, decimal_comma=decimal_comma), replace=replace)
    elif kind == "html":
        write_atomic(target, render_html(report, decimal_comma=decimal_comma), replace=replace)
    else:

        def save(temp: Path) -> None:
            write_excel(report, temp)

        write_atomic(target, save, replace=replace)


__all__ = [
    "FORMATS",
    "CascadeIndicator",
    "CascadeNode",
    "ExplainedIndicator",
    "LegendBand",
    "Report",
    "ReportError",
    "ReportExistsError",
    "ReportFormat",
    "ReportFormatError",
    "Row",
    "Table",
    "TrendPoint",
    "TrendSeries",
    "build_report",
    "build_workbook",
    "format_from_path",
    "render_html",
    "render_markdown",
    "report_format",
    "write_atomic",
    "write_excel",
    "write_report",
]
