"""Forms of the pages. They only parse input: core's services validate it and
raise DomainError, which ``show_domain_error`` puts back onto the form."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import DjangoTemplates
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongshu.core.errors import DomainError
from zhongshu.core.models import (
    AccountingStandard,
    Company,
    Role,
    SequenceReset,
    TaxpayerType,
)
from zhongshu.core.services import CompanyData, SignUp


class WebFormRenderer(DjangoTemplates):
    # Our own markup for {{ form }} and {{ field.as_field_group }}. This
    # renderer's engine searches Django's form templates and every app's
    # templates, so it needs no "django.forms" in INSTALLED_APPS.
    form_template_name = "web/forms/form.html"
    field_template_name = "web/forms/field.html"


class WebForm(forms.Form):
    default_renderer = WebFormRenderer()
    # Service error field name -> form field name, where they differ.
    service_fields: ClassVar[Mapping[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Labels sit above their inputs: no "Name:" colon.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def show_domain_error(form: WebForm, error: DomainError) -> None:
    """Attach a service's error to the fields it names, else to the form."""
    placed = False
    for name, messages in error.fields.items():
        field_name = form.service_fields.get(name, name)
        if field_name in form.fields:
            for message in messages:
                form.add_error(field_name, str(message))
            placed = True
    if not placed:
        form.add_error(None, error.message)


def _month_choices() -> list[tuple[int, int]]:
    return [(month, month) for month in range(1, 13)]


class CompanyFieldsForm(WebForm):
    company_name = forms.CharField(label=_("Company name"), max_length=200)
    company_code = forms.CharField(
        label=_("Company code"),
        max_length=32,
        help_text=_("2–32 letters or digits, used in exports and the API."),
    )
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        required=False,
        help_text=_("Optional: the 18 characters on the business licence."),
    )
    taxpayer_type = forms.ChoiceField(
        label=_("Taxpayer type"), choices=TaxpayerType.choices
    )
    accounting_standard = forms.ChoiceField(
        label=_("Accounting standard"), choices=AccountingStandard.choices
    )

    service_fields: ClassVar[Mapping[str, str]] = {
        "name": "company_name",
        "code": "company_code",
    }

    def company_data(self) -> CompanyData:
        data = self.cleaned_data
        return CompanyData(
            code=data["company_code"],
            name=data["company_name"],
            uscc=data["uscc"],
            taxpayer_type=data["taxpayer_type"],
            accounting_standard=data["accounting_standard"],
            fiscal_year_start_month=int(data.get("fiscal_year_start_month") or 1),
        )


class SignUpForm(CompanyFieldsForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits."),
    )

    def sign_up_data(self) -> SignUp:
        return SignUp(
            username=self.cleaned_data["username"],
            email=self.cleaned_data["email"],
            password=self.cleaned_data["password"],
            company=self.company_data(),
        )


class CompanyForm(CompanyFieldsForm):
    fiscal_year_start_month = forms.TypedChoiceField(
        label=_("Fiscal year starts in month"), choices=_month_choices, coerce=int
    )

    @classmethod
    def for_company(cls, company: Company, data: Any = None) -> CompanyForm:
        return cls(
            data,
            initial={
                "company_name": company.name,
                "company_code": company.code,
                "uscc": company.uscc,
                "taxpayer_type": company.taxpayer_type,
                "accounting_standard": company.accounting_standard,
                "fiscal_year_start_month": company.fiscal_year_start_month,
            },
        )


def _role_field(*, required: bool, help_text: str | Any = "") -> forms.Field:
    return forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=required,
        help_text=help_text,
    )


class AddMemberForm(WebForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    password = forms.CharField(
        label=_("Initial password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Only for a new user; an existing user keeps their password."),
    )
    roles = _role_field(required=False)


class RolesForm(WebForm):
    roles = _role_field(
        required=False,
        help_text=_("Clear every role to remove the user from this company."),
    )


class NumberingRuleForm(WebForm):
    key = forms.CharField(widget=forms.HiddenInput)
    pattern = forms.CharField(
        label=_("Pattern"),
        max_length=64,
        help_text=_("Use {year}, {month}, {day} and {seq:06d}."),
    )
    reset = forms.ChoiceField(
        label=_("Restart numbering"), choices=SequenceReset.choices
    )


class TokenForm(WebForm):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the shop system."),
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional: the last day the token works."),
    )

    def expires_at(self) -> datetime.datetime | None:
        """The end of the chosen day in the site's time zone."""
        day: datetime.date | None = self.cleaned_data["expires_on"]
        if day is None:
            return None
        next_day = datetime.datetime.combine(
            day + datetime.timedelta(days=1), datetime.time()
        )
        return timezone.make_aware(next_day)


class AuditFilterForm(WebForm):
    object_kind = forms.ChoiceField(label=_("Object type"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.TypedChoiceField(
        label=_("User"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        data: Any,
        *,
        kinds: Iterable[tuple[str, str]],
        actions: Iterable[tuple[str, str]],
        actors: Iterable[tuple[int, str]],
    ) -> None:
        super().__init__(data)
        everything = ("", _("All"))
        self.fields["object_kind"].choices = [everything, *kinds]  # type: ignore[attr-defined]
        self.fields["action"].choices = [everything, *actions]  # type: ignore[attr-defined]
        self.fields["actor"].choices = [everything, *actors]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for core.selectors.list_audit_entries; an invalid
        choice (a stale link) filters on nothing rather than failing."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "object_kind": data["object_kind"] or None,
            "action": data["action"] or None,
            "actor_id": data["actor"],
        }


class LoginForm(AuthenticationForm):
    default_renderer = WebFormRenderer()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
