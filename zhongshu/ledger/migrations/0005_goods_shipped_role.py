"""Companies set up before the goods-shipped role existed get it pointed at
1406 发出商品, as new companies do (chart.DEFAULT_ROLES); sales moves a
delivery's cost there until the invoice recognises the revenue."""

from django.db import migrations

ROLE = "goods_shipped"
CODE = "1406"


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
    dependencies = [("ledger", "0004_stock_gain_loss_role")]

    operations = [migrations.RunPython(add_role, migrations.RunPython.noop)]
