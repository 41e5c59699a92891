"""History of every change (who, when, what, before and after) and notifications of mentions."""
