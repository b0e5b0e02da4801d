"""The tables pages show, with their Vietnamese column headings from one table (COLUMN_LABELS):
the explorer, documents, findings, unassigned figures, published ranks, the coverage heatmap."""

from __future__ import annotations

import pandas as pd

from contract import STATUS_LABELS
from dashboard.figures import citations, finding_mark, labels_of
from dashboard.formatting import QUALIFIER_LABELS, original_name, period_short, vn_date, vn_value
from dashboard.reader import coverage_text

# What each shown column is called, whichever table shows it (pages and widgets name columns by
# these headings, e.g. column widths).
COLUMN_LABELS: dict[str, str] = {
    "indicator": "Chỉ tiêu", "value": "Giá trị", "unit": "Đơn vị", "period": "Kỳ", "province": "Tỉnh",
    "document": "Văn bản", "sentence": "Trích dẫn", "mark": "Kiểm tra", "status": "Trạng thái", "agency": "Cơ quan",
    "group": "Nhóm", "year": "Năm", "report_type": "Loại báo cáo", "period_label": "Kỳ báo cáo",
    "period_start": "Từ ngày", "period_end": "Đến ngày", "report_date": "Ngày báo cáo", "facts": "Số liệu",
    "coverage": "Độ phủ", "file": "Tệp", "severity": "Mức độ", "check": "Kiểm tra", "message": "Chi tiết",
    "measure": "Đơn vị đo", "reason": "Lý do chưa gán", "index": "Chỉ số", "rank": "Xếp hạng", "score": "Điểm",
    "source_url": "Nguồn công bố", "note": "Ghi chú",
}  # fmt: skip


def _table(**columns: object) -> pd.DataFrame:
    """A shown table: each column under its heading from COLUMN_LABELS, in the order given."""
    return pd.DataFrame({COLUMN_LABELS[name]: values for name, values in columns.items()})


def _flat(texts: pd.Series) -> list[str]:
    return [" ".join(str(t).split()) for t in texts]


def _marks(rows: pd.DataFrame, severity: str, label: str) -> list[str]:
    return [finding_mark(s, lbl) for s, lbl in zip(rows[severity], labels_of(rows, label), strict=True)]


def _notes(rows: pd.DataFrame) -> list[str]:
    """What qualifies each figure, in a few words beside it: 'hơn', 'khoảng', 'đã loại', '✖ Lỗi'
    (an exact, extracted figure without a finding has none)."""
    inexact = [QUALIFIER_LABELS.get(q, "") if q in ("at_least", "about", "at_most") else "" for q in rows["qualifier"]]
    changed = [STATUS_LABELS.get(s, s) if s != "extracted" else "" for s in rows["status"]]
    marks = _marks(rows, "finding_severity", "finding_label")
    return [" · ".join(p for p in parts if p) for parts in zip(inexact, changed, marks, strict=True)]


def explorer_table(rows: pd.DataFrame) -> pd.io.formats.style.Styler:
    """The explorer's columns in Vietnamese, the ones an official reads first on the left — the
    figure, then what qualifies it (``_notes``) before the long citation and sentence push the
    rest off-screen; numbers stay numbers, shown the Vietnamese way."""
    table = _table(
        indicator=rows["label_vi"], value=rows["value"], unit=rows["unit"],
        period=[period_short(a, b, c) for a, b, c in zip(rows["period_start"], rows["period_end"], rows["as_of"],
                                                          strict=True)],
        province=rows["province"], note=_notes(rows), document=citations(rows, None), sentence=_flat(rows["sentence"]),
        mark=_marks(rows, "finding_severity", "finding_label"),
        status=[STATUS_LABELS.get(s, s) for s in rows["status"]], agency=rows["agency"],
        group=rows["group_label"], year=rows["year"],
    )  # fmt: skip
    return table.style.format({"Giá trị": lambda v: vn_value(v), "Năm": lambda v: "" if pd.isna(v) else str(int(v))})


def value_width(values: pd.Series) -> int:
    """Pixels the 'Giá trị' column needs for its longest figure, so none is ever cut
    (the grid sizes columns from a sample of rows and clips numbers from the left)."""
    longest = max((len(vn_value(v)) for v in values), default=4)
    return max(8 * longest + 32, 80)


def text_width(values: object, low: int = 80, high: int = 420) -> int:
    """Pixels a text column needs for its longest value (the grid cuts a cell without a tooltip),
    between ``low`` and ``high``: a longer one still reads whole in the grid's cell view."""
    longest = max((len(str(v)) for v in values if isinstance(v, str)), default=0)
    return int(min(max(7.2 * longest + 24, low), high))


def documents_table(docs: pd.DataFrame) -> pd.DataFrame:
    """The loaded reports by citation; 'Tệp' is the name a report was uploaded under, blank for a
    stored, hashed name."""
    return _table(
        document=citations(docs, None), province=docs["province"], agency=docs["agency"],
        report_type=docs["report_type_label"], period_label=docs["period_label"],
        period_start=[vn_date(d) for d in docs["period_start"]], period_end=[vn_date(d) for d in docs["period_end"]],
        report_date=[vn_date(d) for d in docs["report_date"]], facts=docs["facts"],
        coverage=[coverage_text(c) for c in docs["coverage"]], file=[original_name(f) for f in docs["file_name"]],
    )  # fmt: skip


def findings_table(findings: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per finding, the province second so it stays on screen; the indicator tells apart
    two findings of the same check and message, and each document is named by its citation
    (``names``: doc_id -> citation)."""
    names = names or {}
    return _table(
        severity=_marks(findings, "severity", "severity_label"), province=findings["province"],
        indicator=findings["labels"].fillna("") if "labels" in findings else "",
        check=findings["title"], message=findings["message"],
        document=["; ".join(names.get(d, d) for d in docs) for docs in findings["doc_ids"]],
    )  # fmt: skip


def mentions_table(mentions: pd.DataFrame) -> pd.DataFrame:
    """The document's unassigned figures: value, measure word, why no indicator took it, quote."""
    return _table(value=[vn_value(v) for v in mentions["value"]], measure=mentions["measure"],
                  reason=mentions["reason"], sentence=_flat(mentions["quote"]))  # fmt: skip


def official_table(reference: pd.DataFrame) -> pd.DataFrame:
    return _table(
        province=reference["province"], index=reference["index_code"].str.replace("_", " "),
        year=reference["year"].astype(str),
        rank=[f"{r}/{n}" for r, n in zip(reference["rank"], reference["of_n"], strict=True)],
        score=[vn_value(v) if pd.notna(v) else "" for v in reference["score"]], source_url=reference["source_url"],
    )  # fmt: skip


def coverage_matrix(cov: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Indicator × document: 0 not reported, 1 reported, 2 with a warning, 3 with an error.
    A column is 'province · period · citation' (``names``: doc_id -> citation)."""
    if cov.empty:
        return pd.DataFrame()
    names = names or {}
    cov = cov.assign(
        doc=[
            f"{p or '?'} · {lbl or ''} · {names.get(d, d)}"
            for p, lbl, d in zip(cov["province"], cov["period_label"], cov["doc_id"], strict=True)
        ],
        level=[1 if pd.isna(w) or w == 2 else (3 if w == 0 else 2) for w in cov["worst"]],
    )
    order = cov.sort_values(["province", "doc_end"])["doc"].drop_duplicates().tolist()
    rows = cov.sort_values("sort_order")["label_vi"].drop_duplicates().tolist()
    return (
        cov.pivot_table(index="label_vi", columns="doc", values="level", aggfunc="max")
        .reindex(index=rows, columns=order)
        .fillna(0)
    )
