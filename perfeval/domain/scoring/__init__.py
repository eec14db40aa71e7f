"""The scoring engine, now a package: for the moment all of it is in rules.py (the next commit splits it)."""
from perfeval.domain.scoring.rules import *  # noqa: F401,F403
from perfeval.domain.scoring.rules import _compare, _op, _pts  # noqa: F401  (perfeval.domain.audit reads them)
