"""Reports: PDFs rendered by WeasyPrint from Jinja templates, the report library and
background generation, and CSV/XLSX exports (DESIGN.md §6)."""
