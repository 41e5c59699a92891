"""Reviews of the strategy: comments and mentions, usage of KPIs, reminders and snoozes."""
