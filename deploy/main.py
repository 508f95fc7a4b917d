"""Entry point for the Dataflow Flex Template launcher: the same run() as `parley run`."""

import sys

from pipelines.negotiation_events import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
