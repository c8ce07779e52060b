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
JavaScript too). Every text from the definitions or the data is escaped.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from html import escape

from iku_rules.decimals import CONTEXT, exact, total
from iku_rules.model import Target, Threshold
from iku_rules.report.tables import (
    NUMERIC_COLUMNS,
    PROGRAM_HEADER,
    TABLE_HEADER,
    TREND_HEADER,
    CascadeNode,
    Report,
    Row,
    Table,
    TrendPoint,
    TrendSeries,
    number_text,
    target_text,
)

MISSING = "–"
OPEN_LEVELS = {"visi", "misi"}
"""Levels of the cascade shown open when the page loads; the rest open on a click."""
PALETTE = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027")
"""Predikat colours, best band first (green … red)."""
NOT_AVAILABLE_COLOUR = "#bdbdbd"
TARGET_COLOUR = "#2b6cb0"
REALISASI_COLOUR = "#dd6b20"


SCRIPT = """
(function () {
  "use strict";
  var panel = document.getElementById("panel");
  var title = document.getElementById("panel-title");
  var body = document.getElementById("panel-text");
  var hint = document.getElementById("panel-hint");
  var selected = null;

  function treeButton(key) {
    var buttons = document.querySelectorAll("#tree [data-explain]");
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i].getAttribute("data-explain") === key) { return buttons[i]; }
    }
    return null;
  }

  function reveal(node) {
    for (var parent = node.parentElement; parent; parent = parent.parentElement) {
      if (parent.tagName === "DETAILS") { parent.open = true; }
    }
  }

  function show(button) {
    var key = button.getAttribute("data-explain");
    var source = document.getElementById(key);
    if (!source) { return; }
    var node = treeButton(key) || button;
    reveal(node);
    if (selected) {
      selected.classList.remove("selected");
      selected.setAttribute("aria-expanded", "false");
    }
    selected = node;
    node.classList.add("selected");
    node.setAttribute("aria-expanded", "true");
    title.textContent = source.getAttribute("data-title");
    body.textContent = source.textContent;
    hint.hidden = true;
    body.hidden = false;
    panel.classList.add("open");
    if (button !== node) { node.scrollIntoView({block: "center"}); }
    if (panel.scrollIntoView) { panel.scrollIntoView({block: "nearest"}); }
  }

  function close() {
    panel.classList.remove("open");
    body.hidden = true;
    hint.hidden = false;
    title.textContent = "Penjelasan";
    if (selected) {
      selected.classList.remove("selected");
      selected.setAttribute("aria-expanded", "false");
      selected.focus();
      selected = null;
    }
  }

  function setAll(open) {
    var all = document.querySelectorAll("#tree details");
    for (var i = 0; i < all.length; i++) { all[i].open = open; }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var button = target.closest("[data-explain]");
    if (button) { event.preventDefault(); show(button); return; }
    if (target.closest("#panel-close")) { close(); return; }
    if (target.closest("#expand-all")) { setAll(true); return; }
    if (target.closest("#collapse-all")) { setAll(false); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panel.classList.contains("open")) { close(); }
  });
  document.documentElement.classList.add("js");
})();
"""

STYLE = """
:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --paper: #ffffff;
  --soft: #f5f7fa; --accent: #2b6cb0; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: var(--ink); background: var(--soft); }
header.page { background: #243b53; color: #fff; padding: 1.2rem 2rem; }
header.page h1 { margin: 0 0 .3rem; font-size: 1.5rem; }
header.page p { margin: 0; color: #d9e2ec; }
nav.toc { padding: .6rem 2rem; background: #334e68; }
nav.toc a { color: #fff; margin-right: 1.2rem; text-decoration: none; }
nav.toc a:hover, nav.toc a:focus { text-decoration: underline; }
main { padding: 1rem 2rem 3rem; max-width: 1500px; }
section { background: var(--paper); border: 1px solid var(--line); border-radius: 6px;
  padding: 1rem 1.2rem; margin: 1rem 0; }
h2 { margin-top: 0; font-size: 1.25rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .5rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; vertical-align: top; text-align: left; }
th { background: #e4ecf7; position: sticky; top: 0; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.note { color: var(--muted); font-size: .85rem; }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: 9px; font-size: .8rem;
  white-space: nowrap; border: 1px solid rgba(0,0,0,.15); }
.p0 { background: #1a9850; color: #fff; }
.p1 { background: #91cf60; color: #1f2933; }
.p2 { background: #fee08b; color: #1f2933; }
.p3 { background: #fc8d59; color: #1f2933; }
.p4 { background: #d73027; color: #fff; }
.pna { background: #bdbdbd; color: #1f2933; }
.legend { display: flex; flex-wrap: wrap; gap: .4rem .9rem; margin: .3rem 0 .8rem; padding: 0;
  list-style: none; font-size: .85rem; }
.legend li { display: flex; align-items: center; gap: .35rem; }
.swatch { width: 1rem; height: 1rem; border-radius: 3px; display: inline-block;
  border: 1px solid rgba(0,0,0,.2); }
.toolbar { margin-bottom: .6rem; display: flex; gap: .5rem; }
.toolbar button { font: inherit; font-size: .85rem; padding: .2rem .6rem; border-radius: 4px;
  border: 1px solid var(--line); background: var(--soft); cursor: pointer; }
.cascade-layout { display: grid; grid-template-columns: minmax(0, 3fr) minmax(260px, 2fr);
  gap: 1rem; align-items: start; }
@media (max-width: 900px) { .cascade-layout { grid-template-columns: 1fr; } }
#tree ul { list-style: none; margin: 0; padding-left: 1.1rem; border-left: 1px dotted #bcccdc; }
#tree > ul { padding-left: 0; border-left: 0; }
#tree li { margin: .2rem 0; }
#tree summary { cursor: pointer; padding: .1rem .2rem; border-radius: 4px; }
#tree summary:hover { background: var(--soft); }
.leaf { padding: .1rem .2rem .1rem 1.1rem; display: block; }
.level { display: inline-block; font-size: .72rem; text-transform: uppercase; letter-spacing: .03em;
  color: var(--muted); border: 1px solid var(--line); border-radius: 3px; padding: 0 .3rem;
  margin-right: .35rem; background: var(--soft); }
.kode { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; color: var(--muted);
  margin-right: .3rem; }
button.indicator { display: block; width: 100%; text-align: left; font: inherit; font-size: .88rem;
  margin: .15rem 0; padding: .3rem .5rem; border-radius: 5px; cursor: pointer;
  border: 1px solid rgba(0,0,0,.15); border-left-width: 6px; background: #fff; color: var(--ink); }
button.indicator.p0 { border-left-color: #1a9850; background: #e8f5e9; }
button.indicator.p1 { border-left-color: #91cf60; background: #f1f8e9; }
button.indicator.p2 { border-left-color: #fee08b; background: #fffbea; }
button.indicator.p3 { border-left-color: #fc8d59; background: #fff3e8; }
button.indicator.p4 { border-left-color: #d73027; background: #fdecea; }
button.indicator.pna { border-left-color: #bdbdbd; background: #f5f5f5; }
button.indicator:hover, button.indicator:focus { outline: 2px solid var(--accent); }
button.indicator.selected { outline: 3px solid var(--accent); }
.figures { display: block; color: var(--muted); font-size: .8rem; }
button.link { font: inherit; color: var(--accent); background: none; border: 0; padding: 0;
  text-align: left; cursor: pointer; text-decoration: underline dotted; }
.panel { position: sticky; top: .5rem; border: 1px solid var(--line); border-radius: 6px;
  background: #fbfcfe; padding: .6rem .8rem; max-height: calc(100vh - 1rem); overflow: auto; }
.panel.open { border-color: var(--accent); box-shadow: 0 2px 8px rgba(0,0,0,.08); }
.panel-head { display: flex; justify-content: space-between; align-items: start; gap: .5rem; }
.panel-head h3 { margin: 0; }
#panel-close { font: inherit; border: 1px solid var(--line); background: #fff; border-radius: 4px;
  cursor: pointer; padding: 0 .5rem; }
pre { white-space: pre; overflow-x: auto; font: .8rem/1.4 ui-monospace, Menlo, Consolas, monospace;
  background: #f8fafc; border: 1px solid var(--line); border-radius: 4px; padding: .6rem; margin: .5rem 0; }
.store { display: none; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 1rem; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: .3rem; }
svg.chart { width: 100%; height: auto; max-width: 640px; background: #fff; }
svg.chart text { font: 12px system-ui, Arial, sans-serif; fill: #334e68; }
svg.chart .grid { stroke: #e4e7eb; stroke-width: 1; }
svg.chart .axis { stroke: #7b8794; stroke-width: 1; }
svg.chart .target { stroke: #2b6cb0; stroke-width: 2; stroke-dasharray: 6 4; fill: none; }
svg.chart .realisasi { stroke: #dd6b20; stroke-width: 2.5; fill: none; }
svg.chart .dot-target { fill: #2b6cb0; }
svg.chart .dot-realisasi { fill: #dd6b20; }
svg.chart .whisker { stroke: #2b6cb0; stroke-width: 2; }
svg.chart .empty { font-style: italic; fill: #7b8794; }
details.explained > summary { cursor: pointer; font-weight: 600; }
@media print {
  nav.toc, .toolbar, .panel { display: none; }
  .cascade-layout { grid-template-columns: 1fr; }
  section { border: 0; }
}
"""


def render_html(report: Report, *, decimal_comma: bool = False) -> str:
    """The report as one HTML document (UTF-8 text)."""
    return _Page(report, decimal_comma).render()


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _e(text: str) -> str:
    """Escape text from the definitions or the data for HTML text and attributes."""
    return escape(text, quote=True)


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
            f"<p>{_e(self.subtitle())}</p>",
            "</header>",
            '<nav class="toc" aria-label="Isi">',
            '<a href="#iku">IKU</a><a href="#cascade">Pohon kinerja</a>',
            '<a href="#tren">Tren IKU</a><a href="#program">Program</a>',
            '<a href="#penjelasan">Penjelasan</a>',
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
            self.iku_explanations(),
            "</main>",
            self.store(),
        ]
        script = SCRIPT
        style = STYLE
        policy = (
            "default-src 'none'; "
            f"script-src {_csp_hash(script)}; style-src {_csp_hash(style)}; "
            "img-src data:; base-uri 'none'; form-action 'none'"
        )
        head = [
            "<!DOCTYPE html>",
            '<html lang="id">',
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

    def subtitle(self) -> str:
        report = self.report
        parts = [report.office]
        if report.document:
            parts.append(report.document)
        parts.append(f"Periode {report.period_text}")
        return " · ".join(parts)

    def legend(self) -> str:
        items = [
            f'<li><span class="swatch {self.predikat_class(band.label)}"></span>{_e(band.text)}</li>'
            for band in self.report.predikat_scale
        ]
        items.append('<li><span class="swatch pna"></span>tidak tersedia (not available)</li>')
        return f'<ul class="legend" aria-label="Predikat">{"".join(items)}</ul>'

    # -- tables

    def table(self, table: Table, header: Sequence[str], *, program: bool) -> str:
        if not table.rows:
            return "<p>No indicators are defined here.</p>"
        head = "".join(
            f'<th scope="col" class="num">{_e(name)}</th>'
            if name in NUMERIC_COLUMNS
            else f'<th scope="col">{_e(name)}</th>'
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
            indikator = (
                f'<button type="button" class="link" data-explain="{key}" '
                f'title="Lihat penjelasan">{indikator}</button>'
            )
        cells = [
            f'<td class="num">{row.no}</td>',
            f"<td>{sasaran}</td>",
            f"<td>{indikator}</td>",
            f"<td>{_e(row.satuan)}</td>",
            f'<td class="num">{_e(self.target(row.target, row.decimals))}</td>',
            f'<td class="num">{_e(self.number(row.realisasi, row.decimals))}</td>',
            f'<td class="num">{_e(self.number(row.capaian))}</td>',
            f"<td>{self.badge(row.predikat)}</td>",
            f'<td class="note">{_e(row.keterangan)}</td>',
        ]
        return f"<tr>{''.join(cells)}</tr>"

    def programs(self) -> str:
        parts = ['<section id="program">', "<h2>Program</h2>"]
        if not self.report.program_tables:
            parts.append("<p>No programme is defined.</p>")
        for table in self.report.program_tables:
            parts.append(f"<h3>{_e(table.title)}</h3>")
            parts.append(self.table(table, PROGRAM_HEADER, program=True))
        parts.append("</section>")
        return "\n".join(parts)

    # -- the cascade

    def cascade(self) -> str:
        parts = [
            '<section id="cascade">',
            "<h2>Pohon kinerja (cascade)</h2>",
            "<p>Klik sebuah elemen untuk membuka atau menutupnya; klik sebuah indikator untuk "
            "melihat penjelasan nilainya.</p>",
            self.legend(),
            '<div class="toolbar">',
            '<button type="button" id="expand-all">Buka semua</button>',
            '<button type="button" id="collapse-all">Tutup semua</button>',
            "</div>",
            '<div class="cascade-layout">',
            '<div id="tree" aria-label="Pohon kinerja">',
        ]
        if self.report.cascade:
            parts.append("<ul>")
            parts += [self.node(root) for root in self.report.cascade]
            parts.append("</ul>")
        else:
            parts.append("<p>No elements are defined.</p>")
        parts += [
            "</div>",
            '<aside id="panel" class="panel" aria-live="polite">',
            '<div class="panel-head"><h3 id="panel-title">Penjelasan</h3>',
            '<button type="button" id="panel-close" aria-label="Tutup penjelasan">×</button></div>',
            '<p id="panel-hint">Klik sebuah indikator di pohon kinerja untuk melihat bagaimana '
            "nilainya dihitung, sampai ke datanya.</p>",
            '<pre id="panel-text" hidden></pre>',
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
                    item.explanation.text(),
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
            parts = [f"realisasi tidak tersedia: {row.reason or 'no value'}"]
        else:
            parts = [f"realisasi {self.number(row.realisasi, row.decimals)}{unit}"]
        if row.target is not None:
            parts.append(f"target {self.target(row.target, row.decimals)}")
        if row.capaian is not None:
            parts.append(f"capaian {self.number(row.capaian)} %")
            parts.append(row.predikat or MISSING)
        if row.policy_applied:
            parts.append(row.policy_applied)
        return " · ".join(parts)

    # -- the trend

    def trend(self) -> str:
        parts = ['<section id="tren">', "<h2>Tren IKU: target dan realisasi per tahun</h2>"]
        if not self.report.trend:
            parts.append("<p>No IKU is defined.</p>")
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
            f'<th scope="col" class="num">{name}</th>'
            if name in NUMERIC_COLUMNS
            else f'<th scope="col">{name}</th>'
            for name in TREND_HEADER
        )
        rows = []
        for point in series.points:
            note = point.keterangan
            rows.append(
                "<tr>"
                f'<td class="num">{_e(_year_label(point))}</td>'
                f'<td class="num">{_e(self.target(point.target, series.decimals))}</td>'
                f'<td class="num">{_e(self.number(point.realisasi, series.decimals))}</td>'
                f'<td class="num">{_e(self.number(point.capaian))}</td>'
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
        parts = ['<section id="penjelasan">', "<h2>Penjelasan IKU</h2>"]
        for explained in self.report.explanations:
            parts.append(
                '<details class="explained">'
                f"<summary>{_e(explained.indikator)} [{_e(explained.indicator_id)}]</summary>"
                f"<pre>{_e(explained.explanation.text())}</pre></details>"
            )
        parts.append("</section>")
        return "\n".join(parts)

    def store(self) -> str:
        """The explanation of every indicator, hidden; the script shows one in the panel."""
        blocks = [
            f'<pre id="{key}" data-title="{_e(title)}">{_e(text)}</pre>'
            for key, title, text in self.explanations
        ]
        return '<div class="store" aria-hidden="true">' + "".join(blocks) + "</div>"


def _year_label(point: TrendPoint) -> str:
    year = str(point.year) if point.year is not None else ""
    return f"{year} baseline".strip() if point.baseline else year


class _Chart:
    """Target against realisasi for one IKU, as inline SVG."""

    WIDTH = 600
    HEIGHT = 300
    LEFT = 64
    RIGHT = 20
    TOP = 40
    BOTTOM = 52

    def __init__(self, series: TrendSeries, index: int, page: _Page) -> None:
        self.series = series
        self.index = index
        self.page = page
        values: list[Decimal] = []
        for point in series.points:
            values += _target_values(point.target)
            if point.realisasi is not None:
                values.append(point.realisasi)
        self.low, self.high, self.step = _nice_scale(values)

    def x(self, position: int) -> float:
        count = len(self.series.points)
        inner = self.WIDTH - self.LEFT - self.RIGHT
        if count <= 1:
            return self.LEFT + inner / 2
        return self.LEFT + inner * (position + 0.5) / count

    def y(self, value: Decimal) -> float:
        inner = self.HEIGHT - self.TOP - self.BOTTOM
        share = (value - self.low) / (self.high - self.low)
        return self.TOP + inner * (1 - float(share))

    def svg(self) -> str:
        series = self.series
        title_id = f"chart-{self.index}-title"
        desc_id = f"chart-{self.index}-desc"
        parts = [
            f'<svg class="chart" role="img" '
            f'viewBox="0 0 {self.WIDTH} {self.HEIGHT}" aria-labelledby="{title_id} {desc_id}">',
            f'<title id="{title_id}">Target dan realisasi: {_e(series.indikator)}</title>',
            f'<desc id="{desc_id}">{_e(self.description())}</desc>',
        ]
        parts += list(self.axes())
        parts += list(self.target_series())
        parts += list(self.realisasi_series())
        if not any(p.realisasi is not None or p.target is not None for p in series.points):
            parts.append(
                f'<text class="empty" x="{self.WIDTH / 2:.1f}" y="{self.HEIGHT / 2:.1f}" '
                'text-anchor="middle">no target and no realisasi yet</text>'
            )
        parts += list(self.legend())
        parts.append("</svg>")
        return "".join(parts)

    def description(self) -> str:
        items = []
        for point in self.series.points:
            items.append(
                f"{_year_label(point)}: target {self.page.target(point.target, self.series.decimals)}, "
                f"realisasi {self.page.number(point.realisasi, self.series.decimals)}"
            )
        return "; ".join(items)

    def axes(self) -> Iterator[str]:
        left, right = self.LEFT, self.WIDTH - self.RIGHT
        bottom = self.HEIGHT - self.BOTTOM
        tick = self.low
        while tick <= self.high:
            y = self.y(tick)
            yield f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}"/>'
            label = number_text(
                tick,
                decimal_comma=self.page.decimal_comma,
                decimals=0 if self.step == self.step.to_integral_value() else 2,
            )
            yield f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_e(label)}</text>'
            tick += self.step
        yield f'<line class="axis" x1="{left}" y1="{self.TOP - 4}" x2="{left}" y2="{bottom}"/>'
        yield f'<line class="axis" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}"/>'
        for position, point in enumerate(self.series.points):
            x = self.x(position)
            yield f'<line class="axis" x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 5}"/>'
            year = str(point.year) if point.year is not None else ""
            yield f'<text x="{x:.1f}" y="{bottom + 19}" text-anchor="middle">{_e(year)}</text>'
            if point.baseline:
                yield f'<text x="{x:.1f}" y="{bottom + 34}" text-anchor="middle">baseline</text>'
        unit = "%" if self.series.percent else self.series.satuan
        middle = (self.TOP + bottom) / 2
        yield (
            f'<text x="14" y="{middle:.1f}" text-anchor="middle" '
            f'transform="rotate(-90 14 {middle:.1f})">{_e(unit)}</text>'
        )

    def target_series(self) -> Iterator[str]:
        points: list[tuple[float, float] | None] = []
        for position, point in enumerate(self.series.points):
            values = _target_values(point.target)
            if not values:
                points.append(None)
                continue
            middle = CONTEXT.divide(total(values), len(values))
            x = self.x(position)
            points.append((x, self.y(middle)))
            label = f"{_year_label(point)}: target {self.page.target(point.target, self.series.decimals)}"
            if len(values) == 2:
                yield (
                    f'<line class="whisker" x1="{x:.1f}" y1="{self.y(values[0]):.1f}" '
                    f'x2="{x:.1f}" y2="{self.y(values[1]):.1f}"/>'
                )
            yield (
                f'<rect class="dot-target" x="{x - 4:.1f}" y="{self.y(middle) - 4:.1f}" '
                f'width="8" height="8"><title>{_e(label)}</title></rect>'
            )
        yield from _polylines(points, "target")

    def realisasi_series(self) -> Iterator[str]:
        points: list[tuple[float, float] | None] = []
        for position, point in enumerate(self.series.points):
            if point.realisasi is None:
                points.append(None)
                continue
            x, y = self.x(position), self.y(point.realisasi)
            points.append((x, y))
            label = f"{_year_label(point)}: realisasi {self.page.number(point.realisasi, self.series.decimals)}"
            if point.capaian is not None:
                label += f", capaian {self.page.number(point.capaian)} %"
            yield (
                f'<circle class="dot-realisasi" cx="{x:.1f}" cy="{y:.1f}" r="4.5">'
                f"<title>{_e(label)}</title></circle>"
            )
        yield from _polylines(points, "realisasi")

    def legend(self) -> Iterator[str]:
        x = self.LEFT
        yield f'<line class="target" x1="{x}" y1="16" x2="{x + 28}" y2="16"/>'
        yield f'<rect class="dot-target" x="{x + 10}" y="12" width="8" height="8"/>'
        yield f'<text x="{x + 34}" y="20">Target</text>'
        x += 110
        yield f'<line class="realisasi" x1="{x}" y1="16" x2="{x + 28}" y2="16"/>'
        yield f'<circle class="dot-realisasi" cx="{x + 14}" cy="16" r="4.5"/>'
        yield f'<text x="{x + 34}" y="20">Realisasi</text>'


def _target_values(target: Target | None) -> list[Decimal]:
    if target is None:
        return []
    if isinstance(target, tuple):
        return [target[0], target[1]]
    if isinstance(target, Threshold):
        return [target.value]
    return [target]


def _polylines(points: list[tuple[float, float] | None], css: str) -> Iterator[str]:
    """One polyline per run of consecutive points (a missing year breaks the line)."""
    run: list[tuple[float, float]] = []
    for point in [*points, None]:
        if point is not None:
            run.append(point)
            continue
        if len(run) >= 2:
            coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            yield f'<polyline class="{css}" points="{coordinates}"/>'
        run = []


def _nice_scale(values: Sequence[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """An axis from ``low`` to ``high`` in round ``step``s that holds every value.

    The axis starts at 0 unless every value is positive and they lie close together
    (the smallest above half the largest), when a line chart reads better with the
    axis starting just below them."""
    with exact():  # the package's decimal context, in any thread
        if not values:
            return Decimal(0), Decimal(100), Decimal(20)
        smallest, largest = min(values), max(values)
        low = min(smallest, Decimal(0))
        high = max(largest, Decimal(0))
        if smallest > 0 and smallest * 2 > largest:
            low = smallest - max((largest - smallest) / 2, largest / 20)
        if high == low:
            high = low + 1
        raw = (high - low) / 5
        magnitude = Decimal(10) ** raw.adjusted()
        step = next(
            (
                m * magnitude
                for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))
                if raw <= m * magnitude
            ),
            10 * magnitude,
        )
        low = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
        high = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
        if high == largest:
            high += step
        return low, high, step
