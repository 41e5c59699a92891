"""An organization's first day: the set-up wizard's writes, starter scorecards, `scorecard init`."""
