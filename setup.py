"""Which packages the distribution holds (the rest of the configuration is in pyproject.toml).

Every package under flows/ and tasks/, found, so that a new one is never left out of a wheel;
and sql/, which stays at the top of the repository (the design's layout), installed as
tasks/sql/, where tasks/store/warehouse.py finds it (package data listed in pyproject.toml).
"""
from setuptools import find_namespace_packages, find_packages, setup

setup(
    packages=find_packages(include=["flows", "flows.*", "tasks", "tasks.*"])
    + ["tasks.sql"]
    + [f"tasks.sql.{folder}" for folder in find_namespace_packages("sql")],
    package_dir={"tasks.sql": "sql"},
)
