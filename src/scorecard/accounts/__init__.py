"""People and their accounts: invitations, set-password links, personal settings."""
