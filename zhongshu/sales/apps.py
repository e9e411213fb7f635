from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "zhongshu.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from zhongshu.sales import handlers, permissions  # noqa: F401
