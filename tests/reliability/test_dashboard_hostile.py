"""The dashboard against hostile input ("Nothing lost, nothing taken down"): Markdown and HTML in
links, report titles, file names and findings render as text; a warehouse swap never closes a
connection under a reader; sign-ins slow down and lock out; odd uploads and editor names are
refused or carried safely to the ETL.

The pages run through Streamlit's AppTest on warehouses the product's own ETL built (copied and
altered in place where a report would need a name no file system allows)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
import time

import duckdb
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dashboard import auth, data, importing, queries
from dashboard.auth import SignInGuard, client_keys, hash_password
from dashboard.formatting import md_code, md_escape
from etl.build import build_warehouse
from etl.serving import write_serving
from tests.app.conftest import make_site
from tests.conftest import RAW, ROOT

LINK, IMAGE, HTML = "[x](https://e.x)", "![x](http://e.x/i.png)", "<b>x</b>"
PAYLOADS = (LINK, IMAGE, HTML)
HOSTILE = " ".join(PAYLOADS)
LIVE_SYNTAX = ("](", "![", "<b>", "</b>")  # what a rendered link, image or tag needs, unescaped
DOC = "004_f3cae4251c6f1b42.txt"  # a Tây Ninh sample with KPI figures and findings
PASSWORD = "mật khẩu thử nghiệm"
_SPECIALS = set("\\`*_{}[]()#+-.!|<>~$:=^&")
_CODE_SPAN = re.compile(r"(`+)(.*?)\1", re.DOTALL)
CRAFTED_URL = "[x](https://evil.example/a) www.evil.example/b"


def outside_code(value: str) -> str:
    """The Markdown outside code spans: the only part that can become a link."""
    return _CODE_SPAN.sub("", value)


def as_read(markdown: str) -> str:
    """The text a reader sees: escapes undone outside code spans, code spans as they are."""
    seen, last = [], 0
    for span in _CODE_SPAN.finditer(markdown):
        seen += [re.sub(r"\\(.)", r"\1", markdown[last : span.start()]), span.group(2).strip()]
        last = span.end()
    return "".join([*seen, re.sub(r"\\(.)", r"\1", markdown[last:])]).replace("  \n", "\n")


# ---------------------------------------------------------------- the escaping helper


@pytest.mark.parametrize("payload", [*PAYLOADS, "# tiêu đề", "- mục", "1. mục", "> trích", ":red[đỏ]", "a  \nb"])
def test_md_escape_leaves_no_live_markdown(payload):
    out = md_escape(payload)
    assert not any(s in out for s in LIVE_SYNTAX)
    assert not out.lstrip().startswith(("#", "-", "1.", ">", ":red["))
    assert as_read(out) == payload  # the reader sees the same text


@given(st.text(max_size=60))
def test_md_escape_escapes_every_special_character(text):
    assume("@" not in text and "://" not in text and "www." not in text.lower())  # addresses: code spans
    out = md_escape(text)
    bare = re.sub(r"\\(.)", "", out)  # drop every escaped pair: no special character may remain
    assert not _SPECIALS & set(bare)
    assert md_escape(None) == ""


# ---------------------------------------------------------------- hostile text on the pages


@pytest.fixture(scope="module")
def hostile_warehouse(warehouse, tmp_path_factory):
    """The test warehouse with every title, file name, period label and finding carrying a link,
    an image and HTML — as a report (or an editor's correction) could."""
    db = tmp_path_factory.mktemp("hostile") / "warehouse.duckdb"
    shutil.copy(warehouse, db)
    con = duckdb.connect(str(db))
    try:
        con.execute(
            "UPDATE documents SET title = ? || ' ' || coalesce(title, ''), file_name = ? || ' ' || file_name, "
            "period_label = ? || ' ' || coalesce(period_label, '')",
            [HOSTILE, HOSTILE, HOSTILE],
        )
        con.execute("UPDATE findings SET title = ? || ' ' || title, message = ? || ' ' || message", [HOSTILE, HOSTILE])
        write_serving(con)  # the serving tables answer from what the tables now hold, as a build's would
    finally:
        con.close()
    return db


def rendered(at: AppTest) -> list[str]:
    """Every value Streamlit renders as Markdown: texts, alerts, headings, metric labels and
    tooltips, expander labels — main area and sidebar."""
    values = [
        e.value for kind in ("markdown", "caption", "info", "warning", "error", "success") for e in getattr(at, kind)
    ]
    values += [e.value for kind in ("title", "header", "subheader") for e in getattr(at, kind)]
    values += [m.label for m in at.metric] + [m.proto.help for m in at.metric]
    values += [e.label for e in at.get("expandable")]
    return [str(v) for v in values]


def assert_shown_as_text(at: AppTest, *payloads: str) -> None:
    assert not at.exception, at.exception
    values = rendered(at)
    for value in values:
        assert not any(s in outside_code(value) for s in LIVE_SYNTAX), value
    joined = "\n".join(values)
    for payload in payloads:
        assert md_escape(payload) in joined or md_code(payload) in joined


@pytest.mark.parametrize("text", [CRAFTED_URL, "Nguồn: http://a.b/c?x=1, thư gửi a.b@so.gov.vn.", "WWW.E.X"])
def test_md_escape_leaves_no_address_to_autolink(text):
    out = md_escape(text)
    assert not re.search(r"(?i)https?|www|@", outside_code(out)), out
    assert as_read(out) == text


@pytest.mark.parametrize("value", [CRAFTED_URL, "`tick` ``two`` https://e.x", "``"])
def test_md_code_quotes_a_value_whole(value):
    quoted = md_code(value)
    assert outside_code(quoted) == "" and _CODE_SPAN.fullmatch(quoted)
    assert _CODE_SPAN.fullmatch(quoted).group(2).strip() == value


def open_page(page: str, **query: str | list[str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


def test_a_url_in_a_link_value_is_quoted_never_left_to_autolinking(warehouse, monkeypatch):
    monkeypatch.setenv("WAREHOUSE", str(warehouse))
    at = open_page("pages/tra_cuu.py", tinh=CRAFTED_URL, nam=CRAFTED_URL, co_quan=CRAFTED_URL)
    warnings = [w.value for w in at.sidebar.warning]
    assert len(warnings) == 3 and all("https" in w for w in warnings)
    for warning in warnings:  # Markdown autolinks "https://…" and "www.…" even when escaped
        assert not re.search(r"https?|www|evil", outside_code(warning)), warning


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_link_value_is_echoed_as_text_in_the_sidebar(warehouse, monkeypatch, payload):
    monkeypatch.setenv("WAREHOUSE", str(warehouse))
    at = open_page("pages/tong_quan.py", tinh=payload, nam=payload, co_quan=["Sở Nội vụ", payload])
    assert_shown_as_text(at, payload)
    warnings = [w.value for w in at.sidebar.warning]
    assert len(warnings) == 3 and all("bỏ qua" in w for w in warnings)


def test_report_titles_file_names_and_periods_render_as_text(hostile_warehouse, monkeypatch):
    monkeypatch.setenv("WAREHOUSE", str(hostile_warehouse))
    at = open_page("pages/van_ban.py", van_ban=DOC)  # subheader = title, caption = period label
    assert_shown_as_text(at, HOSTILE)
    assert md_escape(HOSTILE) in at.subheader[0].value

    at = open_page("pages/tong_quan.py", tinh="Tây Ninh")  # tooltips name the source file
    assert_shown_as_text(at, HOSTILE)
    assert at.metric and all(md_escape(HOSTILE) in m.proto.help for m in at.metric)

    at = open_page("pages/xu_huong.py", tinh="Tây Ninh")  # the evidence header names the file
    at.selectbox(key="diem_tthc_received").select_index(0).run()
    assert_shown_as_text(at, HOSTILE)
    assert any(m.value.startswith("**Hồ sơ thủ tục hành chính tiếp nhận**: ") for m in at.markdown)
    assert any(md_escape(HOSTILE) in c.value for c in at.caption if c.value.startswith("Nguồn: "))


def test_a_finding_message_renders_as_text(hostile_warehouse, monkeypatch):
    monkeypatch.setenv("WAREHOUSE", str(hostile_warehouse))
    at = open_page("pages/chat_luong.py")
    at.session_state["bang_phat_hien"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert_shown_as_text(at, HOSTILE)
    heading = next(m.value for m in at.markdown if m.value.startswith("**"))
    assert heading.count(md_escape(HOSTILE)) == 2  # the check's title and its message


def test_plotly_texts_carry_no_markup():
    import pandas as pd

    from dashboard import charts

    bars = pd.DataFrame({"province": [HTML], "value": [1.0], "period": ["2024"], "tick": [HTML],
                         "value_text": ["1"], "label_vi": [HTML], "sort_order": [1], "kind": ["stock"]})  # fmt: skip
    fig = charts.compare_group(bars, "Chỉ tiêu", "hồ sơ", [HTML])
    assert fig.data[0].name == "&lt;b&gt;x&lt;/b&gt;" and "<b>" not in str(fig.data[0].x)


# ---------------------------------------------------------------- connections across swaps


@pytest.mark.slow
def test_ten_readers_across_twenty_swaps_see_no_error(warehouse, hostile_warehouse, tmp_path, monkeypatch):
    """Builds swap a new file in (os.replace) while ten sessions' threads query: no query fails,
    every retired connection is closed once idle, and readers end on the newest file."""
    live = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse, live)
    monkeypatch.setenv("WAREHOUSE", str(live))
    opened: list[data._Shared] = []

    class Recorded(data._Shared):
        def __init__(self, *args: object) -> None:
            super().__init__(*args)
            opened.append(self)

    monkeypatch.setattr(data, "_Shared", Recorded)
    monkeypatch.setattr(data, "_current", None)
    errors: list[str] = []
    titles: set[str] = set()
    done = [0]
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                with data._cursor() as cur:  # every read a query of its own (the cache would answer most)
                    (meta, facts), build = queries.document(cur, DOC), queries.latest_build(cur)
                assert meta is not None and not facts.empty and build is not None
                titles.add(meta["title"])
                done[0] += 1
            except Exception as e:  # noqa: BLE001 - every failure is the finding
                errors.append(repr(e))

    threads = [threading.Thread(target=reader) for _ in range(10)]
    for t in threads:
        t.start()
    try:
        for i in range(20):
            before = done[0]
            staged = tmp_path / f"warehouse.duckdb.tmp-{i}"
            shutil.copy(hostile_warehouse if i % 2 == 0 else warehouse, staged)
            staged.replace(live)  # os.replace, as a build swaps its file in
            deadline = time.monotonic() + 3
            while done[0] < before + 5 and time.monotonic() < deadline:  # readers overlap every swap
                time.sleep(0.01)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    assert done[0] >= 100 and len(titles) == 2  # both warehouses were read
    assert len(opened) >= 20
    assert all(s._closed for s in opened[:-1]) and not opened[-1]._closed  # no leak, nothing closed early
    with data._cursor() as cur:
        meta, _ = queries.document(cur, DOC)
    assert md_escape(HOSTILE) not in (meta["title"] or "") and HOSTILE not in meta["title"]  # the last swap


# ---------------------------------------------------------------- sign-in: delay and lockout


@pytest.fixture
def guard(monkeypatch):
    """A clean process-wide guard with a short, test-sized delay; cleaned again afterwards."""
    auth.GUARD.reset()
    monkeypatch.setenv("EDITOR_FAILURE_DELAY", "0.05")
    yield auth.GUARD
    auth.GUARD.reset()


@pytest.fixture
def editor_site(tmp_path, monkeypatch):
    """The app tests' data folder (tests/app/conftest.make_site) with an editor's password set."""
    monkeypatch.setenv("EDITOR_PASSWORD_HASH", hash_password(PASSWORD, iterations=1000))
    return make_site(tmp_path, monkeypatch, build_warehouse)


def open_import() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/nhap_bao_cao.py")
    return at.run()


def sign_in(at: AppTest, password: str = PASSWORD, name: str = "Nguyễn Văn A") -> AppTest:
    at.text_input(key="ho_ten").input(name)
    at.text_input(key="mat_khau").input(password)
    return at.button[0].click().run()


@pytest.mark.slow
def test_five_wrong_passwords_lock_the_session_and_the_address_until_the_window_passes(editor_site, guard, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(guard, "_clock", lambda: now[0])
    monkeypatch.setenv("EDITOR_LOCKOUT_SECONDS", "60")
    at = open_import()
    took = []
    for _ in range(5):
        start = time.perf_counter()
        at = sign_in(at, "sai mật khẩu")
        took.append(time.perf_counter() - start)
        assert "Sai mật khẩu" in at.error[0].value
    assert took[-1] >= 0.8 > took[0]  # 0.05 · 2^4: each failure answers more slowly
    at = sign_in(at)  # the 6th try, with the right password: refused
    assert "tạm khóa" in at.error[0].value and "1 phút 0 giây" in at.error[0].value
    assert len(at.file_uploader) == 0 and "bien_tap_vien" not in at.session_state
    other = sign_in(open_import())  # a new session from the same (unknown) address: refused too
    assert "tạm khóa" in other.error[0].value and len(other.file_uploader) == 0
    now[0] += 61  # the window has passed
    at = sign_in(at)
    assert not at.exception and len(at.file_uploader) == 1


def test_the_window_is_configurable_and_counts_per_key(monkeypatch):
    monkeypatch.setenv("EDITOR_LOCKOUT_SECONDS", "0.6")
    monkeypatch.setenv("EDITOR_FAILURE_DELAY", "0.5")
    guard = SignInGuard()
    mine, same_address, elsewhere = (
        client_keys("a", "10.0.0.7"),
        client_keys("b", "10.0.0.7"),
        client_keys("c", "10.0.0.8"),
    )
    delays = [guard.failed(mine) for _ in range(5)]
    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0]
    assert guard.locked_for(mine) > 0 and guard.locked_for(same_address) > 0 and guard.locked_for(elsewhere) == 0
    assert client_keys("x", None)[1] == client_keys("y", None)[1]  # unknown addresses share one counter
    time.sleep(0.65)
    assert guard.locked_for(mine) == 0 and guard.failed(mine) == 0.5  # the count starts again


# ---------------------------------------------------------------- uploads and editor names


@pytest.mark.slow
def test_an_exe_upload_is_refused_in_vietnamese_and_a_report_beside_it_still_reads(editor_site, guard):
    at = sign_in(open_import(), name=HTML)
    assert_shown_as_text(at, HTML)  # "Đang đăng nhập: <b>x</b>" as text
    report = (RAW / DOC).read_bytes()
    at.file_uploader(key="tai_len").set_value(
        [("virus.exe", b"MZ\x90\x00" + b"\x00" * 64, "application/octet-stream"), ("bao_cao.txt", report, "text/plain")]
    ).run()
    assert not at.exception, at.exception
    assert any("virus\\.exe: không nhận loại tệp này" in e.value for e in at.error)
    assert any("bao\\_cao\\.txt" in w.value and "đã có trong kho" in w.value for w in at.warning)


@pytest.mark.slow
def test_an_editor_name_starting_with_dashes_reaches_the_log(editor_site, guard):
    at = sign_in(open_import(), name="--yes")
    assert not at.exception and len(at.file_uploader) == 1
    at.selectbox(key="van_ban_sua").select("000_542a35844e80859c.txt").run()
    picker = at.selectbox(key="so_lieu_cu")
    picker.select(next(o for o in picker.options if o.startswith("Hồ sơ thủ tục hành chính tiếp nhận")))
    at.text_input(key="gia_tri_cu").input("40")
    at.text_input(key="ly_do_cu").input("Sở gửi văn bản đính chính")
    next(b for b in at.button if b.label == "Ghi nhận sửa số liệu").click().run()
    at.button(key="luu_sua").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    logged = [json.loads(line) for line in editor_site["log"].read_text(encoding="utf-8").splitlines()]
    assert [r["who"] for r in logged] == ["--yes"]


def test_every_etl_command_line_carries_values_with_equals(tmp_path, monkeypatch):
    calls: list[list[str]] = []

    def fake_run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess:
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, 0, stdout="", stderr="")

    monkeypatch.setattr(importing.subprocess, "run", fake_run)
    upload = importing.Upload("--help.txt", b"x")
    importing.preview([upload], tmp_path / "wh.duckdb")
    importing.publish([upload], [], "--who", tmp_path / "wh.duckdb")
    importing.correct([], "-x --yes", tmp_path / "wh.duckdb")
    for cmd in calls:
        options = cmd[cmd.index("etl") + 2 :]
        flags = {"--yes", "--dry-run", "--json"}
        assert all(a in flags or (a.startswith("--") and "=" in a) for a in options), cmd
    assert "--who=--who" in calls[1] and "--who=-x --yes" in calls[2]
