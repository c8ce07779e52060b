"""The registers of sample data: people (PMKS) with their NIK, PSKS, RTM, pegawai and
disaster events, each drawn from the generator's seed."""

from __future__ import annotations

import calendar
import math
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

from iku_rules.ast import name_key
from iku_rules.model import Definitions
from iku_rules.periods import Period
from iku_rules.sample.needs import _programme, service_codes
from iku_rules.sample.reference_data import (
    ASSESSED,
    PSKS_PER_PERSON,
    RTM_PER_PERSON,
    SKP_RATINGS,
    Hazard,
    reference,
)


class _Person(NamedTuple):
    nik: str
    kecamatan: int
    kategori: int
    registered: int  # date ordinal
    event: int  # index of the disaster event, -1 when not a victim


class _Event(NamedTuple):
    hazard: Hazard
    day: int  # date ordinal
    kecamatan: int
    desa: tuple[str, ...]
    size: float
    served: float


Row = dict[str, Any]


def _quarter_end(year: int, quarter: int) -> date:
    month = 3 * quarter
    return date(year, month, calendar.monthrange(year, month)[1])


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson-distributed count (Knuth's method; means here are small)."""
    if mean <= 0:
        return 0
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def _words(text: str, word: str) -> bool:
    return re.search(r"(?<![a-z0-9])" + re.escape(word) + r"(?![a-z0-9])", text) is not None


class Registers:
    """The generator's random stream and state, and the registers it draws first (in a fixed
    order, so that one seed gives the same data)."""

    def __init__(
        self,
        definitions: Definitions,
        people: int,
        seed: int,
        years: Sequence[int],
        through: Period,
    ) -> None:
        self.definitions = definitions
        self.ref = reference()
        self.rng = random.Random(seed)
        self.people = people
        self.years = list(years)
        self.end_year = through.year
        self.end_quarter = through.quarter
        self.end = _quarter_end(through.year, through.quarter).toordinal()
        self.start = date(self.years[0] - 1, 7, 1).toordinal()
        kecamatan = self.ref.kecamatan
        self.kec_cum = list(_cumulate(k.penduduk for k in kecamatan))
        self.kec_index = {k.name: index for index, k in enumerate(kecamatan)}
        self.serials: Counter[str] = Counter()
        self.codes = service_codes(definitions)
        self.names = {
            code: name_key(element.name)
            for code in self.codes
            if (element := definitions.element(code)) is not None
        }
        self.programme = {code: _programme(definitions, code) for code in self.codes}
        self.services: list[Row] = []
        self.trainings: Counter[tuple[str, str]] = Counter()  # (code, periode) -> kampung
        self.staff_per_year: dict[int, int] = {}
        self.disasters: list[_Event] = []

    # -- helpers

    def year_window(self, year: int) -> tuple[int, int]:
        return date(year, 1, 1).toordinal(), min(date(year, 12, 31).toordinal(), self.end)

    def last_month(self, year: int) -> int:
        return 3 * self.end_quarter if year == self.end_year else 12

    def quarters(self) -> list[tuple[int, int]]:
        return [
            (year, quarter)
            for year in self.years
            for quarter in range(1, (self.end_quarter if year == self.end_year else 4) + 1)
        ]

    def kecamatan(self) -> int:
        return self.rng.choices(range(len(self.ref.kecamatan)), cum_weights=self.kec_cum)[0]

    def nik(self, kecamatan: int, registered: int, ages: tuple[int, int], women: float) -> str:
        """A new NIK, unique: kecamatan code, birth date (day + 40 for women), serial."""
        rng = self.rng
        born = date.fromordinal(
            max(1, registered - int(rng.uniform(ages[0], ages[1] + 1) * 365.25))
        )
        day = born.day + (40 if rng.random() < women else 0)
        prefix = (
            f"{self.ref.kecamatan[kecamatan].kode}{day:02d}{born.month:02d}{born.year % 100:02d}"
        )
        self.serials[prefix] += 1
        return f"{prefix}{self.serials[prefix]:04d}"

    def day_between(self, first: int, last: int) -> int:
        return first if last <= first else self.rng.randint(first, last)

    def service(self, nik: str, code: str, day: int, kecamatan: int) -> None:
        self.services.append(
            {
                "nik": nik,
                "kode_sub_kegiatan": code,
                "tanggal": date.fromordinal(day),
                "kecamatan": self.ref.kecamatan[kecamatan].name,
            }
        )

    def codes_named(self, word: str, within: Iterable[str] | None = None) -> list[str]:
        pool = self.codes if within is None else list(within)
        return [code for code in pool if word in self.names.get(code, "")]

    # -- disaster events

    def events(self) -> list[_Event]:
        rng, ref = self.rng, self.ref
        events: list[_Event] = []
        for year in self.years:
            last_day = min(date(year, 12, 10).toordinal(), self.end - 20)
            for hazard in ref.bencana:
                months = [m for m in hazard.bulan if m <= self.last_month(year)]
                count = _poisson(rng, hazard.bobot * 1.5 * len(months) / len(hazard.bulan))
                for _ in range(count):
                    if not months:
                        break
                    month = rng.choice(months)
                    day = date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))
                    ordinal = min(day.toordinal(), last_day)
                    if ordinal < date(year, 1, 1).toordinal():
                        continue
                    events.append(self.event(hazard, ordinal))
        for category in sorted({h.kategori for h in ref.bencana}):
            if not any(e.hazard.kategori == category for e in events):
                hazard = max(
                    (h for h in ref.bencana if h.kategori == category), key=lambda h: h.bobot
                )
                year = self.years[-1]
                first, _ = self.year_window(year)
                last_day = max(first, min(date(year, 12, 10).toordinal(), self.end - 20))
                events.append(self.event(hazard, self.day_between(first, last_day)))
        return events

    def place(self, hazard: Hazard) -> int:
        """A kecamatan where the hazard strikes, weighted by population."""
        if hazard.kecamatan is None:
            return self.kecamatan()
        ref = self.ref
        if hazard.kecamatan == ("pesisir",):
            places = [index for index, k in enumerate(ref.kecamatan) if k.pesisir]
        else:
            places = [self.kec_index[name] for name in hazard.kecamatan if name in self.kec_index]
        places = places or list(range(len(ref.kecamatan)))
        weights = [ref.kecamatan[index].penduduk for index in places]
        return self.rng.choices(places, weights=weights)[0]

    def event(self, hazard: Hazard, day: int) -> _Event:
        rng, ref = self.rng, self.ref
        kecamatan = self.place(hazard)
        desa_all = ref.kecamatan[kecamatan].desa
        desa = tuple(rng.sample(desa_all, min(len(desa_all), rng.randint(1, 3))))
        return _Event(
            hazard, day, kecamatan, desa, rng.lognormvariate(0.0, 1.0), rng.uniform(0.95, 1.0)
        )

    # -- register_pmks

    def pmks(self) -> tuple[list[_Person], list[Row]]:
        rng, ref = self.rng, self.ref
        events = self.events()
        self.disasters = events
        by_category: dict[str, list[int]] = defaultdict(list)
        for index, event in enumerate(events):
            by_category[event.hazard.kategori].append(index)
        category_cum = list(_cumulate(c.bobot for c in ref.pmks))
        categories = rng.choices(range(len(ref.pmks)), cum_weights=category_cum, k=self.people)
        event_cum = {
            name: list(_cumulate(events[i].size for i in indices))
            for name, indices in by_category.items()
        }
        persons: list[_Person] = []
        rows: list[Row] = []
        for kategori in categories:
            category = ref.pmks[kategori]
            indices = by_category.get(category.name)
            if indices:
                event_index = rng.choices(indices, cum_weights=event_cum[category.name])[0]
                event = events[event_index]
                kecamatan = event.kecamatan
                desa = rng.choice(event.desa)
                registered = min(event.day + rng.randint(0, 4), self.end)
            else:
                event_index = -1
                kecamatan = self.kecamatan()
                desa = rng.choice(ref.kecamatan[kecamatan].desa)
                registered = rng.randint(self.start, self.end)
            nik = self.nik(kecamatan, registered, category.usia, category.perempuan)
            persons.append(_Person(nik, kecamatan, kategori, registered, event_index))
            women = int(nik[6:8]) > 40
            rows.append(
                {
                    "nik": nik,
                    "kecamatan": ref.kecamatan[kecamatan].name,
                    "desa": desa,
                    "kategori": category.name,
                    "bidang": category.bidang,
                    "asesmen": (
                        "ya" if category.bidang == "resos" and rng.random() < ASSESSED else "tidak"
                    ),
                    "tanggal_terdaftar": date.fromordinal(registered),
                    "jenis_kelamin": "P" if women else "L",
                }
            )
        rows.sort(key=lambda row: (row["tanggal_terdaftar"], row["nik"]))
        return persons, rows

    # -- register_psks

    def psks(self) -> list[tuple[str, int, int, int]]:
        """``(id_psks, kecamatan, kind, registered)`` per PSKS."""
        rng, ref = self.rng, self.ref
        count = round(self.people * PSKS_PER_PERSON)
        kinds = rng.choices(
            range(len(ref.psks)), cum_weights=list(_cumulate(k.bobot for k in ref.psks)), k=count
        )
        members = []
        for kind in kinds:
            kecamatan = self.kecamatan()
            registered = rng.randint(self.start, self.end)
            women = 1.0 if ref.psks[kind].name.startswith("Wanita") else 0.4
            nik = self.nik(kecamatan, registered, (20, 60), women)
            members.append((nik, kecamatan, kind, registered))
        members.sort(key=lambda member: (member[3], member[0]))
        return members

    # -- register_rtm

    def rtm(self) -> list[Row]:
        rng, ref = self.rng, self.ref
        rows = []
        serials: Counter[str] = Counter()
        for _ in range(round(self.people * RTM_PER_PERSON)):
            kecamatan = self.kecamatan()
            registered = rng.randint(self.start, self.end)
            issued = date.fromordinal(rng.randint(date(2005, 1, 1).toordinal(), registered))
            prefix = f"{ref.kecamatan[kecamatan].kode}{issued:%d%m%y}"
            serials[prefix] += 1
            bpjs = rng.random() < 0.70
            protected = rng.random() < (0.62 if bpjs else 0.39)
            rows.append(
                {
                    "id_rtm": f"{prefix}{serials[prefix]:04d}",
                    "kecamatan": ref.kecamatan[kecamatan].name,
                    "desa": rng.choice(ref.kecamatan[kecamatan].desa),
                    "bpjs_pbi": "ya" if bpjs else "tidak",
                    "perlindungan": "ya" if protected else "tidak",
                    "tanggal_terdaftar": date.fromordinal(registered),
                }
            )
        rows.sort(key=lambda row: (row["tanggal_terdaftar"], row["id_rtm"]))
        return rows

    # -- pegawai

    def pegawai(self) -> list[Row]:
        rng = self.rng
        bidang = list(self.ref.pegawai)
        weights = list(self.ref.pegawai.values())
        serials: Counter[str] = Counter()

        def hire(year: int) -> tuple[str, str]:
            appointed = rng.randint(max(1990, year - 33), year - 1)
            born_year = max(year - 57, appointed - rng.randint(22, 32))
            born = date(born_year, 1, 1) + timedelta(days=rng.randint(0, 364))
            prefix = (
                f"{born:%Y%m%d}{appointed:04d}{rng.choice((1, 3, 4, 12)):02d}{rng.randint(1, 2)}"
            )
            serials[prefix] += 1
            return f"{prefix}{serials[prefix]:03d}", rng.choices(bidang, weights=weights)[0]

        staff = [hire(self.years[0]) for _ in range(rng.randint(106, 112))]
        rows: list[Row] = []
        labels = [label for label, _ in SKP_RATINGS]
        rating_weights = [weight for _, weight in SKP_RATINGS]
        for position, year in enumerate(self.years):
            if position:
                for leaving in sorted(
                    rng.sample(range(len(staff)), rng.randint(2, 5)), reverse=True
                ):
                    del staff[leaving]
                staff.extend(hire(year) for _ in range(rng.randint(2, 6)))
            self.staff_per_year[year] = len(staff)
            for nip, unit in staff:
                rows.append(
                    {
                        "nip": nip,
                        "bidang": unit,
                        "nilai_skp": rng.choices(labels, weights=rating_weights)[0],
                        "tanggal_penilaian": date(year, 12, 31),
                    }
                )
        return rows


def _cumulate(weights: Iterable[float]) -> Iterable[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total
