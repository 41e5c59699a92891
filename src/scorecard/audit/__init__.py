"""The change history (who, when, what, before and after), recorded by every service in
the same transaction as the change; and the notification rows of mentions."""
