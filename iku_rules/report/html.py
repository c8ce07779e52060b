"""A report as one self-contained HTML file.

Everything is inline (CSS, JavaScript, the charts as SVG): the file opens from a
USB stick or an e-mail attachment without a network, and its Content Security
Policy forbids every fetch and allows only its own script and style (by hash),
so even a name that slipped through unescaped could not run.

The page shows the IKU table; the cascade from Visi down to Sub Kegiatan as a
collapsible tree (``<details>``), each indicator coloured by its predikat with a
legend, and a click on an indicator opening its explanation in a side panel; a
chart of target against realisasi per year for each IKU, with its figures in a
table; the programme tables; and the explanations of the IKU (readable without
JavaScript too). Every text from the definitions or the data is escaped. A report made
before its period was over says so in a note under its title (on paper too), and its
charts and trend tables mark each year not over (an open marker, ``2026 (provisional)``).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from decimal import Decimal
from importlib import resources

from iku_rules.i18n import _, current_language, decimal_sign, numbers_as
from iku_rules.model import Target
from iku_rules.report.chart import _Chart, _e, _year_label
from iku_rules.report.explain_html import explanation_html
from iku_rules.report.numbers import (
    capaian_decimals,
    number_text,
    realisasi_decimals,
    target_text,
)
from iku_rules.report.tables import (
    NUMERIC_COLUMNS,
    PROGRAM_HEADER,
    TABLE_HEADER,
    TREND_HEADER,
    CascadeNode,
    Report,
    Row,
    Table,
    TrendSeries,
)

MISSING = "–"
OPEN_LEVELS = {"visi", "misi"}
"""Levels of the cascade shown open when the page loads; the rest open on a click."""
PALETTE = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027")
"""Predikat colours, best band first (green … red)."""
NOT_AVAILABLE_COLOUR = "#bdbdbd"
TARGET_COLOUR = "#2b6cb0"
REALISASI_COLOUR = "#dd6b20"


def _asset(name: str) -> str:
    """A file of ``report/assets/`` (the page's script and style, shipped as package data)."""
    return resources.files("iku_rules.report").joinpath("assets", name).read_text(encoding="utf-8")


SCRIPT = _asset("report.js")
"""The page's script: the side panel with an indicator's explanation."""
STYLE = _asset("report.css")
"""The page's style, for the screen and for print."""


def render_html(report: Report, *, decimal_comma: bool | None = None) -> str:
    """The report as one HTML document (UTF-8 text), in the language spoken
    (``decimal_comma`` None: the language's decimal sign)."""
    comma = decimal_sign() == "," if decimal_comma is None else decimal_comma
    with numbers_as("id" if comma else "en"):  # the explanations' numbers as the tables'
        return _Page(report, comma).render()


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


class _Page:
    def __init__(self, report: Report, decimal_comma: bool) -> None:
        self.report = report
        self.decimal_comma = decimal_comma
        self.bands = {band.label: index for index, band in enumerate(report.predikat_scale)}
        self.explanations: list[tuple[str, str, str]] = []
        self.keys: dict[str, str] = {}

    # -- pieces

    def number(self, value: Decimal | None, decimals: int = 2) -> str:
        if value is None:
            return MISSING
        return number_text(value, decimal_comma=self.decimal_comma, decimals=decimals)

    def target(self, target: Target | None, decimals: int = 2) -> str:
        if target is None:
            return MISSING
        return target_text(target, decimal_comma=self.decimal_comma, decimals=decimals)

    def capaian(self, value: Decimal | None) -> str:
        """A capaian with the decimals it was rounded to (:func:`capaian_decimals`)."""
        return MISSING if value is None else self.number(value, capaian_decimals(value))

    def realisasi(self, value: Decimal | None, target: Target | None, decimals: int) -> str:
        """A realisasi beside its target (:func:`realisasi_decimals`)."""
        return self.number(value, realisasi_decimals(value, target, decimals))

    def predikat_class(self, label: str | None) -> str:
        """``p0`` (best) … ``p4`` (worst) spread over the office's scale; ``pna`` when none."""
        if label is None or label not in self.bands:
            return "pna"
        count = len(self.bands)
        return f"p{round(self.bands[label] * (len(PALETTE) - 1) / max(count - 1, 1))}"

    def badge(self, label: str | None) -> str:
        if label is None:
            return MISSING
        return f'<span class="badge {self.predikat_class(label)}">{_e(label)}</span>'

    def explanation_key(self, indicator_id: str, title: str, text: str) -> str:
        """The id of the hidden block that holds an indicator's explanation (ours, not the
        indicator's id, so no text from the definitions ends up in an id)."""
        if indicator_id not in self.keys:
            key = f"ex-{len(self.keys) + 1}"
            self.keys[indicator_id] = key
            self.explanations.append((key, title, text))
        return self.keys[indicator_id]

    # -- the page

    def render(self) -> str:
        report = self.report
        # The cascade first: it registers the explanation of every indicator.
        cascade = self.cascade()
        body = [
            '<header class="page">',
            f"<h1>{_e(report.title)}</h1>",
            *self.provisional(),
            f"<p>{_e(self.subtitle())}</p>",
            "</header>",
            '<nav class="toc" aria-label="' + _e(_("Contents")) + '">',
            '<a href="#iku">IKU</a><a href="#cascade">' + _e(_("Performance tree")) + "</a>",
            '<a href="#tren">'
            + _e(_("IKU trend"))
            + '</a><a href="#program">'
            + _e(_("Program"))
            + "</a>",
            '<a href="#penjelasan">' + _e(_("Explanation")) + "</a>",
            "</nav>",
            "<main>",
            '<section id="iku">',
            f"<h2>{_e(report.iku_table.title)}</h2>",
            self.legend(),
            self.table(report.iku_table, TABLE_HEADER, program=False),
            "</section>",
            cascade,
            self.trend(),
            self.programs(),
            *(self.region_table(table) for table in report.region_tables),
            self.iku_explanations(),
            "</main>",
            self.store(),
        ]
        script = SCRIPT
        style = STYLE
        policy = (
            "default-src 'none'; "  # i18n: not for planners
            f"script-src {_csp_hash(script)}; style-src {_csp_hash(style)}; "
            "img-src data:; base-uri 'none'; form-action 'none'"
        )
        head = [
            "<!DOCTYPE html>",
            f'<html lang="{current_language()}">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="iku-rules">',
            f"<title>{_e(report.title)}</title>",
            '<link rel="icon" href="data:,">',
            f"<style>{style}</style>",
            "</head>",
            "<body>",
        ]
        tail = [f"<script>{script}</script>", "</body>", "</html>"]
        return "\n".join([*head, *body, *tail]) + "\n"

    def provisional(self) -> list[str]:
        """The note under the title of a report whose period was not over when it was made
        (none otherwise): before any number, on the screen and on paper."""
        banner = self.report.provisional_banner
        if banner is None:
            return []
        return [f'<p class="provisional" role="note"><strong>{_e(banner)}</strong></p>']

    def subtitle(self) -> str:
        report = self.report
        parts = [report.office]
        if report.document:
            parts.append(report.document)
        parts.append(_("Period: {period}").format(period=report.period_text))
        return " · ".join(parts)

    def legend(self) -> str:
        items = [
            f'<li><span class="swatch {self.predikat_class(band.label)}"></span>{_e(band.text)}</li>'
            for band in self.report.predikat_scale
        ]
        items.append('<li><span class="swatch pna"></span>' + _e(_("not available")) + "</li>")
        return f'<ul class="legend" aria-label="Predikat">{"".join(items)}</ul>'

    # -- tables

    def table(self, table: Table, header: Sequence[str], *, program: bool) -> str:
        if not table.rows:
            return "<p>" + _e(_("No indicators are defined here.")) + "</p>"
        head = "".join(
            f'<th scope="col" class="num">{_e(_(name))}</th>'
            if name in NUMERIC_COLUMNS
            else f'<th scope="col">{_e(_(name))}</th>'
            for name in header
        )
        rows = [self.table_row(row, program) for row in table.rows]
        return (
            '<div class="scroll"><table>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )

    def table_row(self, row: Row, program: bool) -> str:
        sasaran = _e(row.sasaran)
        if program:
            kode = f'<span class="kode">{_e(row.kode)}</span>' if row.kode else ""
            sasaran = f'<span class="level">{_e(row.level)}</span>{kode}{sasaran}'
        indikator = _e(row.indikator)
        if row.indicator_id in self.keys:
            key = self.keys[row.indicator_id]
            see = _e(_("See the explanation"))
            indikator = (
                f'<button type="button" class="link" data-explain="{key}" '
                f'title="{see}">{indikator}</button>'
            )
        cells = [
            f'<td class="num">{row.no}</td>',
            f"<td>{sasaran}</td>",
            f"<td>{indikator}</td>",
            f"<td>{_e(row.satuan)}</td>",
            f'<td class="num">{_e(self.target(row.target, row.decimals))}</td>',
            f'<td class="num">{_e(self.realisasi(row.realisasi, row.target, row.decimals))}</td>',
            f'<td class="num">{_e(self.capaian(row.capaian))}</td>',
            f"<td>{self.badge(row.predikat)}</td>",
            f'<td class="note">{_e(row.keterangan)}</td>',
        ]
        return f"<tr>{''.join(cells)}</tr>"

    def programs(self) -> str:
        parts = ['<section id="program">', "<h2>" + _e(_("Program")) + "</h2>"]
        if not self.report.program_tables:
            parts.append("<p>" + _e(_("No programme is defined.")) + "</p>")
        for table in self.report.program_tables:
            parts.append(f"<h3>{_e(table.title)}</h3>")
            parts.append(self.table(table, PROGRAM_HEADER, program=True))
        parts.append("</section>")
        return "\n".join(parts)

    def region_table(self, table: Table) -> str:
        """Capaian per region, where the office gives targets per region."""
        header = (TABLE_HEADER[0], table.name or "", *TABLE_HEADER[2:])
        keys, self.keys = self.keys, {}  # the explanations are the area's: no link from a region
        try:
            body = self.table(table, header, program=False)
        finally:
            self.keys = keys
        return f"<section>\n<h2>{_e(table.title)}</h2>\n{body}\n</section>"

    # -- the cascade

    def cascade(self) -> str:
        parts = [
            '<section id="cascade">',
            "<h2>" + _e(_("Performance tree (cascade)")) + "</h2>",
            "<p>"
            + _e(
                _(
                    "Click an element to open or close it; click an indicator to see"
                    " the explanation of its value."
                )
            )
            + "</p>",
            self.legend(),
            '<div class="toolbar">',
            '<button type="button" id="expand-all">' + _e(_("Open all")) + "</button>",
            '<button type="button" id="collapse-all">' + _e(_("Close all")) + "</button>",
            "</div>",
            '<div class="cascade-layout">',
            '<div id="tree" aria-label="' + _e(_("Performance tree")) + '">',
        ]
        if self.report.cascade:
            parts.append("<ul>")
            parts += [self.node(root) for root in self.report.cascade]
            parts.append("</ul>")
        else:
            parts.append("<p>" + _e(_("No elements are defined.")) + "</p>")
        parts += [
            "</div>",
            '<aside id="panel" class="panel" aria-live="polite">',
            '<div class="panel-head"><h3 id="panel-title">' + _e(_("Explanation")) + "</h3>",
            '<button type="button" id="panel-close" aria-label="'
            + _e(_("Close the explanation"))
            + '">'
            "×</button></div>",
            '<p id="panel-hint">'
            + _e(
                _(
                    "Click an indicator in the performance tree to see how its value was"
                    " computed, down to the data."
                )
            )
            + "</p>",
            '<div id="panel-text" class="x-panel" hidden></div>',
            "</aside>",
            "</div>",
            "</section>",
        ]
        return "\n".join(parts)

    def node(self, node: CascadeNode) -> str:
        kode = f'<span class="kode">{_e(node.kode)}</span>' if node.kode else ""
        label = f'<span class="level">{_e(node.title)}</span>{kode}{_e(node.name)}'
        inner: list[str] = []
        if node.indicators:
            inner.append('<ul class="indicators">')
            for item in node.indicators:
                row = item.row
                key = self.explanation_key(
                    row.indicator_id,
                    f"{row.indikator} [{row.indicator_id}]",
                    explanation_html(item.explanation),
                )
                css = self.predikat_class(row.predikat if row.capaian is not None else None)
                inner.append(
                    f'<li><button type="button" class="indicator {css}" '
                    f'data-explain="{key}" aria-controls="panel" aria-expanded="false">'
                    f"◆ {_e(row.indikator)}"
                    f'<span class="figures">{_e(self.figures(row))}</span></button></li>'
                )
            inner.append("</ul>")
        if node.children:
            inner.append('<ul class="children">')
            inner += [self.node(child) for child in node.children]
            inner.append("</ul>")
        data = f'data-level="{_e(node.level)}"'
        if not inner:
            return f'<li {data}><span class="leaf">{label}</span></li>'
        opened = " open" if node.level in OPEN_LEVELS else ""
        return (
            f"<li {data}><details{opened}><summary>{label}</summary>"
            + "".join(inner)
            + "</details></li>"
        )

    def figures(self, row: Row) -> str:
        """The one-line summary under an indicator in the tree."""
        unit = " %" if row.percent else f" {row.satuan}"
        if row.realisasi is None:
            parts = [
                _("realisasi not available: {reason}").format(reason=row.reason or _("no value"))
            ]
        else:
            shown = self.realisasi(row.realisasi, row.target, row.decimals)
            parts = [f"realisasi {shown}{unit}"]
        if row.target is not None:
            parts.append(f"target {self.target(row.target, row.decimals)}")
        if row.capaian is not None:
            parts.append(f"capaian {self.capaian(row.capaian)} %")
            parts.append(row.predikat or MISSING)
        if row.policy_applied:
            parts.append(row.policy_applied)
        return " · ".join(parts)

    # -- the trend

    def trend(self) -> str:
        parts = [
            '<section id="tren">',
            "<h2>" + _e(_("IKU trend: target and realisasi per year")) + "</h2>",
        ]
        if not self.report.trend:
            parts.append("<p>" + _e(_("No IKU is defined.")) + "</p>")
        parts.append('<div class="charts">')
        for index, series in enumerate(self.report.trend, start=1):
            parts.append("<figure>")
            parts.append(f"<figcaption>{_e(series.indikator)} ({_e(series.satuan)})</figcaption>")
            parts.append(_Chart(series, index, self).svg())
            parts.append(self.trend_table(series))
            parts.append("</figure>")
        parts.append("</div>")
        parts.append("</section>")
        return "\n".join(parts)

    def trend_table(self, series: TrendSeries) -> str:
        head = "".join(
            f'<th scope="col" class="num">{_e(_(name))}</th>'
            if name in NUMERIC_COLUMNS
            else f'<th scope="col">{_e(_(name))}</th>'
            for name in TREND_HEADER
        )
        rows = []
        for point in series.points:
            note = point.keterangan
            rows.append(
                ('<tr class="provisional">' if point.provisional else "<tr>")
                + f'<td class="num">{_e(_year_label(point))}</td>'
                f'<td class="num">{_e(self.target(point.target, point.decimals))}</td>'
                f'<td class="num">{_e(self.number(point.realisasi, series.realisasi_decimals(point)))}</td>'
                f'<td class="num">{_e(self.capaian(point.capaian))}</td>'
                f"<td>{self.badge(point.predikat)}</td>"
                f'<td class="note">{_e(note)}</td>'
                "</tr>"
            )
        return (
            '<div class="scroll"><table class="trend">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )

    # -- explanations

    def iku_explanations(self) -> str:
        parts = ['<section id="penjelasan">', "<h2>" + _e(_("IKU explanations")) + "</h2>"]
        for explained in self.report.explanations:
            parts.append(
                '<details class="explained">'
                f"<summary>{_e(explained.indikator)} [{_e(explained.indicator_id)}]</summary>"
                f"{explanation_html(explained.explanation)}</details>"
            )
        parts.append("</section>")
        return "\n".join(parts)

    def store(self) -> str:
        """The explanation of every indicator, hidden; the script shows one in the panel."""
        blocks = [
            f'<div id="{key}" data-title="{_e(title)}">{text}</div>'
            for key, title, text in self.explanations
        ]
        return '<div class="store" aria-hidden="true">' + "".join(blocks) + "</div>"
