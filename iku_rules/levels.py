"""The levels of the cascade, Visi down to Sub Kegiatan: their names in TOML, how high each
stands, and the titles a report shows."""

from __future__ import annotations

LEVELS = ("visi", "misi", "tujuan", "sasaran", "program", "kegiatan", "sub_kegiatan")
"""The levels of the cascade, top to bottom, as the TOML tables are named."""


RANKS = {
    "visi": 0,
    "misi": 1,
    "tujuan/rpjmd": 2,
    "sasaran/rpjmd": 3,
    "tujuan/renstra": 4,
    "sasaran/renstra": 5,
    "program": 6,
    "kegiatan": 7,
    "sub_kegiatan": 8,
}
"""How high each level stands; ``tujuan`` and ``sasaran`` by their ``tingkat``."""


LEVEL_TITLES = {
    "visi": "Visi",
    "misi": "Misi",
    "tujuan/rpjmd": "Tujuan (RPJMD)",
    "sasaran/rpjmd": "Sasaran (RPJMD)",
    "tujuan/renstra": "Tujuan (Renstra)",
    "sasaran/renstra": "Sasaran (Renstra)",
    "program": "Program",
    "kegiatan": "Kegiatan",
    "sub_kegiatan": "Sub Kegiatan",
}
