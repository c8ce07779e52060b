"""Where a source's path leads, judged on its text alone: read by the checks of the
definitions as well as by the readers, so it imports none of them."""

from __future__ import annotations

import re
from pathlib import PurePath


def outside_data(relative: str) -> bool:
    """True when a source's path leads out of the data folder: an absolute path, or one
    that climbs out with ``..`` (judged on the text, before any link is followed)."""
    pure = PurePath(relative)
    if pure.is_absolute() or pure.drive or re.match(r"[/\\]|[A-Za-z]:", relative):
        return True
    depth = 0
    for part in re.split(r"[\\/]+", relative):
        if part == "..":
            depth -= 1
            if depth < 0:
                return True
        elif part not in ("", "."):
            depth += 1
    return False
