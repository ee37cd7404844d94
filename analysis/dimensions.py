"""What a report can be split by: one list for the report, the CLI and their help texts."""

DIMENSIONS = ("platform", "account", "assignee", "week", "lang")
