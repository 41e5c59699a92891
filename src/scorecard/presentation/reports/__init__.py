"""The scorecard report rendered as PDF (WeasyPrint) and as an Excel workbook."""
