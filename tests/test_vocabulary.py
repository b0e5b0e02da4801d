"""The ETL writes codes into the warehouse; the dashboard must have a Vietnamese label for each."""

from __future__ import annotations

from dashboard.formatting import REPORT_TYPE_LABELS, SEVERITY_LABELS
from etl.checks import SEVERITY_LABELS as ETL_SEVERITY_LABELS
from etl.metadata import REPORT_TYPES


def test_every_report_type_the_etl_can_write_has_a_dashboard_label():
    assert set(REPORT_TYPES) | {"khac"} <= set(REPORT_TYPE_LABELS)


def test_severity_labels_agree_between_cli_and_dashboard():
    assert SEVERITY_LABELS == ETL_SEVERITY_LABELS
