from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """Partners has no menu entries of its own: its customers page is listed
    under Sales (sales.apps), next to the documents that use it, because the
    menu groups consecutive entries and partners is installed before catalog
    and inventory."""

    name = "zhongshu.partners"
    label = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from zhongshu.partners import permissions  # noqa: F401
