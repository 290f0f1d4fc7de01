"""``python -m selfassess`` runs the command line."""

from selfassess.cli import main

main()
