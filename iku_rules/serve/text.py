"""The one translation function of the workspace.

Every text a person reads in the workspace, in templates and in Python, goes through
:func:`_`, with named placeholders filled after translation::

    _("{count} errors").format(count=3)

For now it gives the text back as written (Indonesian where the rest of the product
speaks it: capaian, realisasi, predikat, satuan; plain English otherwise), so that the
message catalogs can later be extracted from these calls and plugged in here alone.

>>> _("Capaian")
'Capaian'
>>> _("{count} errors").format(count=2)
'2 errors'
"""

from __future__ import annotations


def _(text: str) -> str:
    """The text in the reader's language (for now: as written)."""
    return text
