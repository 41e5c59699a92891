"""Set up and serve the test provider: ``python -m tests.oidc_provider.run PORT CLIENT_JSON``.

CLIENT_JSON names the client (id, secret, redirect URI, post-logout URI) and the
users ([username, password, e-mail, first name, last name], ...). The variables
PROVIDER_DB, PROVIDER_RSA_KEY and PROVIDER_ISSUER configure the settings.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    port, spec = sys.argv[1], json.loads(sys.argv[2])
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, interactive=False)
    for username, password, email, first, last in spec["users"]:
        get_user_model().objects.create_user(
            username, email=email, password=password, first_name=first, last_name=last
        )
    Application.objects.create(
        name="Scorecard",
        client_id=spec["client_id"],
        client_secret=spec["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=spec["redirect_uri"],
        post_logout_redirect_uris=spec["post_logout_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, verbosity=0)


if __name__ == "__main__":
    main()
