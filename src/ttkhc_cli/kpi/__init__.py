"""The plan and its indicators: the target file's model, the rule language, the counting.

A target file is validated into a plan; each indicator's rule is parsed (never evaluated as
Python) and counted over the canonical logs at one as-of date.
"""
