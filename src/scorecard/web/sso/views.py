"""The sign-in and sign-out pages, with single sign-on when it is set up."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from .oidc import provider_logout_url, provider_name, sso_enabled


def password_login() -> bool:
    return bool(getattr(settings, "SCORECARD_PASSWORD_LOGIN", True))


class LoginView(auth_views.LoginView):
    """Django's sign-in page, with "Sign in with <provider>"; without the password form
    when local passwords are switched off (SCORECARD_PASSWORD_LOGIN=false)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            sso_enabled=sso_enabled(),
            sso_provider=provider_name(),
            password_login=password_login(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not password_login():
            context = self.get_context_data()
            context["password_refused"] = (
                f"Sign-in with a password is switched off here; use {provider_name()}."
            )
            return self.render_to_response(context, status=403)
        response: HttpResponse = super().post(request, *args, **kwargs)
        return response


class LogoutView(auth_views.LogoutView):
    """Sign out here; a session begun through single sign-on ends at the provider too,
    when the provider offers that (its discovery document names an end_session_endpoint)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        id_token = request.session.get("oidc_id_token")
        response: HttpResponse = super().post(request, *args, **kwargs)
        at_provider = provider_logout_url(request, id_token)
        return HttpResponseRedirect(at_provider) if at_provider else response
