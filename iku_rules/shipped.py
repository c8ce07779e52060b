"""The definitions shipped with the package, one folder per office: inside an installed wheel
at ``iku_rules/definitions/<office>/``, in a source checkout at ``definitions/<office>/``
beside the package. The command line takes an office's name where it takes a definitions
folder (``iku eval dinsos-pandeglang …``) when no folder of that name is in the way, and
``iku definitions copy`` puts one where a planner can edit it.

The folders are found beside the package's own files, so an install from a zip file is not
served: the loader reads real files.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_OFFICE = "dinsos-pandeglang"
"""The office ``iku sample-data`` writes data for when no definitions folder is named."""


SCHEMA = ("schema", "definitions.schema.json")
"""Where the JSON Schema of definitions files lies inside the package."""


def shipped_root() -> Path | None:
    """The folder holding the shipped offices, or None when there is none."""
    package = Path(__file__).resolve().parent
    packaged = package / "definitions"  # inside an installed wheel
    if packaged.is_dir():
        return packaged
    checkout = package.parent / "definitions"
    # Only a source checkout (pyproject.toml beside the package) has its definitions there.
    if checkout.is_dir() and (package.parent / "pyproject.toml").is_file():
        return checkout
    return None


def shipped_names() -> tuple[str, ...]:
    """The names of the shipped offices (their folder names), sorted."""
    root = shipped_root()
    if root is None:
        return ()
    return tuple(
        sorted(
            path.name
            for path in root.iterdir()
            if path.is_dir() and not path.name.startswith((".", "_"))
        )
    )


def shipped(name: str) -> Path | None:
    """The folder of the shipped office ``name``, or None when no office has that name."""
    root = shipped_root()
    if root is None or name not in shipped_names():
        return None
    return root / name


def schema_path() -> Path:
    """The JSON Schema of definitions files, as installed."""
    return Path(__file__).resolve().parent.joinpath(*SCHEMA)
