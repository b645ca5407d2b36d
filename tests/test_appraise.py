"""`cchc-dsl appraise`: the appraisal council's worklist, with numbers worked out by hand.

tests/data/appraise/self.json is the example's units.json with every value as the unit claimed
it (so_tp's tuyen_truyen 5) and thanh_tra citing evidence for 3.1; appraised.json gives only the
values the council changed. Under policies/example/mau.cchc:

- so_tc 3.1: tthc 900/1000 = 90 % → 5 ("từ 90% đến dưới 95%"); 950/1000 = 95 % → 10: +5.
  Total 32.75 → 37.75 of 100 (index 37.75 %, Kém, rank 5 both ways).
- thanh_tra 3.1: 500/500 = 100 % → 15; 499/500 = 99.8 % → 10: −5. Total 87 → 82 of 92:
  94.57 % → 82/92 = 89.1304…, 89.13 % (Tốt), rank 1 both ways.
- so_nv 4.2: 5 initiatives × 2 = 10, capped at 8 → 3 × 2 = 6: −2; D1: 1 × 1 → 2 × 1 (cap 2): −1.
  Total 54 → 51 of 70: 77.14 % → 51/70 = 72.857…, 72.86 % (Khá), rank 4 both ways.
- so_tp 1.3: judged 5 → 4.5: −0.5; 3.2: 85 % × 10 = 8.5 → 80 % × 10 = 8: −0.5.
  Total 88.5 → 87.5 of 100; rank 2 as claimed (behind 94.57), 3 as appraised (behind 89.13, 88).
- so_xd 3.1: 990/1000 = 99 % and 991/1000 = 99.1 % both give 10: a corrected value, 0 at stake;
  rank 3 as claimed (88 behind 88.5), 2 as appraised.
Points at stake per unit: so_tc 5 and thanh_tra 5 (tie: by id), so_nv 3, so_tp 1, so_xd 0.
All five: 32.75 + 87 + 54 + 88.5 + 88 = 350.25 claimed, 37.75 + 82 + 51 + 87.5 + 88 = 346.25.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli_helpers import FACTS, POLICY, ROOT, at_root, ok, run  # noqa: F401 - at_root

GOLDEN = Path(__file__).resolve().parent / "golden" / "appraise"
SELF = "tests/data/appraise/self.json"
APPRAISED = "tests/data/appraise/appraised.json"


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("text", "txt"), ("markdown", "md"), ("csv", "csv"), ("json", "json")]
)
def test_worklist_golden(golden, fmt: str, suffix: str) -> None:  # type: ignore[no-untyped-def]
    golden(GOLDEN / f"example.{suffix}", ok("appraise", POLICY, SELF, APPRAISED, "-f", fmt))


def test_worklist_units_and_items_in_order_of_impact() -> None:
    doc = json.loads(ok("appraise", POLICY, SELF, APPRAISED, "-f", "json"))
    assert [(u["unit"], u["stake"]) for u in doc["units"]] == [
        ("so_tc", "5"),
        ("thanh_tra", "5"),
        ("so_nv", "3"),
        ("so_tp", "1"),
        ("so_xd", "0"),
    ]
    items = {
        u["unit"]: [(i["id"], i["self_assessed"], i["appraised"], i["change"]) for i in u["items"]]
        for u in doc["units"]
    }
    assert items == {
        "so_tc": [("3.1", "5", "10", "5")],
        "thanh_tra": [("3.1", "15", "10", "-5")],
        "so_nv": [("4.2", "8", "6", "-2"), ("D1", "-1", "-2", "-1")],
        "so_tp": [("1.3", "5", "4.5", "-0.5"), ("3.2", "8.5", "8", "-0.5")],
        "so_xd": [("3.1", "10", "10", "0")],
    }
    assert doc["totals"] == {"self_assessed": "350.25", "appraised": "346.25"}
    assert doc["unchanged"] == []


def test_worklist_totals_before_and_after() -> None:
    doc = json.loads(ok("appraise", POLICY, SELF, APPRAISED, "-f", "json"))
    views = {
        u["unit"]: (
            (u["self_assessed"]["points"], u["self_assessed"]["index"], u["self_assessed"]["rank"]),
            (u["appraised"]["points"], u["appraised"]["index"], u["appraised"]["rank"]),
        )
        for u in doc["units"]
    }
    assert views == {
        "so_tc": (("32.75", "32.75", 5), ("37.75", "37.75", 5)),
        "thanh_tra": (("87", "94.57", 1), ("82", "89.13", 1)),
        "so_nv": (("54", "77.14", 4), ("51", "72.86", 4)),
        "so_tp": (("88.5", "88.50", 2), ("87.5", "87.50", 3)),
        "so_xd": (("88", "88.00", 3), ("88", "88.00", 2)),
    }


def test_worklist_cites_evidence_from_either_file() -> None:
    doc = json.loads(ok("appraise", POLICY, SELF, APPRAISED, "-f", "json"))
    evidence = {u["unit"]: u["items"][0]["evidence"] for u in doc["units"]}
    assert evidence["thanh_tra"] == "Báo cáo số 20/BC-TTr ngày 15/12/2024"  # the unit's own
    assert evidence["so_tc"] == "Biên bản kiểm tra số 7/BB-HĐTĐ"  # the council's, none claimed
    assert evidence["so_nv"] is None


def test_worklist_shows_the_values_and_how_each_view_scored() -> None:
    doc = json.loads(ok("appraise", POLICY, SELF, APPRAISED, "-f", "json"))
    so_tp = next(u for u in doc["units"] if u["unit"] == "so_tp")
    online = so_tp["items"][1]
    assert online["inputs"] == [
        {"name": "dvc_truc_tuyen", "self_assessed": "85%", "appraised": "80%"}
    ]
    assert (online["self_detail"], online["appraised_detail"]) == ("85% × 10", "80% × 10")


def test_one_file_with_both_views_gives_the_same_worklist(tmp_path: Path) -> None:
    """The same claims and corrections written as {"self": …, "appraised": …} in one file."""
    claimed = json.loads((ROOT / SELF).read_text(encoding="utf-8"))
    given = json.loads((ROOT / APPRAISED).read_text(encoding="utf-8"))
    council = {u["unit"]: u for u in given["units"]}
    for unit in claimed["units"]:
        for name, value in council[unit["unit"]]["inputs"].items():
            unit["inputs"][name] = {"self": unit["inputs"][name], "appraised": value}
        unit["evidence"] = {**council[unit["unit"]].get("evidence", {}), **unit.get("evidence", {})}
    both = tmp_path / "both.json"
    both.write_text(json.dumps(claimed, ensure_ascii=False), encoding="utf-8")
    one = json.loads(ok("appraise", POLICY, str(both), "-f", "json"))
    two = json.loads(ok("appraise", POLICY, SELF, APPRAISED, "-f", "json"))
    assert one["facts"] == [str(both)]
    assert {k: v for k, v in one.items() if k != "facts"} == {
        k: v for k, v in two.items() if k != "facts"
    }


def test_the_shipped_example_lists_its_one_difference() -> None:
    out = ok("appraise", POLICY, "policies/example/units.json")
    assert "1 đơn vị có 1 mục thẩm định khác tự đánh giá" in out
    assert "1.3 Tuyên truyền CCHC (tối đa 5): tự chấm 5 → thẩm định 4.5 (-0.5)" in out
    assert "Không có chênh lệch: thanh_tra, so_xd, so_nv, so_tc" in out


def test_csv_has_one_row_per_item() -> None:
    rows = list(csv.DictReader(io.StringIO(ok("appraise", POLICY, SELF, APPRAISED, "-f", "csv"))))
    assert [(r["unit"], r["item"], r["change"]) for r in rows] == [
        ("so_tc", "3.1", "5"),
        ("thanh_tra", "3.1", "-5"),
        ("so_nv", "4.2", "-2"),
        ("so_nv", "D1", "-1"),
        ("so_tp", "1.3", "-0.5"),
        ("so_tp", "3.2", "-0.5"),
        ("so_xd", "3.1", "0"),
    ]
    assert rows[1]["inputs_self"] == "tthc_dung_han = 500"
    assert rows[1]["inputs_appraised"] == "tthc_dung_han = 499"


def test_an_appraised_unit_missing_from_the_self_assessment(tmp_path: Path) -> None:
    council = tmp_path / "appraised.json"
    council.write_text(
        '{"units": [{"unit": "so_tu_phap", "unit_type": "so", "inputs": {"sang_kien": 1}}]}',
        encoding="utf-8",
    )
    result = run("--lang", "en", "appraise", POLICY, SELF, str(council))
    assert result.exit_code == 1
    assert f"error[E607]: unit so_tu_phap of {council} is not in {SELF}" in result.stderr
    assert "Traceback" not in result.output


def test_problems_of_both_files_are_listed_at_once(tmp_path: Path) -> None:
    claimed = tmp_path / "self.json"
    claimed.write_text(
        '{"units": [{"unit": "so_tp", "unit_type": "so", "inputs": {"tuyen_truyn": 5}}]}',
        encoding="utf-8",
    )
    council = tmp_path / "appraised.json"
    council.write_text(
        '{"units": [{"unit": "so_tp", "unit_type": "so", "inputs": {"sang_kien": "ba"}}]}',
        encoding="utf-8",
    )
    result = run("--lang", "en", "appraise", POLICY, str(claimed), str(council))
    assert result.exit_code == 1
    assert "error[E402]" in result.stderr and str(claimed) in result.stderr
    assert "error[E404]" in result.stderr and str(council) in result.stderr


def test_a_worklist_with_nothing_changed() -> None:
    out = ok("appraise", POLICY, SELF)
    assert "Hội đồng thẩm định không thay đổi giá trị tự đánh giá nào." in out
    assert "Không có chênh lệch: thanh_tra, so_tp, so_xd, so_nv, so_tc" in out
