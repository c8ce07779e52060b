"""Saving an edit made in a form: checked first, never written over a change made
meanwhile, and held back when the check warns about it.

A save is refused when the folder would fail ``iku check`` (it can be kept as a draft).
When the check passes but warns about a value the edit wrote — a percentage target
typed as a fraction (``0,93`` for 93 %, every capaian a hundred times too high), a target
no realisasi can reach — the file is not written either: the warnings are shown with the
form, and the planner saves again with *Save as it is* if the value is meant. A file saved
by someone else since the form was opened, even while this save was being checked, is
shown beside the edit (:class:`~iku_rules.serve.workspace.FileChanged`), never written over.

Text a browser sends from a ``<textarea>`` ends its lines with CR LF whatever the file
holds; :func:`field` gives it back with the file's LF, so an untouched multi-line filter or
formula is recognised as untouched and left as the planner wrote it.

A form carries the notation its numbers were shown under (:data:`NOTATION_FIELD`), a kept
draft the one it was typed under: what is typed is written as text and read by the loader
in the office's notation of the moment it loads. A number typed then that the office's
notation now reads otherwise (``23.500``: twenty-three thousand five hundred in notation
``id``, 23.5 in ``en``) is refused at the save, the check and the draft, and the form shown
again asking for it anew; it is never saved to be read a thousand times smaller in silence.
Numbers both notations read alike (``40``, ``55,33``) pass.
"""

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from attrs import frozen
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from iku_rules import ast
from iku_rules import notation as notations
from iku_rules.errors import IkuError
from iku_rules.loader.values import parse_target
from iku_rules.notation import EN, ID, UNSETTLED, Notation, unambiguous
from iku_rules.serve.pages import Pages, diff_lines
from iku_rules.serve.text import _
from iku_rules.serve.toml_edit import EditError, Entry, edit_entry, version
from iku_rules.serve.workspace import Checked, FileChanged, Problem, Workspace
from iku_rules.target import THRESHOLD_SIGNS, Target, Threshold

CONFIRM = "confirm"
"""The action of the button that saves an edit the check warns about, as it is."""


NOTATION_FIELD = "notation"
"""The hidden field of a form naming the notation its numbers were shown and typed under
(``id``, ``en``, or ``none``: not declared). What a planner types is written as text and
read by the loader in the office's notation when it loads: should the notation change
before the save (``office.toml`` is another file than the indicator's), ``23.500`` typed as
twenty-three thousand five hundred would be saved and read as 23.5. A form without it (a
page of an older workspace) was shown under the notation of now."""

TYPED_UNDER_FIELD = "typed_under"
"""The hidden field naming the fields refused once for a notation changed, kept in the
form as they were typed (JSON: field → [text, notation]): sent again unchanged, each is
refused again, not read in the notation of now in silence."""


@frozen
class Typed:
    """A field of a form that holds numbers, changed by the planner: the form's ``field``,
    its ``label`` for people, its ``text``; ``formula`` when the numbers stand in a formula
    (or a filter), each read alone."""

    field: str
    label: str
    text: str
    formula: bool = False


@frozen
class Retype:
    """A number typed under one notation that the office's notation now reads otherwise:
    the form's ``field``, its ``text`` as typed, the notation it was ``typed_under`` and the
    planner's ``message``."""

    field: str
    text: str
    typed_under: Notation
    message: str


def notation_code(notation: Notation) -> str:
    """The notation as a form's hidden field names it."""
    return notation.name if notation.declared else "none"


def _notation_named(code: object, now: Notation) -> Notation:
    return {"id": ID, "en": EN, "none": UNSETTLED}.get(str(code), now)


def typed_under_text(retype: Sequence[Retype]) -> str:
    """The value of the form's :data:`TYPED_UNDER_FIELD`."""
    if not retype:
        return ""
    return json.dumps({r.field: [r.text, notation_code(r.typed_under)] for r in retype})


def notation_retypes(
    form: Mapping[str, Any], typed: Sequence[Typed], now: Notation
) -> list[Retype]:
    """The numbers of ``typed`` that the notation the form was shown under (or a field's
    own, :data:`TYPED_UNDER_FIELD`) and the office's notation ``now`` read differently."""
    shown = _notation_named(form.get(NOTATION_FIELD), now)
    earlier: dict[str, tuple[str, Notation]] = {}
    try:
        found = json.loads(str(form.get(TYPED_UNDER_FIELD) or "{}"))
    except ValueError:
        found = {}
    for name, kept in (found if isinstance(found, dict) else {}).items():
        if isinstance(kept, list) and len(kept) == 2 and all(isinstance(k, str) for k in kept):
            earlier[str(name)] = (kept[0], _notation_named(kept[1], now))
    retype: list[Retype] = []
    for item in typed:
        text, under = earlier.get(item.field, ("", shown))
        retype += retypes(item, under if text == item.text else shown, now)
    return retype


def retypes(item: Typed, before: Notation, now: Notation) -> list[Retype]:
    """The numbers of ``item`` that notations ``before`` and ``now`` read differently (a
    spelling both refuse is left to the check, which says why)."""
    found: list[Retype] = []
    if before == now:
        return found
    numbers = _formula_numbers(item.text) if item.formula else [item.text]
    for number in numbers:
        read = _number_reading if item.formula else _target_reading
        then, later = read(number, before), read(number, now)
        if then == later:
            continue
        words = {"field": item.label, "number": number, "before": before, "now": now}
        if then is None:
            message = _(
                "{field}: {number} was typed under notation {before}, which reads it two ways;"
                " the office now writes numbers in notation {now}, where it would read"
                " {as_now}: write it again"
            ).format(**words, as_now=_shown(later, now))
        elif later is None:
            message = _(
                "{field}: {number} was typed under notation {before} ({as_before}); the office"
                " now writes numbers in notation {now}, which reads it two ways: write it again"
            ).format(**words, as_before=_shown(then, now))
        else:
            message = _(
                "{field}: {number} was typed under notation {before} ({as_before}); the office"
                " now writes numbers in notation {now}, where it would read {as_now}: write it"
                " again"
            ).format(**words, as_before=_shown(then, now), as_now=_shown(later, now))
        found.append(Retype(item.field, item.text, before, message))
    return found


def _target_reading(text: str, notation: Notation) -> Target | None:
    try:
        return parse_target(text, notation)
    except ValueError:
        return None


def _number_reading(text: str, notation: Notation) -> Target | None:
    try:
        return notations.parse(text, notation).value
    except notations.NumberError:
        return None


def _formula_numbers(text: str) -> list[str]:
    """The numbers of a formula as written (``1.500``, ``100%``), in order; none when it
    does not parse in either declared notation (the check refuses it in any)."""
    from iku_rules.parser import parse  # Lark, loaded with the first formula checked

    for notation in (ID, EN):
        try:
            body = parse(text, notation=notation).body
        except IkuError:
            continue
        numbers: list[tuple[int, str]] = []
        stack: list[ast.Node] = [body]
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Number) and node.span is not None:
                numbers.append((node.span.start, text[node.span.start : node.span.end]))
            stack.extend(node.children())
        return [number for _start, number in sorted(numbers)]
    return []


def _shown(target: Target | None, notation: Notation) -> str:
    """A reading written so that it reads one way, in the office's notation of now."""
    if isinstance(target, tuple):
        return f"{_shown(target[0], notation)}–{_shown(target[1], notation)}"
    if isinstance(target, Threshold):
        return f"{THRESHOLD_SIGNS[target.op]} {_shown(target.value, notation)}"
    assert target is not None
    return unambiguous(target, notation)


class Page(Protocol):
    """The form page shown again: after a check, a refusal, or warnings to confirm."""

    def __call__(
        self,
        checked: Checked | None,
        status: int,
        notice: str | None,
        warnings: Sequence[Problem] = (),
        retype: Sequence[Retype] = (),
    ) -> Response: ...


def field(form: FormData, name: str) -> str:
    """A form field as text, its line ends as the file writes them (``\\n``), trimmed."""
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


class SavePages(Pages):
    """The save shared by the indicator's and the measure's forms."""

    def _save(
        self,
        request: Request,
        entry: Entry,
        relative: str,
        text: str,
        form: FormData,
        changes: Mapping[str, Any],
        *,
        action: str,
        page: Page,
        after: str,
        current_values: Callable[[str], Mapping[str, Any]],
        values: Mapping[str, Any],
        typed: Sequence[Typed] = (),
    ) -> Response:
        base = str(form.get("version") or "")
        now = self.workspace.definitions().notation
        refused = self._retype(form, typed, page, now)
        if refused is not None:
            return refused
        try:
            new_text = edit_entry(text, entry, changes)
        except EditError as error:
            return page(None, 422, str(error))
        if action == "check":
            checked = self.workspace.check({relative: new_text})
            return page(checked, 200, None, self.new_warnings(checked, relative, text, new_text))
        conflict = (request, entry, relative, form, changes, after, current_values, values)
        if base != version(text):
            # Another tab (or an editor) saved the file since this form was opened.
            return self._conflict(text, *conflict)
        if action == "draft":
            self.workspace.keep_draft(relative, new_text, base, notation_code(now))
            return RedirectResponse(f"{after}?notice=draft", status_code=303)
        checked = self.workspace.check({relative: new_text})
        if checked.errors:
            return page(
                checked,
                422,
                _(
                    "Not saved: the definitions would not pass the check. Fix the problems below, or keep your edit as a draft."
                ),
            )
        warnings = self.new_warnings(checked, relative, text, new_text)
        if warnings and action != CONFIRM:
            return page(
                checked,
                422,
                _(
                    "Not saved yet: the check warns about your edit (see below). Correct it, or"
                    ' choose "Save as it is" if the value is meant.'
                ),
                warnings,
            )
        if new_text != text:
            # The notation changed while this edit was being checked (office.toml saved).
            refused = self._retype(form, typed, page, self.workspace.definitions().notation)
            if refused is not None:
                return refused
            try:
                self.workspace.write(relative, new_text, expected=version(text))
            except FileChanged:
                # Saved by someone else while this edit was being checked.
                return self._conflict(self.workspace.read(relative), *conflict)
        if form.get("from_draft") == "1":
            self.workspace.discard_draft(relative)
        return RedirectResponse(f"{after}?notice=saved", status_code=303)

    def _draft_retypes(
        self, relative: str, typed: Sequence[Typed]
    ) -> tuple[list[Retype], str | None]:
        """The numbers ``typed`` in the draft of ``relative`` that the office's notation now
        reads otherwise than the one the draft was kept under, and the notice asking for
        them again (None when there is none). A draft that does not say (kept by an older
        workspace) was typed under the notation of now."""
        kept = self.workspace.draft_notation(relative)
        now = self.workspace.definitions().notation
        retype = notation_retypes({NOTATION_FIELD: kept}, typed, now)
        if not retype:
            return [], None
        return retype, _(
            "The office's notation changed since this draft was kept, and the numbers below"
            " would now be read otherwise. Write each of them again."
        )

    def _retype(
        self, form: FormData, typed: Sequence[Typed], page: Page, now: Notation
    ) -> Response | None:
        """The form shown again (nothing written) when a number typed in it reads otherwise
        in the office's notation ``now`` than in the one it was typed under; the numbers
        refused kept as typed, refused again if sent unchanged. None when there is none."""
        retype = notation_retypes(form, typed, now)
        if not retype:
            return None
        notice = _(
            "Nothing was saved: the office's notation changed since this form was shown, and"
            " the numbers below would now be read otherwise. Write each of them again."
        )
        return page(None, 422, notice, retype=retype)

    def new_warnings(self, checked: Checked, relative: str, old: str, new: str) -> list[Problem]:
        """The warnings about the values just typed (:func:`new_warnings`)."""
        return new_warnings(self.workspace, checked, {relative: (old, new)})

    def _conflict(
        self,
        current: str,
        request: Request,
        entry: Entry,
        relative: str,
        form: FormData,
        changes: Mapping[str, Any],
        after: str,
        current_values: Callable[[str], Mapping[str, Any]],
        values: Mapping[str, Any],
    ) -> Response:
        """The file as it is now beside the planner's edit; nothing written."""
        try:
            diff = diff_lines(current, edit_entry(current, entry, changes), relative)
        except EditError:
            diff = []
        return self.render(
            request,
            "conflict.html",
            status=409,
            entry=entry,
            relative=relative,
            after=after,
            mine=values,
            theirs=current_values(current),
            rows=_compare(current_values(current), values),
            diff=diff,
            base=version(current),
            form_items=[
                (k, v)
                for k, v in form.multi_items()
                if k not in ("version", "csrf", "action") and isinstance(v, str)
            ],
        )


def new_warnings(
    workspace: Workspace, checked: Checked, edits: Mapping[str, tuple[str, str]]
) -> list[Problem]:
    """The warnings of ``checked`` that the folder as it is now does not have (said of the
    same file in the same words; lines may move), placed on a line an edit wrote (``edits``:
    each file's text before and after): warnings about the values just typed or imported."""
    typed = {relative: _lines_written(old, new) for relative, (old, new) in edits.items()}

    def key(problem: Problem, root: str) -> tuple[str, str]:
        return problem.file, problem.message.replace(root, "")

    definitions = workspace.definitions()
    now = Counter(key(p, str(definitions.root)) for p in workspace.problems(definitions))
    found: list[Problem] = []
    for problem in checked.problems:
        if problem.severity != "warning":
            continue
        wanted = key(problem, str(checked.definitions.root))
        if now[wanted] > 0:
            now[wanted] -= 1
        elif problem.line in typed.get(problem.file, ()):
            found.append(problem)
    return found


def _lines_written(old: str, new: str) -> set[int]:
    """The lines of ``new`` (1-based) between those it shares with ``old`` at its start and
    at its end: an edit changes one entry, so these are the lines it wrote."""
    olds, news = old.splitlines(), new.splitlines()
    start = 0
    while start < min(len(olds), len(news)) and olds[start] == news[start]:
        start += 1
    end = 0
    while end < min(len(olds), len(news)) - start and olds[-1 - end] == news[-1 - end]:
        end += 1
    return set(range(start + 1, len(news) - end + 1))


def _compare(theirs: Mapping[str, Any], mine: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    for key in mine:
        a, b = theirs.get(key, ""), mine.get(key, "")
        if isinstance(b, dict):
            for inner in b:
                x, y = (a or {}).get(inner, ""), b.get(inner, "")
                if x != y:
                    rows.append((f"{key} {inner}", x, y))
        elif a != b:
            rows.append((key, str(a), str(b)))
    return rows
