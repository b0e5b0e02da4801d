"""Streamlit's own words in Vietnamese: what its config cannot turn off is hidden (CSS) or
translated in the browser (a small script that rewrites its fixed English strings, and lets its
lists match without tone marks); while a page works, "Đang tải…" says so.

Officials read only Vietnamese; Streamlit has no locale setting, so its menus, placeholders
and dialogs ("Select all", "Page not found", "Press Enter to apply") are rewritten here.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit

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
}
# Texts with a number or a name in them: (JavaScript regex, replacement)
PATTERNS: list[tuple[str, str]] = [
    (r"^Select (\d+) match(es)?$", "Chọn $1 kết quả"),
    (r"^You have requested page /(.*), but no corresponding file was found.*$",
     "Không có trang /$1. Đang mở trang chính."),
    # the uploader's limit, however the version words it: "Limit 200MB per file • TXT", "20MB per file"
    (r"^(?:Limit\s*)?(\d+(?:[.,]\d+)?)\s*([KMGT]?B)\s+per file(\s*•.*)?$", "Tối đa $1 $2 mỗi tệp$3"),
    (r"^(\d+) selected$", "Đã chọn $1"),
]
BUSY = "Đang tải…"  # shown while the server runs a page (Streamlit's own 'Running...' widget is hidden)
# The browser's code for charts and tables (Streamlit's largest parts, fetched when a page first shows
# one): fetched ahead once a page is drawn and the browser idle, so the next page does not wait for it.
_JS = Path(streamlit.__file__).parent / "static" / "static" / "js"
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
  const texts = %(texts)s;
  const patterns = %(patterns)s.map(([re, to]) => [new RegExp(re), to]);
  const turn = (s) => {
    const t = s.trim();
    if (!t) return null;
    if (texts[t]) return s.replace(t, texts[t]);
    for (const [re, to] of patterns) if (re.test(t)) return s.replace(t, t.replace(re, to));
    return null;
  };
  const fix = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const v = turn(n.nodeValue); if (v !== null && v !== n.nodeValue) n.nodeValue = v;
    }
    const els = root.querySelectorAll ? root.querySelectorAll("[title],[aria-label],[placeholder]") : [];
    for (const el of els) for (const a of ["title", "aria-label", "placeholder"]) {
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
  // page has been drawn for a second, the chart and table code fetched ahead when the browser is idle.
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
    if (still === 10 && main && ahead.length) {
      const fetch = () => { for (const f of ahead.splice(0)) import(new URL(f, main.src).href).catch(() => {}); };
      (window.requestIdleCallback || setTimeout)(fetch);
    }
  }, 100);
  fix(document.body);
  new MutationObserver((ms) => { for (const m of ms) {
    if (m.type === "characterData") {
      const v = turn(m.target.nodeValue); if (v !== null && v !== m.target.nodeValue) m.target.nodeValue = v;
    }
    for (const n of m.addedNodes || []) fix(n.nodeType === 3 ? n.parentNode || document.body : n);
    if (m.type === "attributes") fix(m.target);
  } }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
                               attributeFilter: ["title", "aria-label", "placeholder"]});
})();
"""


def page_html() -> str:
    """The style and script to put once on every page (st.html with JavaScript allowed)."""
    script = _SCRIPT % {"texts": json.dumps(TEXTS, ensure_ascii=False), "patterns": json.dumps(PATTERNS),
                        "busy": json.dumps(BUSY, ensure_ascii=False), "ahead": json.dumps(AHEAD)}
    return f"<style>{CSS}</style><script>{script}</script>"
