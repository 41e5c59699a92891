"""Single sign-on: /sso/start/ sends the browser to the provider, /sso/callback/ takes
its answer (the address to register at the provider)."""

from django.urls import path

from .oidc import SsoCallbackView, SsoStartView

urlpatterns = [
    path("sso/start/", SsoStartView.as_view(), name="oidc_authentication_init"),
    path("sso/callback/", SsoCallbackView.as_view(), name="oidc_authentication_callback"),
]
