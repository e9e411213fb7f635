"""The menu is assembled from the installed apps' declarations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhongshu.core import permissions
from zhongshu.core.models import Role
from zhongshu.web.navigation import NavItem, grouped_entries, registered_items
from zhongshu.web.shell import visible_items


def test_every_menu_entry_has_a_page_and_a_declared_permission() -> None:
    for item in registered_items():
        assert reverse(item.url_name)
        if item.permission is not None:
            permissions.get_permission(item.permission)


def test_the_shell_declares_home_audit_and_settings() -> None:
    names = [item.url_name for item in registered_items()]
    assert names[:2] == ["home", "audit_list"]
    assert {"settings_company", "settings_members", "settings_numbering"} <= set(names)


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ({Role.OWNER}, {"home", "audit_list", "settings_company", "settings_members"}),
        ({Role.SALES}, {"home", "settings_tokens"}),
        (
            {Role.AUDITOR},
            {"home", "audit_list", "settings_company", "settings_numbering"},
        ),
    ],
)
def test_entries_are_filtered_by_role(roles: set[str], expected: set[str]) -> None:
    # when
    names = {item.url_name for item in visible_items(roles)}
    # then
    assert expected <= names
    if Role.OWNER not in roles:
        assert "settings_members" not in names


def test_consecutive_entries_of_a_group_share_a_heading() -> None:
    # given
    items = [
        NavItem(label="Home", url_name="home"),
        NavItem(label="A", url_name="settings_company", group="Settings"),
        NavItem(label="B", url_name="settings_tokens", group="Settings"),
    ]
    # when
    groups = grouped_entries(items, "/settings/tokens/")
    # then
    assert [(g.label, len(g.entries)) for g in groups] == [(None, 1), ("Settings", 2)]
    assert [e.is_active for e in groups[1].entries] == [False, True]
    assert not groups[0].entries[0].is_active
