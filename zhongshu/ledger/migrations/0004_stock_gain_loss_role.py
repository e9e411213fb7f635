"""Companies set up before the stock gain/loss role existed get it pointed
at 1901 待处理财产损溢, as new companies do (chart.DEFAULT_ROLES)."""

from django.db import migrations

ROLE = "stock_gain_loss"
CODE = "1901"


def add_role(apps, schema_editor):  # type: ignore[no-untyped-def]
    ledger_settings = apps.get_model("ledger", "LedgerSettings")
    account_model = apps.get_model("ledger", "Account")
    role_model = apps.get_model("ledger", "AccountRole")
    for settings in ledger_settings.objects.all():
        company_id = settings.company_id
        if role_model.objects.filter(
            company_id=company_id, role=ROLE, key_kind="", key_id=0
        ).exists():
            continue
        account = account_model.objects.filter(
            company_id=company_id, code=CODE, is_leaf=True, is_active=True
        ).first()
        if account is not None:
            role_model.objects.create(
                company_id=company_id, role=ROLE, key_kind="", key_id=0, account=account
            )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_opening_dimension_balances")]

    operations = [migrations.RunPython(add_role, migrations.RunPython.noop)]
