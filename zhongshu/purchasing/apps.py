from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "zhongshu.purchasing"
    label = "purchasing"
    verbose_name = _("Purchasing")

    def ready(self) -> None:
        # Registers purchasing's permissions and the source kinds vouchers
        # and stock moves link back to.
        from zhongshu.purchasing import (  # noqa: F401
            checks,
            handlers,
            permissions,
            refs,
        )
