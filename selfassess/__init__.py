"""selfassess: compliance self-assessment questionnaires from UN resolutions.

The library turns recommendations into localized Word and Excel forms, reads
completed forms back into one normalised shape, and scores implementation gaps
and technical-assistance needs. It never prints or exits; see
:mod:`selfassess.cli` for the command line.
"""

__version__ = "0.1.0"
