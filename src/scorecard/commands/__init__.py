"""Layer 5, a face: the ``scorecard`` command's own subcommands (Django management
commands), beside the web pages and the API. Each command parses its arguments and
calls the same services and selectors the pages use."""
