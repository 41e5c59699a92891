"""A small OpenID provider of the tests' own (django-oauth-toolkit), run in a subprocess.

``run.py`` migrates its SQLite database, creates its users and the Scorecard
client, and serves it on loopback; tests/browser/test_sso_browser.py starts it.
Nothing here is part of Scorecard.
"""
