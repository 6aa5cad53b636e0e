"""Certificates: 1,000 pages written by `write_certificates_pdf`, with reportlab's C accelerator
(the `accel` extra: rl_accel) and without it, each in its own child process, best of 3; the two
PDFs are compared byte for byte (the accelerator must change the speed, never the file).

    python bench/certificates.py            # 1,000 pages
    python bench/certificates.py --pages 200
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import datetime as dt, hashlib, json, sys, time
from pathlib import Path
if sys.argv[3] == "without":
    sys.modules["_rl_accel"] = None          # reportlab falls back to its Python code
from reportlab.lib import rl_accel
from thidua_batch.certificates.layout import load_layout
from thidua_batch.certificates.pdf import write_certificates_pdf
from thidua_batch.register.model import COLLECTIVE, INDIVIDUAL, Awardee, Decision
pages = int(sys.argv[1])
kinds = (INDIVIDUAL, INDIVIDUAL, INDIVIDUAL, COLLECTIVE)
people = tuple(Awardee(kind=kinds[i % 4], name=(f"Nguyễn Thị Hồng Nhung {i}" if kinds[i % 4] == INDIVIDUAL
                       else f"Công đoàn cơ sở Trường Trung học cơ sở số {i} huyện Phong Thổ"), order=i + 1,
                       gender="Nữ", birth_year=1980, position="Giáo viên",
                       workplace=f"Trường Tiểu học số {i} xã Mường So, huyện Phong Thổ",
                       unit_name="Công đoàn Giáo dục huyện Phong Thổ",
                       summary="Đã có thành tích xuất sắc trong phong trào thi đua văn hóa công sở năm 2020",
                       certificate_no=f"{i + 1:04d}/BK")
               for i in range(pages))
decision = Decision(number="123/QĐ-LĐLĐ", date=dt.date(2020, 12, 30), award="Bằng khen của Ban Chấp hành LĐLĐ tỉnh",
                    year=2020, issuer="Ban Thường vụ Liên đoàn Lao động tỉnh Lai Châu", signer_title="PHÓ CHỦ TỊCH",
                    signer_name="Lò Văn Hùng", on_behalf="TM. BAN THƯỜNG VỤ", place="Lai Châu", awardees=people)
layout = load_layout()
out = Path(sys.argv[2])
write_certificates_pdf(decision, layout, out)   # fonts loaded, code warm
best = None
for _ in range(3):
    started = time.perf_counter()
    write_certificates_pdf(decision, layout, out)
    took = time.perf_counter() - started
    best = took if best is None else min(best, took)
print(json.dumps({"seconds": best, "accelerated": rl_accel._c_funcs != {} if hasattr(rl_accel, "_c_funcs") else None,
                  "sha256": hashlib.sha256(out.read_bytes()).hexdigest(), "pages": pages}))
"""


def measure(pages: int, mode: str, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(pages), str(out), mode], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        fast = measure(args.pages, "with", Path(tmp) / "with.pdf")
        slow = measure(args.pages, "without", Path(tmp) / "without.pdf")
    same = fast["sha256"] == slow["sha256"]
    print(f"{args.pages} pages, {os.cpu_count()} cores: with rl_accel {fast['seconds']:.2f} s "
          f"(accelerated: {fast['accelerated']}); without {slow['seconds']:.2f} s (accelerated: {slow['accelerated']}); "
          f"ratio {fast['seconds'] / slow['seconds']:.2f}; same PDF: {same}")


if __name__ == "__main__":
    main()
