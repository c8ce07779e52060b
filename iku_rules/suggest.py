"""Did-you-mean suggestions: the closest names to a misspelled one, within a budget of work.

>>> did_you_mean("PMKS tertangan", ["PMKS tertangani", "PMKS"])
"did you mean 'PMKS tertangani'?"
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from iku_rules.i18n import _

_SEARCHES: ContextVar[list[int] | None] = ContextVar(
    "suggestion searches",  # i18n: not for planners
    default=None,
)
"""What is left of the comparisons :func:`~iku_rules.loader.load` may spend looking for suggestions."""


def may_search(comparisons: int) -> bool:
    """Whether a search for the closest names among ``comparisons`` names may still be
    made while loading (and spend them): past :data:`~iku_rules.limits.MAX_SUGGESTION_WORK`,
    mistakes are reported without a suggestion, so that a folder of thousands of
    mistakes among thousands of names is checked in time linear in its size."""
    left = _SEARCHES.get()
    if left is None:
        return True
    if left[0] < comparisons:
        return False
    left[0] -= comparisons
    return True


def closest(word: str, choices: Sequence[str], n: int = 3) -> list[str]:
    """The choices nearest to ``word`` (case ignored), best first."""
    if not may_search(len(choices)):
        return []
    folded = {choice.casefold(): choice for choice in choices}
    return [
        folded[m] for m in difflib.get_close_matches(word.casefold(), list(folded), n=n, cutoff=0.6)
    ]


FIELDS_MEANT = {
    "sheet": "table",
    "sheet_name": "table",
    "worksheet": "table",
    "file": "path",
    "satuan": "unit",
    "rumus": "formula",
    "polaritas": "polarity",
    "sumber": "source",
    "kolom": "column",
    "nama": "name",
    "keterangan": "note",
    "catatan": "note",
}
"""The field a planner most likely means by a word of a spreadsheet or of the Indonesian
document (a sheet is a source's ``table``; ``satuan``, ``rumus`` and ``polaritas`` are
``unit``, ``formula`` and ``polarity``), which no spelling is close to."""


def field_meant(key: str, fields: Sequence[str]) -> str | None:
    """The field among ``fields`` that ``key`` names in other words, or None."""
    meant = FIELDS_MEANT.get(key.casefold())
    return meant if meant in fields else None


def did_you_mean(word: str, choices: Sequence[str]) -> str | None:
    matches = closest(word, choices)
    if not matches:
        return None
    return _("did you mean {names}?").format(names=_(" or ").join(f"'{m}'" for m in matches))


@contextmanager
def search_budget(comparisons: int) -> Iterator[None]:
    """Within the block, searches for the closest names may spend at most ``comparisons``
    comparisons in all (see :func:`may_search`)."""
    searches = _SEARCHES.set([comparisons])
    try:
        yield
    finally:
        _SEARCHES.reset(searches)


def hinted(problem: str, hint: str | None) -> str:
    """``problem`` followed by ``hint`` (a did-you-mean, a suggestion) when there is one,
    each translated whole.

    >>> hinted("no region 'x'", "did you mean 'y'?"), hinted("no region 'x'", None)
    ("no region 'x'; did you mean 'y'?", "no region 'x'")
    """
    if not hint:
        return problem
    return _("{problem}; {hint}").format(problem=problem, hint=hint)


def did_you_mean_field(key: str, fields: Sequence[str]) -> str | None:
    """A did-you-mean for an unknown field: the closest spelling among ``fields``, else the
    field ``key`` names in other words (``sheet``: did you mean 'table'?)."""
    found = did_you_mean(key, fields)
    meant = field_meant(key, fields)
    if found is not None or meant is None:
        return found
    return _("did you mean {names}?").format(names=f"'{meant}'")
