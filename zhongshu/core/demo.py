"""The demo companies and their users, built through the same services as the UI.

Later modules add their own demo data on top of these companies (the garment
retailer's year arrives with the cockpit issue).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import connection, transaction

from zhongshu.core import services
from zhongshu.core.models import (
    AccountingStandard,
    AuditEntry,
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


def _remove_demo_companies() -> None:
    companies = list(Company.objects.filter(code__in=[RETAILER.code, TRADING.code]))
    if not companies:
        return
    # The audit trail is immutable through the ORM; wiping a demo sandbox is
    # the one deliberate exception, so it goes around the guard explicitly.
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {AuditEntry._meta.db_table} WHERE company_id IN "  # noqa: S608
            f"({', '.join(['%s'] * len(companies))})",
            [c.pk for c in companies],
        )
    for company in companies:
        company.delete()


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
    return [retailer, trading]
