"""Lengths of texts in request bodies, as the OpenAPI document states them.

The services refuse longer texts on every database (scorecard.limits); these types
make the API's schemas say so, and answer 422 before anything is looked up.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from scorecard.limits import NAME_MAX, TEXT_MAX

Name = Annotated[str, Field(max_length=NAME_MAX)]
Text = Annotated[str, Field(max_length=TEXT_MAX)]
