"""Rules the engine reports itself (JM000-JM099): invalid maps and unused suppressions."""
