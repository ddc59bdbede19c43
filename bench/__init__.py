"""Province-scale benchmarks (DESIGN.md §7): `python -m bench` generates ~50,000 villages and ~1.5 million households
in PostgreSQL with COPY, then times what the pages do beside raw-SQL and raw-COPY baselines measured in the same run.
"""
