"""The generator: the service log, realisasi and inputs, over the registers of
:mod:`.registers`, drawn from one seed."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from iku_rules.ast import name_key
from iku_rules.model import Indicator, Target, Threshold
from iku_rules.sample.needs import _programme_element, input_names, missing_input
from iku_rules.sample.reference_data import (
    _DOCUMENT_SIZES,
    _PEOPLE_MEANS,
    EXTRA_SERVICES,
    PEOPLE_UNITS,
    PSKS_TRAINED_PER_YEAR,
    SERVED_PER_YEAR,
    PmksCategory,
)
from iku_rules.sample.registers import Registers, Row, _Person, _words


class _Generator(Registers):
    """Draws every table in a fixed order from one random stream."""

    # -- layanan

    def pool(self, category: PmksCategory) -> list[str]:
        """The sub kegiatan a PMKS of this category may be served with."""
        programmes = self.ref.bidang.get(category.bidang, ())
        pool = []
        for code in self.codes:
            reserved = [r for r in self.ref.layanan_khusus if r.kata in self.names.get(code, "")]
            if reserved:
                if any(category.name in r.kategori for r in reserved):
                    pool.append(code)
            elif self.programme[code] in programmes:
                pool.append(code)
        return pool

    def layanan(self, persons: list[_Person], psks: list[tuple[str, int, int, int]]) -> None:
        rng, ref = self.rng, self.ref
        relief = [c for c in self.codes if self.programme[c] == "1.06.06"]
        food = self.codes_named("makan", relief)
        clothing = self.codes_named("sandang", relief)
        cash = [
            c
            for c in relief
            if "tunai" in self.names.get(c, "") or " uang" in self.names.get(c, "")
        ]
        preparedness = [c for c in relief if c not in food + clothing + cash]
        relief = [c for c in relief if c not in preparedness] or relief
        pools = [self.pool(category) for category in ref.pmks]
        counts, count_weights = zip(*EXTRA_SERVICES, strict=True)
        psks_codes = [c for c in self.codes if self.programme[c] == "1.06.02"]
        # Disaster victims: relief right after the event.
        for person in persons:
            if person.event < 0 or not relief:
                continue
            event = self.disasters[person.event]
            if rng.random() >= event.served:
                continue
            social = event.hazard.kategori == "Korban Bencana Sosial"
            given: list[tuple[str, int]] = []
            if food:
                given.append((food[0], rng.randint(0, 2)))
            if clothing and rng.random() < (0.85 if social else 0.60):
                given.append((clothing[0], rng.randint(1, 7)))
            if cash and rng.random() < (0.92 if social else 0.30):
                given.append((cash[0], rng.randint(3, 14)))
            if not given:
                given.append((rng.choice(relief), rng.randint(0, 2)))
            for code, delay in given:
                day = person.registered + delay
                if day <= self.end:
                    self.service(person.nik, code, day, person.kecamatan)
        for year in self.years:
            first, last = self.year_window(year)
            # PMKS served by the programme of their bidang.
            for person in persons:
                if person.event >= 0 or person.registered > last:
                    continue
                if rng.random() >= SERVED_PER_YEAR:
                    continue
                pool = pools[person.kategori]
                if not pool:
                    continue
                wanted = rng.choices(counts, weights=count_weights)[0]
                for code in rng.sample(pool, min(wanted, len(pool))):
                    day = self.day_between(max(first, person.registered), last)
                    self.service(person.nik, code, day, person.kecamatan)
            # PSKS given capacity building.
            for nik, kecamatan, kind, registered in psks:
                if registered > last or rng.random() >= PSKS_TRAINED_PER_YEAR:
                    continue
                word = ref.psks[kind].pelatihan
                options = self.codes_named(word) if word else []
                options = options or psks_codes
                if not options:
                    continue
                code = rng.choice(options)
                self.service(nik, code, self.day_between(max(first, registered), last), kecamatan)
            # Residents of hazard-prone desa trained for disaster preparedness.
            for code in preparedness:
                if "taruna" in self.names.get(code, ""):
                    sessions, group = rng.randint(1, 2), (15, 30)
                else:
                    sessions, group = rng.randint(2, 4), (25, 45)
                for _ in range(sessions):
                    kecamatan = self.place(rng.choice(ref.bencana))
                    day = self.day_between(first, last)
                    when = date.fromordinal(day)
                    self.trainings[(code, f"{year}-TW{(when.month - 1) // 3 + 1}")] += 1
                    for _ in range(rng.randint(*group)):
                        nik = self.nik(kecamatan, day, (17, 60), 0.45)
                        self.service(nik, code, day, kecamatan)
        self.services.sort(key=lambda row: (row["tanggal"], row["nik"], row["kode_sub_kegiatan"]))

    # -- realisasi

    def realisasi(self) -> list[Row]:
        rng, ref = self.rng, self.ref
        served: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for row in self.services:
            day: date = row["tanggal"]
            periode = f"{day.year}-TW{(day.month - 1) // 3 + 1}"
            served[(row["kode_sub_kegiatan"], periode)][row["kecamatan"]].add(row["nik"])
        in_log = set(self.codes)
        shares = [k.penduduk / sum(x.penduduk for x in ref.kecamatan) for k in ref.kecamatan]
        rows: list[Row] = []
        for indicator in self.definitions.indicators:
            if indicator.formula_kind != "realisasi":
                continue
            unit = indicator.unit.casefold()
            code = indicator.parent
            programme = _programme_element(self.definitions, code)
            support = programme is not None and "penunjang" in name_key(programme.name)
            per_kecamatan = unit in PEOPLE_UNITS and not support
            due: dict[int, int] = {year: rng.randint(1, 4) for year in self.years}
            # a kecamatan's 0 is written in a triwulan of a year it reports in: a row missing
            # there would be a kecamatan not reported (the engine says so, and rightly)
            counted: list[tuple[int, Row]] = []
            for year, quarter in self.quarters():
                periode = f"{year}-TW{quarter}"
                target = _quarter_target(indicator, year, quarter)
                base = {"kode_sub_kegiatan": code, "indikator": indicator.id, "periode": periode}
                if per_kecamatan:
                    for index, kecamatan in enumerate(ref.kecamatan):
                        if code in in_log and target is None:
                            value = len(served.get((code, periode), {}).get(kecamatan.name, ()))
                        elif target is not None:
                            value = round(target * shares[index] * rng.uniform(0.5, 1.5))
                        elif rng.random() < 0.3:
                            value = 0
                        else:
                            mean = _PEOPLE_MEANS.get(unit, 4.0) * shares[index] * len(shares)
                            value = max(1, round(rng.expovariate(1 / mean)))
                        counted.append(
                            (year, {**base, "kecamatan": kecamatan.name, "nilai": value})
                        )
                    continue
                if target is not None:
                    value = max(0, round(target * rng.uniform(0.85, 1.1)))
                elif unit == "orang/bulan":
                    value = self.staff_per_year.get(year, 110) * 3
                elif unit == "kampung" and any(key[0] == code for key in self.trainings):
                    value = self.trainings.get((code, periode), 0)
                elif unit == "dokumen":
                    value = 1 if quarter == due[year] else 0
                else:
                    low, high = _DOCUMENT_SIZES.get(unit, (0, 3))
                    value = rng.randint(low, high)
                rows.append({**base, "kecamatan": None, "nilai": value})
            reporting = {(year, row["kecamatan"]) for year, row in counted if row["nilai"] > 0}
            rows.extend(row for year, row in counted if (year, row["kecamatan"]) in reporting)
        return rows

    # -- inputs

    def inputs(self) -> list[Row]:
        rng = self.rng
        names = input_names(self.definitions)
        missing = missing_input(self.definitions)
        rows: list[Row] = []
        for name, indicator, unit in names:
            label = name_key(name) + (" " + name_key(indicator.name) if indicator else "")
            rule = next(
                (r for r in self.ref.nilai_input if any(_words(label, k) for k in r.kata)), None
            )
            draw = rng.random()
            for position, year in enumerate(self.years):
                wiggle = rng.uniform(-0.45, 0.55)
                if missing is not None and name == missing and year == self.years[-1]:
                    continue
                target = _number(indicator.targets.get(year)) if indicator is not None else None
                if target is not None:
                    value, decimals = target + wiggle, 2
                elif rule is not None:
                    low, high = rule.rentang
                    value = low + (high - low) * draw + rule.tren * position
                    if rule.skala_persen and unit and unit.casefold() in ("persen", "%"):
                        value *= rule.skala_persen
                    decimals = rule.desimal
                else:
                    low, high = {
                        "persen": (40.0, 90.0),
                        "indeks": (0.5, 0.8),
                        "nilai": (70.0, 85.0),
                    }.get((unit or "").casefold(), (1.0, 100.0))
                    value, decimals = low + (high - low) * draw, 2
                rows.append(
                    {"nama": name, "tahun": year, "nilai": Decimal(f"{value:.{decimals}f}")}
                )
        return rows


def _number(target: Target | None) -> float | None:
    """A target as one number: a range target by its middle, a threshold by its value."""
    if target is None:
        return None
    if isinstance(target, tuple):
        return float(target[0] + target[1]) / 2
    if isinstance(target, Threshold):
        return float(target.value)
    return float(target)


def _quarter_target(indicator: Indicator, year: int, quarter: int) -> float | None:
    """What the indicator should reach in one triwulan: its triwulan target, else a
    quarter of the year's target."""
    own = _number(indicator.triwulan_targets.get(f"{year}-TW{quarter}"))
    if own is not None:
        return own
    yearly = _number(indicator.targets.get(year))
    return None if yearly is None else yearly / 4
