"""What the tool writes: text formats (JSON, CSV, Markdown), the report workbook, atomic files."""
