"""Proposals: any member proposes an objective, KPI, initiative, task or a change; editors
accept (through the normal services, the proposer credited) or decline with a reason."""
