"""Secrets of connections, encrypted at rest with a key from the environment.

``SCORECARD_DATA_SOURCE_KEY`` (comma-separated to rotate: the first key encrypts, every
key decrypts) or, when it is empty, Django's ``SECRET_KEY``. Each is stretched to a Fernet
key (cryptography's authenticated encryption) with SHA-256 under a purpose prefix, so the
same ``SECRET_KEY`` never serves two purposes directly.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from scorecard.engine.text import gettext_noop

PURPOSE = b"scorecard.datasources.v1:"
#: Shown instead of a secret that is stored.
STORED = "••• stored; leave blank to keep"


class SecretUnreadable(Exception):
    """The stored secret cannot be decrypted with the configured keys."""


def _keys() -> list[str]:
    configured = str(getattr(settings, "SCORECARD_DATA_SOURCE_KEY", "") or "")
    keys = [k.strip() for k in configured.split(",") if k.strip()]
    return keys or [str(settings.SECRET_KEY)]


def _fernet() -> MultiFernet:
    return MultiFernet(
        [
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(PURPOSE + k.encode()).digest()))
            for k in _keys()
        ]
    )


def seal(data: dict[str, Any]) -> str:
    """Encrypt ``data`` (JSON) to a text token."""
    return _fernet().encrypt(json.dumps(data, sort_keys=True).encode()).decode("ascii")


def unseal(token: str) -> dict[str, Any]:
    """Decrypt a token made by :func:`seal`."""
    try:
        data = json.loads(_fernet().decrypt(token.encode("ascii")))
    except (InvalidToken, ValueError) as exc:
        raise SecretUnreadable(
            gettext_noop(
                "The connection's stored secret cannot be read with the configured key "
                "(SCORECARD_DATA_SOURCE_KEY or SECRET_KEY changed?); enter the address again."
            )
        ) from exc
    return dict(data)
