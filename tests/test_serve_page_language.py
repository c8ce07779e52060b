"""The workspace's pages say which language they are in (``<html lang="en">`` when the
workspace speaks English), so that a browser's reader, spell checker and translation offer
read them as they are; they said ``id`` whatever the language."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_serve import client_for

from iku_rules.i18n import use_language

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_page_names_its_language(language: str) -> None:
    with use_language(language), client_for(MINI, MINI) as client:
        page = client.get("/", params={"period": "2026"}).text
    assert f'<html lang="{language}">' in page
