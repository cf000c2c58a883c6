#!/usr/bin/env python
"""Run the reference host's management commands (migrate, kinship_*, ...)."""

import sys

if __name__ == "__main__":
    from devhost.commandline import main

    sys.exit(main(sys.argv))
