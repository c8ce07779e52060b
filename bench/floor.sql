-- The benchmark's independent floor: the numbers of the shipped Pandeglang definitions
-- (definitions/dinsos-pandeglang/data.toml) written by hand in DuckDB SQL, as an analyst
-- would write them, with none of iku-rules' code. The files are queried in place.
--
-- Run it by hand in DuckDB's shell, from the folder holding this file:
--
--     SET VARIABLE data = 'sample-data';   -- the data folder
--     .read floor.sql
--
-- Every result statement returns rows of (period, kecamatan, name, value): kecamatan NULL
-- for the whole kabupaten; name "measure: <measure>", "realisasi: <indicator>",
-- "realisasi: <indicator>, <triwulan>" (what each triwulan reported) or "input: <name>".
-- A value that is not available (no rows for the region and period) is NULL or absent.
--
-- What the measures mean (README, "Semantics"):
-- * time = "state" (the registers of PMKS, RTM and PSKS): the rows registered on or before
--   the end of the period; time = "flow" (the service log, and the disaster victims'
--   measure over the PMKS register): the rows dated within the period;
-- * count_distinct counts the distinct non-NULL values of a column, a blank text (empty or
--   only white space) being NULL; a row it counts that leaves the column NULL makes the
--   count not available (NULL: macro known), as no measure here says missing = "skip" or
--   "count_each";
-- * empty = "not_available" (every measure here): a region and period without rows in the
--   measure's window has no value, while rows that pass no filter count 0;
-- * realisasi: Σ nilai over the period's triwulan, not available when a row has no nilai;
-- * inputs: the one value of a name for the period's year.
--
-- Sections: "-- job: setup" (macros and views), then the statements of each benchmark job:
-- "-- job: year" (2026, the kabupaten) and "-- job: triwulan" (2026-TW1 … TW4, the
-- kabupaten and every kecamatan, every triwulan in one pass over each file).

-- job: setup

-- A text cell as the engine reads it: NULL when empty or only white space (the characters
-- Python's str.strip removes), else as written.
CREATE OR REPLACE MACRO present(cell) AS
    CASE WHEN regexp_full_match(cell, '[\t\n\x0b\x0c\r\x1c-\x1f\x85\p{Z}]*') THEN NULL
        ELSE cell END;

-- The sources, typed as data.toml declares their columns.
CREATE OR REPLACE VIEW layanan AS
SELECT present(nik) AS nik, kode_sub_kegiatan, tanggal, present(kecamatan) AS kecamatan
FROM read_csv(getvariable('data') || '/layanan.csv', header = true, auto_detect = false,
    delim = ',', quote = '"', escape = '"',
    columns = {'nik': 'VARCHAR', 'kode_sub_kegiatan': 'VARCHAR', 'tanggal': 'DATE',
               'kecamatan': 'VARCHAR'});

CREATE OR REPLACE VIEW register_pmks AS
SELECT present(nik) AS nik, present(kecamatan) AS kecamatan, kategori, bidang, asesmen,
    tanggal_terdaftar
FROM read_csv(getvariable('data') || '/register_pmks.csv', header = true,
    auto_detect = false, delim = ',', quote = '"', escape = '"',
    columns = {'nik': 'VARCHAR', 'kecamatan': 'VARCHAR', 'desa': 'VARCHAR',
               'kategori': 'VARCHAR', 'bidang': 'VARCHAR', 'asesmen': 'VARCHAR',
               'tanggal_terdaftar': 'DATE'});

CREATE OR REPLACE VIEW register_rtm AS
SELECT present(id_rtm) AS id_rtm, present(kecamatan) AS kecamatan, bpjs_pbi, perlindungan,
    tanggal_terdaftar
FROM read_csv(getvariable('data') || '/register_rtm.csv', header = true,
    auto_detect = false, delim = ',', quote = '"', escape = '"',
    columns = {'id_rtm': 'VARCHAR', 'kecamatan': 'VARCHAR', 'desa': 'VARCHAR',
               'bpjs_pbi': 'VARCHAR', 'perlindungan': 'VARCHAR',
               'tanggal_terdaftar': 'DATE'});

CREATE OR REPLACE VIEW register_psks AS
SELECT present(id_psks) AS id_psks, present(kecamatan) AS kecamatan, tanggal_terdaftar
FROM read_csv(getvariable('data') || '/register_psks.csv', header = true,
    auto_detect = false, delim = ',', quote = '"', escape = '"',
    columns = {'id_psks': 'VARCHAR', 'kecamatan': 'VARCHAR', 'jenis': 'VARCHAR',
               'tanggal_terdaftar': 'DATE'});

CREATE OR REPLACE VIEW realisasi AS
SELECT indikator, periode, present(kecamatan) AS kecamatan, nilai
FROM read_csv(getvariable('data') || '/realisasi.csv', header = true, auto_detect = false,
    delim = ',', quote = '"', escape = '"',
    columns = {'kode_sub_kegiatan': 'VARCHAR', 'indikator': 'VARCHAR',
               'periode': 'VARCHAR', 'kecamatan': 'VARCHAR', 'nilai': 'DECIMAL(38, 6)'});

CREATE OR REPLACE VIEW inputs AS
SELECT nama, tahun, nilai
FROM read_csv(getvariable('data') || '/inputs.csv', header = true, auto_detect = false,
    delim = ',', quote = '"', escape = '"',
    columns = {'nama': 'VARCHAR', 'tahun': 'BIGINT', 'nilai': 'DECIMAL(38, 6)'});

-- A count of distinct people is known only when every row it counts names its person: a
-- row without a NIK (or id) cannot be told apart from the others.
CREATE OR REPLACE MACRO known(counted, without_key) AS
    CASE WHEN without_key = 0 THEN counted END;

-- The measures' filters over the service log, by sub kegiatan.
-- PMKS yang Tertangani: Program Rehabilitasi Sosial and Perlindungan dan Jaminan Sosial.
CREATE OR REPLACE MACRO tertangani(kode) AS kode IN (
    '1.06.04-bimbingan-fisik-mental-spiritual-sosial', '1.06.04.2.01.0003',
    '1.06.04-bimbingan-sosial-keluarga-pd-anak-lansia-gepeng',
    '1.06.04-layanan-data-pengaduan', '1.06.04-penelusuran-keluarga',
    '1.06.04-layanan-rujukan', '1.06.04-akses-layanan-pendidikan-kesehatan-dasar',
    '1.06.04-perbekalan-kesehatan', '1.06.04-bimbingan-sosial-keluarga-pmks-lainnya',
    '1.06.05-pemantauan-anak-terlantar', '1.06.05-pengelolaan-data-fakir-miskin',
    '1.06.05-bansos-kesejahteraan-keluarga',
    '1.06.05-bantuan-pengembangan-ekonomi-masyarakat');
-- PMKS Resos yang Terpenuhi Kebutuhan Dasarnya.
CREATE OR REPLACE MACRO resos_kebutuhan_dasar(kode) AS kode IN (
    '1.06.04.2.01.0003', '1.06.04-perbekalan-kesehatan',
    '1.06.04-akses-layanan-pendidikan-kesehatan-dasar',
    '1.06.04-bimbingan-sosial-keluarga-pd-anak-lansia-gepeng');
-- Korban Bencana … yang Terpenuhi Kebutuhan Dasarnya.
CREATE OR REPLACE MACRO korban_kebutuhan_dasar(kode) AS kode IN (
    '1.06.06-penyediaan-makanan', '1.06.06-penyediaan-sandang',
    '1.06.06-bantuan-langsung-uang-tunai-korban-bencana');
-- Masyarakat yang Diberdayakan untuk Kesiapsiagaan Bencana.
CREATE OR REPLACE MACRO siaga_bencana(kode) AS kode IN (
    '1.06.06-kampung-siaga-bencana', '1.06.06-taruna-siaga-bencana');
-- PSKS yang Mendapatkan Peningkatan Kapasitas.
CREATE OR REPLACE MACRO peningkatan_kapasitas(kode) AS kode IN (
    '1.06.02-peningkatan-kemampuan-psm', '1.06.02-peningkatan-kemampuan-tksk',
    '1.06.02-peningkatan-kemampuan-kelembagaan');
-- Populasi Korban Bencana …: the victims in the PMKS register.
CREATE OR REPLACE MACRO korban_bencana(kategori) AS kategori IN (
    'Korban Bencana Alam', 'Korban Bencana Sosial');

-- The triwulan of 2026, for the registers that are states (registered by each one's end).
CREATE OR REPLACE VIEW triwulan_2026 AS
SELECT * FROM (VALUES
    ('2026-TW1', DATE '2026-01-01', DATE '2026-03-31'),
    ('2026-TW2', DATE '2026-04-01', DATE '2026-06-30'),
    ('2026-TW3', DATE '2026-07-01', DATE '2026-09-30'),
    ('2026-TW4', DATE '2026-10-01', DATE '2026-12-31')
) AS triwulan(period, period_start, period_end);

-- job: year

-- The service log (flow): services delivered in 2026.
UNPIVOT (
    SELECT '2026' AS period, NULL::VARCHAR AS kecamatan,
        known(count(DISTINCT nik) FILTER (WHERE tertangani(kode_sub_kegiatan)),
            count(*) FILTER (WHERE (tertangani(kode_sub_kegiatan)) AND nik IS NULL))
            AS "measure: PMKS yang Tertangani",
        known(count(DISTINCT nik) FILTER (WHERE resos_kebutuhan_dasar(kode_sub_kegiatan)),
            count(*) FILTER (WHERE (resos_kebutuhan_dasar(kode_sub_kegiatan)) AND nik IS NULL))
            AS "measure: PMKS Resos yang Terpenuhi Kebutuhan Dasarnya",
        known(count(DISTINCT nik) FILTER (WHERE korban_kebutuhan_dasar(kode_sub_kegiatan)),
            count(*) FILTER (WHERE (korban_kebutuhan_dasar(kode_sub_kegiatan)) AND nik IS NULL))
            AS "measure: Korban Bencana Alam, Sosial dan/atau Non Alam yang Terpenuhi Kebutuhan Dasarnya",
        known(count(DISTINCT nik) FILTER (
                WHERE kode_sub_kegiatan = '1.06.06-bantuan-langsung-uang-tunai-korban-bencana'),
            count(*) FILTER (
                WHERE kode_sub_kegiatan = '1.06.06-bantuan-langsung-uang-tunai-korban-bencana'
                    AND nik IS NULL))
            AS "measure: Korban Bencana yang Mendapatkan Bantuan Langsung Tunai",
        known(count(DISTINCT nik) FILTER (WHERE siaga_bencana(kode_sub_kegiatan)),
            count(*) FILTER (WHERE (siaga_bencana(kode_sub_kegiatan)) AND nik IS NULL))
            AS "measure: Masyarakat yang Diberdayakan untuk Kesiapsiagaan Bencana",
        known(count(DISTINCT nik) FILTER (WHERE peningkatan_kapasitas(kode_sub_kegiatan)),
            count(*) FILTER (WHERE (peningkatan_kapasitas(kode_sub_kegiatan)) AND nik IS NULL))
            AS "measure: PSKS yang Mendapatkan Peningkatan Kapasitas"
    FROM layanan
    WHERE tanggal BETWEEN DATE '2026-01-01' AND DATE '2026-12-31'
    HAVING count(*) > 0
) ON COLUMNS('^measure: ') INTO NAME name VALUE value;

-- The PMKS register: registered by the end of 2026 (state); the disaster victims
-- registered within 2026 (flow).
UNPIVOT (
    SELECT '2026' AS period, NULL::VARCHAR AS kecamatan,
        known(count(DISTINCT nik), count(*) FILTER (WHERE nik IS NULL)) AS "measure: PMKS",
        known(count(DISTINCT nik) FILTER (WHERE bidang = 'resos'),
            count(*) FILTER (WHERE (bidang = 'resos') AND nik IS NULL)) AS "measure: PMKS Resos",
        known(count(DISTINCT nik) FILTER (WHERE bidang = 'resos' AND asesmen = 'ya'),
            count(*) FILTER (WHERE (bidang = 'resos' AND asesmen = 'ya') AND nik IS NULL))
            AS "measure: PMKS Resos yang Diberikan Asesmen",
        CASE WHEN count(*) FILTER (WHERE tanggal_terdaftar >= DATE '2026-01-01') > 0 THEN
            known(count(DISTINCT nik) FILTER (
                    WHERE tanggal_terdaftar >= DATE '2026-01-01' AND korban_bencana(kategori)),
                count(*) FILTER (
                    WHERE tanggal_terdaftar >= DATE '2026-01-01' AND korban_bencana(kategori)
                        AND nik IS NULL))
        END AS "measure: Populasi Korban Bencana Alam, Sosial dan/atau Non Alam"
    FROM register_pmks
    WHERE tanggal_terdaftar <= DATE '2026-12-31'
    HAVING count(*) > 0
) ON COLUMNS('^measure: ') INTO NAME name VALUE value;

-- The RTM register (state).
UNPIVOT (
    SELECT '2026' AS period, NULL::VARCHAR AS kecamatan,
        known(count(DISTINCT id_rtm), count(*) FILTER (WHERE id_rtm IS NULL)) AS "measure: RTM",
        known(count(DISTINCT id_rtm) FILTER (WHERE bpjs_pbi = 'ya'),
            count(*) FILTER (WHERE (bpjs_pbi = 'ya') AND id_rtm IS NULL))
            AS "measure: RTM yang Memiliki BPJS PBI",
        known(count(DISTINCT id_rtm) FILTER (WHERE perlindungan = 'ya'),
            count(*) FILTER (WHERE (perlindungan = 'ya') AND id_rtm IS NULL))
            AS "measure: RTM yang Mendapatkan Perlindungan dan Jaminan Sosial"
    FROM register_rtm
    WHERE tanggal_terdaftar <= DATE '2026-12-31'
    HAVING count(*) > 0
) ON COLUMNS('^measure: ') INTO NAME name VALUE value;

-- The PSKS register (state).
SELECT '2026' AS period, NULL::VARCHAR AS kecamatan, 'measure: PSKS' AS name,
    known(count(DISTINCT id_psks), count(*) FILTER (WHERE id_psks IS NULL)) AS value
FROM register_psks
WHERE tanggal_terdaftar <= DATE '2026-12-31'
HAVING count(*) > 0;

-- Realisasi: Σ nilai per indicator over the year's four triwulan, and per triwulan.
SELECT '2026' AS period, NULL::VARCHAR AS kecamatan,
    'realisasi: ' || indikator || CASE WHEN grouping(periode) = 0 THEN ', ' || periode ELSE '' END
        AS name,
    CASE
        WHEN grouping(periode) = 0 THEN sum(nilai)
        WHEN count(nilai) = count(*) THEN sum(nilai)
    END AS value
FROM realisasi
WHERE periode IN ('2026-TW1', '2026-TW2', '2026-TW3', '2026-TW4')
GROUP BY GROUPING SETS ((indikator), (indikator, periode));

-- Inputs: the value of each name for 2026 (none when it is given twice or left empty).
SELECT '2026' AS period, NULL::VARCHAR AS kecamatan, 'input: ' || nama AS name,
    CASE WHEN count(*) = 1 THEN min(nilai) END AS value
FROM inputs
WHERE tahun = 2026
GROUP BY nama;

-- job: triwulan

-- Every count here is of distinct people (or households, or PSKS), so each statement first
-- makes one row per person and place (the kabupaten, where a person's kecamatan does not
-- matter, and each kecamatan) with a flag or date per measure, then counts those rows per
-- triwulan: a two-level form that holds one small hash table per grouping instead of one
-- per distinct aggregate and grouping set.

-- The service log (flow): each service in its triwulan of 2026, one pass.
UNPIVOT (
    SELECT '2026-TW' || q AS period, kecamatan,
        known(count(nik) FILTER (WHERE tertangani),
            count(*) FILTER (WHERE tertangani AND nik IS NULL)) AS "measure: PMKS yang Tertangani",
        known(count(nik) FILTER (WHERE resos_dasar),
            count(*) FILTER (WHERE resos_dasar AND nik IS NULL))
            AS "measure: PMKS Resos yang Terpenuhi Kebutuhan Dasarnya",
        known(count(nik) FILTER (WHERE korban_dasar),
            count(*) FILTER (WHERE korban_dasar AND nik IS NULL))
            AS "measure: Korban Bencana Alam, Sosial dan/atau Non Alam yang Terpenuhi Kebutuhan Dasarnya",
        known(count(nik) FILTER (WHERE blt),
            count(*) FILTER (WHERE blt AND nik IS NULL))
            AS "measure: Korban Bencana yang Mendapatkan Bantuan Langsung Tunai",
        known(count(nik) FILTER (WHERE siaga),
            count(*) FILTER (WHERE siaga AND nik IS NULL))
            AS "measure: Masyarakat yang Diberdayakan untuk Kesiapsiagaan Bencana",
        known(count(nik) FILTER (WHERE kapasitas),
            count(*) FILTER (WHERE kapasitas AND nik IS NULL))
            AS "measure: PSKS yang Mendapatkan Peningkatan Kapasitas"
    FROM (
        SELECT quarter(tanggal) AS q, kecamatan, nik, grouping(kecamatan) AS whole,
            bool_or(tertangani(kode_sub_kegiatan)) AS tertangani,
            bool_or(resos_kebutuhan_dasar(kode_sub_kegiatan)) AS resos_dasar,
            bool_or(korban_kebutuhan_dasar(kode_sub_kegiatan)) AS korban_dasar,
            bool_or(kode_sub_kegiatan = '1.06.06-bantuan-langsung-uang-tunai-korban-bencana')
                AS blt,
            bool_or(siaga_bencana(kode_sub_kegiatan)) AS siaga,
            bool_or(peningkatan_kapasitas(kode_sub_kegiatan)) AS kapasitas
        FROM layanan
        WHERE tanggal BETWEEN DATE '2026-01-01' AND DATE '2026-12-31'
        GROUP BY GROUPING SETS ((q, nik), (q, kecamatan, nik))
        HAVING grouping(kecamatan) = 1 OR kecamatan IS NOT NULL
    )
    GROUP BY q, whole, kecamatan
) ON COLUMNS('^measure: ') INTO NAME name VALUE value;

-- The PMKS register (state): each person from the first date they were registered (for
-- each measure's filter), counted in every triwulan that ends on or after it.
UNPIVOT (
    SELECT period, kecamatan,
        known(count(nik) FILTER (WHERE since <= period_end),
            count(*) FILTER (WHERE since <= period_end AND nik IS NULL)) AS "measure: PMKS",
        known(count(nik) FILTER (WHERE resos_since <= period_end),
            count(*) FILTER (WHERE resos_since <= period_end AND nik IS NULL))
            AS "measure: PMKS Resos",
        known(count(nik) FILTER (WHERE asesmen_since <= period_end),
            count(*) FILTER (WHERE asesmen_since <= period_end AND nik IS NULL))
            AS "measure: PMKS Resos yang Diberikan Asesmen"
    FROM (
        SELECT kecamatan, nik, grouping(kecamatan) AS whole,
            min(tanggal_terdaftar) AS since,
            min(tanggal_terdaftar) FILTER (WHERE bidang = 'resos') AS resos_since,
            min(tanggal_terdaftar) FILTER (WHERE bidang = 'resos' AND asesmen = 'ya')
                AS asesmen_since
        FROM register_pmks
        WHERE tanggal_terdaftar <= DATE '2026-12-31'
        GROUP BY GROUPING SETS ((nik), (kecamatan, nik))
        HAVING grouping(kecamatan) = 1 OR kecamatan IS NOT NULL
    ) JOIN triwulan_2026 ON since <= period_end
    GROUP BY period, whole, kecamatan
) ON COLUMNS('^measure: ') INTO NAME name VALUE value;

-- The disaster victims in the PMKS register (flow): registered within the triwulan; none
-- for a triwulan in which nobody was registered.
SELECT '2026-TW' || q AS period, kecamatan,
    'measure: Populasi Korban Bencana Alam, Sosial dan/atau Non Alam' AS name,
    known(count(nik) FILTER (WHERE korban),
            count(*) FILTER (WHERE korban AND nik IS NULL)) AS value
FROM (
    SELECT quarter(tanggal_terdaftar) AS q, kecamatan, nik, grouping(kecamatan) AS whole,
        bool_or(korban_bencana(kategori)) AS korban
    FROM register_pmks
    WHERE tanggal_terdaftar BETWEEN DATE '2026-01-01' AND DATE '2026-12-31'
    GROUP BY GROUPING SETS ((q, nik), (q, kecamatan, nik))
    HAVING grouping(kecamatan) = 1 OR kecamatan IS NOT NULL
)
GROUP BY q, whole, kecamatan;

-- The RTM register (state).
UNPIVOT (
    SELECT period, kecamatan,
        known(count(id_rtm) FILTER (WHERE since <= period_end),
            count(*) FILTER (WHERE since <= period_end AND id_rtm IS NULL)) AS "measure: RTM",
        known(count(id_rtm) FILTER (WHERE pbi_since <= period_end),
            count(*) FILTER (WHERE pbi_since <= period_end AND id_rtm IS NULL))
            AS "measure: RTM yang Memiliki BPJS PBI",
        known(count(id_rtm) FILTER (WHERE perlindungan_since <= period_end),
            count(*) FILTER (WHERE perlindungan_since <= period_end AND id_rtm IS NULL))
            AS "measure: RTM yang Mendapatkan Perlindungan dan Jaminan Sosial"
    FROM (
        SELECT kecamatan, id_rtm, grouping(kecamatan) AS whole,
            min(tanggal_terdaftar) AS since,
            min(tanggal_terdaftar) FILTER (WHERE bpjs_pbi = 'ya') AS pbi_since,
            min(tanggal_terdaftar) FILTER (WHERE perlindungan = 'ya') AS perlindungan_since
        FROM register_rtm
        WHERE tanggal_terdaftar <= DATE '2026-12-31'
        GROUP BY GROUPING SETS ((id_rtm), (kecamatan, id_rtm))
        HAVING grouping(kecamatan) = 1 OR kecamatan IS NOT NULL
    ) JOIN triwulan_2026 ON since <= period_end
    GROUP BY period, whole, kecamatan
) ON COLUMNS('^measure: ') INTO NAME name VALUE value;

-- The PSKS register (state).
SELECT period, kecamatan, 'measure: PSKS' AS name,
    known(count(id_psks), count(*) FILTER (WHERE id_psks IS NULL)) AS value
FROM (
    SELECT kecamatan, id_psks, grouping(kecamatan) AS whole, min(tanggal_terdaftar) AS since
    FROM register_psks
    WHERE tanggal_terdaftar <= DATE '2026-12-31'
    GROUP BY GROUPING SETS ((id_psks), (kecamatan, id_psks))
    HAVING grouping(kecamatan) = 1 OR kecamatan IS NOT NULL
) JOIN triwulan_2026 ON since <= period_end
GROUP BY period, whole, kecamatan;

-- Realisasi: Σ nilai per indicator and triwulan, the kabupaten (every row, those without a
-- kecamatan too) and each kecamatan; a triwulan's total and what it reported.
WITH summed AS (
    SELECT periode, kecamatan, indikator,
        CASE WHEN count(nilai) = count(*) THEN sum(nilai) END AS total,
        sum(nilai) AS reported
    FROM realisasi
    WHERE periode IN ('2026-TW1', '2026-TW2', '2026-TW3', '2026-TW4')
    GROUP BY GROUPING SETS ((periode, indikator), (periode, indikator, kecamatan))
    HAVING grouping(kecamatan) = 1 OR kecamatan IS NOT NULL
)
SELECT periode AS period, kecamatan, 'realisasi: ' || indikator AS name, total AS value
FROM summed
UNION ALL
SELECT periode, kecamatan, 'realisasi: ' || indikator || ', ' || periode, reported
FROM summed;

-- Inputs: given for the year, so the same for each triwulan (the kabupaten only).
SELECT period, NULL::VARCHAR AS kecamatan, 'input: ' || nama AS name,
    CASE WHEN count(*) = 1 THEN min(nilai) END AS value
FROM inputs, triwulan_2026
WHERE tahun = 2026
GROUP BY period, nama;
