"""Realistic, deterministic sample data for Dinas Sosial Kabupaten Pandeglang.

:func:`generate` writes one file per data source that a definitions folder declares
(at the source's ``path`` inside the output folder, with exactly the source's declared
columns, in the source's ``format``), plus ``sample-data.xlsx`` holding every source
once more, one sheet each (the sheet is named after the source's ``table``, else its
id), with a frozen header row and real date cells. It returns how many rows it wrote
per source id. The same arguments always give byte-identical CSV files: all chance
comes from one ``random.Random(seed)``, drawn in a fixed order.

Which rows a source gets depends on its id (or, for other ids, on its kind and
columns): the sources below are the ones ``data.toml`` of ``dinsos-pandeglang``
declares. A declared column the generator does not know is written empty; a source it
does not recognise gets a header and no rows. Places, categories and weights come from
``sample_pandeglang.toml`` next to this module (the 35 kecamatan with their desa, the 26
PMKS and 12 PSKS categories, the disaster hazards, plausible ranges of the inputs).

The registers (dates fall between 1 July of the year before the first year and the
end of ``through``, 2024-07-01 to 2026-09-30 by default):

``register_pmks``
    One row per person needing social-welfare services (PMKS), ``people`` rows. Each
    person has a NIK (16 digits: the Kemendagri code of the kecamatan, 3601xx, the
    birth date as DDMMYY with 40 added to the day for women, and a serial), unique
    across every register. ``kategori`` is one of the 26 PMKS, drawn by a relative
    frequency (Fakir Miskin most common, then Lanjut Usia Terlantar, Penyandang
    Disabilitas, Perempuan Rawan Sosial Ekonomi, Korban Bencana Alam; Komunitas Adat
    Terpencil rare). ``bidang`` follows from it: disaster victims ``banjamsos``, Fakir
    Miskin and Perempuan Rawan Sosial Ekonomi ``linjamsos``, Komunitas Adat Terpencil
    ``dayasos``, every other category ``resos``. ``asesmen`` is ``ya`` for 60% of
    ``resos`` people and ``tidak`` otherwise. The kecamatan is drawn by population, the
    desa among the kecamatan's desa. Disaster victims are registered 0-4 days after a
    simulated disaster event of their category (floods, landslides, tidal floods,
    whirlwinds, earthquakes; house fires and social conflict for Korban Bencana Sosial),
    in the event's kecamatan and desa; events fall in the years given, in their season,
    by 10 December (so that relief is delivered within the same year) and at least 20
    days before the end of ``through``. Everyone else is registered on a day drawn
    evenly over the whole span.
``layanan``
    The service log, one row per service delivered (``nik``, ``kode_sub_kegiatan``,
    ``tanggal``, ``kecamatan`` of the person served). The sub kegiatan codes are exactly
    those the measures (and inline filters) of the definitions filter on with
    ``kode_sub_kegiatan in (...)`` (see :func:`service_codes`), so the log matches the
    definitions. Each year, 40% of the PMKS registered by then (other than disaster
    victims) get at least one service from the programme of their bidang (resos:
    1.06.04, linjamsos and dayasos: 1.06.05); a third of those get two to four services
    from different sub kegiatan, so there are fewer distinct people than services. Some
    sub kegiatan serve only some categories (alat bantu: disability and the elderly;
    pemantauan anak terlantar: neglected children; fakir miskin data: the poor; family
    tracing: the displaced). Disaster victims of an event are served at a rate of
    95-100% per event: food within 0-2 days, clothing (60% of natural-disaster victims,
    85% of social-disaster victims) and cash (30% and 92%) within two weeks, with the
    1.06.06 relief sub kegiatan. PSKS members get capacity building (35% of them each
    year), with ``id_psks`` standing for ``nik``: the 1.06.02 sub kegiatan meant for their
    kind (PSM, TKSK, kelembagaan) or any 1.06.02 one; Taruna Siaga Bencana members get
    the Taruna Siaga Bencana sub kegiatan. Disaster-preparedness sub kegiatan train
    residents of hazard-prone kecamatan each year: two to four Kampung Siaga Bencana
    sessions of 25-45 people, one or two Taruna Siaga Bencana sessions of 15-30 young
    people; these residents have NIKs but are in no register (so the service log does
    not grow in step with ``people``).
``register_rtm``
    Poor households (rumah tangga miskin), ``0.4 × people`` rows. ``id_rtm`` is the
    household's Nomor Kartu Keluarga (16 digits, the same shape as a NIK, digits 7-12 the
    date the card was issued). ``bpjs_pbi`` is ``ya`` for about 70%, ``perlindungan``
    (receives social protection) ``ya`` for about 55%, more often for households with
    BPJS PBI.
``register_psks``
    Social-welfare potentials and resources, ``people / 10`` rows, one of the 12 PSKS
    each (Pekerja Sosial Masyarakat most common, then Taruna Siaga Bencana and Karang
    Taruna). ``id_psks`` is the person's NIK; for institutions (LKS, Karang Taruna,
    WKSBM, LK3, Dunia Usaha) the NIK of the chairperson.
``pegawai``
    The staff of the Dinas, about 110 people spread over the secretariat and the four
    bidang, each rated once a year with ``tanggal_penilaian`` on 31 December of that year
    (also for the last year, although that day may lie after ``through``); two to five
    retire and two to six join each year. ``nip`` is 18 digits (birth date, month of
    appointment, sex, serial). ``nilai_skp``: ``baik`` 75%, ``sangat baik`` 17%,
    ``butuh perbaikan`` 6%, ``kurang`` 2%.
``realisasi``
    For every indicator whose formula is ``realisasi``: rows for every triwulan of every
    year up to ``through`` (2025-TW1 to 2026-TW3 by default; 2026-TW4 is not reported
    yet), ``kode_sub_kegiatan`` being the indicator's sub kegiatan. Indicators counting
    people (Orang, Jumlah, KPM, Keluarga, Orang/Bulan) get one row per kecamatan; where
    the sub kegiatan is in the service log the value is the number of distinct people
    it served in the kecamatan in the triwulan, else a small random count; kecamatan with
    nothing to report have no row. Indicators counting documents, reports or things
    (Dokumen, Laporan, Berita Acara, Paket, Unit, Lembaga, Kampung), and every indicator
    of the support programme (Penunjang Urusan, whose outputs are not per kecamatan,
    such as salaries in Orang/Bulan = staff × 3), get one kabupaten-level row per
    triwulan with an empty kecamatan and a small whole number: a document in the
    triwulan it is due, one to three reports, the number of Kampung Siaga Bencana
    trained. Indicators with targets get values near their triwulan target (else a
    quarter of the year's target; a range target counts by its middle).
``inputs``
    One row per year for every ``[[input]]`` and every indicator whose formula is
    ``input`` (under the indicator's id), with plausible values: Nilai AKIP 75-78, IKM
    80-85, PEKPPP 3.2-4.2 (KemenPAN-RB's 1-5 scale), the dimensions of the Indeks
    Kesejahteraan Sosial 52-60, Indeks Ketahanan Daerah 0.42-0.55 (× 100 when the
    indicator is in Persen), Rasio Gini about 0.30, Tingkat Kemiskinan about 9%, IPM
    about 66, Indeks Reformasi Birokrasi about 60, Indeks Risiko Bencana about 150, each
    drifting a little from year to year; inputs with targets lie near the target
    (the Indeks Kesejahteraan Sosial near 55.33 and 55.73).

The input left out: the last year's value of the **Indeks Kesejahteraan Sosial**
(IKU indicator ``iku-indeks-kesejahteraan-sosial``) is not written, because Kemensos has
not released it yet, so the engine shows why that IKU is not available for the last
year. :func:`missing_input` names it (falling back to the first ``[[input]]`` when the
definitions have no such indicator).
"""

from __future__ import annotations

import calendar
import functools
import math
import random
import re
import sqlite3
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from attrs import frozen

from iku_rules import ast
from iku_rules.ast import name_key
from iku_rules.errors import IkuError
from iku_rules.model import Definitions, Element, Indicator, Source, Target, Threshold
from iku_rules.periods import Period, PeriodError
from iku_rules.sources.reader import write_csv

__all__ = [
    "WORKBOOK",
    "Reference",
    "SampleError",
    "generate",
    "missing_input",
    "reference",
    "service_codes",
]

WORKBOOK = "sample-data.xlsx"
"""The workbook :func:`generate` writes next to the per-source files."""

REFERENCE_FILE = "sample_pandeglang.toml"

SERVICE_PROGRAMMES = ("1.06.02", "1.06.04", "1.06.05", "1.06.06")
"""Where the service log's sub kegiatan come from when no measure names any."""

PEOPLE_UNITS = frozenset({"orang", "jumlah", "kpm", "keluarga", "orang/bulan"})
"""Units of realisasi reported per kecamatan (they count people or families)."""

SERVED_PER_YEAR = 0.40
"""Share of the PMKS (not disaster victims) served at least once in a year."""
EXTRA_SERVICES = ((1, 66), (2, 20), (3, 10), (4, 4))
"""How many different sub kegiatan a served person gets in a year, with weights."""
ASSESSED = 0.60
"""Share of ``resos`` PMKS with an assessment."""
PSKS_TRAINED_PER_YEAR = 0.35
"""Share of the PSKS given capacity building in a year."""
RTM_PER_PERSON = 0.4
"""Households in register_rtm per person in register_pmks."""
PSKS_PER_PERSON = 0.1
"""PSKS in register_psks per person in register_pmks."""

SKP_RATINGS = (("sangat baik", 17), ("baik", 75), ("butuh perbaikan", 6), ("kurang", 2))
"""The yearly SKP ratings of the staff, with weights."""

_DOCUMENT_SIZES: Mapping[str, tuple[int, int]] = {
    "laporan": (1, 3),
    "berita acara": (0, 2),
    "paket": (0, 3),
    "unit": (1, 6),
    "lembaga": (1, 5),
    "kampung": (0, 3),
}
"""Range of the quarterly value of kabupaten-level realisasi, by unit (Dokumen: once a year)."""

_PEOPLE_MEANS: Mapping[str, float] = {
    "orang": 4.0,
    "jumlah": 3.0,
    "kpm": 30.0,
    "keluarga": 6.0,
    "orang/bulan": 10.0,
}
"""Mean quarterly value per kecamatan of people-counting realisasi not in the service log."""


class SampleError(IkuError):
    """Arguments :func:`generate` cannot work with."""


# ------------------------------------------------------------------ reference data


@frozen
class Kecamatan:
    """A kecamatan: its name, Kemendagri code (``360101``), population weight, desa."""

    name: str
    kode: str
    penduduk: int
    pesisir: bool
    desa: tuple[str, ...]


@frozen
class PmksCategory:
    """One of the 26 PMKS with its relative frequency, bidang, age range and share of women."""

    name: str
    bobot: float
    bidang: str
    usia: tuple[int, int]
    perempuan: float


@frozen
class PsksKind:
    """One of the 12 PSKS; ``pelatihan`` is a word naming its capacity-building sub kegiatan."""

    name: str
    bobot: float
    lembaga: bool
    pelatihan: str | None


@frozen
class Hazard:
    """A kind of disaster event: its victims' category, frequency, season and places
    (``None``: anywhere; ``("pesisir",)``: the coast)."""

    jenis: str
    kategori: str
    bobot: float
    bulan: tuple[int, ...]
    kecamatan: tuple[str, ...] | None


@frozen
class ReservedService:
    """Sub kegiatan whose name contains ``kata`` serve only these PMKS categories."""

    kata: str
    kategori: tuple[str, ...]


@frozen
class InputRule:
    """Plausible yearly values for inputs whose name contains one of ``kata``."""

    kata: tuple[str, ...]
    rentang: tuple[float, float]
    tren: float
    desimal: int
    skala_persen: float | None


@frozen
class Reference:
    """The reference data of ``sample_pandeglang.toml``."""

    kecamatan: tuple[Kecamatan, ...]
    pmks: tuple[PmksCategory, ...]
    psks: tuple[PsksKind, ...]
    bencana: tuple[Hazard, ...]
    layanan_khusus: tuple[ReservedService, ...]
    nilai_input: tuple[InputRule, ...]
    bidang: Mapping[str, tuple[str, ...]]
    pegawai: Mapping[str, float]
    hilang: tuple[str, ...]

    @property
    def kecamatan_names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.kecamatan)


@functools.cache
def reference() -> Reference:
    """The reference data shipped with the package (read once)."""
    text = resources.files("iku_rules").joinpath(REFERENCE_FILE).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return Reference(
        kecamatan=tuple(
            Kecamatan(
                name=item["name"],
                kode=item["kode"],
                penduduk=int(item["penduduk"]),
                pesisir=bool(item.get("pesisir", False)),
                desa=tuple(item["desa"]),
            )
            for item in data["kecamatan"]
        ),
        pmks=tuple(
            PmksCategory(
                name=item["name"],
                bobot=float(item["bobot"]),
                bidang=item.get("bidang", "resos"),
                usia=(int(item["usia"][0]), int(item["usia"][1])),
                perempuan=float(item.get("perempuan", 0.5)),
            )
            for item in data["pmks"]
        ),
        psks=tuple(
            PsksKind(
                name=item["name"],
                bobot=float(item["bobot"]),
                lembaga=bool(item.get("lembaga", False)),
                pelatihan=item.get("pelatihan"),
            )
            for item in data["psks"]
        ),
        bencana=tuple(
            Hazard(
                jenis=item["jenis"],
                kategori=item["kategori"],
                bobot=float(item["bobot"]),
                bulan=tuple(item["bulan"]),
                kecamatan=(
                    None
                    if "kecamatan" not in item
                    else (item["kecamatan"],)
                    if isinstance(item["kecamatan"], str)
                    else tuple(item["kecamatan"])
                ),
            )
            for item in data["bencana"]
        ),
        layanan_khusus=tuple(
            ReservedService(kata=item["kata"], kategori=tuple(item["kategori"]))
            for item in data["layanan_khusus"]
        ),
        nilai_input=tuple(
            InputRule(
                kata=tuple(item["kata"]),
                rentang=(float(item["rentang"][0]), float(item["rentang"][1])),
                tren=float(item.get("tren", 0.0)),
                desimal=int(item.get("desimal", 2)),
                skala_persen=(float(item["skala_persen"]) if "skala_persen" in item else None),
            )
            for item in data["nilai_input"]
        ),
        bidang={key: tuple(value) for key, value in data["bidang"].items()},
        pegawai={key: float(value) for key, value in data["pegawai"].items()},
        hilang=tuple(data["hilang"]["kata"]),
    )


# ------------------------------------------------------------------ reading the definitions


def _is_code_column(node: ast.Node) -> bool:
    return isinstance(node, ast.Name) and node.key == "kode_sub_kegiatan"


def service_codes(definitions: Definitions) -> tuple[str, ...]:
    """The sub kegiatan ids the definitions count services of, in order of first mention.

    They are the texts in ``kode_sub_kegiatan in ("...", ...)`` (or
    ``kode_sub_kegiatan = "..."``) conditions of the measures' filters and of inline
    filters in indicator formulas, kept when they are element ids. When there are
    none, every sub kegiatan under the programmes 1.06.02, 1.06.04, 1.06.05 and 1.06.06.
    """
    ids = {element.id for element in definitions.elements}
    found: list[str] = []
    formulas = [m.filter for m in definitions.measures if m.filter is not None]
    formulas += [i.formula for i in definitions.indicators if i.formula is not None]
    for formula in formulas:
        for node in ast.walk(formula.body):
            texts: list[ast.Node] = []
            if isinstance(node, ast.In) and not node.negated and _is_code_column(node.operand):
                texts = list(node.options)
            elif isinstance(node, ast.Compare) and node.op == "=":
                if _is_code_column(node.left):
                    texts = [node.right]
                elif _is_code_column(node.right):
                    texts = [node.left]
            for text in texts:
                if isinstance(text, ast.Text) and text.value in ids and text.value not in found:
                    found.append(text.value)
    if found:
        return tuple(found)
    return tuple(
        element.id
        for element in definitions.ordered()
        if element.level == "sub_kegiatan"
        and _programme(definitions, element.id) in SERVICE_PROGRAMMES
    )


def _programme_element(definitions: Definitions, element_id: str) -> Element | None:
    element = definitions.element(element_id)
    chain = ((element,) if element is not None else ()) + definitions.ancestors(element_id)
    return next((e for e in chain if e.level == "program"), None)


def _programme(definitions: Definitions, element_id: str) -> str | None:
    """The code of the programme an element belongs to (its ``kode``, else its id)."""
    programme = _programme_element(definitions, element_id)
    if programme is None:
        return None
    return programme.kode or programme.id


def input_names(definitions: Definitions) -> list[tuple[str, Indicator | None, str | None]]:
    """Every name the inputs table should hold: ``(name, indicator or None, unit)``."""
    seen: set[str] = set()
    names: list[tuple[str, Indicator | None, str | None]] = []
    for item in definitions.inputs:
        if item.key not in seen:
            seen.add(item.key)
            names.append((item.name, None, item.unit))
    for indicator in definitions.indicators:
        if indicator.formula_kind == "input" and name_key(indicator.id) not in seen:
            seen.add(name_key(indicator.id))
            names.append((indicator.id, indicator, indicator.unit))
    return names


def missing_input(definitions: Definitions) -> str | None:
    """The input :func:`generate` leaves out for the last year: the input indicator
    named like the Indeks Kesejahteraan Sosial (else like the Indeks Risiko Bencana),
    else the first ``[[input]]``, else the first input indicator; ``None`` when there
    are no inputs."""
    names = input_names(definitions)
    for word in reference().hilang:
        key = name_key(word)
        for exact in (True, False):
            for name, indicator, _ in names:
                label = name_key(indicator.name if indicator is not None else name)
                if (label == key) if exact else (key in label):
                    return name
    return names[0][0] if names else None


# ------------------------------------------------------------------ generation


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


class _Generator:
    """Draws every table in a fixed order from one random stream."""

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
                        if value > 0:
                            rows.append({**base, "kecamatan": kecamatan.name, "nilai": value})
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


def _cumulate(weights: Iterable[float]) -> Iterable[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


# ------------------------------------------------------------------ which rows each source gets

ROLES = (
    "register_pmks",
    "layanan",
    "register_rtm",
    "register_psks",
    "pegawai",
    "realisasi",
    "inputs",
)
"""The tables the generator knows, by the source id data.toml gives them."""

_SIGNATURES = (
    ("layanan", {"nik", "kode_sub_kegiatan"}),
    ("register_pmks", {"nik", "kategori"}),
    ("register_rtm", {"id_rtm"}),
    ("register_psks", {"id_psks"}),
    ("pegawai", {"nip"}),
    ("pegawai", {"nilai_skp"}),
)


def _role(source: Source) -> str | None:
    """Which generated table a source gets: by kind, id, else by its columns."""
    if source.kind in ("realisasi", "inputs"):
        return source.kind
    if source.id in ROLES:
        return source.id
    columns = {name_key(column) for column in source.columns}
    return next((role for role, needed in _SIGNATURES if needed <= columns), None)


# ------------------------------------------------------------------ the entry point


def generate(
    definitions: Definitions,
    out_dir: Path,
    *,
    people: int = 5000,
    seed: int = 2026,
    years: Sequence[int] = (2025, 2026),
    through: str = "2026-TW3",
) -> dict[str, int]:
    """Write one CSV per data source the definitions declare (at the source's `path`
    inside out_dir, with exactly its declared columns), plus `sample-data.xlsx` with one
    sheet per source (sheet = the source's table name or id), and return rows written
    per source id.

    ``people`` is the size of register_pmks (the other registers scale with it),
    ``seed`` the random seed, ``years`` the years to simulate and ``through`` the last
    triwulan with data (``2026-TW3``; a plain year means its TW4). Years after
    ``through`` are ignored. A source declared with format ``xlsx``, ``sqlite`` or
    ``duckdb`` is written in that format (a sheet or table named after it) instead of
    CSV. Raises :class:`SampleError` for arguments it cannot work with.
    """
    if people < 0:
        raise SampleError(f"people must be 0 or more, not {people}")
    try:
        period = Period.parse(through)
    except PeriodError as error:
        raise SampleError(str(error)) from None
    chosen = sorted({int(year) for year in years if int(year) <= period.year})
    if not chosen:
        raise SampleError(
            f"no year to simulate: the years {list(years)} all lie after through={through}"
        )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = _tables(definitions, people, seed, chosen, period)
    written: dict[str, int] = {}
    sheets: list[tuple[Source, list[Row]]] = []
    workbooks: dict[str, list[tuple[Source, list[Row]]]] = defaultdict(list)
    for source in definitions.sources:
        role = _role(source)
        rows = tables.get(role, []) if role else []
        written[source.id] = len(rows)
        sheets.append((source, rows))
        target = out_dir / source.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.format == "xlsx":
            workbooks[source.path].append((source, rows))
        elif source.format in ("sqlite", "duckdb"):
            _write_database(target, source, rows)
        else:
            write_csv(target, list(source.columns), rows)
    for path, contents in workbooks.items():
        _write_workbook(out_dir / path, contents)
    if sheets:
        _write_workbook(out_dir / WORKBOOK, sheets)
    return written


def _tables(
    definitions: Definitions, people: int, seed: int, years: Sequence[int], through: Period
) -> dict[str, list[Row]]:
    """Every table, drawn in a fixed order whatever the definitions declare."""
    generator = _Generator(definitions, people, seed, years, through)
    persons, pmks = generator.pmks()
    members = generator.psks()
    psks = [
        {
            "id_psks": nik,
            "kecamatan": generator.ref.kecamatan[kecamatan].name,
            "jenis": generator.ref.psks[kind].name,
            "tanggal_terdaftar": date.fromordinal(registered),
        }
        for nik, kecamatan, kind, registered in members
    ]
    rtm = generator.rtm()
    pegawai = generator.pegawai()
    generator.layanan(persons, members)
    realisasi = generator.realisasi()
    inputs = generator.inputs()
    return {
        "register_pmks": pmks,
        "layanan": generator.services,
        "register_rtm": rtm,
        "register_psks": psks,
        "pegawai": pegawai,
        "realisasi": realisasi,
        "inputs": inputs,
    }


# ------------------------------------------------------------------ writing


def _sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unused sheet name (31 characters at most, none of ``[]:*?/\\``)."""
    name = re.sub(r"[\[\]:*?/\\]", "_", wanted)[:31] or "sheet"
    candidate, number = name, 2
    while candidate.casefold() in taken:
        suffix = f"_{number}"
        candidate, number = name[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.casefold())
    return candidate


def _write_workbook(path: Path, contents: Sequence[tuple[Source, Sequence[Row]]]) -> None:
    """An .xlsx file with one sheet per source: bold frozen header, dates as date cells."""
    try:
        import openpyxl  # type: ignore[import-untyped, unused-ignore]
        from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped, unused-ignore]
        from openpyxl.styles import Font  # type: ignore[import-untyped, unused-ignore]
        from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]
    except ImportError as error:
        raise SampleError(
            "writing the sample workbook needs the Python package 'openpyxl' (pip install openpyxl)"
        ) from error
    workbook = openpyxl.Workbook(write_only=True)
    taken: set[str] = set()
    bold = Font(bold=True)
    for source, rows in contents:
        sheet = workbook.create_sheet(_sheet_name(source.table_name, taken))
        columns = list(source.columns)
        sheet.freeze_panes = "A2"
        for number, column in enumerate(columns, start=1):
            longest = max([len(column), *(len(_shown(row.get(column))) for row in rows[:200])])
            sheet.column_dimensions[get_column_letter(number)].width = min(60, longest + 2)
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(column) for column in columns])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def _shown(value: object) -> str:
    return "" if value is None else str(value)


_SQL_TYPES = {"text": "TEXT", "integer": "INTEGER", "decimal": "DOUBLE", "date": "DATE"}


def _write_database(path: Path, source: Source, rows: Sequence[Row]) -> None:
    """The source's table in an SQLite or DuckDB file (replaced if it exists)."""
    columns = list(source.columns)
    quoted = ", ".join(
        f'"{column}" {_SQL_TYPES.get(kind, "TEXT")}' for column, kind in source.columns.items()
    )
    table = '"' + source.table_name.replace('"', '""') + '"'
    values = [
        [
            value.isoformat()
            if isinstance(value, date) and source.format == "sqlite"
            else float(value)
            if isinstance(value, Decimal)
            else value
            for value in (row.get(column) for column in columns)
        ]
        for row in rows
    ]
    marks = ", ".join("?" for _ in columns)
    connection: Any
    if source.format == "duckdb":
        try:
            import duckdb
        except ImportError as error:
            raise SampleError(
                "writing a DuckDB source needs the Python package 'duckdb' (pip install duckdb)"
            ) from error
        connection = duckdb.connect(str(path))
    else:
        connection = sqlite3.connect(path)
    try:
        connection.execute(f"DROP TABLE IF EXISTS {table}")
        connection.execute(f"CREATE TABLE {table} ({quoted})")
        if values:
            connection.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
        connection.commit()
    finally:
        connection.close()
