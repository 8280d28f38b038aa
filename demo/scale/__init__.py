"""The parts of ``generate_scale_data``, one concern a module: each is a mixin of the command
(they share its random generator, today's date, the sizes and the lookups it built)."""

YEARS = 10  # the history the scale data covers
