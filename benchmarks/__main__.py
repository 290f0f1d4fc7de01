"""``python -m benchmarks``: the ratio table of ``benchmarks/ratios.py``."""

from benchmarks.ratios import main

main()
