"""The risk register's pages: the list with its heat maps, and the forms (docs/risks.md)."""
