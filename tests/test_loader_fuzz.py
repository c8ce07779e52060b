"""Random and damaged TOML into the loader: every mistake is a diagnostic with a place,
never an exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iku_rules import load

ROOT = Path(__file__).resolve().parent.parent
MINI = (ROOT / "tests" / "fixtures" / "mini" / "definitions.toml").read_text(encoding="utf-8")
LINES = MINI.splitlines()

VALUES = st.sampled_from(
    [
        '""',
        '"55,33"',
        '"80–90"',
        '"1e999999999"',
        "1e999",
        "-0",
        "true",
        "[]",
        "{}",
        '"' + "9" * 80 + '"',
        '"Σ a / × 100%"',
        '"../../etc/passwd"',
        "2026-13-01",
        '"\\u0000"',
        "[[1], 2]",
        "{ 2026 = [] }",
        '"realisasi"',
        '"input"',
    ]
)


@st.composite
def damaged(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 6))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "value", "cut", "swap"]))
        line = lines[index]
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, line)
        elif action == "value" and "=" in line:
            key = line.split("=", 1)[0]
            lines[index] = f"{key}= {draw(VALUES)}"
        elif action == "cut":
            lines[index] = line[: draw(st.integers(0, len(line)))]
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        if not lines:
            break
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged())
def test_damaged_definitions_give_diagnostics_not_exceptions(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "definitions.toml"
        path.write_text(text, encoding="utf-8")
        definitions = load(Path(folder))
        for diagnostic in definitions.diagnostics:
            # In the file, or (for something missing from every file) the folder.
            assert diagnostic.location.path in (path, Path(folder))
            assert diagnostic.message
        if definitions.ok:
            # What loads without errors can be listed and its bounds analysed.
            from iku_rules.bounds import analyse

            analyse(definitions)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("[]{}=\"'.,=#\n abc123_-Σ%")), max_size=200))
def test_random_text_gives_diagnostics_not_exceptions(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "x.toml").write_text(text, encoding="utf-8")
        definitions = load(Path(folder))
        assert all(d.message for d in definitions.diagnostics)
