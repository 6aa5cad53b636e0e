"""Findings and decisions: per-file rules (`rules.check_file`) and the merge across files
(`merge.merge`: newest file per unit, lateness, duplicates, the decision, unit statuses)."""
