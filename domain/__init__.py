"""Arrears domain: the debt case aggregate, its events, money and the rules of collection.

Pure Python: no I/O, no clock, no framework. Dates and times are always passed in.
"""
