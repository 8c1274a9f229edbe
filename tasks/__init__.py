"""Units of work for newsetl: pure text logic (no Prefect) plus thin Prefect wrappers in prefect_tasks."""
