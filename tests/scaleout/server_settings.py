"""Settings of the servers and workers of the several-servers test: the product's, with
e-mails written to files in ``SCALEOUT_MAIL_DIR`` so that the test can count them."""

from __future__ import annotations

import os

from tests.reliability.live_settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["SCALEOUT_MAIL_DIR"]
