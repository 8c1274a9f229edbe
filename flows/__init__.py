"""Prefect flows of newsetl: orchestration only."""
