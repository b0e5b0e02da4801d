"""Report files -> DuckDB warehouse; every figure keeps the sentence and span it came from."""

__version__ = "0.3.0"
