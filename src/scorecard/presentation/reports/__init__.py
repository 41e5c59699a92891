"""The scorecard report rendered as PDF (WeasyPrint) and as an Excel workbook (openpyxl)."""

import logging

# WeasyPrint logs each layout step at INFO level, some of them while it is imported;
# that is noise in the server's log. Its warnings and errors still get through.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
