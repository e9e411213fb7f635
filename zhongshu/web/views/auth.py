"""Signing up, in and out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhongshu.core import services
from zhongshu.core.errors import DomainError
from zhongshu.core.models import Company
from zhongshu.web.forms import LoginForm, SignUpForm, show_domain_error
from zhongshu.web.http import SESSION_COMPANY_KEY, posted

login_view = LoginView.as_view(
    template_name="web/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)


def welcome_message(company: Company) -> str:
    if company.trial_ends_on is None:
        return _("Welcome to Zhongshu! %(company)s is ready.") % {
            "company": company.name
        }
    return _(
        "Welcome to Zhongshu! %(company)s is ready. "
        "Your free trial runs until %(date)s."
    ) % {
        "company": company.name,
        "date": date_format(company.trial_ends_on, "DATE_FORMAT"),
    }


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user, company = services.sign_up(data=form.sign_up_data())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            # Only one backend authenticates pages; naming it spares Django
            # from guessing when another (the API's) is added.
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_COMPANY_KEY] = company.pk
            messages.success(request, welcome_message(company))
            return redirect("home")
    return render(request, "web/signup.html", {"form": form})
