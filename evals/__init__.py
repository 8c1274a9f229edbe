"""Quality scores on public development splits (`make eval`); see evals/run.py."""
