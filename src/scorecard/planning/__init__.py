"""Setting targets and reading the numbers: funnels, benchmarks, forecasts, what-if."""
