"""Settings for benchmarks/comments_load.py: Filmstrip's own, with the human-speed limits off.

The load clients post faster than any person can type and from one address, which the spam
defence would rightly refuse; the benchmark measures storage under load, not the defence.
"""

from filmstrip.project.settings import *  # noqa: F403

FILMSTRIP_COMMENTS_MIN_SECONDS = 0
FILMSTRIP_COMMENTS_PER_IP_PER_10_MINUTES = 10**9
FILMSTRIP_COMMENTS_HOLD_FIRST = False
