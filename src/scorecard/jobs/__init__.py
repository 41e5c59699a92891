"""Background work on Django's Tasks framework: the schedule, retries, report jobs."""
