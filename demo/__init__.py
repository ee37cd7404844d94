"""The demo workspace: a fictional employer's 90 days on every channel, as platform payloads.

``words`` holds the phrase banks, ``cast`` the people and the clock, ``scenes`` the stories
(platform-neutral lines), ``payloads`` renders them as X, Reddit, e-mail and YouTube payloads,
and ``batches`` maps those through the real connector mappings into ingest batches.
"""

DEMO_SEED = 7  # the seed `make run` and `cli.py demo` use: one seed, one workspace
