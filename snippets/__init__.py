"""Tested code shown on the handbook's pages: one concept per module, grouped by chapter."""
