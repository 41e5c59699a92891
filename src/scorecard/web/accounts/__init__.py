"""Pages about people: invitations, accounts, password reset, my account."""
