"""The report's charts as a browser draws them (headless Chromium through Selenium, skipped
where either is missing, as in tests/test_report_browser.py): every text of a chart lies
inside it, so no axis label of a large amount is cut at the chart's edge."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import add_row, edit, office

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.report import build_report, write_report

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SUB_KEGIATAN = 'name = "Penyediaan Permakanan"\nparent = "1.06.04.2.01"\n'
INDICATOR = """
  [[sub_kegiatan.indikator]]
  id = "pad"
  name = "Pendapatan asli daerah"
  unit = "Rupiah"
  iku = true
  formula = "realisasi"
  targets = { 2025 = "2400000000000", 2026 = "2500000000000" }
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    absent = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        absent.append("the Python package selenium")
    if absent:
        if os.environ.get("CI"):
            pytest.fail(f"the browser test must run in CI, but {', '.join(absent)} is missing")
        pytest.skip(f"{', '.join(absent)} not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--window-size=1400,1000"):  # fmt: skip
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_text_of_a_chart_of_large_amounts_lies_inside_it(
    browser: Any, tmp_path: Path, language: str
) -> None:
    # PAD (Pendapatan Asli Daerah) in Rupiah: 2025 2.350.000.000.000, 2026
    # 2.100.000.000.000 against targets of 2.400.000.000.000 and 2.500.000.000.000. The axis
    # runs 1.800.000.000.000 to 2.600.000.000.000 in steps of 200.000.000.000: labels of 17
    # characters, about 110 px wide at 12 px, written to end 58 px from the chart's left
    # edge, so that their first digits were cut (2.600.000.000.000 read as 00.000.000.000).
    folder = office(tmp_path)
    edit(folder, SUB_KEGIATAN, SUB_KEGIATAN + INDICATOR)
    edit(folder, 'units = ["Persen",', 'units = ["Rupiah", "Persen",')
    add_row(folder, "realisasi.csv", "1.06.04.2.01.0001,pad,2025-TW1,Labuan,2350000000000")
    add_row(folder, "realisasi.csv", "1.06.04.2.01.0001,pad,2026-TW1,Labuan,2100000000000")
    path = tmp_path / "laporan.html"
    with use_language(language):
        write_report(build_report(Engine(folder, folder), "2026"), path, "html", replace=False)
    browser.get(path.as_uri())
    found = browser.execute_script(
        """
        const out = [];
        for (const figure of document.querySelectorAll('figure')) {
          if (!figure.querySelector('figcaption').textContent.startsWith('Pendapatan')) continue;
          const svg = figure.querySelector('svg.chart');
          const box = svg.getBoundingClientRect();
          const scale = 600 / box.width;  // the chart's own units (its viewBox is 600 wide)
          for (const text of svg.querySelectorAll('text')) {
            const r = text.getBoundingClientRect();
            out.push([text.textContent, (r.left - box.left) * scale,
                      (r.right - box.left) * scale, text.getAttribute('text-anchor')]);
          }
        }
        return out;
        """
    )
    labels = [(text, left) for text, left, _right, anchor in found if anchor == "end"]
    assert len(labels) == 5, labels  # 1.800.000.000.000 to 2.600.000.000.000
    outside = [(text, left, right) for text, left, right, _a in found if left < 0 or right > 600]
    assert outside == []
    # Every label starts right of the satuan written up the side of the chart.
    (satuan,) = [right for text, _left, right, _a in found if text == "Rupiah"]
    assert all(left > satuan for _text, left in labels), (satuan, labels)
