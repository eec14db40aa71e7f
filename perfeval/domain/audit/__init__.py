"""The consistency audit (being split into modules: for now all of it is in ``scores``)."""
from perfeval.domain.audit.scores import *  # noqa: F401,F403
from perfeval.domain.audit.scores import BATCH_PROJECTS, _ByProject  # noqa: F401
