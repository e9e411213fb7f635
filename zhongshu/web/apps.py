from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhongshu.core.navigation import NavItem


class WebConfig(AppConfig):
    name = "zhongshu.web"
    label = "web"
    verbose_name = _("Web")

    # The shell's own pages. Core's pages live in web for now, so web declares
    # them; a module with its own views declares its entries on its AppConfig.
    navigation = (
        NavItem(label=_("Home"), url_name="home", icon="home"),
        NavItem(
            label=_("Audit trail"),
            url_name="audit_list",
            permission="core.view_audit",
            icon="audit",
            description=_("Who changed what, and when"),
        ),
        NavItem(
            label=_("Company"),
            url_name="settings_company",
            permission="core.view_settings",
            icon="building",
            group=_("Settings"),
            description=_("Name, tax registration and accounting standard"),
        ),
        NavItem(
            label=_("Members"),
            url_name="settings_members",
            permission="core.manage_members",
            icon="users",
            group=_("Settings"),
            description=_("Users of this company and their roles"),
        ),
        NavItem(
            label=_("Numbering"),
            url_name="settings_numbering",
            permission="core.view_settings",
            icon="hash",
            group=_("Settings"),
            description=_("How document numbers are made"),
        ),
        NavItem(
            label=_("API tokens"),
            url_name="settings_tokens",
            icon="key",
            group=_("Settings"),
            description=_("Keys for connecting other software"),
        ),
    )
