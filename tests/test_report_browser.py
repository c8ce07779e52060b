"""The HTML report in a real browser: headless Chromium driven by Selenium.

Checks that the page loads without console errors (a script error or a Content
Security Policy violation would be one), that a click on a cascade element
expands it, that a click on an indicator opens its explanation as a tree that opens
and wraps within the panel, that an office speaking Indonesian gets a page without an
English sentence, and that a hostile name from the definitions is shown as text and
never run.

Needs Debian's ``chromium`` and ``chromium-driver`` (``/usr/bin/chromium``,
``/usr/bin/chromedriver``) and the ``selenium`` package. Skipped when Chromium is
missing, except in CI (the variable ``CI`` set), where it must run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from iku_rules.engine import Engine
from iku_rules.i18n import use_language
from iku_rules.report import build_report, write_report

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
PANDEGLANG = Path(__file__).resolve().parent.parent / "definitions" / "dinsos-pandeglang"
HOSTILE = "<script>alert(1)</script>"
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)


def _missing() -> str | None:
    """Why the browser test cannot run here, or None when it can."""
    absent = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if absent:
        return f"{' and '.join(absent)} not installed (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the Python package 'selenium' is not installed (pip install selenium)"
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
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
    profile = tmp_path_factory.mktemp("chromium-profile")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # A fixed driver path: Selenium never looks for (or downloads) one.
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini office's report, in Indonesian (the language of an office that declares
    none, and of the shipped one)."""
    path = tmp_path_factory.mktemp("report") / "laporan.html"
    with use_language("id"):
        report = build_report(Engine(MINI, MINI), "2026")
        write_report(report, path, "html", replace=False)
    return path


def severe(driver: Any) -> list[dict[str, Any]]:
    """The console entries logged as errors since the last call."""
    return [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


def open_page(driver: Any, path: Path) -> None:
    driver.get(path.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    # The script ran: it marks the page.
    assert driver.execute_script("return document.documentElement.classList.contains('js')")


def test_loads_without_console_errors(browser: Any, page: Path, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, page)
    assert browser.title == "Laporan Kinerja Dinas Mini — 2026"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "id"
    chart = browser.find_element(By.CSS_SELECTOR, "svg.chart")
    assert chart.is_displayed() and chart.size["width"] > 200 and chart.size["height"] > 100
    assert "Sangat Tinggi" in browser.find_element(By.ID, "iku").text
    browser.save_screenshot(str(tmp_path / "loaded.png"))
    assert severe(browser) == []


def test_click_expands_a_tree_node(browser: Any, page: Path, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, page)
    details = browser.find_element(
        By.CSS_SELECTOR, '#tree li[data-level="sasaran/renstra"] > details'
    )
    indicator = details.find_element(By.CSS_SELECTOR, "button.indicator")
    assert details.get_attribute("open") is None
    assert not indicator.is_displayed()

    details.find_element(By.CSS_SELECTOR, ":scope > summary").click()
    assert details.get_attribute("open") is not None
    assert indicator.is_displayed()
    assert "Persentase PMKS yang tertangani" in indicator.text
    program = details.find_element(By.CSS_SELECTOR, 'li[data-level="program"] > details > summary')
    assert program.is_displayed()

    details.find_element(By.CSS_SELECTOR, ":scope > summary").click()
    assert details.get_attribute("open") is None
    assert not indicator.is_displayed()
    browser.save_screenshot(str(tmp_path / "tree.png"))
    assert severe(browser) == []


def test_click_opens_the_explanation(browser: Any, page: Path, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_page(browser, page)
    text = browser.find_element(By.ID, "panel-text")
    assert not text.is_displayed()
    browser.find_element(By.ID, "expand-all").click()
    indicator = browser.find_element(By.CSS_SELECTOR, '#tree button.indicator[data-explain="ex-1"]')
    assert "p0" in (indicator.get_attribute("class") or "")  # Sangat Tinggi: green
    indicator.click()
    assert text.is_displayed()
    assert text.text.startswith("◆ Persentase PMKS yang tertangani [iku-tertangani]\n60 %")
    assert "target 40 % → capaian 150 % (Sangat Tinggi)" in text.text
    title = browser.find_element(By.ID, "panel-title").text
    assert title == "Persentase PMKS yang tertangani [iku-tertangani]"
    assert "selected" in (indicator.get_attribute("class") or "")
    browser.save_screenshot(str(tmp_path / "explanation.png"))

    # Another indicator replaces it; Escape closes the panel.
    other = browser.find_elements(By.CSS_SELECTOR, "#tree button.indicator")[-1]
    other.click()
    assert "alat-bantu-orang" in browser.find_element(By.ID, "panel-title").text
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    assert not text.is_displayed()
    assert severe(browser) == []


def test_table_link_reveals_the_node(browser: Any, page: Path) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, page)
    browser.find_element(By.ID, "collapse-all").click()
    assert browser.find_elements(By.CSS_SELECTOR, "#tree details[open]") == []
    browser.find_element(By.CSS_SELECTOR, "#iku button.link[data-explain]").click()
    node = browser.find_element(By.CSS_SELECTOR, '#tree button.indicator[data-explain="ex-1"]')
    assert node.is_displayed()
    assert browser.find_element(By.ID, "panel-text").is_displayed()
    assert severe(browser) == []


def test_hostile_names_stay_text(browser: Any, tmp_path: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    folder = tmp_path / "office"
    shutil.copytree(MINI, folder)
    definitions = folder / "definitions.toml"
    text = definitions.read_text(encoding="utf-8")
    for name in ("Meningkatnya upaya penanganan PMKS", "Persentase PMKS yang tertangani"):
        text = text.replace(f'name = "{name}"', f'name = "{HOSTILE}"')
    definitions.write_text(text, encoding="utf-8")
    path = tmp_path / "hostile.html"
    write_report(build_report(Engine(folder, folder), "2026"), path, "html", replace=False)

    open_page(browser, path)
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert HOSTILE in browser.find_element(By.ID, "iku").text
    browser.find_element(By.ID, "expand-all").click()
    browser.find_element(By.CSS_SELECTOR, '#tree button.indicator[data-explain="ex-1"]').click()
    assert HOSTILE in browser.find_element(By.ID, "panel-title").text
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert browser.execute_script("return document.scripts.length") == 1
    browser.save_screenshot(str(tmp_path / "hostile.png"))
    assert severe(browser) == []


def test_the_pandeglang_report(browser: Any, tmp_path: Path) -> None:
    """The shipped definitions on generated data: the whole cascade, from Misi down to every
    Sub Kegiatan, opens on click without a console error."""
    from selenium.webdriver.common.by import By

    from iku_rules.loader import load
    from iku_rules.sample import generate

    definitions = load(PANDEGLANG)
    data = tmp_path / "data"
    generate(definitions, data, people=300, seed=11)
    path = tmp_path / "lkjip-2026.html"
    write_report(build_report(Engine(definitions, data), "2026"), path, "html", replace=False)

    open_page(browser, path)
    sub_kegiatan = browser.find_elements(
        By.CSS_SELECTOR, '#tree li[data-level="sub_kegiatan"] > details > summary'
    )
    expected = sum(1 for element in definitions.elements if element.level == "sub_kegiatan")
    assert len(sub_kegiatan) == expected == 42
    assert not any(summary.is_displayed() for summary in sub_kegiatan)
    browser.find_element(By.ID, "expand-all").click()
    assert all(summary.is_displayed() for summary in sub_kegiatan)
    last = sub_kegiatan[-1]
    indicator = last.find_element(By.XPATH, "..").find_element(By.CSS_SELECTOR, "button.indicator")
    assert indicator.is_displayed()
    last.click()  # closes it again
    assert not indicator.is_displayed()
    last.click()
    indicator.click()
    assert browser.find_element(By.ID, "panel-text").is_displayed()
    assert browser.find_element(By.ID, "panel-title").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.chart")) == 4
    assert severe(browser) == []


# Words that only an English sentence of the report would hold; none is a term the planners
# use in Indonesian (target, realisasi, capaian, predikat, baseline, input, parameter, cascade,
# kabupaten and the names from the definitions may stand in an Indonesian page).
ENGLISH_MARKERS = (
    "the",
    "not available",
    "available",
    "rows",
    "period",
    "computed",
    "from:",
    "below",
    "measure",
    "fetched",
    "distinct",
    "Notes",
    "Year",
    "Performance",
    "Report",
    "Click",
    "Open all",
    "Close all",
    "Explanation",
    "trend",
    "defined",
    "where",
    "with",
    "and",
    "number of",
    "January",
    "December",
    "policy",
    "reported",
    "queries",
)


def test_an_indonesian_page_has_no_english_sentence(browser: Any, page: Path) -> None:
    import re

    from selenium.webdriver.common.by import By

    open_page(browser, page)
    browser.find_element(By.ID, "expand-all").click()
    for details in browser.find_elements(By.CSS_SELECTOR, "details"):
        browser.execute_script("arguments[0].open = true", details)
    browser.find_element(By.CSS_SELECTOR, '#tree button.indicator[data-explain="ex-1"]').click()
    # Everything a reader can see or hear: the text, the hidden explanations, the labels.
    text = browser.execute_script(
        "var body = document.body.cloneNode(true);"
        "body.querySelectorAll('script, style').forEach(function (e) { e.remove(); });"
        "var parts = [document.title, body.textContent];"
        "document.querySelectorAll('[aria-label],[title],[data-title]').forEach(function (e) {"
        "  parts.push(e.getAttribute('aria-label') || '', e.getAttribute('title') || '',"
        "             e.getAttribute('data-title') || ''); });"
        "return parts.join('\\n');"
    )
    # SQL stays SQL: the queries' text is not a sentence.
    text = re.sub(r"q\d+: SELECT.*", "", text)
    found = [
        marker for marker in ENGLISH_MARKERS
        if re.search(rf"(?<![\w-]){re.escape(marker)}(?![\w-])", text, re.IGNORECASE)
    ]  # fmt: skip
    assert found == [], f"English words in the Indonesian page: {found}"
    assert "tidak tersedia" in text and "dihitung:" in text and "Desember" in text


def test_the_explanation_tree_opens_and_wraps_in_the_panel(
    browser: Any, page: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, page)
    browser.set_window_size(900, 900)  # a narrow window: long names must wrap, not overflow
    try:
        browser.find_element(By.ID, "expand-all").click()
        browser.find_element(By.CSS_SELECTOR, '#tree button.indicator[data-explain="ex-1"]').click()
        panel = browser.find_element(By.ID, "panel-text")
        tree = panel.find_element(By.CSS_SELECTOR, ".x-tree")
        # Collapsible: a closed node of "dari:" opens on a click and shows what it holds.
        node = tree.find_element(By.CSS_SELECTOR, "details.x-node")
        assert node.get_attribute("open") is None
        inner = node.find_element(By.CSS_SELECTOR, ".x-details")
        assert not inner.is_displayed()
        node.find_element(By.CSS_SELECTOR, ":scope > summary").click()
        assert node.get_attribute("open") is not None and inner.is_displayed()
        for section in tree.find_elements(By.CSS_SELECTOR, "details"):
            browser.execute_script("arguments[0].open = true", section)
        # Wraps: nothing is wider than the panel, so nothing is cut off on the right.
        widths = browser.execute_script(
            "var p = arguments[0]; var widest = 0;"
            "p.querySelectorAll('*').forEach(function (e) {"
            "  widest = Math.max(widest, e.getBoundingClientRect().right); });"
            "return [p.getBoundingClientRect().right, widest, p.scrollWidth, p.clientWidth];",
            panel,
        )
        right, widest, scroll_width, client_width = widths
        assert widest <= right + 1 and scroll_width <= client_width + 1, widths
        # Values aligned: every value of the rows stands at the right edge of its row.
        edges = browser.execute_script(
            "return Array.from(arguments[0].querySelectorAll('.x-row')).filter(function (r) {"
            "  return r.querySelector('.x-value') && r.offsetParent !== null; }).map(function (r) {"
            "  return [r.getBoundingClientRect().right,"
            "          r.querySelector('.x-value').getBoundingClientRect().right]; });",
            panel,
        )
        assert len(edges) >= 5
        assert all(abs(row - value) <= 2 for row, value in edges), edges
        browser.save_screenshot(str(tmp_path / "tree-narrow.png"))
    finally:
        browser.set_window_size(1400, 1000)
    assert severe(browser) == []
