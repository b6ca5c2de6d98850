"""``python -m vitk2`` runs the command line."""

from vitk2.cli.app import main

main()
