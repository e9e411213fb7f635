from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from zhongshu.core.navigation import NavItem

# Permission codes as declared in permissions.py (which imports models, so it
# cannot be imported while the app registry loads).
VIEW_PARTNERS = "partners.view"
MANAGE_PARTNERS = "partners.manage"
GROUP = _("Sales")


class PartnersConfig(AppConfig):
    name = "zhongshu.partners"
    label = "partners"
    verbose_name = _("Partners")

    navigation: tuple[NavItem, ...] = (
        NavItem(
            label=_("Customers"),
            url_name="partners_customers",
            permission=VIEW_PARTNERS,
            icon="users",
            group=GROUP,
            description=_("Customers with tax details, terms, contacts and addresses"),
        ),
    )

    def ready(self) -> None:
        from zhongshu.partners import permissions  # noqa: F401
