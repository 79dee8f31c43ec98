"""hwreview: grade how well a large language model answers a homework set."""

__version__ = "0.1.0"
