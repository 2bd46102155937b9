"""The language server (``journeyctl server``): diagnostics, completion and navigation in editors.

A thin protocol layer (app.py, on pygls) over the same loader, lint engine and
model as the CLI: ``workspace`` checks files as ``journeyctl lint`` does,
``index`` reads ids and references off the loader's node tree, ``features``
answers each request. Installed with the ``server`` extra.
"""
