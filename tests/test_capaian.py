"""Capaian, predikat and nilai AKIP: the worked cases of the domain notes, every predikat
boundary, properties, and the checks on malformed rule tables."""

from __future__ import annotations

import pickle
import shutil
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from iku_rules.errors import IkuError
from iku_rules.i18n import use_language
from iku_rules.reasons import code_of
from iku_rules.rules import (
    CapaianResult,
    Number,
    Polarity,
    Policy,
    RuleError,
    RuleTableError,
    RuleTables,
    capaian,
    default_rules,
    nilai_akip,
    predikat,
)

D = Decimal
SHIPPED = resources.files("iku_rules") / "rule_tables"


# --- worked cases ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("realisasi", "target", "expected"),
    [
        (85, 90, "94.44"),
        (142, 141, "100.71"),  # SPM data: a percentage can pass 100
        (147, 736, "19.97"),
        (6971, 7386, "94.38"),
    ],
)
def test_positive_worked_cases(realisasi: int, target: int, expected: str) -> None:
    assert capaian(realisasi, target) == D(expected)
    assert str(capaian(realisasi, target)) == expected


def test_negative_selisih_is_the_default() -> None:
    assert capaian(D("9.0"), D("9.5"), "negatif") == D("105.26")
    assert capaian(D("10.0"), D("9.5"), "negatif") == D("94.74")
    result = capaian(D("9.0"), D("9.5"), "negatif", detail=True)
    assert result.method == "selisih"
    assert result.polarity == "negatif"


def test_negative_rasio_on_request() -> None:
    assert capaian(D("9.0"), D("9.5"), "negatif", "rasio") == D("105.56")
    assert capaian(D("9.0"), D("9.5"), "negatif", method="rasio", detail=True).method == "rasio"


def test_negative_below_zero_is_kept_raw_and_floored_only_by_policy() -> None:
    raw = capaian(25, 10, "negatif", detail=True)
    assert raw.value == D("-50.00") and str(raw.value) == "-50.00"
    assert raw.raw == D("-50")
    assert raw.policy_applied is None

    floored = capaian(25, 10, "negatif", policy=Policy(floor=0), detail=True)
    assert str(floored.value) == "0.00"
    assert floored.raw == D("-50")
    assert floored.policy_applied == "floored at 0 (raw -50.00)"
    assert capaian(25, 10, "negatif", policy={"floor": 0}) == D("0.00")
    assert capaian(25, 10, "negatif", rules=default_rules().with_policy(floor=0)) == D("0.00")


def test_a_negative_target_gives_no_capaian() -> None:
    """Against the target -10, R / T × 100 reads the worse realisasi -20 as 200 and the
    better 5 as -50; (2T − R) / T turns round the same way: no capaian, with the reason."""
    for realisasi, polarity in ((-20, "positif"), (5, "positif"), (-5, "negatif")):
        result = capaian(realisasi, -10, polarity, detail=True)
        assert result.value is None and result.raw is None
        assert result.reason == (
            "the target is negative (-10), so capaian cannot be computed: against a negative"
            " target a worse realisasi reads as a better one; write the target as a positive"
            " amount (a fall of 10 rather than -10)"
        )
        assert code_of(result.reason) == "rule-error"
    # a range whose nearer bound is negative: the same; inside it, 100 as always
    assert capaian(-30, (D(-20), D(10))) is None
    assert capaian(-5, (D(-20), D(10))) == D("100.00")


def test_rasio_from_a_negative_realisasi_gives_no_capaian() -> None:
    """Lower is better: realisasi -2 against the target 5 is better than the target, but
    T / R × 100 gives -250; selisih gives (2 × 5 + 2) / 5 × 100 = 240."""
    result = capaian(-2, 5, "negatif", "rasio", detail=True)
    assert result.value is None
    assert str(result.reason).startswith("realisasi is negative (-2), so capaian cannot be")
    assert capaian(-2, 5, "negatif") == D("240.00")
    assert capaian(-2, 5) == D("-40.00")  # higher is better: below zero, and below the target


def test_cap_is_reported_with_the_raw_value() -> None:
    rules = default_rules().with_policy(cap=200)
    result = capaian(250, 100, rules=rules, detail=True)
    assert str(result.value) == "200.00"
    assert result.raw == D("250")
    assert result.policy_applied == "capped at 200 (raw 250.00)"
    assert capaian(150, 100, rules=rules, detail=True).policy_applied is None
    assert result.explain() == "200.00 = 250 / 100 × 100 (standar); capped at 200 (raw 250.00)"


def test_shipped_policy_is_none() -> None:
    assert default_rules().policy == Policy()
    assert capaian(1000, 1) == D("100000.00")


QUARTERLY_TARGETS = [25, 25, 25, 25]
QUARTERLY_REALISASI = [20, 30, 15, None]


def test_quarterly_worked_cases() -> None:
    kumulatif = capaian(QUARTERLY_REALISASI, QUARTERLY_TARGETS, detail=True)
    assert str(kumulatif.value) == "86.67"
    assert kumulatif.method == "kumulatif+standar"
    assert kumulatif.triwulan == 3
    assert kumulatif.realisasi_used == 65 and kumulatif.target_used == 75

    tahunan = capaian(QUARTERLY_REALISASI, QUARTERLY_TARGETS, method="tahunan", detail=True)
    assert str(tahunan.value) == "65.00"
    assert tahunan.target_used == 100
    assert capaian(QUARTERLY_REALISASI, 100, method="tahunan") == D("65.00")  # explicit annual

    terakhir = capaian(QUARTERLY_REALISASI, QUARTERLY_TARGETS, method="terakhir", detail=True)
    assert str(terakhir.value) == "60.00"
    assert terakhir.realisasi_used == 15 and terakhir.target_used == 25


def test_quarterly_negative_polarity_combines_both_methods() -> None:
    targets = [10, 10, 10, 10]
    realisasi = [8, 12, None, None]
    # kumulatif: Σ R = 20, Σ T = 20 -> selisih 100
    assert capaian(realisasi, targets, "negatif") == D("100.00")
    assert capaian(realisasi, targets, "negatif", "terakhir") == D("80.00")  # (20 − 12) / 10
    assert capaian(realisasi, targets, "negatif", "terakhir+rasio") == D("83.33")  # 10 / 12
    assert capaian(realisasi, targets, "negatif", ["terakhir", "rasio"]) == D("83.33")
    result = capaian(realisasi, targets, "negatif", "rasio", detail=True)
    assert result.method == "kumulatif+rasio"


def test_range_targets() -> None:
    assert capaian(70, (80, 90)) == D("87.50")  # below: the lower bound
    assert capaian(95, (80, 90)) == D("105.56")  # above: the upper bound
    inside = capaian(85, (80, 90), detail=True)
    assert str(inside.value) == "100.00"
    assert inside.target_used is None and inside.target_range == (D(80), D(90))
    assert inside.explain() == "100.00: realisasi 85 is inside the target range 80–90 (standar)"
    assert capaian(80, (80, 90)) == D("100.00") == capaian(90, (80, 90))
    # negative polarity: above the range is worse, compared with the upper bound
    assert capaian(95, (80, 90), "negatif") == D("94.44")  # (180 − 95) / 90
    assert capaian(70, (80, 90), "negatif") == D("112.50")  # (160 − 70) / 80
    assert capaian(70, ["80", "90"]) == D("87.50")
    # ranges per triwulan add up by their bounds
    assert capaian([20, 25], [(20, 25), (20, 25), (20, 25), (20, 25)]) == D("100.00")
    assert capaian([20, 10], [(20, 25), (20, 25), (20, 25), (20, 25)]) == D("75.00")


def test_number_spellings() -> None:
    assert capaian("85", "90") == D("94.44")
    assert capaian("9,0", "9,5", "negatif") == D("105.26")
    assert capaian("93%", "100%") == D("93.00")
    assert capaian(85.0, 90.0) == D("94.44")
    assert capaian(D("85"), 90) == D("94.44")


def test_rounding_is_half_away_from_zero() -> None:
    assert capaian(D("0.86665"), 1) == D("86.67")
    assert capaian(D("-0.86665"), 1) == D("-86.67")
    assert capaian(D("0.866649999"), 1) == D("86.66")
    assert capaian(1, 3) == D("33.33") and capaian(2, 3) == D("66.67")


def test_raw_keeps_at_least_40_digits() -> None:
    raw = capaian(85, 90, detail=True).raw
    assert raw is not None
    assert len(raw.as_tuple().digits) >= 40
    assert raw == D("94.444444444444444444444444444444444444444444444444")


# --- not available, never invented --------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ((5, 0), "the target is 0, so capaian cannot be computed"),
        ((0, 0), "the target is 0, so capaian cannot be computed"),
        ((5, 0, "negatif"), "the target is 0, so capaian cannot be computed"),
        ((5, None), "there is no target, so capaian cannot be computed"),
        ((None, 5), "there is no realisasi, so capaian cannot be computed"),
        (
            (0, 10, "negatif", "rasio"),
            "realisasi is 0, so capaian cannot be computed with method 'rasio' (target / realisasi × 100)",
        ),
        ((-5, (0, 10)), "the target (its lower bound) is 0, so capaian cannot be computed"),
        (
            ([None, None, None, None], QUARTERLY_TARGETS),
            "no realisasi has been reported for any triwulan yet",
        ),
        (
            ([20, None, 15], QUARTERLY_TARGETS),
            "the realisasi for TW2 is missing, so realisasi cannot be summed up to TW3 and capaian cannot be computed",
        ),
        (
            ([20, 30], [25, None, 25, 25]),
            "there is no target for TW2, so capaian cannot be computed",
        ),
        (
            ([20, 30], [25, 25, 25], "positif", "tahunan"),
            "the annual target is the sum of the four triwulan targets, but there is no target for TW4, so capaian cannot be computed",
        ),
        (
            ([20, 30], [0, 0, 5, 5]),
            "the target summed over TW1–TW2 is 0, so capaian cannot be computed",
        ),
        (
            ([20, 30], [25, 0], "positif", "terakhir"),
            "the TW2 target is 0, so capaian cannot be computed",
        ),
        (
            ([20, 30], None, "positif", "tahunan"),
            "there is no annual target, so capaian cannot be computed",
        ),
        (
            ([0, 0], [5, 5], "negatif", "kumulatif+rasio"),
            "the realisasi summed over TW1–TW2 is 0, so capaian cannot be computed with method 'rasio' (target / realisasi × 100)",
        ),
    ],
)
def test_unavailable_capaian_says_why(args: tuple[object, ...], reason: str) -> None:
    assert capaian(*args) is None  # type: ignore[call-overload]
    result = capaian(*args, detail=True)  # type: ignore[call-overload]
    assert isinstance(result, CapaianResult)
    assert result.value is None and result.raw is None
    assert result.reason == reason
    assert result.explain() == f"no capaian: {reason}"


def test_terakhir_ignores_earlier_gaps() -> None:
    assert capaian([20, None, 15], QUARTERLY_TARGETS, method="terakhir") == D("60.00")


# --- calls that cannot work ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (
            (1, 2),
            {"method": "kumulatf"},
            "unknown capaian method 'kumulatf' (did you mean 'kumulatif'?); the known methods are "
            "'standar' (positive polarity), 'selisih' and 'rasio' (negative polarity), and "
            "'kumulatif', 'terakhir' and 'tahunan' (across triwulan)",
        ),
        (
            (1, 2),
            {"method": "xyz"},
            "unknown capaian method 'xyz'; the known methods are 'standar' (positive polarity), "
            "'selisih' and 'rasio' (negative polarity), and 'kumulatif', 'terakhir' and "
            "'tahunan' (across triwulan)",
        ),
        (
            (1, 2),
            {"method": "rasio"},
            "method 'rasio' is for polarity 'negatif'; polarity 'positif' uses 'standar'",
        ),
        (
            (1, 2, "negatif", "standar"),
            {},
            "method 'standar' is for polarity 'positif'; polarity 'negatif' uses 'selisih' or 'rasio'",
        ),
        (
            (1, 2),
            {"method": "kumulatif"},
            "method 'kumulatif' combines values across triwulan, but realisasi is a single value; "
            "give realisasi as a list per triwulan",
        ),
        (
            ([1], [2]),
            {"method": "kumulatif+tahunan"},
            "choose one triwulan method, not 'kumulatif' and 'tahunan'",
        ),
        (
            (1, 2, "negatif", "selisih+rasio"),
            {},
            "choose one capaian formula, not 'selisih' and 'rasio'",
        ),
        (
            (1, 2, "neg"),
            {},
            "unknown polarity 'neg'; write 'positif' (higher is better) or 'negatif' (lower is better)",
        ),
        (
            ([1, 2], 100),
            {},
            "method 'kumulatif' needs a target per triwulan; a single target is the annual target "
            "of method 'tahunan'",
        ),
        (
            (1, [1, 2, 3, 4]),
            {},
            "target has 4 values but realisasi is a single value; give realisasi per triwulan as "
            "a list, or a range target as (low, high)",
        ),
        ((1, (90, 80)), {}, "target: the range 90–80 has its low bound above its high bound"),
        (([1, 2, 3, 4, 5], [1, 1, 1, 1]), {}, "realisasi has 5 values; a year has 4 triwulan"),
        (
            ("n/a", 2),
            {},
            "realisasi: 'n/a' is not a number; write it like 55,33, 56.73, 93% or 23.500"
            " (with '.' grouping thousands)",
        ),
        (([1, True], [1, 1]), {}, "realisasi for TW2: True is not a number"),
        ((1, float("nan")), {}, "target: nan is not a finite number"),
        ((1, 2), {"policy": {"floor": 10, "cap": 5}}, "the policy floor 10 is above its cap 5"),
        (
            (1, 2),
            {"policy": {"ceiling": 5}},
            "unknown policy key 'ceiling'; a policy has 'floor' and 'cap'",
        ),
    ],
)
def test_calls_that_cannot_work_raise_rule_error(
    args: tuple[object, ...], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(RuleError) as caught:
        capaian(*args, **kwargs)  # type: ignore[call-overload]
    assert str(caught.value) == message
    assert isinstance(caught.value, IkuError)


# --- predikat ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (D("100.71"), "Sangat Tinggi"),
        (250, "Sangat Tinggi"),
        ("91", "Sangat Tinggi"),
        (D("91.00"), "Sangat Tinggi"),
        (91, "Sangat Tinggi"),
        (D("90.995"), "Sangat Tinggi"),  # reported as 91.00, rated as 91.00
        (D("90.99"), "Tinggi"),
        (D("90.5"), "Tinggi"),
        (D("90.01"), "Tinggi"),
        (D("90.00"), "Tinggi"),
        (D("90.994"), "Tinggi"),
        (76, "Tinggi"),
        (D("75.99"), "Sedang"),
        (D("75.5"), "Sedang"),
        (66, "Sedang"),
        (D("65.99"), "Rendah"),
        (D("65.5"), "Rendah"),
        (51, "Rendah"),
        (D("50.99"), "Sangat Rendah"),
        (D("50.5"), "Sangat Rendah"),
        (50, "Sangat Rendah"),
        (0, "Sangat Rendah"),
        (-50, "Sangat Rendah"),
        ("94,44", "Sangat Tinggi"),
    ],
)
def test_capaian_scale_boundaries(value: object, label: str) -> None:
    assert predikat(value) == label  # type: ignore[call-overload]
    assert predikat(value, "capaian") == label  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (D("100.71"), "AA"),
        (100, "AA"),
        (D("90.5"), "AA"),
        (D("90.01"), "AA"),
        (D("90.00"), "A"),
        (90, "A"),
        (D("80.01"), "A"),
        (80, "BB"),
        (D("78.25"), "BB"),
        (D("70.01"), "BB"),
        (70, "B"),
        (D("60.01"), "B"),
        (60, "CC"),
        (D("50.01"), "CC"),
        (50, "C"),
        (D("30.01"), "C"),
        (30, "D"),
        (0, "D"),
        (-1, "D"),
    ],
)
def test_akip_scale_boundaries(value: object, label: str) -> None:
    assert predikat(value, "akip") == label  # type: ignore[call-overload]


def test_predikat_of_none_is_none() -> None:
    assert predikat(None) is None
    assert predikat(None, "akip") is None
    assert predikat(capaian(5, 0)) is None


def test_predikat_of_worked_cases() -> None:
    assert predikat(capaian(85, 90)) == "Sangat Tinggi"
    assert predikat(capaian(147, 736)) == "Sangat Rendah"
    assert predikat(capaian(142, 141)) == "Sangat Tinggi"


def test_unknown_scale() -> None:
    with pytest.raises(
        RuleError, match=r"^unknown predikat scale 'lkjip'; the known scales are 'capaian', 'akip'$"
    ):
        predikat(90, "lkjip")


def test_shipped_scales_are_written_as_documented() -> None:
    rules = default_rules()
    capaian_scale = rules.scale("capaian")
    assert [(b.label, b.min, b.min_inclusive) for b in capaian_scale.bands] == [
        ("Sangat Tinggi", 91, True),
        ("Tinggi", 76, True),
        ("Sedang", 66, True),
        ("Rendah", 51, True),
        ("Sangat Rendah", None, True),
    ]
    akip = rules.scale("akip")
    assert [(b.label, b.min, b.min_inclusive) for b in akip.bands] == [
        ("AA", 90, False),
        ("A", 80, False),
        ("BB", 70, False),
        ("B", 60, False),
        ("CC", 50, False),
        ("C", 30, False),
        ("D", None, True),
    ]
    assert akip.bands[0].description == "Sangat Memuaskan"


# --- nilai AKIP ----------------------------------------------------------------------------

AKIP_EXAMPLE: dict[str, Number] = {
    "Perencanaan Kinerja": D("25.5"),
    "Pengukuran Kinerja": 24,
    "Pelaporan Kinerja": "11,25",
    "Evaluasi Akuntabilitas Kinerja Internal": 17.5,
}


def test_nilai_akip_worked_case() -> None:
    nilai = nilai_akip(AKIP_EXAMPLE)
    assert str(nilai) == "78.25"
    assert predikat(nilai, "akip") == "BB"


def test_nilai_akip_accepts_aliases_and_any_case() -> None:
    assert nilai_akip(
        {"perencanaan": 30, "PENGUKURAN  KINERJA": 30, "Pelaporan": 15, "Evaluasi Internal": 25}
    ) == D("100.00")
    assert nilai_akip(dict.fromkeys(AKIP_EXAMPLE, 0)) == D("0.00")


@pytest.mark.parametrize(
    ("components", "message"),
    [
        (
            {**AKIP_EXAMPLE, "Pelaporan Kinerja": 16},
            "AKIP component 'Pelaporan Kinerja' is 16; it must be between 0 and its maximum 15",
        ),
        (
            {**AKIP_EXAMPLE, "Perencanaan Kinerja": D("-0.5")},
            "AKIP component 'Perencanaan Kinerja' is -0.5; it must be between 0 and its maximum 30",
        ),
        (
            {**AKIP_EXAMPLE, "Perencana Kinerja": 1},
            "unknown AKIP component 'Perencana Kinerja' (did you mean 'Perencanaan Kinerja'?); the "
            "components are 'Perencanaan Kinerja', 'Pengukuran Kinerja', 'Pelaporan Kinerja', "
            "'Evaluasi Akuntabilitas Kinerja Internal'",
        ),
        (
            {"Perencanaan Kinerja": 25},
            "the nilai AKIP needs every component; missing: 'Pengukuran Kinerja', "
            "'Pelaporan Kinerja', 'Evaluasi Akuntabilitas Kinerja Internal'",
        ),
        (
            {**AKIP_EXAMPLE, "Perencanaan": 25},
            "the AKIP component 'Perencanaan Kinerja' is given twice",
        ),
    ],
)
def test_nilai_akip_errors_name_the_component(components: dict[str, object], message: str) -> None:
    with pytest.raises(RuleError) as caught:
        nilai_akip(components)  # type: ignore[arg-type]
    assert str(caught.value) == message


# --- properties ------------------------------------------------------------------------------

amounts = st.decimals(min_value=-1_000_000, max_value=1_000_000, places=2)
positive_targets = st.decimals(min_value=D("0.01"), max_value=1_000_000, places=2)
nonzero_targets = amounts.filter(lambda value: value != 0)


@given(amounts, amounts, positive_targets)
def test_positive_capaian_is_monotonic_in_realisasi(r1: Decimal, r2: Decimal, t: Decimal) -> None:
    low, high = sorted((r1, r2))
    lower = capaian(low, t, detail=True)
    higher = capaian(high, t, detail=True)
    assert lower.raw is not None and higher.raw is not None
    assert lower.raw <= higher.raw
    assert lower.value is not None and higher.value is not None
    assert lower.value <= higher.value


@given(nonzero_targets)
def test_negative_selisih_at_target_is_exactly_100(t: Decimal) -> None:
    if t < 0:  # no capaian against a negative target, even at it
        assert capaian(t, t, "negatif") is capaian(t, t, "negatif", "rasio") is capaian(t, t)
        assert capaian(t, t) is None
        return
    result = capaian(t, t, "negatif", detail=True)
    assert result.raw == 100
    assert str(result.value) == "100.00"
    assert capaian(t, t, "negatif", "rasio") == D("100.00")
    assert capaian(t, t) == D("100.00")


@given(amounts, amounts, st.data())
def test_range_target_inside_is_100(a: Decimal, b: Decimal, data: st.DataObject) -> None:
    low, high = sorted((a, b))
    assume(high != 0 or low != 0)  # (0, 0) is the point target 0: no capaian
    assume(low != high or low > 0)  # nor a negative point target
    r = data.draw(st.decimals(min_value=low, max_value=high, places=2))
    choices: tuple[tuple[Polarity, str | None], ...] = (
        ("positif", None),
        ("negatif", "selisih"),
        ("negatif", "rasio"),
    )
    for polarity, method in choices:
        result = capaian(r, (low, high), polarity, method, detail=True)
        assert str(result.value) == "100.00"
        assert result.raw == 100


@given(amounts, nonzero_targets)
def test_a_single_triwulan_agrees_with_a_single_value(r: Decimal, t: Decimal) -> None:
    for method in ("kumulatif", "terakhir"):
        assert capaian([r], [t], method=method) == capaian(r, t)


@given(
    st.decimals(min_value=-1000, max_value=1000, places=3),
    st.decimals(min_value=-1000, max_value=1000, places=3),
)
def test_predikat_never_falls_as_the_value_rises(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    for name in ("capaian", "akip"):
        labels = [band.label for band in default_rules().scale(name).bands]
        assert labels.index(predikat(high, name)) <= labels.index(predikat(low, name))


# --- rule tables ----------------------------------------------------------------------------


def test_default_rules_are_cached_and_shipped() -> None:
    assert default_rules() is default_rules()
    assert default_rules() == RuleTables.load()
    rules = default_rules()
    assert (rules.decimals, rules.negatif_default, rules.triwulan_default) == (
        2,
        "selisih",
        "kumulatif",
    )
    assert rules.akip_scale == "akip"
    assert [(c.name, c.max) for c in rules.akip_components] == [
        ("Perencanaan Kinerja", D(30)),
        ("Pengukuran Kinerja", D(30)),
        ("Pelaporan Kinerja", D(15)),
        ("Evaluasi Akuntabilitas Kinerja Internal", D(25)),
    ]


def test_with_policy_replaces_the_policy() -> None:
    rules = default_rules().with_policy(floor=0, cap="200")
    assert rules.policy == Policy(floor=D(0), cap=D(200))
    assert rules.with_policy().policy == Policy()
    assert default_rules().policy == Policy()  # the cached tables are untouched
    with pytest.raises(RuleError, match=r"^the policy floor 300 is above its cap 200$"):
        default_rules().with_policy(floor=300, cap=200)


def _copy_tables(tmp_path: Path) -> Path:
    folder = tmp_path / "tables"
    folder.mkdir()
    for name in ("capaian.toml", "predikat.toml"):
        with resources.as_file(SHIPPED / name) as source:
            shutil.copy(source, folder / name)
    return folder


def test_an_office_table_changes_defaults_and_policy(tmp_path: Path) -> None:
    folder = _copy_tables(tmp_path)
    text = (folder / "capaian.toml").read_text(encoding="utf-8")
    text = text.replace('negatif = "selisih"', 'negatif = "rasio"')
    text = text.replace('triwulan = "kumulatif"', 'triwulan = "terakhir"')
    text = text.replace("decimals = 2", "decimals = 1")
    text = text.replace("# floor = 0 ", "floor = 0 ")
    (folder / "capaian.toml").write_text(text, encoding="utf-8")
    rules = RuleTables.load(folder)
    assert capaian(D("9.0"), D("9.5"), "negatif", rules=rules) == D("105.6")
    assert capaian(QUARTERLY_REALISASI, QUARTERLY_TARGETS, rules=rules) == D("60.0")
    result = capaian(25, 10, "negatif", "selisih", rules=rules, detail=True)
    assert (str(result.value), result.policy_applied) == ("0.0", "floored at 0 (raw -50.0)")
    assert capaian(25, 10, "negatif", "selisih", rules=rules, policy=Policy()) == D("-50.0")


PREDIKAT_TAIL = """
[akip]
scale = "s"
components = [{ name = "Semua", max = 100 }]
"""


def _predikat_table(tmp_path: Path, bands: str) -> tuple[Path, str]:
    folder = _copy_tables(tmp_path)
    predikat_file = folder / "predikat.toml"
    predikat_file.write_text(f"[scales.s]\nbands = [\n{bands}]\n{PREDIKAT_TAIL}", encoding="utf-8")
    return folder, str(predikat_file)


def _load_error(folder: Path) -> RuleTableError:
    with pytest.raises(RuleTableError) as caught:
        RuleTables.load(folder)
    assert isinstance(caught.value, IkuError)
    return caught.value


def test_a_custom_scale_loads(tmp_path: Path) -> None:
    folder, _ = _predikat_table(
        tmp_path,
        '    { label = "Baik", min = 50, min_inclusive = true },\n'
        '    { label = "Kurang", max = 50, max_inclusive = false },\n',
    )
    rules = RuleTables.load(folder)
    assert predikat(50, "s", rules=rules) == "Baik"
    assert predikat(D("49.99"), "s", rules=rules) == "Kurang"
    assert nilai_akip({"semua": 99}, rules=rules) == D("99.00")


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        (  # unsorted
            '    { label = "Tinggi", min = 76, min_inclusive = true },\n'
            '    { label = "Sangat Tinggi", min = 91, min_inclusive = true },\n'
            '    { label = "Rendah" },\n',
            "4:5: scale 's': bands must be listed from the highest to the lowest, but "
            "'Tinggi' (≥ 76) comes before 'Sangat Tinggi' (≥ 91)",
        ),
        (  # gap: the published 76–90 written as an upper bound
            '    { label = "Sangat Tinggi", min = 91, min_inclusive = true },\n'
            '    { label = "Tinggi", min = 76, min_inclusive = true, max = 90, max_inclusive = true },\n'
            '    { label = "Rendah" },\n',
            "4:5: scale 's': gap between 'Tinggi' (≤ 90) and 'Sangat Tinggi' (≥ 91) above it: "
            "values between them have no predikat; on 'Tinggi' leave out max, or write max = 91, "
            "max_inclusive = false",
        ),
        (  # gap at one point: 91 is in neither band
            '    { label = "Sangat Tinggi", min = 91, min_inclusive = false },\n'
            '    { label = "Tinggi", min = 76, min_inclusive = true, max = 91, max_inclusive = false },\n'
            '    { label = "Rendah" },\n',
            "4:5: scale 's': gap between 'Tinggi' (< 91) and 'Sangat Tinggi' (> 91) above it: "
            "values between them have no predikat; on 'Tinggi' leave out max, or write max = 91, "
            "max_inclusive = true",
        ),
        (  # overlap through an upper bound
            '    { label = "Sangat Tinggi", min = 91, min_inclusive = true },\n'
            '    { label = "Tinggi", min = 76, min_inclusive = true, max = 92, max_inclusive = false },\n'
            '    { label = "Rendah" },\n',
            "4:5: scale 's': overlap between 'Tinggi' (< 92) and 'Sangat Tinggi' (≥ 91) above it: "
            "values between them have two; on 'Tinggi' leave out max, or write max = 91, "
            "max_inclusive = false",
        ),
        (  # overlap at one point: 91 is in both bands
            '    { label = "Sangat Tinggi", min = 91, min_inclusive = true },\n'
            '    { label = "Tinggi", min = 76, min_inclusive = true, max = 91, max_inclusive = true },\n'
            '    { label = "Rendah" },\n',
            "4:5: scale 's': overlap between 'Tinggi' (≤ 91) and 'Sangat Tinggi' (≥ 91) above it: "
            "values between them have two; on 'Tinggi' leave out max, or write max = 91, "
            "max_inclusive = false",
        ),
        (  # overlap: the same lower bound twice
            '    { label = "Tinggi", min = 76, min_inclusive = true },\n'
            '    { label = "Sedang", min = 76, min_inclusive = true },\n'
            '    { label = "Rendah" },\n',
            "4:5: scale 's': bands 'Tinggi' and 'Sedang' overlap: both start at ≥ 76",
        ),
        (  # no open-ended bottom band
            '    { label = "Tinggi", min = 76, min_inclusive = true },\n'
            '    { label = "Rendah", min = 0, min_inclusive = true },\n',
            "4:5: scale 's': the bottom band 'Rendah' must leave out min, so that every value "
            "below the other bands has a predikat (exactly one open-ended bottom band)",
        ),
        (  # two open-ended bands
            '    { label = "Tinggi", min = 76, min_inclusive = true },\n'
            '    { label = "Rendah" },\n'
            '    { label = "Sangat Rendah" },\n',
            "4:5: scale 's': only the bottom band may leave out min, but 'Rendah', 'Sangat Rendah' "
            "do (exactly one open-ended bottom band, listed last)",
        ),
        (  # the open-ended band not at the bottom
            '    { label = "Rendah" },\n'
            '    { label = "Tinggi", min = 76, min_inclusive = true },\n',
            "3:5: scale 's': only the bottom band may leave out min, but 'Rendah' does (exactly "
            "one open-ended bottom band, listed last)",
        ),
        (  # inclusiveness must be written
            '    { label = "Tinggi", min = 76 },\n    { label = "Rendah" },\n',
            "3:25: band 'Tinggi' has min = 76 but no min_inclusive; write min_inclusive = true "
            "(≥ 76) or false (> 76)",
        ),
        (  # a top band with a max would leave values above it without predikat
            '    { label = "Tinggi", min = 76, min_inclusive = true, max = 100, max_inclusive = true },\n'
            '    { label = "Rendah" },\n',
            "3:5: scale 's': the top band 'Tinggi' must not have a max; values above it (capaian "
            "can pass 100) would have no predikat",
        ),
        (
            '    { label = "Tinggi", min = 76, min_inclusive = true },\n'
            '    { label = "tinggi" },\n',
            "4:5: scale 's': the label 'tinggi' is used twice",
        ),
        (
            '    { label = "Tinggi", minimum = 76, min_inclusive = true },\n'
            '    { label = "Rendah" },\n',
            "3:25: unknown key 'minimum'; did you mean 'min'? (known here: label, min, "
            "min_inclusive, max, max_inclusive, description)",
        ),
        (
            '    { label = "Tinggi", min = "tinggi", min_inclusive = true },\n'
            '    { label = "Rendah" },\n',
            "3:25: min: 'tinggi' is not a number; write it like 55,33, 56.73, 93% or 23.500"
            " (with '.' grouping thousands)",
        ),
        (
            '    { label = "Tinggi", min = 76, min_inclusive = "ya" },\n'
            '    { label = "Rendah" },\n',
            "3:35: 'min_inclusive' must be true or false, not 'ya'",
        ),
        (
            '    { label = "Rendah" },\n',
            "1:9: scale 's' needs 'bands', a list of at least two bands",
        ),
    ],
)
def test_malformed_scales_are_refused_with_a_message_naming_the_file(
    tmp_path: Path, bands: str, message: str
) -> None:
    folder, shown = _predikat_table(tmp_path, bands)
    error = _load_error(folder)
    assert str(error) == f"{shown}:{message}"
    assert error.file == shown


def test_malformed_akip_components(tmp_path: Path) -> None:
    folder = _copy_tables(tmp_path)
    predikat_file = folder / "predikat.toml"
    text = predikat_file.read_text(encoding="utf-8")
    predikat_file.write_text(text.replace("max = 25", "max = 20"), encoding="utf-8")
    error = _load_error(folder)
    assert error.message == (
        "the maxima of the AKIP components must add up to 100, but they add up to 95"
    )
    assert error.file == str(predikat_file)
    predikat_file.write_text(text.replace('scale = "akip"', 'scale = "lkjip"'), encoding="utf-8")
    assert _load_error(folder).message == (
        "[akip] names the scale 'lkjip', which is not in [scales] (known: capaian, akip)"
    )


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        (
            'negatif = "selisih"',
            'negatif = "terbalik"',
            "the default method 'negatif' must be 'selisih' or 'rasio', not 'terbalik'",
        ),
        (
            'triwulan = "kumulatif"',
            'triwulan = "rasio"',
            "the default method 'triwulan' must be 'kumulatif' or 'terakhir' or 'tahunan', not 'rasio'",
        ),
        ("decimals = 2", "decimals = 2.5", "'decimals' must be a whole number from 0 to 10"),
        ("# floor = 0 ", "floor = 300 ", "the policy floor 300 is above its cap 200"),
        (
            "[policy]",
            "[policies]",
            "unknown key 'policies'; did you mean 'policy'? (known here: decimals, defaults, policy, threshold)",
        ),
    ],
)
def test_malformed_capaian_table(tmp_path: Path, replace: str, by: str, message: str) -> None:
    folder = _copy_tables(tmp_path)
    capaian_file = folder / "capaian.toml"
    text = capaian_file.read_text(encoding="utf-8")
    assert replace in text
    text = text.replace(replace, by)
    if "floor = 300" in text:
        text = text.replace("# cap = 200 ", "cap = 200 ")
    capaian_file.write_text(text, encoding="utf-8")
    error = _load_error(folder)
    assert error.message == message
    assert error.file == str(capaian_file)
    assert str(error).startswith(f"{capaian_file}:")


def test_missing_and_broken_files(tmp_path: Path) -> None:
    folder = _copy_tables(tmp_path)
    (folder / "predikat.toml").unlink()
    error = _load_error(folder)
    assert str(error) == (
        f"{folder / 'predikat.toml'}: file not found; a rule-table folder holds capaian.toml "
        "and predikat.toml"
    )
    (folder / "predikat.toml").write_text("[scales\n", encoding="utf-8")
    error = _load_error(folder)
    assert str(error) == (  # placed, and said as a definitions file's
        f"{folder / 'predikat.toml'}:1:8: this is not valid TOML: a [table] header must end"
        " with ']'"
    )
    with pytest.raises(RuleTableError, match="this is a file; give the folder"):
        RuleTables.load(folder / "capaian.toml")


def test_rule_table_errors_survive_pickling(tmp_path: Path) -> None:
    folder, _ = _predikat_table(tmp_path, '    { label = "Rendah" },\n')
    error = _load_error(folder)
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error) and copy.line == error.line


@pytest.mark.parametrize(
    ("floor", "cap", "said"),
    [
        # A floor of 100: 45 against 90 (capaian 50.00, a miss) would be reported as 100.
        (100, None, "a floor of 100 would show every capaian below it"),
        (150, 200, "a floor of 150 would show every capaian below it"),
        # A cap of 90: 90 against 90 (capaian 100.00, met) would be reported as 90.
        (None, 90, "a cap of 90 would show every target met (capaian 100) as 90"),
    ],
)
def test_a_policy_that_would_misstate_whether_a_target_was_met_is_refused(
    floor: int | None, cap: int | None, said: str
) -> None:
    with use_language("en"), pytest.raises(RuleError) as caught:
        capaian(45, 90, policy=Policy(floor=floor, cap=cap))
    assert said in str(caught.value)
    # a floor below 100 and a cap of 100 are policies an office may set: 45 / 90 × 100 =
    # 50.00 is floored at 99.00, shown with its raw value, and still below 100, a miss
    floored = capaian(45, 90, policy=Policy(floor=99, cap=100), detail=True)
    assert (floored.value, floored.raw) == (D("99.00"), D("50.00"))


@pytest.mark.parametrize(
    ("realisasi", "target", "polarity", "raw"),
    [
        # 94.999 / 95 × 100 = 99.99894…, which rounds to 100.00 beside "not met"
        ("94.999", "≥ 95", "positif", "99.999"),
        # 95 does not pass > 95: 95 / 95 × 100 = 100 on the bound itself
        ("95", "> 95", "positif", "100.00"),
        # (2 × 5 − 5.0001) / 5 × 100 = 99.998
        ("5.0001", "≤ 5", "negatif", "99.998"),
        # below the range 80–90: 79.999 / 80 × 100 = 99.99875
        ("79.999", (Decimal(80), Decimal(90)), "positif", "99.999"),
    ],
)
def test_a_target_not_met_never_shows_capaian_100(
    realisasi: str, target: str | tuple[Decimal, Decimal], polarity: Polarity, raw: str
) -> None:
    with use_language("en"):
        result = capaian(Decimal(realisasi), target, polarity, detail=True)
    assert result.value == Decimal("99.99")
    assert result.policy_applied == f"kept below 100, as the target is not met (raw {raw})"
    assert predikat(result.value) == "Sangat Tinggi"  # 99.99 ≥ 91, as 100 would be
    # met, or a plain number: rounded as the spreadsheets round
    assert capaian(95, "≥ 95") == Decimal("100.00")
    assert capaian(Decimal("99.996"), 100) == Decimal("100.00")
    with use_language("id"):
        said = capaian(Decimal(realisasi), target, polarity, detail=True).policy_applied
    assert (
        said
        == f"dibuat di bawah 100, karena target tidak tercapai (nilai asli {raw.replace('.', ',')})"
    )
