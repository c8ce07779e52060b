"""``python -m iku_rules.cli``."""

import sys

from iku_rules.cli import command

sys.exit(command())
