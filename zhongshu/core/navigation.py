"""Menu entries a module declares on its AppConfig (``navigation = [...]``).

It lives in core so that every module can declare its entries; ``web``
collects and renders them, filtered by the user's permissions."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

# No model imports here: AppConfig modules import NavItem while the app
# registry is still loading.


@dataclass(frozen=True, slots=True, kw_only=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str | None = None
    icon: str = "dot"
    group: str | Promise | None = None
    # A short line shown on the home page's module cards.
    description: str | Promise = ""
