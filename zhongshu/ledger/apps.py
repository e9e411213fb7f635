from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "zhongshu.ledger"
    label = "ledger"
    verbose_name = _("General ledger")

    def ready(self) -> None:
        # Registers the ledger's permissions, numbered documents, state flows
        # and consistency checks.
        from zhongshu.ledger import checks, handlers, permissions  # noqa: F401
