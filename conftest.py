"""Set up before any test or doctest is collected."""

from __future__ import annotations

import os

# The tests and doctests speak English, the language the messages are written in, wherever
# they do not choose a language themselves (the Indonesian goldens, tests/test_i18n.py, the
# browser test of the report): LANGUAGE beats the office's language
# (iku_rules.i18n.resolve_language) and reaches the commands run in a subprocess too.
os.environ["LANGUAGE"] = "en"
