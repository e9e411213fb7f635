"""Every user-visible string has its zh-hans translation."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parents[2] / "locale/zh_Hans/LC_MESSAGES/django.po"


def test_the_catalogue_has_no_empty_or_fuzzy_translation():
    catalogue = polib.pofile(str(CATALOGUE))
    missing = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    assert missing == []
    assert len(catalogue.translated_entries()) > 100


def test_every_marked_string_in_the_code_is_in_the_catalogue(tmp_path):
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed; CI installs it.")
    # given: the committed catalogue, set aside so makemessages cannot touch it
    backup = tmp_path / "django.po"
    shutil.copy2(CATALOGUE, backup)
    try:
        # when
        call_command(
            "makemessages",
            locale=["zh_Hans"],
            ignore_patterns=[".venv/*", "node_modules/*", "*/tests/*", "bench/*"],
            no_obsolete=True,
            verbosity=0,
        )
        extracted = polib.pofile(str(CATALOGUE))
    finally:
        shutil.copy2(backup, CATALOGUE)
    # then
    committed = {e.msgid for e in polib.pofile(str(backup)) if e.translated()}
    untranslated = sorted({e.msgid for e in extracted} - committed)
    assert untranslated == []


def test_chinese_is_the_default_and_english_is_available():
    with translation.override("zh-hans"):
        assert translation.gettext("The company name is required.") == "公司名称必填。"
    with translation.override("en"):
        assert translation.gettext("The company name is required.") == (
            "The company name is required."
        )
