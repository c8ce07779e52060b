"""``python -m iku_rules`` runs the ``iku`` command."""

import sys

from iku_rules.program import command

sys.exit(command())
