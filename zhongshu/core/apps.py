from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhongshu.core"
    label = "core"
    verbose_name = _("System")

    def ready(self) -> None:
        # Importing these modules registers core's permissions, consistency
        # checks, numbered document types and system checks.
        from zhongshu.core import checks, events, invariants, permissions  # noqa: F401
