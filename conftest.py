"""Shared pytest fixtures: a company with its owner, a second company for
isolation tests."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from zhongshu.core import testing


@pytest.fixture
def company(db):  # type: ignore[no-untyped-def]
    return testing.make_company("ACME", name="示例商贸有限公司")


@pytest.fixture
def owner(company):  # type: ignore[no-untyped-def]
    return testing.owner_of(company)


@pytest.fixture
def other_company(db):  # type: ignore[no-untyped-def]
    return testing.make_company("OTHER", name="别家公司")


def pytest_configure(config: pytest.Config) -> None:
    # Tests read translated strings; compile the catalogues as scripts/setup
    # does, so a plain `pytest` after editing a .po file sees the change.
    for po_path in Path(__file__).parent.glob("zhongshu/locale/*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
