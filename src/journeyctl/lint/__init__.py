"""Lint engine: rules over loaded maps, configuration, suppressions and output formats."""
