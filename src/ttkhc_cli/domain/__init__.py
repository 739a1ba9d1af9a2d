"""The domain: canonical fields and codes, Vietnamese words, periods, the working-day calendar.

The bottom layer: it reads no file and knows no library beyond the standard one, pandas and
numpy where a calendar is vectorised. Everything above speaks its words.
"""
