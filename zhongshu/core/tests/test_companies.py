"""Companies, sign-up with a trial, activation, members and roles."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model

from zhongshu.core import permissions, selectors, services, testing
from zhongshu.core.errors import (
    CompanyReadOnlyError,
    ConflictError,
    ValidationError,
)
from zhongshu.core.models import AuditEntry, Company, Membership, Role, TaxpayerType

SIGNUP_DAY = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.UTC)


def signup_data(code="SHOP", uscc="91110000600037341L", username="founder"):
    return services.SignUp(
        username=username,
        email="founder@example.cn",
        password="Qiye-2026-pass",
        company=services.CompanyData(
            code=code,
            name="试用商店",
            uscc=uscc,
            taxpayer_type=TaxpayerType.SMALL_SCALE,
        ),
    )


@pytest.mark.django_db
def test_sign_up_creates_an_owner_and_a_fifteen_day_trial():
    # when
    with time_machine.travel(SIGNUP_DAY, tick=False):
        user, company = services.sign_up(data=signup_data())
    # then: 1 November plus 14 more days is the last trial day
    assert company.trial_ends_on == datetime.date(2026, 11, 15)
    assert selectors.user_roles(company, user) == {Role.OWNER}
    assert company.uscc == "91110000600037341L"
    assert AuditEntry.objects.filter(company=company, action="created").count() == 1


@pytest.mark.django_db
def test_the_trial_turns_read_only_the_day_after_its_last_day():
    with time_machine.travel(SIGNUP_DAY, tick=False):
        _, company = services.sign_up(data=signup_data())
    # then: still writable on the last trial day
    assert not company.is_read_only_on(datetime.date(2026, 11, 15))
    with time_machine.travel(
        datetime.datetime(2026, 11, 15, 15, 59, tzinfo=datetime.UTC)
    ):
        services.require_writable(company)
    # and read-only from the sixteenth day (Beijing time)
    assert company.is_read_only_on(datetime.date(2026, 11, 16))
    with (
        time_machine.travel(
            datetime.datetime(2026, 11, 15, 16, 0, tzinfo=datetime.UTC)
        ),
        pytest.raises(CompanyReadOnlyError),
    ):
        services.require_writable(company)


@pytest.mark.django_db
def test_activation_ends_the_trial_for_good():
    with time_machine.travel(SIGNUP_DAY, tick=False):
        founder, company = services.sign_up(data=signup_data())
    with time_machine.travel(datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)):
        # when
        services.activate_company(company=company, actor=None)
        company.refresh_from_db()
        # then
        services.require_writable(company)
        assert not company.is_trial
        services.set_roles(
            company=company, actor=founder, user=testing.make_user(), roles={Role.SALES}
        )


@pytest.mark.django_db
def test_bad_uscc_is_refused_and_nothing_is_written():
    # when
    with pytest.raises(ValidationError) as error:
        services.sign_up(data=signup_data(uscc="91110000600037341N"))
    # then
    assert "uscc" in error.value.fields
    assert not Company.objects.exists()
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_lower_case_uscc_with_spaces_is_normalised():
    _, company = services.sign_up(data=signup_data(uscc=" 91340600ma2pbm9hxd "))
    assert company.uscc == "91340600MA2PBM9HXD"


@pytest.mark.django_db
def test_duplicate_company_code_is_refused_whatever_its_case(company):
    with pytest.raises(ConflictError) as error:
        testing.make_company("acme")
    assert "code" in error.value.fields
    assert Company.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["", "x", "has space", "太长" * 20, "-lead"])
def test_malformed_company_codes_are_refused(code):
    owner = testing.make_user()
    with pytest.raises(ValidationError) as error:
        services.create_company(
            data=services.CompanyData(code=code, name="公司"), owner=owner
        )
    assert "code" in error.value.fields
    assert not Company.objects.exists()


@pytest.mark.django_db
def test_a_user_can_belong_to_several_companies_with_different_roles(
    company, other_company, owner
):
    # given
    clerk = testing.make_user("clerk")
    # when
    services.set_roles(
        company=company, actor=owner, user=clerk, roles={Role.ACCOUNTANT, Role.CASHIER}
    )
    services.set_roles(
        company=other_company,
        actor=testing.owner_of(other_company),
        user=clerk,
        roles={Role.AUDITOR},
    )
    # then
    assert list(selectors.list_user_companies(clerk)) == [company, other_company]
    assert selectors.user_roles(company, clerk) == {Role.ACCOUNTANT, Role.CASHIER}
    assert selectors.user_can(company, clerk, "core.view_audit")
    assert not selectors.user_can(company, clerk, "core.manage_members")
    assert selectors.user_can(other_company, clerk, "core.view_audit")
    assert not selectors.user_can(other_company, clerk, "core.manage_numbering")


@pytest.mark.django_db
def test_the_last_owner_cannot_be_removed(company, owner):
    with pytest.raises(ConflictError):
        services.set_roles(company=company, actor=owner, user=owner, roles={Role.SALES})
    assert selectors.user_roles(company, owner) == {Role.OWNER}


@pytest.mark.django_db
def test_role_changes_are_audited_with_old_and_new_roles(company, owner):
    clerk = testing.make_user("clerk")
    services.set_roles(company=company, actor=owner, user=clerk, roles={Role.SALES})
    services.set_roles(company=company, actor=owner, user=clerk, roles={Role.PURCHASER})
    entry = AuditEntry.objects.filter(company=company, action="roles_changed").first()
    assert entry is not None
    assert entry.changes == {"roles": [["sales"], ["purchaser"]]}
    assert entry.actor == owner


@pytest.mark.django_db
def test_unknown_roles_are_refused(company, owner):
    with pytest.raises(ValidationError):
        services.set_roles(
            company=company, actor=owner, user=testing.make_user(), roles={"janitor"}
        )
    assert Membership.objects.filter(company=company).count() == 1


def test_owner_holds_everything_and_the_auditor_only_reads():
    for permission in permissions.all_permissions():
        assert permissions.roles_grant({Role.OWNER}, permission.code)
        assert (
            permissions.roles_grant({Role.AUDITOR}, permission.code)
            == permission.read_only
        )


@pytest.mark.django_db
def test_company_changes_are_audited_field_by_field(company, owner):
    services.update_company(
        company=company,
        actor=owner,
        data=services.CompanyData(
            code="ACME", name="新名称有限公司", uscc="91310000631696382C"
        ),
    )
    entry = AuditEntry.objects.filter(company=company, action="changed").get()
    assert entry.changes == {
        "name": ["示例商贸有限公司", "新名称有限公司"],
        "uscc": ["", "91310000631696382C"],
    }
