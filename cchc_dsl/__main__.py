"""`python -m cchc_dsl` runs the command line."""

from cchc_dsl.cli import main

main()
