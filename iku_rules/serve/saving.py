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
"""

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from iku_rules.serve.pages import Pages, diff_lines
from iku_rules.serve.text import _
from iku_rules.serve.toml_edit import EditError, Entry, edit_entry, version
from iku_rules.serve.workspace import Checked, FileChanged, Problem, Workspace

CONFIRM = "confirm"
"""The action of the button that saves an edit the check warns about, as it is."""


class Page(Protocol):
    """The form page shown again: after a check, a refusal, or warnings to confirm."""

    def __call__(
        self,
        checked: Checked | None,
        status: int,
        notice: str | None,
        warnings: Sequence[Problem] = (),
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
    ) -> Response:
        base = str(form.get("version") or "")
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
            self.workspace.keep_draft(relative, new_text, base)
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
            try:
                self.workspace.write(relative, new_text, expected=version(text))
            except FileChanged:
                # Saved by someone else while this edit was being checked.
                return self._conflict(self.workspace.read(relative), *conflict)
        if form.get("from_draft") == "1":
            self.workspace.discard_draft(relative)
        return RedirectResponse(f"{after}?notice=saved", status_code=303)

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
