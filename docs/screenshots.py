"""Take the README's screenshots of the workspace (``iku serve``) in headless Chromium.

    python3 docs/screenshots.py            # writes docs/screenshots/*.png

The shipped Pandeglang definitions (copied, so nothing in the repository changes) on
sample data, as a planner sees them: the cascade for 2026, an explanation, the edit form
with a misspelt formula, and targets imported from an Excel sheet. Needs the ``serve``
extra, selenium, and Debian's ``chromium`` and ``chromium-driver``.
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from iku_rules import load
from iku_rules.sample import generate
from iku_rules.serve import create_app, in_background

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1400,1000",
)


def browser(profile: Path) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    return webdriver.Chrome(
        service=Service(executable_path="/usr/bin/chromedriver"), options=options
    )


def targets_sheet() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["No", "id", "Indikator", "2026", "2027"])
    sheet.append([1, "iku-pmks-tertangani", "Presentase PMKS yang tertangani", 38.9, "39,9"])
    sheet.append([2, "iku-nilai-akip-opd", "NILAI AKIP OPD", None, 71])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="iku-screenshots-") as temp:
        folder = Path(temp)
        definitions = folder / "dinsos-pandeglang"
        shutil.copytree(ROOT / "definitions" / "dinsos-pandeglang", definitions)
        data = folder / "data"
        generate(load(definitions), data, people=3000, seed=2026)
        # as on 15 January 2027: 2026 is over, and the sample data, which end on 30
        # September 2026, are marked as stopping short, as the README says beside the picture
        app = create_app(definitions, data, today=date(2027, 1, 15))
        driver = browser(folder / "profile")
        wait = WebDriverWait(driver, 60)
        try:
            with in_background(app) as url:
                driver.get(f"{url}/?period=2026")
                driver.save_screenshot(str(OUT / "cascade.png"))

                driver.find_element(
                    By.CSS_SELECTOR, 'tr[data-id="iku-pmks-tertangani"] a.explain'
                ).click()
                wait.until(lambda d: d.find_element(By.ID, "panel-title").text)
                driver.execute_script(
                    "document.querySelector('tr[data-id=\"iku-pmks-tertangani\"]')"
                    ".scrollIntoView({block: 'center'})"
                )
                driver.save_screenshot(str(OUT / "explanation.png"))

                driver.get(f"{url}/indicator/iku-pmks-tertangani?period=2026")
                formula = driver.find_element(By.ID, "f-formula")
                formula.clear()
                formula.send_keys("Σ PMKS yang Tertangan / Σ PMKS × 100%")
                wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#formula-mirror mark.err"))
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", formula)
                driver.save_screenshot(str(OUT / "edit.png"))

                sheet = folder / "target-2026.xlsx"
                sheet.write_bytes(targets_sheet())
                driver.get(f"{url}/import")
                driver.find_element(By.ID, "sheet").send_keys(str(sheet))
                driver.find_element(By.ID, "upload-button").click()
                wait.until(lambda d: d.find_elements(By.ID, "changes"))
                driver.save_screenshot(str(OUT / "import.png"))
        finally:
            driver.quit()
    for path in sorted(OUT.glob("*.png")):
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
