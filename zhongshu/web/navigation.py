"""Navigation entries contributed by the installed modules.

Each app's ``AppConfig`` may carry ``navigation = [NavItem(...)]``. The shell
collects them in ``INSTALLED_APPS`` order, so a module appears in the menu
simply by being installed, and shows each entry only to roles its permission
grants. Entries sharing a ``group`` are shown together under that heading.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import reverse
from django.utils.functional import Promise

from zhongshu.core.navigation import NavItem

__all__ = ["NavEntry", "NavGroup", "NavItem", "registered_items"]


@dataclass(frozen=True, slots=True, kw_only=True)
class NavEntry:
    """A NavItem resolved for one request: its URL and whether it is current."""

    item: NavItem
    url: str
    is_active: bool


@dataclass(slots=True, kw_only=True)
class NavGroup:
    label: str | Promise | None
    entries: list[NavEntry] = field(default_factory=list)


def registered_items() -> list[NavItem]:
    """The shell's own top entries, then each module's in INSTALLED_APPS order,
    then the shell's grouped entries (Settings) last."""
    shell = apps.get_app_config("web")
    own: tuple[NavItem, ...] = getattr(shell, "navigation", ())
    modules = [
        item
        for config in apps.get_app_configs()
        if config is not shell
        for item in getattr(config, "navigation", ())
    ]
    return [
        *(item for item in own if item.group is None),
        *modules,
        *(item for item in own if item.group is not None),
    ]


def _is_active(url: str, path: str) -> bool:
    # The home page ("/") would prefix every path, so it matches exactly;
    # other entries stay highlighted on their sub-pages (an audit entry, a member).
    return path == url if url == "/" else path.startswith(url)


def grouped_entries(items: Iterable[NavItem], path: str) -> list[NavGroup]:
    """Items in order, consecutive items of one group under one heading."""
    groups: list[NavGroup] = []
    for item in items:
        url = reverse(item.url_name)
        entry = NavEntry(item=item, url=url, is_active=_is_active(url, path))
        if not groups or groups[-1].label != item.group:
            groups.append(NavGroup(label=item.group))
        groups[-1].entries.append(entry)
    return groups
