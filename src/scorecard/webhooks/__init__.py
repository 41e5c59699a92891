"""Webhooks: the outbox of signed calls to other systems when values change, with retries."""
