"""The reference data sample data is drawn from (kecamatan, PMKS categories, PSKS kinds,
hazards, reserved services, input rules), read from ``sample_pandeglang.toml``."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from importlib import resources

from attrs import frozen

from iku_rules.errors import IkuError

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


SKP_RATINGS = (  # i18n: not for planners (values in the data)
    ("sangat baik", 17),
    ("baik", 75),
    ("butuh perbaikan", 6),
    ("kurang", 2),
)
"""The yearly SKP ratings of the staff, with weights."""


_DOCUMENT_SIZES: Mapping[str, tuple[int, int]] = {
    "laporan": (1, 3),
    "berita acara": (0, 2),  # i18n: not for planners (a value in the data)
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
    offices: tuple[str, ...] = ()
    """The ``[office]`` ids of the definitions this reference data is drawn for."""

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
        offices=tuple(data.get("offices", ())),
    )
