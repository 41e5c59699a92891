"""The data of a scorecard report (what the PDF and the workbook show), read once."""
