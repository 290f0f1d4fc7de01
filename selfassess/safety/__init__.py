"""Untrusted input: package checks before any parser, and safe text in outputs."""
