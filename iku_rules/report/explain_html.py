"""An explanation as an HTML tree a planner can read: collapsible ``<details>``, each node's
name on the left and its value aligned on the right, long names and SQL wrapping within
the panel; in the language spoken.

>>> from decimal import Decimal
>>> from iku_rules.explain import Explanation, with_head_satuan
>>> from iku_rules.i18n import use_language
>>> leaf = Explanation("measure", "PMKS", value=Decimal(600), details=("600 rows",))
>>> with use_language("id"):
...     html = explanation_html(Explanation("indicator", "Persen", inputs=(leaf,)))
>>> "<summary>dari:</summary>" in html and '<span class="x-value">600</span>' in html
True
"""

from __future__ import annotations

from html import escape

from iku_rules.explain import Explanation, with_head_satuan
from iku_rules.i18n import _
from iku_rules.output import with_satuan
from iku_rules.trace import TraceStep, describe, format_decimal

_KIND_WORDS = {"measure": "measure", "input": "input", "parameter": "parameter"}


def explanation_html(explanation: Explanation) -> str:
    """The whole tree: the indicator, its details, what it was computed from, the cascade
    below it and (closed) the queries."""
    parts = ['<div class="x-tree">', _row(explanation, tag="div", css="x-root")]
    if explanation.details:
        parts.append(_details_list(explanation.details))
    if explanation.trace is not None and explanation.trace.children:
        trace = _trace(explanation.trace, explanation.satuan)
        parts.append(_section(_("computed:"), trace, opened=True))
    if explanation.inputs:
        parts.append(_section(_("from:"), _nodes(explanation.inputs), opened=True))
    if explanation.cascade:
        parts.append(_section(_("below in the cascade:"), _nodes(explanation.cascade)))
    if explanation.queries:
        queries = []
        for label, query in explanation.queries:
            params = ", ".join(f"{key} = {value!r}" for key, value in query.params.items())
            text = f"{label}: {query.sql}"
            if params:
                text += "\n" + _("with {params}").format(params=params)
            queries.append(f'<pre class="x-sql">{escape(text)}</pre>')
        parts.append(_section(_("queries:"), "".join(queries)))
    parts.append("</div>")
    return "".join(parts)


def _section(title: str, body: str, *, opened: bool = False) -> str:
    state = " open" if opened else ""
    return f'<details class="x-section"{state}><summary>{escape(title)}</summary>{body}</details>'


def _details_list(details: tuple[str, ...]) -> str:
    items = "".join(f"<li>{escape(detail)}</li>" for detail in details)
    return f'<ul class="x-details">{items}</ul>'


def _nodes(nodes: tuple[Explanation, ...]) -> str:
    return '<ul class="x-nodes">' + "".join(_node(node) for node in nodes) + "</ul>"


def _node(node: Explanation) -> str:
    inner = ""
    if node.details:
        inner += _details_list(node.details)
    if node.inputs:
        inner += _nodes(node.inputs)
    if node.cascade:
        inner += _nodes(node.cascade)
    if not inner:
        return f"<li>{_row(node, tag='div', css='x-leaf')}</li>"
    return f'<li><details class="x-node">{_row(node, tag="summary")}{inner}</details></li>'


def _row(node: Explanation, *, tag: str, css: str = "") -> str:
    """One node's line: kind and name (with its id) left, value or reason right, formula below."""
    word = _KIND_WORDS.get(node.kind)
    name = ("◆ " if node.kind == "indicator" else "") + node.name
    if word is not None:
        name = f"{_(word)} {name}"
    if node.id and node.id != node.name:
        name += f" [{node.id}]"
    if node.value is not None:
        value = with_satuan(format_decimal(node.value), node.unit, node.satuan)
    elif node.reason is not None:
        value = _("not available ({reason})").format(reason=node.reason)
    else:
        value = ""
    formula = ""
    if node.formula and node.kind == "indicator":
        formula = f'<span class="x-formula">← {escape(node.formula)}</span>'
    classes = f' class="x-row {css}"' if css else ' class="x-row"'
    return (
        f"<{tag}{classes}>"
        f'<span class="x-name">{escape(name)}</span>'
        f'<span class="x-value">{escape(value)}</span>{formula}</{tag}>'
    )


def _trace(step: TraceStep, satuan: str | None = None) -> str:
    """The trace as nested lists: each step's text and value (as the text explanation), the
    first (the formula's value) with the indicator's ``satuan`` (``21 Orang``)."""
    children = "".join(f"<li>{_trace_item(child)}</li>" for child in step.children)
    head = _trace_line(step, satuan)
    return f'<ul class="x-trace"><li>{head}<ul>{children}</ul></li></ul>'


def _trace_item(step: TraceStep) -> str:
    if not step.children:
        return _trace_line(step)
    children = "".join(f"<li>{_trace_item(child)}</li>" for child in step.children)
    return f"{_trace_line(step)}<ul>{children}</ul>"


def _trace_line(step: TraceStep, satuan: str | None = None) -> str:
    """One step: its text left, its value right. The text is split from the value where it
    ends, never at an ``=`` inside it (``Σ register[kategori = "Anak"] = 2``)."""
    if step.value is None and step.reason is None and step.note is None:
        return f'<div class="x-row"><span class="x-name">{escape(step.text)}</span></div>'
    text = describe(step)
    if not text.startswith(f"{step.text} = "):  # not available: the reason in the text
        return f'<div class="x-row"><span class="x-name">{escape(text)}</span></div>'
    value = with_head_satuan(text[len(step.text) + 3 :], step, satuan)
    return (
        f'<div class="x-row"><span class="x-name">{escape(step.text)}</span>'
        f'<span class="x-value">{escape(value)}</span></div>'
    )
