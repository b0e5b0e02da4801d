"""One number parser on every path: thousands grouped by spaces and counts in words are read in
prose and in table cells alike, and the evidence still quotes the file as written."""

from __future__ import annotations

from tests.conftest import make_report


def _facts(body: str) -> dict[str, tuple[float, str]]:
    return {f.indicator: (f.value, f.quote) for f in make_report(body).facts if f.role == "primary"}


def test_thousands_grouped_by_a_no_break_space_in_prose_keep_the_quote_as_written():
    facts = _facts("Trong năm, Trung tâm đã tiếp nhận 12\u00a0688 hồ sơ, đã giải quyết 12\u00a0673 hồ sơ.")
    value, quote = facts["tthc_received"]
    assert value == 12688 and "12\u00a0688" in quote
    assert facts["tthc_resolved"][0] == 12673


def test_thousands_grouped_by_spaces_in_a_table_cell():
    table = (
        "Kết quả giải quyết thủ tục hành chính\n\n"
        "| STT | Nội dung | Đơn vị tính | Kết quả |\n|---|---|---|---|\n"
        "| 1 | Số hồ sơ tiếp nhận | Hồ sơ | 4 120 |\n| 2 | Số hồ sơ đã giải quyết | Hồ sơ | 3 998 |\n"
    )
    facts = _facts(table)
    assert facts["tthc_received"][0] == 4120
    assert facts["tthc_resolved"][0] == 3998


def test_a_count_in_words_before_its_measure_noun_is_a_figure():
    facts = _facts("Trong kỳ báo cáo, Thanh tra Sở đã tiến hành năm cuộc thanh tra hành chính.")
    assert facts["inspections_total"][0] == 5


def test_the_year_written_as_năm_is_not_a_count():
    facts = _facts("Trong năm hồ sơ được giải quyết đúng hạn, không có hồ sơ quá hạn.")
    assert all(value != 5 for value, _ in facts.values())


def test_counts_in_words_are_found_where_a_word_opens_as_the_regex_would_find_them():
    from etl.text.numbers import number_word_matches, number_words_pattern

    pattern = number_words_pattern(("đơn", "cuộc", "hồ sơ"))
    text = "nhận sáu đơn; thai đơn; mười hai cuộc, hai mươi lăm hồ sơ và ba mươi mốt đơn; (bảy đơn) tám"
    found = [m.group("words") for m in number_word_matches(pattern, text)]
    assert found == ["sáu", "mười hai", "hai mươi lăm", "ba mươi mốt", "bảy"]
    opening = [m.group("words") for m in pattern.finditer(text) if not (m.start() and text[m.start() - 1].isalnum())]
    assert found == opening
    assert [m.group("words") for m in number_word_matches(pattern, text, 0, 38)] == ["sáu", "mười hai"]


def test_space_grouped_thousands_only_where_a_number_runs_into_a_word():
    from etl.text.numbers import unify_digit_groups

    text = "12 688 hồ sơ | 1 234 567 | 120 115 5 | 3.456 7 890 | 12\u00a0673 | 2,5 123 |"
    assert unify_digit_groups(text) == "12.688 hồ sơ | 1.234.567 | 120 115 5 | 3.456 7 890 | 12.673 | 2,5 123 |"
