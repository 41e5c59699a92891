"""The Model Context Protocol face: Scorecard's tools for assistants (docs/mcp.md).

``tools.py`` holds what each tool does (the REST API's access rules, the same selectors
and services), ``server.py`` serves them with the official ``mcp`` SDK, ``http.py`` mounts
the streamable HTTP transport beside Django in the ASGI application, and the ``scorecard
mcp`` command serves it over stdio.
"""
