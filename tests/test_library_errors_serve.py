"""The workspace (``iku serve``) never shows a library's English where a planner reads: a page
not found or not reached so is a page of the workspace in its language, and an upload that is
no workbook says what it is (:mod:`iku_rules.serve`, :mod:`iku_rules.sources.xlsx`)."""

from __future__ import annotations

import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from helpers import MINI

from iku_rules.i18n import use_language
from iku_rules.serve import create_app

OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    folder = tmp_path / "office"
    shutil.copytree(MINI, folder)
    app = create_app(folder, folder)
    with use_language("en"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with TestClient(app.asgi, base_url="http://127.0.0.1") as client:
            yield client


def token(client: TestClient) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text)
    assert found
    return found.group(1)


def error_page(text: str) -> tuple[str, str]:
    """The heading and the message of the workspace's error page."""
    found = re.search(
        r'<h1 id="error">(.*?)</h1>\s*<p class="banner bad" id="error-message">(.*?)</p>', text
    )
    assert found, text[:300]
    return found.group(1), found.group(2).replace("&#39;", "'")


def test_an_unknown_address_is_a_page_of_the_workspace(client: TestClient) -> None:
    response = client.get("/laporan-2026")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert error_page(response.text) == (
        "Page not found",
        "There is no page at /laporan-2026 in the workspace.",
    )
    assert "Not Found" not in response.text
    assert 'href="/?period=' in response.text  # a way back to the cascade
    assert 'name="csrf-token"' in response.text  # the workspace's own page
    hostile = client.get("/<script>alert(1)</script>")
    assert error_page(hostile.text)[1] == (
        "There is no page at /&lt;script&gt;alert(1)&lt;/script&gt; in the workspace."
    )


def test_a_page_asked_the_wrong_way_is_a_page_of_the_workspace(client: TestClient) -> None:
    response = client.post("/report", headers={"X-CSRF-Token": token(client)})
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD"}  # kept from Starlette
    assert error_page(response.text) == (
        "Not opened this way",
        "The page /report cannot be opened this way (POST): use the workspace's links and buttons.",
    )
    assert "Method Not Allowed" not in response.text


def test_an_explanation_of_no_indicator_keeps_its_message_on_the_page(client: TestClient) -> None:
    response = client.get("/explain/iku-tertangan")
    assert response.status_code == 404
    assert error_page(response.text) == ("Page not found", "there is no indicator 'iku-tertangan'")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b"id;2026\niku-tertangani;45\n",
            "the file is text (a CSV file named .xlsx?), not an Excel workbook: open it in"
            " Excel and save it as Excel Workbook (.xlsx)",
        ),
        (
            OLE2 + b"\x00" * 500 + "Workbook".encode("utf-16-le") + b"\x00" * 500,
            "the file is an old Excel workbook (.xls, Excel 97–2003), not .xlsx: open it in"
            " Excel and save it as Excel Workbook (.xlsx)",
        ),
    ],
    ids=["csv", "xls"],
)
def test_an_upload_that_is_no_workbook_says_what_it_is(
    client: TestClient, content: bytes, expected: str
) -> None:
    response = client.post(
        "/import",
        data={"csrf": token(client)},
        files={"sheet": ("target.xlsx", content, "application/octet-stream")},
    )
    problems = re.search(
        r'<div class="banner bad" id="import-problems"><ul>(.*?)</ul>', response.text
    )
    assert problems, response.text[:2000]
    assert problems.group(1).replace("&#39;", "'") == f"<li>-: {expected}</li>"
