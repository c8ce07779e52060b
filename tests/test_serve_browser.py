"""The workspace in a real browser: headless Chromium driven by Selenium, against
``iku serve``'s application on a free port of this computer.

A planner's round: open the tree, open an indicator, change a target, type a broken
formula and see the message under the right place, fix it, save, and find the TOML file
changed with its comments kept; choose a period, open an explanation; download the
report in each format. Skipped when Chromium is missing, except in CI (``CI`` set).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("uvicorn")

from test_report_browser import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS, _missing, severe

from iku_rules.serve import create_app, in_background

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[Any]:
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the browser test must run in CI, but {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def office(tmp_path: Path) -> Path:
    folder = tmp_path / "office"
    shutil.copytree(MINI, folder)
    return folder


@pytest.fixture
def server(office: Path) -> Iterator[str]:
    with in_background(create_app(office, office)) as url:
        yield url


def wait(driver: Any, condition: Any, timeout: float = 20) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def test_open_the_tree_edit_check_fix_and_save(
    browser: Any, server: str, office: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    before = (office / "definitions.toml").read_text(encoding="utf-8")
    browser.get(f"{server}/?period=2026")
    assert browser.execute_script("return document.documentElement.classList.contains('js')")
    row = browser.find_element(By.CSS_SELECTOR, 'tr.indicator[data-id="iku-tertangani"]')
    assert row.is_displayed()
    assert "60 %" in row.text and "150 %" in row.text and "Sangat Tinggi" in row.text

    # The tree folds and unfolds; the search keeps what matches.
    browser.find_element(By.ID, "collapse-all").click()
    assert not row.is_displayed()
    browser.find_element(By.ID, "expand-all").click()
    assert row.is_displayed()
    browser.find_element(By.ID, "search").send_keys("alat bantu")
    wait(browser, lambda d: not row.is_displayed())
    other = browser.find_element(By.CSS_SELECTOR, 'tr.indicator[data-id="alat-bantu-orang"]')
    assert other.is_displayed()
    browser.find_element(By.ID, "search").clear()
    browser.execute_script("document.getElementById('search').dispatchEvent(new Event('input'))")
    wait(browser, lambda d: row.is_displayed())

    row.find_element(By.CSS_SELECTOR, "a.edit").click()
    wait(browser, lambda d: d.find_elements(By.ID, "indicator-form"))
    target = browser.find_element(By.ID, "target-2026")
    target.clear()
    target.send_keys("45,5")
    Select(browser.find_element(By.ID, "f-polarity")).select_by_value("positif")

    formula = browser.find_element(By.ID, "f-formula")
    formula.clear()
    formula.send_keys("Σ PMKS tertangan / Σ PMKS × 100%")
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#formula-mirror mark.err"))
    # The underline sits under the misspelt name, and the message suggests the right one.
    wait(
        browser,
        lambda d: (
            d.find_element(By.CSS_SELECTOR, "#formula-mirror mark.err").text == "PMKS tertangan"
        ),
    )
    message = browser.find_element(By.ID, "formula-check").text
    assert "unknown name 'PMKS tertangan'; did you mean 'PMKS tertangani'" in message
    browser.save_screenshot(str(tmp_path / "broken.png"))

    formula.send_keys("\b" * len("tertangan / Σ PMKS × 100%") + "tertangani / Σ PMKS × 100%")
    wait(browser, lambda d: not d.find_elements(By.CSS_SELECTOR, "#formula-mirror mark.err"))
    wait(browser, lambda d: "proven range" in d.find_element(By.ID, "formula-check").text)

    browser.find_element(By.ID, "save").click()
    notice = wait(browser, lambda d: d.find_elements(By.ID, "notice"))[0]
    assert "Saved" in notice.text
    after = (office / "definitions.toml").read_text(encoding="utf-8")
    assert 'targets = { 2026 = "45,5" }' in after
    assert after.replace('targets = { 2026 = "45,5" }', 'targets = { 2026 = "40" }') == before
    assert severe(browser) == []


def test_evaluate_a_period_and_open_an_explanation(browser: Any, server: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(f"{server}/?period=2026")
    Select(browser.find_element(By.ID, "period")).select_by_value("2026-TW1")
    wait(browser, lambda d: "period=2026-TW1" in d.current_url)
    Select(browser.find_element(By.ID, "period")).select_by_value("2026")
    wait(browser, lambda d: d.current_url.endswith("period=2026&region=&q="))
    panel = browser.find_element(By.ID, "panel")
    assert not panel.is_displayed()
    browser.find_element(By.CSS_SELECTOR, 'tr[data-id="iku-tertangani"] a.explain').click()
    wait(browser, lambda d: panel.is_displayed())
    wait(browser, lambda d: d.find_element(By.ID, "panel-title").text)
    assert browser.find_element(By.ID, "panel-title").text == (
        "Persentase PMKS yang tertangani [iku-tertangani]"
    )
    body = browser.find_element(By.ID, "panel-body")
    assert "60 %" in body.text and "Σ PMKS tertangani / Σ PMKS × 100%" in body.text
    # Down the tree: the measure under the indicator opens to its rows.
    measure = body.find_element(By.CSS_SELECTOR, "details.ex-measure > summary")
    measure.click()
    assert "PMKS tertangani" in measure.text
    browser.find_element(By.TAG_NAME, "body").send_keys("\ue00c")  # Escape
    assert not panel.is_displayed()
    assert severe(browser) == []


def test_download_each_report_format(browser: Any, server: str, downloads: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/?period=2026")
    for kind in ("html", "xlsx", "md"):
        browser.find_element(By.ID, f"report-{kind}").click()
        path = downloads / f"lkjip-mini-2026.{kind}"
        wait(browser, lambda d, path=path: path.exists() and path.stat().st_size > 0, 60)
    assert (downloads / "lkjip-mini-2026.xlsx").read_bytes().startswith(b"PK")
    assert "Dinas Mini" in (downloads / "lkjip-mini-2026.md").read_text(encoding="utf-8")
    assert "<!DOCTYPE html>" in (downloads / "lkjip-mini-2026.html").read_text(encoding="utf-8")
    assert severe(browser) == []
