"""Data sources: values pulled from databases and web addresses on a schedule."""
