"""pandas as the second reference: the numbers of the shipped Pandeglang definitions
written by hand with pandas, measure by measure, with none of iku-rules' code.

The same numbers as ``floor.sql`` (see there for what each measure means), in the shape of
:mod:`values`. Each file is read once, only the columns used, text as written (a blank
cell, empty or only white space, is missing; ``NA`` or ``null`` are texts like any other).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from values import Values

YEAR = 2026
TRIWULAN = {
    f"{YEAR}-TW{quarter}": (date(YEAR, 3 * quarter - 2, 1), end)
    for quarter, end in (
        (1, date(YEAR, 3, 31)),
        (2, date(YEAR, 6, 30)),
        (3, date(YEAR, 9, 30)),
        (4, date(YEAR, 12, 31)),
    )
}
"""Each triwulan of 2026: its first and last day."""

# The measures' filters over the service log, by sub kegiatan (data.toml).
TERTANGANI = (
    "1.06.04-bimbingan-fisik-mental-spiritual-sosial", "1.06.04.2.01.0003",
    "1.06.04-bimbingan-sosial-keluarga-pd-anak-lansia-gepeng",
    "1.06.04-layanan-data-pengaduan", "1.06.04-penelusuran-keluarga",
    "1.06.04-layanan-rujukan", "1.06.04-akses-layanan-pendidikan-kesehatan-dasar",
    "1.06.04-perbekalan-kesehatan", "1.06.04-bimbingan-sosial-keluarga-pmks-lainnya",
    "1.06.05-pemantauan-anak-terlantar", "1.06.05-pengelolaan-data-fakir-miskin",
    "1.06.05-bansos-kesejahteraan-keluarga",
    "1.06.05-bantuan-pengembangan-ekonomi-masyarakat",
)  # fmt: skip
RESOS_KEBUTUHAN_DASAR = (
    "1.06.04.2.01.0003", "1.06.04-perbekalan-kesehatan",
    "1.06.04-akses-layanan-pendidikan-kesehatan-dasar",
    "1.06.04-bimbingan-sosial-keluarga-pd-anak-lansia-gepeng",
)  # fmt: skip
KORBAN_KEBUTUHAN_DASAR = (
    "1.06.06-penyediaan-makanan", "1.06.06-penyediaan-sandang",
    "1.06.06-bantuan-langsung-uang-tunai-korban-bencana",
)  # fmt: skip
BLT = ("1.06.06-bantuan-langsung-uang-tunai-korban-bencana",)
SIAGA_BENCANA = ("1.06.06-kampung-siaga-bencana", "1.06.06-taruna-siaga-bencana")
PENINGKATAN_KAPASITAS = (
    "1.06.02-peningkatan-kemampuan-psm", "1.06.02-peningkatan-kemampuan-tksk",
    "1.06.02-peningkatan-kemampuan-kelembagaan",
)  # fmt: skip
KORBAN_BENCANA = ("Korban Bencana Alam", "Korban Bencana Sosial")

Frame = Any  # pandas.DataFrame (pandas ships no type information)
Masks = Mapping[str, Callable[[Frame], Any]]
"""Each measure's name and which rows it counts (a boolean Series of the frame)."""

SERVICES: Masks = {
    "PMKS yang Tertangani": lambda f: f["kode_sub_kegiatan"].isin(TERTANGANI),
    "PMKS Resos yang Terpenuhi Kebutuhan Dasarnya": lambda f: f["kode_sub_kegiatan"].isin(
        RESOS_KEBUTUHAN_DASAR
    ),
    "Korban Bencana Alam, Sosial dan/atau Non Alam yang Terpenuhi Kebutuhan Dasarnya": (
        lambda f: f["kode_sub_kegiatan"].isin(KORBAN_KEBUTUHAN_DASAR)
    ),
    "Korban Bencana yang Mendapatkan Bantuan Langsung Tunai": lambda f: f["kode_sub_kegiatan"].isin(
        BLT
    ),
    "Masyarakat yang Diberdayakan untuk Kesiapsiagaan Bencana": lambda f: f[
        "kode_sub_kegiatan"
    ].isin(SIAGA_BENCANA),
    "PSKS yang Mendapatkan Peningkatan Kapasitas": lambda f: f["kode_sub_kegiatan"].isin(
        PENINGKATAN_KAPASITAS
    ),
}
"""The service log (flow: the services of the period), counting distinct nik."""
PMKS: Masks = {
    "PMKS": lambda f: pd.Series(True, index=f.index),
    "PMKS Resos": lambda f: f["bidang"] == "resos",
    "PMKS Resos yang Diberikan Asesmen": lambda f: (
        (f["bidang"] == "resos") & (f["asesmen"] == "ya")
    ),
}
"""The PMKS register (state: registered by the period's end), counting distinct nik."""
VICTIMS: Masks = {
    "Populasi Korban Bencana Alam, Sosial dan/atau Non Alam": lambda f: f["kategori"].isin(
        KORBAN_BENCANA
    ),
}
"""The PMKS register again, as a flow: those registered within the period."""
RTM: Masks = {
    "RTM": lambda f: pd.Series(True, index=f.index),
    "RTM yang Memiliki BPJS PBI": lambda f: f["bpjs_pbi"] == "ya",
    "RTM yang Mendapatkan Perlindungan dan Jaminan Sosial": lambda f: f["perlindungan"] == "ya",
}
"""The RTM register (state), counting distinct id_rtm."""
PSKS: Masks = {"PSKS": lambda f: pd.Series(True, index=f.index)}
"""The PSKS register (state), counting distinct id_psks."""


def present(column: Any) -> Any:
    """Blank text (empty, or only what ``str.strip`` removes) as missing."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        blank = [value for value in column.cat.categories if not value.strip()]
        return column.cat.remove_categories(blank) if blank else column
    return column.where(column.str.strip() != "")


def read(path: Path, texts: Mapping[str, str], dates: tuple[str, ...] = ()) -> Frame:
    """The columns named (texts as ``str`` or ``category``, dates as dates) of a CSV file."""
    frame = pd.read_csv(
        path,
        usecols=[*texts, *dates],
        dtype=dict(texts),
        parse_dates=list(dates),
        date_format="%Y-%m-%d",
        keep_default_na=False,
        na_values=[""],
    )
    for column in texts:
        frame[column] = present(frame[column])
    return frame


def tally(values: Values, rows: Frame, column: str, measures: Masks, by_kecamatan: bool) -> None:
    """Each measure's distinct ``column`` among ``rows`` (every row of which is in the
    period of its ``period`` column), for every period and, when asked, kecamatan they
    have rows in: a group with rows counts 0 where none passes the filter, and has no
    value where a row passing it leaves ``column`` empty (it cannot be told apart)."""
    keys = [["period"], ["period", "kecamatan"]] if by_kecamatan else [["period"]]
    for grouping in keys:
        windows = rows.groupby(grouping, observed=True).size().index
        for name, mask in measures.items():
            passed = rows.loc[mask(rows)]
            grouped = passed.assign(without=passed[column].isna()).groupby(grouping, observed=True)
            counted = grouped[column].nunique().reindex(windows, fill_value=0)
            without = grouped["without"].sum().reindex(windows, fill_value=0)
            for group, count in counted.items():
                period, region = group if isinstance(group, tuple) else (group, None)
                known = Decimal(int(count)) if not without[group] else None
                values[(str(period), region, f"measure: {name}")] = known


def in_periods(
    frame: Frame, column: str, periods: Mapping[str, tuple[date, date]], flow: bool
) -> Frame:
    """The rows of each period, labelled in a ``period`` column: dated within it (flow)
    or on or before its end (state); a row of a state is in every period from its own on."""
    parts = []
    for label, (start, end) in periods.items():
        dated = frame[column]
        chosen = dated <= pd.Timestamp(end)
        if flow:
            chosen &= dated >= pd.Timestamp(start)
        parts.append(frame.loc[chosen].assign(period=label))
    return pd.concat(parts, ignore_index=True)


def run(data: Path, job: str) -> Values:
    """Every value of ``job``: ``year`` (2026, the kabupaten) or ``triwulan`` (2026-TW1 …
    TW4, the kabupaten and each kecamatan)."""
    by_kecamatan = job == "triwulan"
    periods = TRIWULAN if by_kecamatan else {str(YEAR): (date(YEAR, 1, 1), date(YEAR, 12, 31))}
    values: Values = {}

    services = read(
        data / "layanan.csv",
        {"nik": "str", "kode_sub_kegiatan": "category", "kecamatan": "category"},
        ("tanggal",),
    )
    if by_kecamatan:  # every triwulan in one pass: the services of 2026 by their quarter
        services = services.loc[services["tanggal"].dt.year == YEAR]
        services = services.assign(period=f"{YEAR}-TW" + services["tanggal"].dt.quarter.astype(str))
    else:
        services = in_periods(services, "tanggal", periods, flow=True)
    tally(values, services, "nik", SERVICES, by_kecamatan)

    pmks = read(
        data / "register_pmks.csv",
        {"nik": "str", "kecamatan": "category", "kategori": "category", "bidang": "category",
         "asesmen": "category"},
        ("tanggal_terdaftar",),
    )  # fmt: skip
    tally(values, in_periods(pmks, "tanggal_terdaftar", periods, False), "nik", PMKS, by_kecamatan)
    victims = in_periods(pmks, "tanggal_terdaftar", periods, flow=True)
    tally(values, victims, "nik", VICTIMS, by_kecamatan)

    rtm = read(
        data / "register_rtm.csv",
        {"id_rtm": "str", "kecamatan": "category", "bpjs_pbi": "category",
         "perlindungan": "category"},
        ("tanggal_terdaftar",),
    )  # fmt: skip
    tally(values, in_periods(rtm, "tanggal_terdaftar", periods, False), "id_rtm", RTM, by_kecamatan)

    psks = read(
        data / "register_psks.csv",
        {"id_psks": "str", "kecamatan": "category"},
        ("tanggal_terdaftar",),
    )
    tally(
        values, in_periods(psks, "tanggal_terdaftar", periods, False), "id_psks", PSKS, by_kecamatan
    )

    realisasi = read(
        data / "realisasi.csv",
        {"indikator": "str", "periode": "str", "kecamatan": "str", "nilai": "str"},
    )
    summed_realisasi(values, realisasi, periods, by_kecamatan)

    inputs = pd.read_csv(
        data / "inputs.csv",
        dtype={"nama": "str", "tahun": "Int64", "nilai": "str"},
        keep_default_na=False,
        na_values=[""],
    )
    inputs["nilai"] = present(inputs["nilai"])
    for name, rows in inputs.loc[(inputs["tahun"] == YEAR).fillna(False)].groupby("nama"):
        text = rows["nilai"].iloc[0] if len(rows) == 1 else None  # given twice: none
        value = None if text is None or pd.isna(text) else Decimal(str(text))
        for period in periods:
            values[(period, None, f"input: {name}")] = value
    return values


def summed_realisasi(
    values: Values, realisasi: Frame, periods: Mapping[str, tuple[date, date]], by_kecamatan: bool
) -> None:
    """Σ nilai per indicator over each period's triwulan (not available when a row has no
    nilai), and what each triwulan reported; exact decimals."""
    rows = realisasi.loc[realisasi["periode"].isin(list(TRIWULAN))]
    rows = rows.assign(
        nilai=[None if pd.isna(text) else Decimal(text.strip()) for text in rows["nilai"]],
        period=rows["periode"] if by_kecamatan else next(iter(periods)),
    )
    places = [[], ["kecamatan"]] if by_kecamatan else [[]]
    for place in places:
        for detail in ([], ["periode"]):
            grouped = rows.groupby(["period", *place, "indikator", *detail])["nilai"]
            summed = grouped.agg(
                rows="size", present="count", total=lambda s: sum(s.dropna(), Decimal(0))
            )
            for group, row in summed.iterrows():
                period, *rest = group
                region = rest.pop(0) if place else None
                indikator = rest.pop(0)
                if detail:
                    name = f"realisasi: {indikator}, {rest[0]}"
                    value = row["total"] if row["present"] else None
                else:
                    name = f"realisasi: {indikator}"
                    value = row["total"] if row["present"] == row["rows"] else None
                values[(period, region, name)] = value
