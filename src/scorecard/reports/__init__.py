"""Printed reports of a scorecard: PDF (WeasyPrint) and XLSX (openpyxl)."""
