"""Options that are set, accepted without pydantic when pydantic would certainly accept them.

A configuration that sets one option (``stale-map: {max-age-days: 365}``) made
every lint import pydantic to validate it: ~50 ms of a one-map run. Options are
declared with a type and ``Field`` constraints (options.py); this module reads
the same declaration and accepts a value only when its type is exactly what
strict validation takes (an ``int`` for ``int``, an ``int`` or a finite ``float``
for ``float``, a ``list`` of such for ``list[...]``, a literal's own value) and every
constraint it understands holds. Anything else, an unknown key, a constraint or
type it does not know, or a validator of the rule's own, is left to pydantic,
whose messages are the ones users see. So this decides only what is valid, and
gives the values pydantic would give, strict or not: whatever strict validation
takes as it is, lax validation takes the same way (tests/lint/test_rule_options.py
and tests/renderers/test_render_options.py compare the two on every built-in
rule's and renderer's options).
"""

from __future__ import annotations

import datetime
import math
import types
import typing
from typing import Any

#: Constraints this module checks, and those that only document an option.
_CHECKED = frozenset(("ge", "le", "gt", "lt", "min_length", "max_length", "allow_inf_nan"))
_DOCUMENTING = frozenset(("description", "title", "examples"))


class _Undecided(Exception):
    """Raised to leave the options to pydantic."""


def accept(
    declared: dict[str, Any], hints: dict[str, Any], data: Any, *, kebab: bool = True
) -> dict[str, Any] | None:
    """The values of the options given, or None when pydantic must decide.

    ``declared`` maps each option to its ``Field`` record (options.py's ``_Declared``) or plain
    default; ``hints`` to its evaluated type. With ``kebab``, a key is the option's kebab-case
    name or its attribute name; without, only the attribute name.
    """
    if type(data) is not dict:
        return None
    given: dict[str, Any] = {}
    for key, value in data.items():
        name = (key.replace("-", "_") if kebab else key) if type(key) is str else None
        # A key is the option's kebab-case alias or its attribute name, never both at once.
        if name is None or name not in declared or name in given or (key != name and "_" in key):
            return None
        given[name] = value
    values: dict[str, Any] = {}
    try:
        for name, record in declared.items():
            if name not in given:
                continue
            constraints = getattr(record, "constraints", None)
            if constraints is None or not set(constraints) <= _CHECKED | _DOCUMENTING:
                return None
            values[name] = _value(hints[name], given[name], constraints)
    except _Undecided:
        return None
    return values


def _value(hint: Any, value: Any, constraints: dict[str, Any]) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(hint)
        if len(args) != 2 or type(None) not in args:
            raise _Undecided
        if value is None:
            return None
        (hint,) = (arg for arg in args if arg is not type(None))
        origin = typing.get_origin(hint)
    if origin is list:
        (item,) = typing.get_args(hint)
        if type(value) is not list:
            raise _Undecided
        _length(value, constraints)
        return [_value(item, element, {}) for element in value]
    if origin is typing.Literal:
        options = typing.get_args(hint)
        if not any(type(value) is type(option) and value == option for option in options):
            raise _Undecided
        return value
    if hint is float:
        # Strict or lax, a float option takes a whole number as the same float.
        if type(value) is int and abs(value) <= 2**53:
            value = float(value)
        elif type(value) is not float or not math.isfinite(value):
            raise _Undecided
    elif hint not in _EXACT or type(value) is not hint:
        raise _Undecided
    check = _EXACT.get(hint, _bounds)
    if check is None:
        if set(constraints) & _CHECKED:
            raise _Undecided  # a bound on a yes or a date: pydantic's to judge
    else:
        check(value, constraints)
    return value


def _bounds(number: Any, constraints: dict[str, Any]) -> None:
    if any(name in constraints for name in ("min_length", "max_length")):
        raise _Undecided  # a length of a number: pydantic's to judge
    if "ge" in constraints and not number >= constraints["ge"]:
        raise _Undecided
    if "le" in constraints and not number <= constraints["le"]:
        raise _Undecided
    if "gt" in constraints and not number > constraints["gt"]:
        raise _Undecided
    if "lt" in constraints and not number < constraints["lt"]:
        raise _Undecided


def _length(value: Any, constraints: dict[str, Any]) -> None:
    if "min_length" in constraints and len(value) < constraints["min_length"]:
        raise _Undecided
    if "max_length" in constraints and len(value) > constraints["max_length"]:
        raise _Undecided
    if any(name in constraints for name in ("ge", "le", "gt", "lt", "allow_inf_nan")):
        raise _Undecided


#: The types taken when the value is of exactly that type, and how their constraints are checked
#: (None: they take none). ``float`` also takes a whole number (above).
_EXACT: dict[Any, Any] = {int: _bounds, str: _length, bool: None, datetime.date: None}
