"""Build hook: the message catalogs compiled to ``.mo`` files inside the wheel.

Every ``iku_rules/locale/<lang>/LC_MESSAGES/<domain>.po`` is compiled with Babel (fuzzy
entries left out) into the build folder and added to the wheel beside its ``.po``, so an
installed package reads its ``.mo``. Editable installs and source trees need no ``.mo``:
``iku_rules.i18n`` compiles a ``.po`` in memory when no ``.mo`` as new stands beside it.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        out = Path(self.directory) / "catalogs"
        for po in sorted((root / "iku_rules" / "locale").glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as file:
                catalog = read_po(file, domain=po.stem)
            buffer = io.BytesIO()
            write_mo(buffer, catalog, use_fuzzy=False)
            relative = po.relative_to(root).with_suffix(".mo")
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(buffer.getvalue())
            build_data["force_include"][str(target)] = relative.as_posix()
