"""What each formula reads (``iku_rules.reads``), and the indicators that need no answer of
a large source (``many.light_indicators``), both from that one list.

The small office of tests/fixtures/mini: ``iku-tertangani`` is ``Σ PMKS tertangani / Σ PMKS
× 100%`` (the service log's measure, then the PMKS register's), ``anak-share`` two inline
measures over the PMKS register (a filtered count over the whole count), ``skor`` is ``bobot × [Nilai
AKIP] + iku-tertangani / 100%`` (a parameter, an input, an indicator), ``kenaikan`` writes
``PMKS tertangani`` twice (now and ``sebelumnya``, the previous period's value), ``alat-bantu-orang`` is realisasi.
"""

from __future__ import annotations

from pathlib import Path

from helpers import office

from iku_rules.engine import Engine
from iku_rules.many import light_indicators


def test_each_formula_reads_its_measures_inputs_parameters_and_indicators_in_order(
    tmp_path: Path,
) -> None:
    folder = office(tmp_path)
    with Engine(folder, folder) as engine:
        reads = engine.reads
        filtered, whole = engine.inline["anak-share"].values()
    assert reads["iku-tertangani"] == (("measure", "pmks tertangani"), ("measure", "pmks"))
    assert reads["anak-share"] == (("measure", filtered), ("measure", whole))
    assert filtered.startswith("inline: ") and whole == "inline: Σ register_pmks"
    assert reads["skor"] == (
        ("parameter", "bobot"),
        ("input", "nilai akip"),
        ("indicator", "iku-tertangani"),
    )
    assert reads["kenaikan"] == (("measure", "pmks tertangani"),)  # one name, read once
    assert reads["alat-bantu-orang"] == ()  # realisasi: no formula to read


def test_an_indicator_is_light_when_nothing_it_reads_waits_for_a_large_source(
    tmp_path: Path,
) -> None:
    folder = office(tmp_path)
    with Engine(folder, folder) as engine:
        every = {indicator.id for indicator in engine.order}
        assert light_indicators(engine, set()) == every
        # the PMKS register late: every indicator reading it, and skor through
        # iku-tertangani, waits; kenaikan (the service log alone) and realisasi do not
        late_register = light_indicators(engine, {"register_pmks"})
        assert late_register == every - {"iku-tertangani", "anak-share", "skor"}
        # the service log late: what reads PMKS tertangani, and skor, waits
        late_services = light_indicators(engine, {"layanan"})
        assert late_services == every - {"iku-tertangani", "skor", "kenaikan"}
        # the inputs late: skor reads Nilai AKIP
        late_inputs = light_indicators(engine, {"inputs"})
        assert "skor" not in late_inputs
        assert {"iku-tertangani", "anak-share", "alat-bantu-orang"} <= late_inputs
        # the realisasi table late: only the realisasi indicator waits
        assert light_indicators(engine, {"realisasi"}) == every - {"alat-bantu-orang"}
