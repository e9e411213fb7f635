"""The demo companies and their users, built through the same services as the UI.

Later modules add their own demo data on top of these companies (the garment
retailer's year arrives with the cockpit issue).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.models import User
from django.db import transaction

from zhongshu.core import services
from zhongshu.core.models import (
    AccountingStandard,
    Company,
    Role,
    TaxpayerType,
)

DEMO_PASSWORD = "Demo-2026"  # noqa: S105 - published on purpose: demo logins

RETAILER = services.CompanyData(
    code="DEMO",
    name="中枢演示服饰有限公司",
    uscc="91440300MA5G9DEM0J",
    taxpayer_type=TaxpayerType.GENERAL,
    accounting_standard=AccountingStandard.SMALL_ENTERPRISE,
)
TRADING = services.CompanyData(
    code="DEMO-SH",
    name="中枢演示商贸（上海）有限公司",
    uscc="",
    taxpayer_type=TaxpayerType.SMALL_SCALE,
    accounting_standard=AccountingStandard.ENTERPRISE,
)


@dataclass(frozen=True, slots=True)
class DemoLogin:
    username: str
    roles: tuple[str, ...]
    description: str
    second_company: bool = False


def demo_logins() -> list[DemoLogin]:
    return [
        DemoLogin("boss", (Role.OWNER,), "老板 owner of both demo companies", True),
        DemoLogin(
            "accountant", (Role.ACCOUNTANT,), "会计 accountant, both companies", True
        ),
        DemoLogin("cashier", (Role.CASHIER,), "出纳 cashier"),
        DemoLogin("sales", (Role.SALES,), "销售 sales"),
        DemoLogin("buyer", (Role.PURCHASER,), "采购 purchaser"),
        DemoLogin("warehouse", (Role.WAREHOUSE,), "仓管 warehouse keeper"),
        DemoLogin("hr", (Role.HR,), "人事 HR"),
        DemoLogin("production", (Role.PRODUCTION,), "生产 production"),
        DemoLogin("auditor", (Role.AUDITOR,), "审计 read-only auditor"),
    ]


# Higher modules add their demo data with ``register_step``; steps run in
# registration order (the app order of INSTALLED_APPS, lower modules first)
# on the retailer, through the modules' own services.
DemoStep = Callable[[Company, User], None]
_steps: dict[str, DemoStep] = {}


def register_step(name: str, step: DemoStep) -> None:
    _steps[name] = step


def _remove_demo_companies() -> None:
    """Wipe the demo companies and every row they own.

    Business rows are protected against deletion on purpose (a posted voucher
    or a stock move is never deleted), and the audit trail is immutable
    through the ORM; wiping a demo sandbox is the one deliberate exception,
    so it deletes each tenant table's rows directly. Foreign keys are checked
    at commit (Django declares them deferrable), when nothing of the
    companies is left to point at."""
    companies = list(Company.objects.filter(code__in=[RETAILER.code, TRADING.code]))
    if not companies:
        return
    ids = [c.pk for c in companies]
    for model in apps.get_models():
        field = next(
            (f for f in model._meta.concrete_fields if f.name == "company"), None
        )
        if field is None or field.related_model is not Company:
            continue
        rows = model._default_manager.filter(company_id__in=ids)
        rows._raw_delete(rows.db)
    rows = Company.objects.filter(pk__in=ids)
    rows._raw_delete(rows.db)


def _user(username: str) -> User:
    user_model = User
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(username=username, email=f"{username}@demo.zhongshu.local")
    user.set_password(DEMO_PASSWORD)
    user.is_active = True
    user.save()
    return user


@transaction.atomic
def build_demo() -> list[Company]:
    """Create (or reset to a fresh state) the demo companies and logins."""
    _remove_demo_companies()
    users = {login.username: _user(login.username) for login in demo_logins()}
    boss = users["boss"]
    retailer = services.create_company(data=RETAILER, owner=boss)
    trading = services.create_company(data=TRADING, owner=boss)
    for login in demo_logins():
        if login.username == "boss":
            continue
        companies = [retailer, trading] if login.second_company else [retailer]
        for company in companies:
            services.set_roles(
                company=company,
                actor=boss,
                user=users[login.username],
                roles=set(login.roles),
            )
    for step in _steps.values():
        step(retailer, boss)
    return [retailer, trading]
