"""The one translation function of the workspace.

Every text a person reads in the workspace, in templates and in Python, goes through
:func:`_`, with named placeholders filled after translation::

    _("{count} errors").format(count=3)

It is the package's gettext (:func:`iku_rules.i18n.gettext_for`): the text in the language
spoken now (``iku serve --lang``, else ``LANGUAGE``/``LANG``, else the office's language,
else Indonesian), from the catalogs under ``iku_rules/locale``; ``pybabel extract`` finds
these calls in the Python modules and the templates (``babel.cfg``).

>>> from iku_rules.i18n import use_language
>>> with use_language("id"):
...     _("{count} errors").format(count=2)
'2 kesalahan'
>>> with use_language("en"):
...     _("{count} errors").format(count=2)
'2 errors'
"""

from __future__ import annotations

from iku_rules.i18n import gettext_for

_gettext = gettext_for(None)


def _(text: str) -> str:
    """The text in the reader's language."""
    return _gettext(text)
