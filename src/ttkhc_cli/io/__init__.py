"""Reading files as they come: spreadsheets, CSV, Parquet and YAML, with positions kept.

Nothing here interprets a cell's value; it finds the table (the header row, the sheet) and
hands over raw cells with the Excel row and column of each.
"""
