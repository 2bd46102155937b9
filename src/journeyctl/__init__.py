"""journeyctl: customer journey maps kept as code."""

__version__ = "0.1.0"
