"""Streamlit's own words in Vietnamese: what its config cannot turn off is hidden (CSS) or
translated in the browser (a small script that rewrites its fixed English strings, and lets its
lists match without tone marks); while a page works, "Đang tải…" says so.

Officials read only Vietnamese; Streamlit has no locale setting, so its menus, placeholders,
tooltips and labels read aloud ("Select all", "Show/hide columns", "Năm — start") are rewritten
here, and its date picker is told the page's language is Vietnamese, whatever the browser's.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

# Streamlit's fixed texts -> Vietnamese (exact matches after trimming)
TEXTS: dict[str, str] = {
    "Page not found": "Không tìm thấy trang",
    "The page that you have requested does not seem to exist. Running the app's main page.": (
        "Trang được yêu cầu không tồn tại. Đang mở trang chính."
    ),
    "Select all": "Chọn tất cả",
    "Skip to main content": "Chuyển đến nội dung chính",
    "Connection error": "Mất kết nối tới máy chủ",
    "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:": (
        "Máy chủ bảng điều khiển có thể đã dừng. Liên hệ quản trị hệ thống để khởi động lại."
    ),
    "No results": "Không có kết quả",
    "No options to select": "Không có lựa chọn",
    "Press Enter to apply": "Nhấn Enter để áp dụng",
    "Press Enter to submit form": "Nhấn Enter để gửi",
    "Drag and drop files here": "Kéo thả tệp vào đây",
    "Browse files": "Chọn tệp",
    "Upload": "Tải lên",
    "Running...": "Đang xử lý…",
    "Stop": "Dừng",
    "Connecting": "Đang kết nối",
    "Search": "Tìm",
    "Fullscreen": "Toàn màn hình",
    "Close fullscreen": "Thu nhỏ",
    "Close": "Đóng",
    "Sort ascending": "Sắp xếp tăng dần",
    "Sort descending": "Sắp xếp giảm dần",
    "Pin column": "Ghim cột",
    "Unpin column": "Bỏ ghim cột",
    "Hide column": "Ẩn cột",
    "Autosize": "Tự điều chỉnh độ rộng",
    "Format": "Định dạng",
    "Clear all": "Bỏ chọn tất cả",
    "Clear value": "Xóa giá trị",
    "Show password text": "Hiện mật khẩu",
    "Hide password text": "Ẩn mật khẩu",
    "Show password": "Hiện mật khẩu",
    "Hide password": "Ẩn mật khẩu",
    "Choose an option": "Chọn một mục",
    "Dismiss": "Đóng",
    "Selected values": "Các giá trị đã chọn",
    # the sidebar and headings (read aloud, shown on hover)
    "Sidebar": "Thanh bên",
    "Collapse sidebar": "Thu gọn thanh bên",
    "Expand sidebar": "Mở thanh bên",
    "App pages": "Các trang",
    "Open": "Mở",
    "Link to heading": "Liên kết tới mục này",
    "Vega visualization": "Biểu đồ",
    # a table's toolbar, column menu and its statistics
    "Clear selection": "Bỏ chọn",
    "Show/hide columns": "Hiện/ẩn cột",
    "(index)": "(số thứ tự dòng)",
    "Download as CSV": "Tải CSV",
    "Add row": "Thêm dòng",
    "Delete row(s)": "Xóa dòng",
    "Dataframe column menu": "Trình đơn của cột",
    "Copy column name": "Sao chép tên cột",
    "Statistics": "Thống kê",
    "Count": "Số ô",
    "Distinct": "Số giá trị khác nhau",
    "Empty": "Số ô trống",
    "Minimum": "Nhỏ nhất",
    "Maximum": "Lớn nhất",
    "Median": "Trung vị",
    "Average": "Trung bình",
    "Sum": "Tổng",
    "Standard deviation": "Độ lệch chuẩn",
    "Range": "Khoảng",
    "Values": "Giá trị",
    "Minimum length": "Độ dài nhỏ nhất",
    "Maximum length": "Độ dài lớn nhất",
    "Average length": "Độ dài trung bình",
    "Top values frequency chart": "Biểu đồ các giá trị thường gặp",
    "Based on sample": "Tính trên mẫu",
    "No data": "Không có dữ liệu",
    "Automatic": "Tự động",
    "Localized": "Theo ngôn ngữ",
    "Plain": "Số thường",
    "Compact": "Rút gọn",
    "Percent": "Phần trăm",
    "Scientific": "Khoa học",
    "Accounting": "Kế toán",
    "Dollar": "Đô la",
    "Euro": "Euro",
    "Yen": "Yên",
    "Calendar": "Lịch",
    "Duration": "Khoảng thời gian",
    "Distance": "Khoảng cách",
    "Rename": "Đổi tên",
    "Edit": "Sửa",
    "text": "chữ",
    "number": "số",
    "Next Result": "Kết quả sau",
    "Previous Result": "Kết quả trước",
    "Close Search": "Đóng tìm kiếm",
    # the date picker (its calendar speaks the page's language whatever the browser's, below)
    "Date range": "Khoảng ngày",
    "Select...": "Chọn…",
    "Quick select a date range": "Chọn nhanh khoảng ngày",
    "Choose date range": "Chọn khoảng ngày",
    "Choose date": "Chọn ngày",
    "Clear date": "Xóa ngày",
    "Clear dates": "Xóa ngày",
    "Use arrow keys to navigate dates. Enter to select. Escape to close.": (
        "Dùng phím mũi tên để chuyển ngày, Enter để chọn, Esc để đóng."
    ),
    "Past Week": "Một tuần qua",
    "Past Month": "Một tháng qua",
    "Past 3 Months": "3 tháng qua",
    "Past 6 Months": "6 tháng qua",
    "Past Year": "Một năm qua",
    "Past 2 Years": "2 năm qua",
    "Last available date": "Ngày cuối có thể chọn",
    "Previous month": "Tháng trước",
    "Next month": "Tháng sau",
    "Previous": "Trước",
    "Next": "Sau",
    "month": "tháng",
    "year": "năm",
    "day": "ngày",
}
# the date field's parts as the calendar names them aloud (Streamlit keeps those fields in en-US)
_PARTS = (("day", "ngày"), ("month", "tháng"), ("year", "năm"))
_ENDS = (("start", "từ ngày"), ("end", "đến ngày"))
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
# Texts with a number or a name in them: (JavaScript regex, replacement)
PATTERNS: list[tuple[str, str]] = [
    (r"^Select (\d+) match(es)?$", "Chọn $1 kết quả"),
    (r"^You have requested page /(.*), but no corresponding file was found.*$",
     "Không có trang /$1. Đang mở trang chính."),
    # the uploader's limit, however the version words it: "Limit 200MB per file • TXT", "20MB per file"
    (r"^(?:Limit\s*)?(\d+(?:[.,]\d+)?)\s*([KMGT]?B)\s+per file(\s*•.*)?$", "Tối đa $1 $2 mỗi tệp$3"),
    (r"^(\d+) selected$", "Đã chọn $1"),
    (r"^(.+) — start$", "$1 — từ"),  # a range slider's thumbs
    (r"^(.+) — end$", "$1 — đến"),
    (r"^(\d+) options? available\.$", "Có $1 lựa chọn."),
    # the calendar read aloud: its dates are Vietnamese (the page's language), the words around them not
    (r"^Selected Range: (.+) to (.+), ((?:Thứ|Chủ) .+) selected$", "Khoảng đã chọn: $1 đến $2, $3 (đã chọn)"),
    (r"^Selected Range: (.+) to (.+)$", "Khoảng đã chọn: $1 đến $2"),
    (r"^(.+) selected$", "$1 (đã chọn)"),
    (r"^Choose date range, (.+)$", "Chọn khoảng ngày, $1"),
    (r"^Choose date, (.+)$", "Chọn ngày, $1"),
    *[(rf"^{part}, (.+) {end} date$", f"{vi}, $1 ({vi_end})") for part, vi in _PARTS for end, vi_end in _ENDS],
    *[(rf"^{part}, (.+)$", f"{vi}, $1") for part, vi in _PARTS],
    *[(rf"^(\d{{1,2}}) – {month}$", f"$1 – tháng {n}") for n, month in enumerate(_MONTHS, start=1)],
]
BUSY = "Đang tải…"  # shown while the server runs a page (Streamlit's own 'Running...' widget is hidden)
# The browser's code for charts and tables (Streamlit's largest parts, fetched when a page first shows
# one): fetched ahead once a page is drawn and the browser idle, so the next page does not wait for it.
_JS = Path(importlib.util.find_spec("streamlit").origin).parent / "static" / "static" / "js"  # found, not imported
AHEAD = [path.name for part in ("PlotlyChart", "DataFrame") for path in sorted(_JS.glob(f"{part}.*.js"))[:1]]
# What cannot be translated or is not for officials: Streamlit's main menu (Print, Record screen,
# Settings), the deploy and status widgets, plotly's toolbar; the reader's comfort for tables.
CSS = """
[data-testid="stMainMenu"], [data-testid="stAppDeployButton"], [data-testid="stStatusWidget"],
[data-testid="stToolbarActions"], .modebar-container { display: none !important; }
/* a key-figure sparkline's hover prints the raw number ('2813493', a rank drawn as -44): the card says it */
#vg-tooltip-element, .vg-tooltip { display: none !important; }
#so-lieu-dang-tai { position: fixed; top: 0.8rem; right: 1.2rem; z-index: 1000200; display: flex;
  align-items: center; gap: 0.5rem; padding: 0.3rem 0.9rem; border-radius: 1rem; background: #1f4e79;
  color: #fff; font-size: 0.9rem; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.25); pointer-events: none; }
#so-lieu-dang-tai[hidden] { display: none; }
#so-lieu-dang-tai::before { content: ""; width: 0.8rem; height: 0.8rem; border-radius: 50%;
  border: 2px solid rgba(255, 255, 255, 0.35); border-top-color: #fff; animation: so-lieu-quay 0.8s linear infinite; }
@keyframes so-lieu-quay { to { transform: rotate(360deg); } }
"""

_SCRIPT = """
(() => {
  if (window.__soLieuViet) return;
  window.__soLieuViet = true;
  // Streamlit hands the browser's language to its date picker: the calendar (month and day names)
  // is Vietnamese whatever the browser's locale. Numbers are formatted on the server, never by locale.
  Object.defineProperty(Navigator.prototype, "language", {configurable: true, get: () => "vi-VN"});
  Object.defineProperty(Navigator.prototype, "languages", {configurable: true, get: () => ["vi-VN", "vi"]});
  const texts = new Map(Object.entries(%(texts)s));
  const patterns = %(patterns)s.map(([re, to]) => [new RegExp(re), to]);
  const ATTRS = ["title", "aria-label", "placeholder", "aria-valuetext"];
  const turn = (s) => {
    const t = s.trim();
    if (!t || t.length > 300) return null;  // none of Streamlit's texts is longer: a report's sentence
    if (texts.has(t)) return s.replace(t, texts.get(t));
    for (const [re, to] of patterns) if (re.test(t)) return s.replace(t, t.replace(re, to));
    return null;
  };
  // Charts (SVG) and a table's cells hold only the server's own Vietnamese: not walked, they are most of a page
  const OWN = "svg, script, style, [data-testid='stDataFrame'] table";
  const own = {acceptNode: (n) => n.nodeType === 3 ? NodeFilter.FILTER_ACCEPT
    : n.matches(OWN) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP};
  const fix = (root) => {
    if (!(root.closest && root.closest(OWN))) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT, own);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.nodeType !== 3) continue;
        const v = turn(n.nodeValue); if (v !== null && v !== n.nodeValue) n.nodeValue = v;
      }
    }
    if (!root.querySelectorAll) return;
    const els = [root, ...root.querySelectorAll(ATTRS.map((a) => `[${a}]`).join(","))];  // the root's own too
    for (const el of els) for (const a of ATTRS) {
      const v = el.getAttribute(a); const w = v && turn(v); if (w && w !== v) el.setAttribute(a, w);
    }
  };
  // Lists (Tỉnh, Chỉ tiêu, Mức độ…) match without tone marks, as Tra cứu's search does: Streamlit's
  // own filter lower-cases label and typed text, so while a list's search box has the focus,
  // lower-casing also drops tone marks and reads đ as d ('tra vinh' finds 'Trà Vinh').
  const lower = String.prototype.toLowerCase;
  const plain = /^[\\x00-\\x7f]*$/;
  const LIST = '[data-testid="stMultiSelect"] input, [data-testid="stSelectbox"] input';
  String.prototype.toLowerCase = function () {
    const s = lower.call(this);
    if (plain.test(s)) return s;
    const at = document.activeElement;
    if (!at || !at.matches || !at.matches(LIST)) return s;
    return s.normalize("NFD").replace(/[\\u0300-\\u036f]/g, "").replace(/đ/g, "d");
  };
  // "Đang tải…" while the server runs the page (after 0.2 s: a quick rerun does not flicker); once the
  // page has been drawn for half a second, the chart and table code fetched ahead when the browser is idle.
  const busy = document.createElement("div");
  busy.id = "so-lieu-dang-tai"; busy.setAttribute("role", "status"); busy.textContent = %(busy)s; busy.hidden = true;
  document.body.appendChild(busy);
  const ahead = %(ahead)s;
  const main = document.querySelector('script[type="module"][src*="/static/js/index."]');
  let running = 0, still = 0;
  setInterval(() => {
    const app = document.querySelector("[data-test-script-state]");
    const state = app && app.getAttribute("data-test-script-state");
    const works = state === "running" || state === "rerunRequested";
    running = works ? running + 1 : 0; still = works ? 0 : still + 1;
    busy.hidden = running < 2;
    if (still === 5 && main && ahead.length) {
      const fetch = () => { for (const f of ahead.splice(0)) import(new URL(f, main.src).href).catch(() => {}); };
      (window.requestIdleCallback || setTimeout)(fetch);
    }
  }, 100);
  fix(document.body);
  new MutationObserver((ms) => { for (const m of ms) {
    if (m.type === "characterData" && !m.target.parentElement?.closest(OWN)) {
      const v = turn(m.target.nodeValue); if (v !== null && v !== m.target.nodeValue) m.target.nodeValue = v;
    }
    for (const n of m.addedNodes || []) {
      const el = n.nodeType === 3 ? n.parentNode : n;
      if (el && el.nodeType === 1 && !el.parentElement?.closest(OWN)) fix(el);  // a chart's inside: its own words
    }
    if (m.type === "attributes") fix(m.target);
  } }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                               attributeFilter: ATTRS});
})();
"""


def page_html() -> str:
    """The style and script to put once on every page (st.html with JavaScript allowed)."""
    script = _SCRIPT % {"texts": json.dumps(TEXTS, ensure_ascii=False), "patterns": json.dumps(PATTERNS),
                        "busy": json.dumps(BUSY, ensure_ascii=False), "ahead": json.dumps(AHEAD)}
    return f"<style>{CSS}</style><script>{script}</script>"
