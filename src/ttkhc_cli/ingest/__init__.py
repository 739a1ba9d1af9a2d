"""From raw cells to a canonical log: headers mapped to fields, values parsed, rows accounted for.

Every problem found on the way is a finding in the user's coordinates (file, sheet, Excel row
and column); nothing is guessed and no row disappears without a count.
"""
