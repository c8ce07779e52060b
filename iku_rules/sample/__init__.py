"""Realistic, deterministic sample data for a definitions folder.

Two generators stand behind :func:`generate`. Definitions whose ``[office]`` id is one the
reference data ``sample_pandeglang.toml`` is for (``offices``: the shipped Dinas Sosial
Kabupaten Pandeglang) get the detailed simulation described below. Any other folder gets
sample data derived from its own definitions alone — its sources and declared columns,
its filters' values, its targets and satuan, its declared regions — by
:mod:`iku_rules.sample.generic`, which says what it draws.

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

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from iku_rules.i18n import _, ngettext
from iku_rules.model import Definitions, Source
from iku_rules.periods import Period, PeriodError
from iku_rules.sample.generator import _Generator
from iku_rules.sample.generic import Progress, generic_tables
from iku_rules.sample.needs import missing_input, service_codes
from iku_rules.sample.reference_data import WORKBOOK, Reference, SampleError, reference
from iku_rules.sample.registers import Row
from iku_rules.sample.writers import _role, _write_database, _write_workbook
from iku_rules.sources.csv_file import write_csv

__all__ = [
    "WORKBOOK",
    "Progress",
    "Reference",
    "SampleError",
    "generate",
    "is_reference_office",
    "missing_input",
    "reference",
    "service_codes",
]


# ------------------------------------------------------------------ the entry point


def generate(
    definitions: Definitions,
    out_dir: Path,
    *,
    people: int = 5000,
    seed: int = 2026,
    years: Sequence[int] = (2025, 2026),
    through: str = "2026-TW3",
    progress: Progress | None = None,
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
    CSV. ``progress``, when given, is told now and then what is being drawn and
    written. Raises :class:`SampleError` for arguments it cannot work with.
    """
    if people < 0:
        raise SampleError(_("people must be 0 or more, not {people}").format(people=people))
    try:
        period = Period.parse(through)
    except PeriodError as error:
        raise SampleError(str(error)) from None
    chosen = sorted({int(year) for year in years if int(year) <= period.year})
    if not chosen:
        raise SampleError(
            _("no year to simulate: the years {years} all lie after through={through}").format(
                years=", ".join(str(year) for year in years), through=through
            )
        )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows_of: Callable[[Source], list[Row]]
    if is_reference_office(definitions):
        tables = _tables(definitions, people, seed, chosen, period)

        def rows_of(source: Source) -> list[Row]:
            role = _role(source)
            return tables.get(role, []) if role else []
    else:
        drawn = generic_tables(
            definitions, people=people, seed=seed, years=chosen, through=period, progress=progress
        )

        def rows_of(source: Source) -> list[Row]:
            return drawn.get(source.id, [])

    written: dict[str, int] = {}
    sheets: list[tuple[Source, list[Row]]] = []
    workbooks: dict[str, list[tuple[Source, list[Row]]]] = defaultdict(list)
    for source in definitions.sources:
        rows = rows_of(source)
        if progress is not None:
            progress(
                ngettext(
                    "writing {source}: {count} row", "writing {source}: {count} rows", len(rows)
                ).format(source=source.id, count=len(rows))
            )
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
        if progress is not None:
            progress(_("writing {file}").format(file=WORKBOOK))
        _write_workbook(out_dir / WORKBOOK, sheets)
    return written


def is_reference_office(definitions: Definitions) -> bool:
    """Whether ``definitions`` are an office the reference data is drawn for (by the
    ``[office]`` id), so that their sample data is the detailed simulation."""
    office = definitions.office
    return office is not None and office.id in reference().offices


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
