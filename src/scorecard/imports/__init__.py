"""Values of KPIs in and out as CSV and XLSX files: mapping, row checks, import jobs."""
