"""A national corpus for benchmarks: every province × agencies × years × report kinds, written
with varied names, periods, figures and phrasings, and the true figures beside it (truth.csv).
A report signed before its province's merger (1 July 2025) carries the name of one of the
provinces the unit was made of (data/reference/admin_units_2025.csv), so builds map them.

    python bench/corpus.py --out /tmp/national [--provinces 34 --agencies 20 --years 10 --kinds 4]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.gazetteer import AGENCIES, PROVINCES_2025  # noqa: E402

KINDS = {
    "dan_chu_co_so": "Kết quả thực hiện dân chủ ở cơ sở",
    "dan_van_chinh_quyen": "Kết quả thực hiện công tác dân vận chính quyền",
    "cai_cach_hanh_chinh": "Kết quả thực hiện công tác cải cách hành chính",
    "chuyen_doi_so": "Tình hình thực hiện nhiệm vụ chuyển đổi số",
}
# ≈ 1 GB for the ≈ 27,000 reports of the national corpus, near the samples' own sizes (19–53 kB).
DOC_BYTES = 37_000
PERIODS = [("6 tháng đầu năm {y}", 6), ("năm {y}", 12), ("9 tháng năm {y}", 9), ("quý III năm {y}", None)]


ADMIN_UNITS = ROOT / "data" / "reference" / "admin_units_2025.csv"


def former_names(path: Path = ADMIN_UNITS) -> dict[str, list[tuple[str, date]]]:
    """Today's unit -> the provinces it was made of, each with the date it joined."""
    out: dict[str, list[tuple[str, date]]] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            since = date.fromisoformat(row["effective_date"])
            out.setdefault(row["new_province"], []).append((row["old_province"], since))
    return out


def reported_name(unit: str, signed: date, formers: dict[str, list[tuple[str, date]]], turn: int) -> str:
    """The province a report signed on ``signed`` names: before the merger, one of those the unit
    was made of (the ``turn``-th, so each appears); from the merger on, the unit."""
    before = [old for old, since in formers.get(unit, []) if signed < since]
    return before[turn % len(before)] if before else unit


def vn(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def pct(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


Block = Callable[[random.Random, dict], tuple[str, list[tuple[str, float]]]]


def staff(rng: random.Random, ctx: dict) -> tuple[str, list]:
    a, b, c = rng.randint(10, 60), rng.randint(5, 80), rng.randint(1, 15)
    t = a + b + c
    text = rng.choice([
        f"Tổng số cán bộ, công chức, viên chức và người lao động: {t} người, trong đó: công chức: {a} người, "
        f"viên chức: {b} người, hợp đồng lao động: {c} người.",
        f"Tính đến thời điểm báo cáo, {ctx['agency']} có {t} công chức, viên chức, người lao động; trong đó: "
        f"{a} công chức, {b} viên chức và {c} hợp đồng lao động.",
    ])  # fmt: skip
    return text, [
        ("staff_total", t),
        ("staff_civil_servants", a),
        ("staff_public_employees", b),
        ("staff_contracts", c),
    ]


def dossiers(rng: random.Random, ctx: dict) -> tuple[str, list]:
    r = rng.randint(20, 30000)
    s = r - rng.randint(0, max(1, r // 20))
    text = rng.choice([
        f"Trong kỳ, {ctx['agency']} đã tiếp nhận {vn(r)} hồ sơ, đã giải quyết {vn(s)} hồ sơ.",
        f"Kết quả giải quyết thủ tục hành chính: tiếp nhận {vn(r)} hồ sơ; trả kết quả {vn(s)} hồ sơ.",
        f"Số hồ sơ tiếp nhận: {vn(r)} hồ sơ; số hồ sơ đã giải quyết: {vn(s)} hồ sơ.",
    ])  # fmt: skip
    return text, [("tthc_received", r), ("tthc_resolved", s)]


def ontime(rng: random.Random, ctx: dict) -> tuple[str, list]:
    x = round(rng.uniform(85, 100), 1)
    text = rng.choice([f"Tỷ lệ hồ sơ giải quyết đúng hạn đạt {pct(x)}%.", f"Tỷ lệ giải quyết đúng hạn: {pct(x)}%."])
    return text, [("tthc_ontime_rate", x)]


def hotline(rng: random.Random, ctx: dict) -> tuple[str, list]:
    r = rng.randint(100, 9000)
    s = r - rng.randint(0, r // 10)
    text = rng.choice([
        f"Tổng đài 1022 đã tiếp nhận {vn(r)} phản ánh, đã xử lý {vn(s)} phản ánh; đang xử lý {vn(r - s)} phản ánh.",
        f"Kết quả xử lý phản ánh qua Tổng đài 1022:\n+ Tiếp nhận {vn(r)} phản ánh, trong đó đã xử lý {vn(s)} phản ánh; "
        f"đang xử lý {vn(r - s)} phản ánh.",
    ])  # fmt: skip
    return text, [("hotline1022_received", r), ("hotline1022_resolved", s), ("hotline1022_in_progress", r - s)]


def petitions(rng: random.Random, ctx: dict) -> tuple[str, list]:
    a, b, c = rng.randint(1, 20), rng.randint(1, 10), rng.randint(1, 30)
    text = (f"Tiếp nhận {a + b + c} đơn thư, trong đó: {a:02d} đơn khiếu nại, {b:02d} đơn tố cáo, "
            f"{c:02d} đơn kiến nghị, phản ánh.")  # fmt: skip
    return text, [("petitions_received", a + b + c), ("complaints_received", a), ("denunciations_received", b),
                  ("feedback_received", c)]  # fmt: skip


def receptions(rng: random.Random, ctx: dict) -> tuple[str, list]:
    n = rng.randint(1, 200)
    text = rng.choice(
        [f"Lãnh đạo {ctx['agency']} đã tiếp {n} lượt công dân.", f"Thực hiện {n:02d} lượt tiếp công dân."]
    )
    return text, [("citizen_receptions", n)]


def inspections(rng: random.Random, ctx: dict) -> tuple[str, list]:
    n, v, d = rng.randint(2, 40), rng.randint(1, 20), rng.randint(1, 20)
    money = rng.randint(5, 900) * 1_000_000
    money_text = rng.choice([f"{vn(money)} đồng", f"{money // 1_000_000} triệu đồng"])
    text = (
        f"Thanh tra Sở đã tiến hành {n:02d} cuộc thanh tra, kiểm tra chuyên ngành; phát hiện {v:02d} tổ chức "
        f"vi phạm; đã ban hành {d:02d} quyết định xử phạt vi phạm hành chính với tổng số tiền "
        f"{money_text}."
    )
    return text, [("inspections_total", n), ("violating_entities", v), ("sanction_decisions", d), ("fines_vnd", money)]


def cameras(rng: random.Random, ctx: dict) -> tuple[str, list]:
    t = rng.randint(50, 3000)
    ai = rng.randint(1, t // 3)
    text = f"Hệ thống camera giám sát giao thông:\n+ Tổng {vn(t)} camera, trong đó có {vn(ai)} camera AI."
    return text, [("camera_traffic_total", t), ("camera_traffic_ai", ai)]


def dti(rng: random.Random, ctx: dict) -> tuple[str, list]:
    r = rng.randint(1, 34)
    year = ctx["year"] - 1
    text = f"Theo kết quả công bố, Chỉ số chuyển đổi số (DTI) năm {year} của tỉnh xếp hạng {r}/34 tỉnh, thành phố."
    return text, [("dti_rank", r, year)]


def edocs(rng: random.Random, ctx: dict) -> tuple[str, list]:
    a, b = rng.randint(10_000, 3_000_000), rng.randint(1_000, 500_000)
    text = (f"Tổng số văn bản trao đổi liên thông là {vn(a + b)} văn bản, trong đó tổng văn bản nhận {vn(a)} văn bản, "
            f"tổng số văn bản gửi là {vn(b)} văn bản.")  # fmt: skip
    return text, [("edocs_exchanged", a + b), ("edocs_received", a), ("edocs_sent", b)]


def recruited(rng: random.Random, ctx: dict) -> tuple[str, list]:
    n = rng.randint(1, 30)
    return f"Trong kỳ, {ctx['agency']} đã tuyển dụng {n:02d} viên chức.", [("staff_recruited", n)]


def published(rng: random.Random, ctx: dict) -> tuple[str, list]:
    n = rng.randint(20, 300)
    return f"{ctx['agency']} công bố {n} thủ tục hành chính thuộc thẩm quyền giải quyết.", [("tthc_published", n)]


BLOCKS: list[Block] = [staff, dossiers, ontime, hotline, petitions, receptions, inspections, cameras, dti, edocs,
                       recruited, published]  # fmt: skip


def filler_paragraphs() -> list[str]:
    """Prose from the samples without figures: the bulk of a real report."""
    out = []
    for path in sorted((ROOT / "data" / "raw").glob("*.txt")):
        for para in path.read_text(encoding="utf-8").split("\n"):
            para = " ".join(para.split())
            if len(para) > 120 and not any(ch.isdigit() for ch in para):
                out.append(para)
    return out


def document(
    rng: random.Random, province: str, agency: str, year: int, kind: str, filler: list[str],
    formers: dict[str, list[tuple[str, date]]] | None = None, turn: int = 0,
) -> tuple[str, list]:
    label, months = rng.choice(PERIODS)
    period = label.format(y=year)
    ctx = {"agency": agency, "year": year}
    day, month = rng.randint(1, 28), (months or 9) + 1 if (months or 9) < 12 else 12
    province = reported_name(province, date(year, month, day), formers or {}, turn)
    lines = [f"UBND TỈNH {province.upper()}", agency.upper(), "", f"Số: {rng.randint(1, 3000)}/BC", "",
             f"{province}, ngày {day:02d} tháng {month:02d} năm {year}", "", "BÁO CÁO",
             f"{KINDS[kind]} {period}", "",
             f"Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh {province}, {agency} báo cáo kết quả {period} "
             "như sau:", ""]  # fmt: skip
    truth = []
    blocks = rng.sample(BLOCKS, k=rng.randint(6, len(BLOCKS)))
    for i, block in enumerate(blocks, start=1):
        text, facts = block(rng, ctx)
        lines += [f"{i}. " + rng.choice(filler)[:200], text, rng.choice(filler), ""]
        truth += facts
    while sum(len(x.encode("utf-8")) + 1 for x in lines) < DOC_BYTES:
        lines.append(rng.choice(filler))
    lines += ["", "Nơi nhận:", "- Sở Nội vụ;", "- Lưu: VT.", "", "GIÁM ĐỐC"]
    return "\n".join(lines), truth


def generate(out: Path, provinces: int, agencies: int, years: int, kinds: int, seed: int = 2025) -> int:
    """Write the corpus and truth.csv; returns the number of documents."""
    rng = random.Random(seed)
    filler = filler_paragraphs()
    raw = out / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    n = 0
    formers = former_names()
    with (out / "truth.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["doc", "indicator", "value", "year"])
        for province in PROVINCES_2025[:provinces]:
            for a, agency in enumerate(AGENCIES[:agencies]):
                for year in range(2025 - years + 1, 2026):
                    for kind in list(KINDS)[:kinds]:
                        text, truth = document(rng, province, agency, year, kind, filler, formers, a + year)
                        name = f"{n:06d}.txt"
                        (raw / name).write_text(text, encoding="utf-8")
                        for item in truth:
                            writer.writerow([name, item[0], item[1], item[2] if len(item) > 2 else year])
                        n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path)
    ap.add_argument("--provinces", type=int, default=34)
    ap.add_argument("--agencies", type=int, default=20)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--kinds", type=int, default=4)
    ap.add_argument("--smoke", action="store_true", help="two provinces, one agency, two years, one kind: seconds")
    a = ap.parse_args()
    if a.smoke:
        a.provinces, a.agencies, a.years, a.kinds = 2, 1, 2, 1
    if a.out is None and not a.smoke:
        ap.error("--out is required")
    with tempfile.TemporaryDirectory() as tmp:
        out = a.out or Path(tmp)
        n = generate(out, a.provinces, a.agencies, a.years, a.kinds)
        print(f"{n} documents in {out / 'raw'}; truth in {out / 'truth.csv'}")


if __name__ == "__main__":
    main()
