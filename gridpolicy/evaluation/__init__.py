"""Evaluation over case data (issue 16): record files typed by the formula's declared fields,
grouped (grid, community, street via the grid registry, department, month), filtered by
period, aggregated on Polars, graded and ranked; case records from case states."""

from .cases import CASE_COLUMNS, case_record
from .grouped import GroupedEvaluation, GroupResult, evaluate_groups
from .periods import Period, date_range, parse_period
from .sources import Source, open_source, records_source

__all__ = ["CASE_COLUMNS", "GroupResult", "GroupedEvaluation", "Period", "Source", "case_record", "date_range",
           "evaluate_groups", "open_source", "parse_period", "records_source"]
