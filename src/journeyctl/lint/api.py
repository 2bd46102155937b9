"""What a lint rule works with: the values it yields and the base of its options.

A rule is a module in ``journeyctl.rules`` (or a third party's module named by
the ``journeyctl.rules`` entry-point group) with:

* ``CODE`` — stable code such as ``"JM101"`` (never reused once retired);
* ``NAME`` — kebab-case name such as ``"stage-without-touchpoints"``;
* ``SEVERITY`` — default ``"error"``, ``"warning"`` or ``"info"``;
* ``Options`` — a ``RuleOptions`` subclass (may have no fields);
* ``check(loaded, options)`` — yields ``Violation`` values;
* a module docstring: summary line, why it matters, options, and a failing and
  a passing example (fenced ``yaml`` blocks under "Failing" and "Passing").
"""

from __future__ import annotations

# The values are defined without pydantic (see findings.py) and re-exported here,
# where rule authors look for them.
from journeyctl.lint.findings import SEVERITIES, Finding, Severity, Violation
from journeyctl.options import DeclaredOptions, Field

__all__ = ["SEVERITIES", "Field", "Finding", "RuleOptions", "Severity", "Violation"]


class RuleOptions(DeclaredOptions):
    """Base of every rule's options: see ``journeyctl.options.DeclaredOptions``.

    Strict, as maps are (``max-age-days: "90"`` is refused with "remove the quotes"), with
    kebab-case keys (the attribute names work too).
    """

    _STRICT = True
    _KEBAB = True
