"""The demo organisation: a fictional Vietnamese phone and electronics retail chain."""

from __future__ import annotations

BRAND = {"code": "saomai", "name": "Sao Mai Mobile"}
# Reliability and responsiveness weigh most for a retailer that sells on instalments.
WEIGHTS = {"tangibles": 15, "reliability": 25, "responsiveness": 25, "assurance": 15,
           "empathy": 20}
REGIONS = ("Miền Bắc", "Miền Trung", "Miền Nam")
FRANCHISEES = ("Công ty TNHH Minh Phát", "Công ty CP Bình An Retail")

# code, name, region index, franchisee index or None, address, lat, lon, quality
BRANCHES = (
    ("HN01", "Sao Mai Cầu Giấy", 0, None, "168 Xuân Thủy, Cầu Giấy, Hà Nội",
     21.0368, 105.7825, 0.90),
    ("HN02", "Sao Mai Hoàn Kiếm", 0, None, "25 Hàng Bài, Hoàn Kiếm, Hà Nội",
     21.0227, 105.8522, 0.82),
    ("HN03", "Sao Mai Long Biên", 0, 0, "412 Nguyễn Văn Cừ, Long Biên, Hà Nội",
     21.0465, 105.8772, 0.64),
    ("HP01", "Sao Mai Hải Phòng", 0, 0, "88 Lạch Tray, Ngô Quyền, Hải Phòng",
     20.8449, 106.6881, 0.71),
    ("DN01", "Sao Mai Hải Châu", 1, None, "120 Nguyễn Văn Linh, Hải Châu, Đà Nẵng",
     16.0604, 108.2119, 0.86),
    ("DN02", "Sao Mai Sơn Trà", 1, 0, "56 Ngô Quyền, Sơn Trà, Đà Nẵng",
     16.0718, 108.2343, 0.58),
    ("HUE1", "Sao Mai Huế", 1, None, "10 Hùng Vương, TP. Huế",
     16.4637, 107.5909, 0.77),
    ("SG01", "Sao Mai Quận 1", 2, None, "215 Lê Thánh Tôn, Quận 1, TP. Hồ Chí Minh",
     10.7731, 106.6983, 0.93),
    ("SG02", "Sao Mai Quận 7", 2, 1, "1058 Nguyễn Văn Linh, Quận 7, TP. Hồ Chí Minh",
     10.7295, 106.7187, 0.80),
    ("SG03", "Sao Mai Thủ Đức", 2, 1, "9 Võ Văn Ngân, TP. Thủ Đức, TP. Hồ Chí Minh",
     10.8506, 106.7719, 0.55),
    ("SG04", "Sao Mai Gò Vấp", 2, 1, "482 Quang Trung, Gò Vấp, TP. Hồ Chí Minh",
     10.8387, 106.6653, 0.68),
    ("CT01", "Sao Mai Cần Thơ", 2, None, "32 Hòa Bình, Ninh Kiều, Cần Thơ",
     10.0341, 105.7852, 0.74),
)

PASSWORD = "demo-Audit-2026"
ADMIN = ("admin@saomai.demo", "Quản trị hệ thống")
MANAGER = ("quality@saomai.demo", "Trần Thu Hà")
OWNERS = (("owner.minhphat@saomai.demo", "Lê Minh Phát"),
          ("owner.binhan@saomai.demo", "Phạm Bình An"))
SHOPPERS = (
    ("shopper1@saomai.demo", "Nguyễn Văn An"),
    ("shopper2@saomai.demo", "Đỗ Thị Bích"),
    ("shopper3@saomai.demo", "Hoàng Minh Châu"),
    ("shopper4@saomai.demo", "Vũ Quốc Dũng"),
    ("shopper5@saomai.demo", "Bùi Thanh Hương"),
    ("shopper6@saomai.demo", "Phan Gia Khánh"),
)

# checklist code, name, days from today (start, end), visits per branch, scenario
CAMPAIGNS = (
    ("care-protocol-in-person",
     {"vi": "Đợt 1/2026 – Quy trình chăm sóc 5 bước tại cửa hàng",
      "en": "Wave 1/2026 – 5-step care protocol in store"},
     (-180, -140), 2,
     {"vi": "Hỏi mua trả góp một điện thoại tầm trung, sau đó phàn nàn rằng lần bảo hành "
            "trước mất ba tuần mới trả máy.",
      "en": "Ask to buy a mid-range phone on instalments, then complain that the last "
            "warranty repair took three weeks."}),
    ("servqual-branch",
     {"vi": "Đợt 2/2026 – Chất lượng dịch vụ SERVQUAL",
      "en": "Wave 2/2026 – SERVQUAL service quality"},
     (-110, -70), 2,
     {"vi": "Hỏi so sánh hai mẫu máy tính bảng cho con đi học và hỏi chính sách đổi trả.",
      "en": "Ask for a comparison of two tablets for a school child and about the "
            "return policy."}),
    ("phone-call-audit",
     {"vi": "Đợt 3/2026 – Tổng đài và điện thoại cửa hàng",
      "en": "Wave 3/2026 – Store phone calls"},
     (-30, 20), 2,
     {"vi": "Gọi điện hỏi cửa hàng còn hàng mẫu điện thoại mới không và xin được gọi lại "
            "khi có hàng.",
      "en": "Call to ask whether the new phone model is in stock and ask for a call-back "
            "when it arrives."}),
)
