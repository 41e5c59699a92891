"""Single sign-on with OpenID Connect (mozilla-django-oidc), and the sign-in page."""
