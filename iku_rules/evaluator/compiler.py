"""The compiler: an AST to closures, given what each name is bound to.

Each kind of node is compiled by one part (:mod:`.leaves`, :mod:`.arithmetic`,
:mod:`.conditions`, :mod:`.functions`) over the shared :mod:`.core`;
:meth:`~iku_rules.evaluator.core.CompilerCore.expr` dispatches on the node's class.
"""

from __future__ import annotations

from iku_rules.evaluator.arithmetic import Arithmetic
from iku_rules.evaluator.conditions import Conditions
from iku_rules.evaluator.functions import Functions
from iku_rules.evaluator.leaves import Leaves


class Compiler(Leaves, Arithmetic, Conditions, Functions):
    """Turns an AST into closures, given what each name is bound to."""
