"""The first-run set-up wizard and the sign-in page that points to it."""
