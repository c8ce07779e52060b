"""Properties of the engine's assessment of counts read from the realisasi, for each
polarity and triwulan method, over triwulan, years to date and the year: capaian is the
API's on what the README says is compared, and a triwulan not reported never flatters.
``IKU_CAPAIAN_EXAMPLES`` sets the examples (an eighth of them here)."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iku_rules import capaian
from iku_rules.engine import Engine
from iku_rules.reasons import code_of
from iku_rules.rules import CapaianResult

D = Decimal
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
# --- the engine's assessment -------------------------------------------------------------

ENGINE_EXAMPLES = settings(
    max_examples=max(1, int(os.environ.get("IKU_CAPAIAN_EXAMPLES", "150")) // 8),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
QUARTERS = (D(10), D(20), D(30), D(40))
ANNUAL = D(100)
PERIODS = ("2026", "2026-TW1", "2026-TW2", "2026-TW3", "2026-TW4", "2026-sd-TW2", "2026-sd-TW3")
METHODS = ("kumulatif", "terakhir", "tahunan")
ENGINE_INDICATORS = [(p, m) for p in ("positif", "negatif") for m in METHODS]


def _engine_office(folder: Path) -> Path:
    """The small office with a count read from the realisasi for each polarity and
    triwulan method, its triwulan targets 10, 20, 30, 40 and its annual target 100."""
    shutil.copytree(MINI, folder)
    quarters = ", ".join(f'"2026-TW{i}" = {t}' for i, t in enumerate(QUARTERS, start=1))
    added = "".join(
        f"""
  [[sub_kegiatan.indikator]]
  id = "{polarity}-{method}"
  name = "{polarity} {method}"
  unit = "Orang"
  polarity = "{polarity}"
  capaian_method = "{method}"
  formula = "realisasi"
  targets = {{ 2026 = {ANNUAL} }}
  triwulan_targets = {{ {quarters} }}
"""
        for polarity, method in ENGINE_INDICATORS
    )
    path = folder / "definitions.toml"
    text = path.read_text(encoding="utf-8")
    anchor = 'name = "Penyediaan Permakanan"\nparent = "1.06.04.2.01"\n'
    path.write_text(text.replace(anchor, anchor + added), encoding="utf-8")
    return folder


def _engine_capaian(
    folder: Path, values: dict[str, list[int | None]]
) -> dict[tuple[str, str], CapaianResult | None]:
    lines = ["kode_sub_kegiatan,indikator,periode,kecamatan,nilai"]
    for indicator, quarter_values in values.items():
        for i, value in enumerate(quarter_values, start=1):
            if value is not None:
                lines.append(f"1.06.04.2.01.0001,{indicator},2026-TW{i},Labuan,{value}")
    (folder / "realisasi.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    engine = Engine(folder, folder, backend="python", validation_cache=False)
    try:
        found = {}
        for period in PERIODS:
            evaluation = engine.evaluate(period)
            for indicator in values:
                found[indicator, period] = evaluation.get(indicator).capaian
        return found
    finally:
        engine.close()


QUARTER_VALUES = st.lists(st.one_of(st.none(), st.integers(0, 60)), min_size=4, max_size=4)


@pytest.fixture(scope="module")
def engine_office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _engine_office(tmp_path_factory.mktemp("capaian") / "office")


def _counted_as_none(within: list[int | None]) -> list[int | D | None]:
    """``within`` with the triwulan after the last one reported as 0, save those an office
    reporting in TW2 and TW4 only does not report: [1, None, None] to TW3 is [1, 0, 0]
    (1 against 10 + 20 + 30), [None, 5, None] stays as it is (TW3 is not due)."""
    reported = [q for q, value in enumerate(within, start=1) if value is not None]
    scheduled = set(reported) <= {2, 4}
    return [
        D(0) if q > reported[-1] and (not scheduled or q in (2, 4)) else value
        for q, value in enumerate(within, start=1)
    ]


@ENGINE_EXAMPLES
@given(data=st.data())
def test_the_engine_assesses_as_the_api_and_never_flatters(
    engine_office: Path, data: st.DataObject
) -> None:
    values = {f"{p}-{m}": data.draw(QUARTER_VALUES) for p, m in ENGINE_INDICATORS}
    found = _engine_capaian(engine_office, values)
    for (polarity, method), (indicator, quarter_values) in zip(
        ENGINE_INDICATORS, values.items(), strict=True
    ):
        for i in range(4):  # a triwulan: its realisasi against its own target
            result = found[indicator, f"2026-TW{i + 1}"]
            assert result is not None
            assert result.value == capaian(quarter_values[i], QUARTERS[i], polarity)
        for period, quarters in (("2026", 4), ("2026-sd-TW2", 2), ("2026-sd-TW3", 3)):
            result = found[indicator, period]
            assert result is not None
            within = quarter_values[:quarters]
            missing = any(value is None for value in within)
            if all(value is None for value in within):
                assert result.value is None, (indicator, period, result)
            elif method == "terakhir":  # the last reported, against its triwulan's target
                last = max(i for i, value in enumerate(within) if value is not None)
                # the period over, a last triwulan due and not reported: against its target
                reported = {i + 1 for i, value in enumerate(within) if value is not None}
                due = not (reported <= {2, 4} and quarters not in (2, 4))
                at = quarters - 1 if last < quarters - 1 and due else last
                against = ANNUAL if period == "2026" else QUARTERS[at]
                assert result.value == capaian(within[last], against, polarity)
            elif polarity == "negatif" and missing and (method == "tahunan" or period == "2026"):
                # a triwulan not reported would count as none: no capaian, never a better one
                assert result.value is None, (indicator, period, result)
                assert code_of(result.reason) == "missing-values"
            elif method == "kumulatif" and period != "2026":
                # the period over (the tests' day is in 2100), where higher is better a
                # triwulan due after the last one reported counts as none, against its target
                counted = _counted_as_none(within) if polarity == "positif" else within
                assert result.value == capaian(counted, list(QUARTERS), polarity, "kumulatif")
            else:  # the sum to date against the annual target
                summed = sum((value for value in within if value is not None), D(0))
                if method == "kumulatif" and polarity == "positif" and missing:
                    assert result.value in (None, capaian(summed, ANNUAL, polarity))
                else:
                    assert result.value == capaian(summed, ANNUAL, polarity), (
                        indicator,
                        period,
                        quarter_values,
                        result,
                    )
