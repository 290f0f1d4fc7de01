"""Interpretation: the normalised response between the form formats and scoring."""
