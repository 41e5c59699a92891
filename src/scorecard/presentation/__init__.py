"""Layer 4, presentation: numbers, periods, charts and the strategy-map layout for people.

Shared by the HTML pages (web), the PDF and XLSX reports and the e-mails, so that a
number reads the same wherever it appears. Presentation turns data into text and
pictures; it never queries the database.
"""
