"""The diagnostic registry: one entry per stable code, the single place messages are worded.

Codes by stage: E1xx reading and syntax, E2xx names and types in a policy, E23x versions and
amendments, E3xx conflicts in a regulation (`cchc-dsl check`), E4xx facts files, E5xx evaluation
of one unit, E6xx command-line input and output, E7xx worked test cases, E8xx compiled policies
(the JSON IR). Each entry has its message in English and in Vietnamese (the same {fields}), what
the check finds and why it matters, and a bad and a fixed example for `cchc-dsl explain` and
docs/diagnostics.md.

Examples of the policy stages (E1xx–E3xx) are whole `.cchc` files that tests/test_messages.py
checks: `bad` reports its code, `fix` reports nothing. A province folder is written as sections
that start with `# file: NAME.cchc`; comment lines before the first section say how it is run.
Examples of the later stages are facts, command lines or TOML, shown but not run.
"""

from __future__ import annotations

import attrs


@attrs.frozen(slots=True)
class Message:
    code: str
    title: str
    severity: str  # "error" | "warning" | "note"
    template: str
    explanation: str
    title_vi: str = ""
    template_vi: str = ""  # the same {fields} as `template`
    explanation_vi: str = ""
    bad: str = ""  # a small example that triggers the code (.cchc text, or a facts file, …)
    fix: str = ""  # the same example, fixed


# A rule that ands one input with itself 102 times: 102 levels of "và" (E108).
_TOO_DEEP = (
    'quy định "Chỉ số CCHC các sở năm 2024"\n'
    "làm tròn nửa_lên 2\n"
    'loại đơn vị { so "Sở, ban, ngành" }\n'
    'đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }\n'
    'tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 {\n'
    "  có/không co_ke_hoach"
    + "".join(("\n   " if i % 6 == 0 else "") + " và co_ke_hoach" for i in range(102))
    + "\n}\n"
)

_ENTRIES = (
    # --- reading and syntax ---
    Message(
        "E101",
        "unexpected character",
        "error",
        "unexpected character {char!r}",
        "The text contains a character the language does not use at this place.",
        title_vi="ký tự không hợp lệ",
        template_vi="ký tự {char!r} không dùng được ở đây",
        explanation_vi="Văn bản có một ký tự mà ngôn ngữ không dùng ở vị trí này, ví dụ «&» thay cho «và».",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  co_bao_cao: có_không "Đã gửi báo cáo CCHC năm"
}
tiêu chí 1.1 "Kế hoạch và báo cáo CCHC" tối đa 2 {
  có/không co_ke_hoach & co_bao_cao
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  co_bao_cao: có_không "Đã gửi báo cáo CCHC năm"
}
tiêu chí 1.1 "Kế hoạch và báo cáo CCHC" tối đa 2 {
  có/không co_ke_hoach và co_bao_cao
}
""",
    ),
    Message(
        "E102",
        "unexpected token",
        "error",
        "unexpected {found}; expected {expected}",
        "The statement is not complete or a word is out of place.",
        title_vi="từ đặt sai chỗ",
        template_vi="gặp {found} ở chỗ cần {expected}",
        explanation_vi="Câu lệnh chưa đủ, hoặc có một từ đặt sai chỗ; thường là thiếu dấu ':' hay '{' ở dòng báo lỗi hoặc dòng ngay trước nó.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  dung_han: số_đếm "Số hồ sơ TTHC giải quyết đúng hạn"
  tiep_nhan: số_đếm "Tổng số hồ sơ TTHC tiếp nhận"
}
tiêu chí 3.1 "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn" tối đa 15 {
  theo mức dung_han / tiep_nhan {
    = 100%: 15
    từ 95% đến dưới 100% 10
    còn lại: 0
  }
  khi tiep_nhan = 0: không phát sinh đủ điểm
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  dung_han: số_đếm "Số hồ sơ TTHC giải quyết đúng hạn"
  tiep_nhan: số_đếm "Tổng số hồ sơ TTHC tiếp nhận"
}
tiêu chí 3.1 "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn" tối đa 15 {
  theo mức dung_han / tiep_nhan {
    = 100%: 15
    từ 95% đến dưới 100%: 10
    còn lại: 0
  }
  khi tiep_nhan = 0: không phát sinh đủ điểm
}
""",
    ),
    Message(
        "E103",
        "unexpected end of file",
        "error",
        "the file ends early; expected {expected}",
        "A block opened with '{' was not closed, or a statement is cut off.",
        title_vi="tệp kết thúc sớm",
        template_vi="tệp kết thúc khi còn thiếu {expected}",
        explanation_vi="Một khối mở bằng '{' chưa được đóng bằng '}', hoặc câu lệnh cuối cùng bị cắt ngang.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
lĩnh vực 1 "Công tác chỉ đạo, điều hành CCHC" {
  tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
lĩnh vực 1 "Công tác chỉ đạo, điều hành CCHC" {
  tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
}
""",
    ),
    Message(
        "E104",
        "invalid date",
        "error",
        "{text!r} is not a valid date",
        "Dates are written YYYY-MM-DD or DD/MM/YYYY and must exist in the calendar.",
        title_vi="ngày không hợp lệ",
        template_vi="{text!r} không phải là một ngày hợp lệ",
        explanation_vi="Ngày được viết theo dạng YYYY-MM-DD hoặc DD/MM/YYYY và phải có thật trong lịch (không có ngày 31/02).",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
hiệu lực 31/02/2024
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
hiệu lực 29/02/2024
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
""",
    ),
    Message(
        "E105",
        "number too long",
        "error",
        "the number {text!r} has more than {limit} digits",
        "Points and bounds are short decimals; a number this long is a typing mistake.",
        title_vi="số quá dài",
        template_vi="số {text!r} dài quá {limit} chữ số",
        explanation_vi="Điểm và mốc đều là số thập phân ngắn; một số dài như vậy thường do gõ nhầm hoặc dán từ bảng tính.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { sang_kien: số_đếm "Số sáng kiến CCHC được công nhận" }
tiêu chí 4.2 "Sáng kiến CCHC được công nhận" tối đa 2 {
  mỗi sang_kien: 0.1000000000000000055511151231257827
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { sang_kien: số_đếm "Số sáng kiến CCHC được công nhận" }
tiêu chí 4.2 "Sáng kiến CCHC được công nhận" tối đa 2 {
  mỗi sang_kien: 0.1
}
""",
    ),
    Message(
        "E106",
        "cannot read file",
        "error",
        "cannot read {path}: {reason}",
        "The file is missing, unreadable, not UTF-8 text, or larger than the limit (2 MB for a policy, 256 MB for a facts file; the largest shipped regulation is 45 KB), which is refused before it is read.",
        title_vi="không đọc được tệp",
        template_vi="không đọc được {path}: {reason}",
        explanation_vi="Tệp không có, không có quyền đọc, không phải văn bản UTF-8 (ví dụ lưu bằng bảng mã Windows-1258, TCVN3 hay VNI), hoặc lớn hơn giới hạn (2 MB cho một quy định, 256 MB cho một tệp dữ liệu đơn vị; quy định lớn nhất đi kèm chỉ 45 KB) và bị từ chối trước khi đọc.",
        bad="""\
# quy-dinh-2024.cchc được lưu bằng bảng mã Windows-1258, không phải UTF-8
$ cchc-dsl check quy-dinh-2024.cchc
""",
        fix="""\
# lưu lại tệp dưới dạng UTF-8 (trình soạn thảo: Save with Encoding → UTF-8), hoặc chuyển mã:
$ iconv -f CP1258 -t UTF-8 quy-dinh-2024.cchc > quy-dinh-2024-utf8.cchc
$ cchc-dsl check quy-dinh-2024-utf8.cchc
""",
    ),
    Message(
        "E107",
        "unterminated string",
        "error",
        "this string has no closing quote",
        "Strings are written between double quotes on one line.",
        title_vi="chuỗi thiếu dấu ngoặc kép đóng",
        template_vi="chuỗi này thiếu dấu ngoặc kép đóng",
        explanation_vi="Chuỗi (tên gọi, tiêu đề, nguồn…) được viết giữa hai dấu ngoặc kép, trên cùng một dòng.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
""",
    ),
    Message(
        "E108",
        "nested too deeply",
        "error",
        "the text nests more than {limit} levels deep here",
        "Blocks inside blocks and operators inside expressions (`a và b và c` is two levels) may nest at most 100 levels; a regulation needs a handful. The limit keeps every stage of cchc-dsl within Python's stack, whatever the file holds.",
        title_vi="lồng nhau quá sâu",
        template_vi="văn bản lồng nhau quá {limit} tầng ở đây",
        explanation_vi="Khối trong khối và phép toán trong biểu thức (`a và b và c` là hai tầng) chỉ được lồng tối đa 100 tầng; một quy định chỉ cần vài tầng. Giới hạn này giữ mọi bước của cchc-dsl trong ngăn xếp của Python, dù tệp chứa gì.",
        bad=_TOO_DEEP,
        fix=_TOO_DEEP.split("\n    và")[0] + "\n}\n",
    ),
    # --- names and types in a policy ---
    Message(
        "E201",
        "unknown input",
        "error",
        "unknown input «{name}»",
        "Every input a rule reads must be declared in the inputs block.",
        title_vi="đầu vào chưa khai báo",
        template_vi="đầu vào «{name}» chưa được khai báo",
        explanation_vi="Mọi đầu vào mà quy tắc chấm điểm đọc đều phải được khai báo trong khối «đầu vào»; thường là gõ sai tên (có dấu, thiếu dấu gạch dưới).",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { sang_kien: số_đếm "Số sáng kiến CCHC được công nhận" }
tiêu chí 4.2 "Sáng kiến CCHC được công nhận" tối đa 8 { mỗi sang_kien: 2 }
điểm cộng B1 "Có từ 5 sáng kiến trở lên" tối đa 1 { có/không sang_kiến >= 5 }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { sang_kien: số_đếm "Số sáng kiến CCHC được công nhận" }
tiêu chí 4.2 "Sáng kiến CCHC được công nhận" tối đa 8 { mỗi sang_kien: 2 }
điểm cộng B1 "Có từ 5 sáng kiến trở lên" tối đa 1 { có/không sang_kien >= 5 }
""",
    ),
    Message(
        "E202",
        "unknown unit type or tag",
        "error",
        "unknown unit type or tag «{name}»",
        "Unit types and tags are declared in the unit_types block.",
        title_vi="loại đơn vị hoặc nhãn chưa khai báo",
        template_vi="loại đơn vị hoặc nhãn «{name}» chưa được khai báo",
        explanation_vi="Loại đơn vị và nhãn được khai báo trong khối «loại đơn vị».",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị {
  so "Sở, ban, ngành"
  nhãn dac_thu "Cơ quan có chỉ tiêu giao riêng"
}
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  kiem_tra_vb: có_không "Có kiểm tra, rà soát văn bản QPPL"
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
tiêu chí 2.1 "Kiểm tra, rà soát văn bản QPPL" tối đa 8 trừ dacthu { có/không kiem_tra_vb }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị {
  so "Sở, ban, ngành"
  nhãn dac_thu "Cơ quan có chỉ tiêu giao riêng"
}
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  kiem_tra_vb: có_không "Có kiểm tra, rà soát văn bản QPPL"
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
tiêu chí 2.1 "Kiểm tra, rà soát văn bản QPPL" tối đa 8 trừ dac_thu { có/không kiem_tra_vb }
""",
    ),
    Message(
        "E203",
        "unknown choice",
        "error",
        "«{name}» is not {what}; use one of: {choices}",
        "Some words name one of a fixed set of choices (input types, rounding modes, ...).",
        title_vi="giá trị không có trong danh sách",
        template_vi="«{name}» không hợp lệ ở đây ({what}); hãy dùng một trong: {choices}",
        explanation_vi="Một số từ chỉ nhận một trong các giá trị cố định: kiểu đầu vào, cách làm tròn, cách xử lý khi thiếu khảo sát, cách xếp đồng hạng…",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nua_len 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
""",
    ),
    Message(
        "E204",
        "duplicate id",
        "error",
        "the id {id} is used twice",
        "Every field, criterion, bonus and deduction needs its own id so results can name it.",
        title_vi="trùng mã",
        template_vi="mã {id} được dùng hai lần",
        explanation_vi="Mỗi lĩnh vực, tiêu chí, điểm cộng và điểm trừ cần một mã riêng để kết quả chấm chỉ đúng vào nó.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  bao_cao_dung_han: số_đếm "Số báo cáo CCHC định kỳ gửi đúng hạn" trong 0 .. 4
}
lĩnh vực 1 "Công tác chỉ đạo, điều hành CCHC" tối đa 5 {
  tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
  tiêu chí 1.1 "Báo cáo CCHC định kỳ" tối đa 3 { có/không bao_cao_dung_han = 4 }
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  bao_cao_dung_han: số_đếm "Số báo cáo CCHC định kỳ gửi đúng hạn" trong 0 .. 4
}
lĩnh vực 1 "Công tác chỉ đạo, điều hành CCHC" tối đa 5 {
  tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
  tiêu chí 1.2 "Báo cáo CCHC định kỳ" tối đa 3 { có/không bao_cao_dung_han = 4 }
}
""",
    ),
    Message(
        "E205",
        "duplicate declaration",
        "error",
        "{what} is declared twice",
        "A declaration may be given once; the second would silently win.",
        title_vi="khai báo trùng",
        template_vi="khai báo hai lần: {what}",
        explanation_vi="Mỗi khai báo chỉ được viết một lần; nếu không, khai báo sau sẽ lặng lẽ thay khai báo trước.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  sang_kien: số_đếm "Số sáng kiến CCHC được công nhận"
  sang_kien: số_đếm "Số sáng kiến CCHC được đề xuất"
}
tiêu chí 4.2 "Sáng kiến CCHC được công nhận" tối đa 8 { mỗi sang_kien: 2 }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  sang_kien: số_đếm "Số sáng kiến CCHC được công nhận"
}
tiêu chí 4.2 "Sáng kiến CCHC được công nhận" tối đa 8 { mỗi sang_kien: 2 }
""",
    ),
    Message(
        "E206",
        "type error",
        "error",
        "{message}",
        "Each input has a type; an expression must combine values of fitting types.",
        title_vi="sai kiểu giá trị",
        template_vi="{message}",
        explanation_vi="Mỗi đầu vào có một kiểu; biểu thức phải kết hợp các giá trị có kiểu phù hợp, ví dụ quy tắc có/không cần một điều kiện đúng/sai chứ không phải một con số.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { bao_cao_dung_han: số_đếm "Số báo cáo CCHC định kỳ gửi đúng hạn" trong 0 .. 4 }
tiêu chí 1.2 "Báo cáo CCHC định kỳ" tối đa 3 { có/không bao_cao_dung_han }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { bao_cao_dung_han: số_đếm "Số báo cáo CCHC định kỳ gửi đúng hạn" trong 0 .. 4 }
tiêu chí 1.2 "Báo cáo CCHC định kỳ" tối đa 3 { có/không bao_cao_dung_han = 4 }
""",
    ),
    Message(
        "E207",
        "criterion without a rule",
        "error",
        "{kind} {id} has neither a rule nor children",
        "A leaf of the tree needs a scoring rule, or the unit could never get its points.",
        title_vi="tiêu chí chưa có cách chấm",
        template_vi="{kind} {id} chưa có quy tắc chấm điểm, cũng không có tiêu chí con",
        explanation_vi="Mỗi tiêu chí ở cuối cây cần một quy tắc chấm điểm; nếu không, đơn vị không bao giờ nhận được điểm của tiêu chí đó.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
tiêu chí 2.1 "Kiểm tra, rà soát văn bản QPPL" tối đa 8 {
  ghi chú "chờ hướng dẫn của Sở Tư pháp"
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  kiem_tra_vb: có_không "Có kiểm tra, rà soát văn bản QPPL"
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
tiêu chí 2.1 "Kiểm tra, rà soát văn bản QPPL" tối đa 8 {
  có/không kiem_tra_vb
}
""",
    ),
    Message(
        "E208",
        "rule beside children",
        "error",
        "{kind} {id} has both sub-criteria and a rule",
        "A node with children scores as the sum of its children; a rule there has no meaning.",
        title_vi="quy tắc đặt cạnh tiêu chí con",
        template_vi="{kind} {id} vừa có tiêu chí con vừa có quy tắc chấm điểm",
        explanation_vi="Mục có tiêu chí con được tính bằng tổng điểm các tiêu chí con; quy tắc chấm điểm đặt ở đó không có ý nghĩa.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
lĩnh vực 1 "Công tác chỉ đạo, điều hành CCHC" tối đa 2 {
  có/không co_ke_hoach
  tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
lĩnh vực 1 "Công tác chỉ đạo, điều hành CCHC" tối đa 2 {
  tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
}
""",
    ),
    Message(
        "E209",
        "more than one rule",
        "error",
        "{kind} {id} has more than one rule",
        "A leaf is scored by exactly one rule; split it into sub-criteria to score two things.",
        title_vi="nhiều hơn một quy tắc chấm điểm",
        template_vi="{kind} {id} có nhiều hơn một quy tắc chấm điểm",
        explanation_vi="Mỗi tiêu chí cuối được chấm bằng đúng một quy tắc; muốn chấm hai nội dung thì tách thành các tiêu chí thành phần.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { truc_tuyen: tỷ_lệ "Tỷ lệ hồ sơ nộp trực tuyến" }
tiêu chí 3.2 "Hồ sơ nộp trực tuyến" tối đa 10 {
  theo tỷ lệ truc_tuyen
  có/không truc_tuyen >= 50%
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { truc_tuyen: tỷ_lệ "Tỷ lệ hồ sơ nộp trực tuyến" }
tiêu chí 3.2 "Hồ sơ nộp trực tuyến" tối đa 10 {
  tiêu chí thành phần 3.2.1 "Tỷ lệ hồ sơ nộp trực tuyến" tối đa 8 { theo tỷ lệ truc_tuyen }
  tiêu chí thành phần 3.2.2 "Đạt từ 50% trở lên" tối đa 2 { có/không truc_tuyen >= 50% }
}
""",
    ),
    Message(
        "E210",
        "missing max",
        "error",
        "{what} {id} has no max for unit type «{unit_type}»",
        "Every leaf needs a max for each unit type it applies to.",
        title_vi="thiếu điểm tối đa",
        template_vi="{what} {id} chưa có điểm tối đa cho loại đơn vị «{unit_type}»",
        explanation_vi="Mỗi tiêu chí cuối cần điểm tối đa cho từng loại đơn vị mà nó áp dụng; tiêu chí không áp dụng cho một loại đơn vị thì ghi «chỉ» hoặc «trừ».",
        bad="""\
quy định "Chỉ số CCHC năm 2024"
làm tròn nửa_lên 2
loại đơn vị {
  so "Sở, ban, ngành"
  huyen "UBND cấp huyện"
}
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  du_bao_cao: có_không "Gửi đủ báo cáo CCHC định kỳ"
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
tiêu chí 1.2 "Báo cáo CCHC định kỳ" tối đa 1.5 cho so { có/không du_bao_cao }
""",
        fix="""\
quy định "Chỉ số CCHC năm 2024"
làm tròn nửa_lên 2
loại đơn vị {
  so "Sở, ban, ngành"
  huyen "UBND cấp huyện"
}
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  du_bao_cao: có_không "Gửi đủ báo cáo CCHC định kỳ"
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
tiêu chí 1.2 "Báo cáo CCHC định kỳ" tối đa 1.5 cho so, 1 cho huyen { có/không du_bao_cao }
""",
    ),
    Message(
        "E211",
        "missing metadata",
        "error",
        "the regulation has no {what}",
        "A regulation states its title, and its rounding of the index.",
        title_vi="quy định thiếu thông tin bắt buộc",
        template_vi="quy định còn thiếu: {what}",
        explanation_vi="Quy định phải nêu tên của nó và cách làm tròn chỉ số.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
""",
    ),
    Message(
        "E212",
        "percent compared with a plain number",
        "error",
        "{left} is a rate but {right} is a plain number",
        "Rates run from 0 % to 100 %; write the bound with a '%' sign.",
        title_vi="so tỷ lệ với số thường",
        template_vi="{left} là tỷ lệ nhưng {right} là số thường",
        explanation_vi="Tỷ lệ chạy từ 0 % đến 100 %; hãy viết mốc kèm dấu '%' (10%, không phải 10).",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { tiet_kiem_chi: tỷ_lệ "Tỷ lệ tiết kiệm chi thường xuyên" }
tiêu chí 5.1 "Tiết kiệm chi thường xuyên" tối đa 10 {
  theo mức tiet_kiem_chi { từ 10: 10; từ 5% đến dưới 10%: 5; còn lại: 0 }
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { tiet_kiem_chi: tỷ_lệ "Tỷ lệ tiết kiệm chi thường xuyên" }
tiêu chí 5.1 "Tiết kiệm chi thường xuyên" tối đa 10 {
  theo mức tiet_kiem_chi { từ 10%: 10; từ 5% đến dưới 10%: 5; còn lại: 0 }
}
""",
    ),
    Message(
        "E213",
        "evidence on a node with children",
        "error",
        "{kind} {id} requires evidence but has sub-criteria",
        "Evidence backs a scored leaf; put the requirement on each sub-criterion.",
        title_vi="yêu cầu minh chứng ở mục có tiêu chí con",
        template_vi="{kind} {id} yêu cầu minh chứng nhưng có tiêu chí con",
        explanation_vi="Minh chứng đi kèm một tiêu chí được chấm điểm; hãy đặt yêu cầu «cần minh chứng» ở từng tiêu chí con.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
lĩnh vực 1 "Công tác chỉ đạo, điều hành CCHC" tối đa 2 {
  cần minh chứng
  tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
lĩnh vực 1 "Công tác chỉ đạo, điều hành CCHC" tối đa 2 {
  tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 {
    có/không co_ke_hoach
    cần minh chứng
  }
}
""",
    ),
    Message(
        "E214",
        "empty interval",
        "error",
        "the interval {text} contains no value",
        "A lower bound above its upper bound matches nothing.",
        title_vi="khoảng không chứa giá trị nào",
        template_vi="khoảng {text} không chứa giá trị nào",
        explanation_vi="Mốc dưới lớn hơn mốc trên thì không giá trị nào khớp; thường là viết ngược hai mốc.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { truc_tuyen: tỷ_lệ "Tỷ lệ hồ sơ nộp trực tuyến" }
tiêu chí 3.2 "Tỷ lệ hồ sơ nộp trực tuyến" tối đa 10 {
  theo mức truc_tuyen { từ 80%: 10; từ 80% đến dưới 50%: 5; còn lại: 0 }
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { truc_tuyen: tỷ_lệ "Tỷ lệ hồ sơ nộp trực tuyến" }
tiêu chí 3.2 "Tỷ lệ hồ sơ nộp trực tuyến" tối đa 10 {
  theo mức truc_tuyen { từ 80%: 10; từ 50% đến dưới 80%: 5; còn lại: 0 }
}
""",
    ),
    Message(
        "E215",
        "unknown node",
        "error",
        "no field or criterion has the id {id}",
        "An adjustment applies to the total, the index, or an existing node.",
        title_vi="không có mục mang mã này",
        template_vi="không có lĩnh vực hay tiêu chí nào mang mã {id}",
        explanation_vi="Điểm cộng, điểm trừ áp dụng vào tổng điểm, vào chỉ số, hoặc vào một lĩnh vực hay tiêu chí có thật.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  ky_luat: số_đếm "Số lãnh đạo bị kỷ luật" mặc định 0
}
lĩnh vực 1 "Công tác chỉ đạo, điều hành CCHC" tối đa 2 {
  tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
}
điểm trừ D1 "Lãnh đạo bị kỷ luật" tối đa 1 áp dụng vào 9 { mỗi ky_luat: 0.5 }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  ky_luat: số_đếm "Số lãnh đạo bị kỷ luật" mặc định 0
}
lĩnh vực 1 "Công tác chỉ đạo, điều hành CCHC" tối đa 2 {
  tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
}
điểm trừ D1 "Lãnh đạo bị kỷ luật" tối đa 1 áp dụng vào 1 { mỗi ky_luat: 0.5 }
""",
    ),
    Message(
        "E216",
        "misplaced statement",
        "error",
        "{message}",
        "Some statements only make sense in certain places.",
        title_vi="câu lệnh đặt sai chỗ",
        template_vi="{message}",
        explanation_vi="Một số câu lệnh chỉ có nghĩa ở những vị trí nhất định, ví dụ «áp dụng vào» chỉ dành cho điểm cộng và điểm trừ.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 áp dụng vào tổng { có/không co_ke_hoach }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
""",
    ),
    Message(
        "E217",
        "mixed group",
        "error",
        "the group «{title}» mixes bonuses and deductions",
        "A group caps the sum of adjustments of one kind.",
        title_vi="nhóm lẫn điểm cộng và điểm trừ",
        template_vi="nhóm «{title}» có cả điểm cộng lẫn điểm trừ",
        explanation_vi="Một nhóm giới hạn tổng của các điểm cùng một loại: hoặc toàn điểm cộng, hoặc toàn điểm trừ.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  khen_thuong: số_đếm "Số lần được khen thưởng về CCHC" mặc định 0
  ky_luat: số_đếm "Số lãnh đạo bị kỷ luật" mặc định 0
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
nhóm "Điểm cộng, điểm trừ" tối đa 3 {
  điểm cộng B1 "Được khen thưởng về CCHC" tối đa 2 { mỗi khen_thuong: 1 }
  điểm trừ D1 "Lãnh đạo bị kỷ luật" tối đa 2 { mỗi ky_luat: 1 }
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  khen_thuong: số_đếm "Số lần được khen thưởng về CCHC" mặc định 0
  ky_luat: số_đếm "Số lãnh đạo bị kỷ luật" mặc định 0
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
điểm cộng B1 "Được khen thưởng về CCHC" tối đa 2 { mỗi khen_thuong: 1 }
điểm trừ D1 "Lãnh đạo bị kỷ luật" tối đa 2 { mỗi ky_luat: 1 }
""",
    ),
    Message(
        "E218",
        "no unit types",
        "error",
        "the regulation declares no unit types",
        "Units are scored per unit type (sở, huyện, xã...); declare at least one.",
        title_vi="chưa có loại đơn vị",
        template_vi="quy định chưa khai báo loại đơn vị nào",
        explanation_vi="Đơn vị được chấm theo loại đơn vị (sở, huyện, xã…); cần khai báo ít nhất một loại, nhãn thôi thì chưa đủ.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { nhãn dac_thu "Cơ quan có chỉ tiêu giao riêng" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị {
  so "Sở, ban, ngành"
  nhãn dac_thu "Cơ quan có chỉ tiêu giao riêng"
}
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
""",
    ),
    Message(
        "E219",
        "survey without a survey declaration",
        "error",
        "{message}",
        "Survey criteria and the survey block go together: the block says what a missing "
        "survey means.",
        title_vi="khảo sát thiếu khai báo",
        template_vi="{message}",
        explanation_vi="Tiêu chí chấm theo khảo sát và khối «khảo sát» đi cùng nhau: khối này cho biết khi thiếu kết quả khảo sát thì xử lý thế nào.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  hai_long: khảo_sát "Chỉ số hài lòng của người dân, tổ chức"
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
tiêu chí 7.1 "Sự hài lòng về phục vụ hành chính" tối đa 20 { khảo sát hai_long }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  hai_long: khảo_sát "Chỉ số hài lòng của người dân, tổ chức"
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
tiêu chí 7.1 "Sự hài lòng về phục vụ hành chính" tối đa 20 { khảo sát hai_long }
khảo sát { khi thiếu quy_đổi }
""",
    ),
    Message(
        "E220",
        "invalid rounding",
        "error",
        "rounding places must be 0 to 10, not {places}",
        "The index is published with a few decimals.",
        title_vi="số chữ số làm tròn không hợp lệ",
        template_vi="số chữ số thập phân khi làm tròn phải từ 0 đến 10, không phải {places}",
        explanation_vi="Chỉ số được công bố với vài chữ số thập phân (thường là 2).",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 22
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
""",
    ),
    Message(
        "E221",
        "invalid max",
        "error",
        "{message}",
        "Maxima are positive, and a unit type gets one value.",
        title_vi="điểm tối đa không hợp lệ",
        template_vi="{message}",
        explanation_vi="Điểm tối đa là số dương, viết với dấu chấm thập phân (1.5, không phải 1,5), và mỗi loại đơn vị chỉ có một giá trị.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 1,5 { có/không co_ke_hoach }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 1.5 { có/không co_ke_hoach }
""",
    ),
    Message(
        "E222",
        "unit type listed twice",
        "error",
        "«{name}» appears in two {what}",
        "A unit type is classified by one band table and ranked in one block.",
        title_vi="loại đơn vị được liệt kê hai lần",
        template_vi="«{name}» được liệt kê hai lần ({what})",
        explanation_vi="Mỗi loại đơn vị được xếp loại theo một bảng xếp loại và xếp hạng trong một khối.",
        bad="""\
quy định "Chỉ số CCHC năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành"; huyen "UBND cấp huyện" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
xếp loại cho so, huyen { "Tốt" từ 80%; "Khá" từ 65% đến dưới 80%; "Kém" dưới 65% }
xếp loại cho huyen { "Tốt" từ 85%; "Khá" từ 70% đến dưới 85%; "Kém" dưới 70% }
""",
        fix="""\
quy định "Chỉ số CCHC năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành"; huyen "UBND cấp huyện" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
xếp loại cho so { "Tốt" từ 80%; "Khá" từ 65% đến dưới 80%; "Kém" dưới 65% }
xếp loại cho huyen { "Tốt" từ 85%; "Khá" từ 70% đến dưới 85%; "Kém" dưới 70% }
""",
    ),
    # --- versions and amendments ---
    Message(
        "E230",
        "amendment target not found",
        "error",
        "{decision} {what} {id}, which the regulation does not have",
        "An amendment can only replace, remove, change or move what the amended text holds.",
        title_vi="không tìm thấy mục cần sửa",
        template_vi="{decision} {what} {id}, nhưng quy định được sửa đổi không có mục này",
        explanation_vi="Văn bản sửa đổi chỉ thay thế, bãi bỏ, sửa hoặc chuyển được những mục mà văn bản được sửa đổi đang có.",
        bad="""\
# file: 10-2018.cchc
quy định "Chỉ số CCHC các sở năm 2018"
quyết định "10/QĐ-UBND"
hiệu lực 2018-07-23
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  du_bao_cao: có_không "Gửi đủ báo cáo CCHC định kỳ"
}
lĩnh vực 1 "Công tác chỉ đạo, điều hành CCHC" {
  tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
  tiêu chí 1.2 "Báo cáo CCHC định kỳ" tối đa 1 { có/không du_bao_cao }
}

# file: 20-2019.cchc
văn bản sửa đổi "Sửa đổi bộ tiêu chí năm 2018"
quyết định "20/QĐ-UBND"
sửa đổi "10/QĐ-UBND"
hiệu lực 2019-10-10
sửa 1.3 tối đa 1.5
""",
        fix="""\
# file: 10-2018.cchc
quy định "Chỉ số CCHC các sở năm 2018"
quyết định "10/QĐ-UBND"
hiệu lực 2018-07-23
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  du_bao_cao: có_không "Gửi đủ báo cáo CCHC định kỳ"
}
lĩnh vực 1 "Công tác chỉ đạo, điều hành CCHC" {
  tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
  tiêu chí 1.2 "Báo cáo CCHC định kỳ" tối đa 1 { có/không du_bao_cao }
}

# file: 20-2019.cchc
văn bản sửa đổi "Sửa đổi bộ tiêu chí năm 2018"
quyết định "20/QĐ-UBND"
sửa đổi "10/QĐ-UBND"
hiệu lực 2019-10-10
sửa 1.2 tối đa 1.5
""",
    ),
    Message(
        "E231",
        "added id already used",
        "error",
        "{decision} adds {id}, which the regulation already has",
        "To change an existing node, replace it; to add one, give it a new id.",
        title_vi="mã bổ sung đã có",
        template_vi="{decision} bổ sung {id}, nhưng quy định đã có mục mang mã này",
        explanation_vi="Muốn sửa một mục đã có thì thay thế nó; muốn bổ sung một mục mới thì dùng mã mới.",
        bad="""\
# file: 10-2018.cchc
quy định "Chỉ số CCHC các sở năm 2018"
quyết định "10/QĐ-UBND"
hiệu lực 2018-07-23
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  du_bao_cao: có_không "Gửi đủ báo cáo CCHC định kỳ"
}
lĩnh vực 1 "Công tác chỉ đạo, điều hành CCHC" {
  tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
  tiêu chí 1.2 "Báo cáo CCHC định kỳ" tối đa 1 { có/không du_bao_cao }
}

# file: 20-2019.cchc
văn bản sửa đổi "Sửa đổi bộ tiêu chí năm 2018"
quyết định "20/QĐ-UBND"
sửa đổi "10/QĐ-UBND"
hiệu lực 2019-10-10
bổ sung tiêu chí 1.2 "Báo cáo CCHC định kỳ" tối đa 1.5 { có/không du_bao_cao }
""",
        fix="""\
# file: 10-2018.cchc
quy định "Chỉ số CCHC các sở năm 2018"
quyết định "10/QĐ-UBND"
hiệu lực 2018-07-23
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  du_bao_cao: có_không "Gửi đủ báo cáo CCHC định kỳ"
}
lĩnh vực 1 "Công tác chỉ đạo, điều hành CCHC" {
  tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
  tiêu chí 1.2 "Báo cáo CCHC định kỳ" tối đa 1 { có/không du_bao_cao }
}

# file: 20-2019.cchc
văn bản sửa đổi "Sửa đổi bộ tiêu chí năm 2018"
quyết định "20/QĐ-UBND"
sửa đổi "10/QĐ-UBND"
hiệu lực 2019-10-10
thay thế tiêu chí 1.2 "Báo cáo CCHC định kỳ" tối đa 1.5 { có/không du_bao_cao }
""",
    ),
    Message(
        "E232",
        "two amendments change one node on one date",
        "error",
        "{first} and {second} both take effect on {date} and both change {id}",
        "Which one applies first would decide the result; give them different dates or merge them.",
        title_vi="hai văn bản sửa đổi cùng ngày sửa một mục",
        template_vi="{first} và {second} cùng có hiệu lực ngày {date} và cùng sửa {id}",
        explanation_vi="Văn bản nào được áp dụng trước sẽ quyết định kết quả; hãy ghi ngày hiệu lực khác nhau, hoặc gộp hai nội dung sửa đổi làm một.",
        bad="""\
# file: 10-2018.cchc
quy định "Chỉ số CCHC các sở năm 2018"
quyết định "10/QĐ-UBND"
hiệu lực 2018-07-23
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  du_bao_cao: có_không "Gửi đủ báo cáo CCHC định kỳ"
}
lĩnh vực 1 "Công tác chỉ đạo, điều hành CCHC" {
  tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
  tiêu chí 1.2 "Báo cáo CCHC định kỳ" tối đa 1 { có/không du_bao_cao }
}

# file: 20-2019.cchc
văn bản sửa đổi "Sửa đổi lần 1"
quyết định "20/QĐ-UBND"
sửa đổi "10/QĐ-UBND"
hiệu lực 2019-10-10
sửa 1.1 tối đa 3

# file: 21-2019.cchc
văn bản sửa đổi "Sửa đổi lần 2"
quyết định "21/QĐ-UBND"
sửa đổi "10/QĐ-UBND"
hiệu lực 2019-10-10
sửa 1.1 tối đa 2.5
""",
        fix="""\
# file: 10-2018.cchc
quy định "Chỉ số CCHC các sở năm 2018"
quyết định "10/QĐ-UBND"
hiệu lực 2018-07-23
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  du_bao_cao: có_không "Gửi đủ báo cáo CCHC định kỳ"
}
lĩnh vực 1 "Công tác chỉ đạo, điều hành CCHC" {
  tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
  tiêu chí 1.2 "Báo cáo CCHC định kỳ" tối đa 1 { có/không du_bao_cao }
}

# file: 20-2019.cchc
văn bản sửa đổi "Sửa đổi lần 1"
quyết định "20/QĐ-UBND"
sửa đổi "10/QĐ-UBND"
hiệu lực 2019-10-10
sửa 1.1 tối đa 3

# file: 21-2019.cchc
văn bản sửa đổi "Sửa đổi lần 2"
quyết định "21/QĐ-UBND"
sửa đổi "10/QĐ-UBND"
hiệu lực 2020-01-01
sửa 1.1 tối đa 2.5
""",
    ),
    Message(
        "E233",
        "no regulation in force",
        "warning",
        "no regulation is in force from {start} to {end}",
        "An index year in that gap could not be scored; check the effective and until dates.",
        title_vi="không có quy định đang hiệu lực",
        template_vi="không có quy định nào có hiệu lực từ {start} đến {end}",
        explanation_vi="Năm đánh giá rơi vào khoảng trống này sẽ không chấm được; hãy kiểm tra ngày hiệu lực và ngày hết hiệu lực.",
        bad="""\
# file: 10-2018.cchc
quy định "Chỉ số CCHC các sở năm 2018"
quyết định "10/QĐ-UBND"
hiệu lực 2018-07-23
hết hiệu lực 2020-01-01
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }

# file: 30-2020.cchc
quy định "Chỉ số CCHC các sở năm 2020"
quyết định "30/QĐ-UBND"
hiệu lực 2020-06-01
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 3 { có/không co_ke_hoach }
""",
        fix="""\
# file: 10-2018.cchc
quy định "Chỉ số CCHC các sở năm 2018"
quyết định "10/QĐ-UBND"
hiệu lực 2018-07-23
hết hiệu lực 2020-01-01
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }

# file: 30-2020.cchc
quy định "Chỉ số CCHC các sở năm 2020"
quyết định "30/QĐ-UBND"
hiệu lực 2020-01-01
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 3 { có/không co_ke_hoach }
""",
    ),
    Message(
        "E234",
        "amended decision not found",
        "error",
        "{decision} amends «{amends}», which no regulation here has as its decision",
        "An amendment is read with the regulation it amends, found by its decision number.",
        title_vi="không tìm thấy quyết định được sửa đổi",
        template_vi="{decision} sửa đổi «{amends}», nhưng không quy định nào ở đây mang số quyết định này",
        explanation_vi="Văn bản sửa đổi được đọc cùng quy định mà nó sửa đổi, tìm theo số quyết định; hãy kiểm tra số và ký hiệu quyết định.",
        bad="""\
# file: 10-2018.cchc
quy định "Chỉ số CCHC các sở năm 2018"
quyết định "10/QĐ-UBND"
hiệu lực 2018-07-23
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }

# file: 20-2019.cchc
văn bản sửa đổi "Sửa đổi bộ tiêu chí năm 2018"
quyết định "20/QĐ-UBND"
sửa đổi "01/QĐ-UBND"
hiệu lực 2019-10-10
sửa 1.1 tối đa 3
""",
        fix="""\
# file: 10-2018.cchc
quy định "Chỉ số CCHC các sở năm 2018"
quyết định "10/QĐ-UBND"
hiệu lực 2018-07-23
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }

# file: 20-2019.cchc
văn bản sửa đổi "Sửa đổi bộ tiêu chí năm 2018"
quyết định "20/QĐ-UBND"
sửa đổi "10/QĐ-UBND"
hiệu lực 2019-10-10
sửa 1.1 tối đa 3
""",
    ),
    Message(
        "E235",
        "misplaced amendment statement",
        "error",
        "{message}",
        "Regulations state criteria; amendments add, replace, remove, change or move them.",
        title_vi="câu lệnh sửa đổi đặt sai chỗ",
        template_vi="{message}",
        explanation_vi="Quy định nêu các tiêu chí; văn bản sửa đổi thì bổ sung, thay thế, bãi bỏ, sửa hoặc chuyển chúng, trong một tệp riêng đặt cùng thư mục.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2018"
quyết định "10/QĐ-UBND"
hiệu lực 2018-07-23
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
sửa 1.1 tối đa 3
""",
        fix="""\
# file: 10-2018.cchc
quy định "Chỉ số CCHC các sở năm 2018"
quyết định "10/QĐ-UBND"
hiệu lực 2018-07-23
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }

# file: 20-2019.cchc
văn bản sửa đổi "Sửa đổi bộ tiêu chí năm 2018"
quyết định "20/QĐ-UBND"
sửa đổi "10/QĐ-UBND"
hiệu lực 2019-10-10
sửa 1.1 tối đa 3
""",
    ),
    Message(
        "E236",
        "missing date or reference",
        "error",
        "the document has no {what}",
        "Versions are picked by their dates: every regulation and amendment in a folder needs "
        "an effective date, and an amendment the decision it amends.",
        title_vi="thiếu ngày hiệu lực hoặc căn cứ sửa đổi",
        template_vi="văn bản còn thiếu: {what}",
        explanation_vi="Phiên bản được chọn theo ngày: mỗi quy định và văn bản sửa đổi trong thư mục cần ngày hiệu lực, và văn bản sửa đổi cần nêu quyết định mà nó sửa đổi.",
        bad="""\
# file: 10-2018.cchc
quy định "Chỉ số CCHC các sở năm 2018"
quyết định "10/QĐ-UBND"
hiệu lực 2018-07-23
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }

# file: 20-2019.cchc
văn bản sửa đổi "Sửa đổi bộ tiêu chí năm 2018"
quyết định "20/QĐ-UBND"
sửa 1.1 tối đa 3
""",
        fix="""\
# file: 10-2018.cchc
quy định "Chỉ số CCHC các sở năm 2018"
quyết định "10/QĐ-UBND"
hiệu lực 2018-07-23
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }

# file: 20-2019.cchc
văn bản sửa đổi "Sửa đổi bộ tiêu chí năm 2018"
quyết định "20/QĐ-UBND"
sửa đổi "10/QĐ-UBND"
hiệu lực 2019-10-10
sửa 1.1 tối đa 3
""",
    ),
    Message(
        "E237",
        "no regulation for the year",
        "error",
        "{message}",
        "A province folder holds the regulations of several years; the one in force at the end "
        "of the index year applies.",
        title_vi="không có quy định cho năm đánh giá",
        template_vi="{message}",
        explanation_vi="Thư mục của một tỉnh chứa quy định của nhiều năm; quy định có hiệu lực vào ngày 31/12 của năm đánh giá được áp dụng. Năm đánh giá trước quy định đầu tiên thì không có gì để áp dụng.",
        bad="""\
# $ cchc-dsl score policies/tinh-mau units-2017.json --year 2017
# file: 10-2018.cchc
quy định "Chỉ số CCHC các sở năm 2018"
quyết định "10/QĐ-UBND"
hiệu lực 2018-07-23
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
""",
        fix="""\
# $ cchc-dsl score policies/tinh-mau units-2017.json --year 2017
# file: 05-2017.cchc
quy định "Chỉ số CCHC các sở năm 2017"
quyết định "05/QĐ-UBND"
hiệu lực 2017-03-01
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 1.5 { có/không co_ke_hoach }

# file: 10-2018.cchc
quy định "Chỉ số CCHC các sở năm 2018"
quyết định "10/QĐ-UBND"
hiệu lực 2018-07-23
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
""",
    ),
    # --- conflicts in a regulation (cchc-dsl check) ---
    Message(
        "E301",
        "parent max differs from its criteria",
        "error",
        "{kind} {id} says max {declared} for {unit_type}, but what it holds adds up to {total}",
        "A field's max is the sum of its criteria; a declared max that differs is a drafting error, and the published annex would contradict the scores.",
        title_vi="điểm tối đa của mục cha khác tổng các tiêu chí",
        template_vi="{kind} {id} ghi tối đa {declared} cho {unit_type}, nhưng tổng điểm tối đa các mục bên trong là {total}",
        explanation_vi="Điểm tối đa của một lĩnh vực là tổng điểm tối đa các tiêu chí của nó; ghi khác đi là lỗi soạn thảo, và phụ lục công bố sẽ mâu thuẫn với điểm chấm.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  bao_cao_dung_han: số_đếm "Số báo cáo CCHC định kỳ gửi đúng hạn" trong 0 .. 4
}
lĩnh vực 1 "Công tác chỉ đạo, điều hành CCHC" tối đa 6 {
  tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
  tiêu chí 1.2 "Báo cáo CCHC định kỳ" tối đa 3 { có/không bao_cao_dung_han = 4 }
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  bao_cao_dung_han: số_đếm "Số báo cáo CCHC định kỳ gửi đúng hạn" trong 0 .. 4
}
lĩnh vực 1 "Công tác chỉ đạo, điều hành CCHC" tối đa 5 {
  tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
  tiêu chí 1.2 "Báo cáo CCHC định kỳ" tối đa 3 { có/không bao_cao_dung_han = 4 }
}
""",
    ),
    Message(
        "E302",
        "unit type or tag with nothing to score",
        "error",
        "no criterion applies to «{name}»",
        "A unit of this type (or with this tag) would have a max of 0 and no index.",
        title_vi="loại đơn vị hoặc nhãn không có tiêu chí nào",
        template_vi="không tiêu chí nào áp dụng cho «{name}»",
        explanation_vi="Đơn vị thuộc loại này (hoặc mang nhãn này) sẽ có điểm tối đa bằng 0 và không tính được chỉ số.",
        bad="""\
quy định "Chỉ số CCHC năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành"; huyen "UBND cấp huyện" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  kiem_tra_vb: có_không "Có kiểm tra, rà soát văn bản QPPL"
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 chỉ so { có/không co_ke_hoach }
tiêu chí 2.1 "Kiểm tra, rà soát văn bản QPPL" tối đa 8 chỉ so { có/không kiem_tra_vb }
""",
        fix="""\
quy định "Chỉ số CCHC năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành"; huyen "UBND cấp huyện" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  kiem_tra_vb: có_không "Có kiểm tra, rà soát văn bản QPPL"
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
tiêu chí 2.1 "Kiểm tra, rà soát văn bản QPPL" tối đa 8 chỉ so { có/không kiem_tra_vb }
""",
    ),
    Message(
        "E303",
        "total max differs from the declared one",
        "error",
        "the criteria for {unit_type} add up to {total}, not the declared {declared}",
        "`total max` states what each unit type's criteria must add up to (usually 100).",
        title_vi="tổng điểm tối đa khác số đã khai báo",
        template_vi="tổng điểm tối đa các tiêu chí của {unit_type} là {total}, không phải {declared} như đã khai báo",
        explanation_vi="Câu `tổng tối đa 100` nêu tổng điểm tối đa mà các tiêu chí của mỗi loại đơn vị phải cộng lại cho đủ (thường là 100).",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  kiem_tra_vb: có_không "Có kiểm tra, rà soát văn bản QPPL"
}
tổng tối đa 10
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
tiêu chí 2.1 "Kiểm tra, rà soát văn bản QPPL" tối đa 7 { có/không kiem_tra_vb }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  kiem_tra_vb: có_không "Có kiểm tra, rà soát văn bản QPPL"
}
tổng tối đa 10
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
tiêu chí 2.1 "Kiểm tra, rà soát văn bản QPPL" tối đa 8 { có/không kiem_tra_vb }
""",
    ),
    Message(
        "E310",
        "overlapping steps",
        "error",
        "two steps of {what} both take {value}: «{first}» and «{second}»",
        "With overlapping steps the order they are written in decides the points; say the bounds so that one value falls in one step.",
        title_vi="các mức chồng lên nhau",
        template_vi="hai mức của {what} cùng nhận giá trị {value}: «{first}» và «{second}»",
        explanation_vi="Khi các mức chồng lên nhau, thứ tự viết sẽ quyết định điểm; hãy ghi mốc («đến», «đến dưới») sao cho mỗi giá trị chỉ rơi vào một mức.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  tthc_dung_han: số_đếm "Số hồ sơ TTHC giải quyết đúng hạn"
  tthc_tiep_nhan: số_đếm "Tổng số hồ sơ TTHC tiếp nhận"
}
tiêu chí 3.1 "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn" tối đa 15 {
  theo mức tthc_dung_han / tthc_tiep_nhan {
    = 100%: 15
    từ 95% đến 100%: 10
    từ 90% đến dưới 95%: 5
    còn lại: 0
  }
  khi tthc_tiep_nhan = 0: không phát sinh đủ điểm
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  tthc_dung_han: số_đếm "Số hồ sơ TTHC giải quyết đúng hạn"
  tthc_tiep_nhan: số_đếm "Tổng số hồ sơ TTHC tiếp nhận"
}
tiêu chí 3.1 "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn" tối đa 15 {
  theo mức tthc_dung_han / tthc_tiep_nhan {
    = 100%: 15
    từ 95% đến dưới 100%: 10
    từ 90% đến dưới 95%: 5
    còn lại: 0
  }
  khi tthc_tiep_nhan = 0: không phát sinh đủ điểm
}
""",
    ),
    Message(
        "E311",
        "gap between steps",
        "error",
        "no step of {what} takes {value}, and there is no `otherwise`",
        "A value in the gap could not be scored: the unit would get an error instead of points.",
        title_vi="khoảng trống giữa các mức",
        template_vi="không mức nào của {what} nhận giá trị {value}, và không có mức «còn lại»",
        explanation_vi="Giá trị rơi vào khoảng trống sẽ không chấm được: đơn vị nhận một lỗi thay vì điểm. Hay gặp khi viết «từ 5% đến 9%» rồi «từ 10%», bỏ sót 9.5%.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { tiet_kiem_chi: tỷ_lệ "Tỷ lệ tiết kiệm chi thường xuyên" }
tiêu chí 5.1 "Tiết kiệm chi thường xuyên" tối đa 10 {
  theo mức tiet_kiem_chi { từ 10%: 10; từ 5% đến 9%: 5; dưới 5%: 0 }
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { tiet_kiem_chi: tỷ_lệ "Tỷ lệ tiết kiệm chi thường xuyên" }
tiêu chí 5.1 "Tiết kiệm chi thường xuyên" tối đa 10 {
  theo mức tiet_kiem_chi { từ 10%: 10; từ 5% đến dưới 10%: 5; dưới 5%: 0 }
}
""",
    ),
    Message(
        "E312",
        "unreachable step",
        "warning",
        "the step «{step}» of {what} can never apply: earlier steps take all its values",
        "Steps are tried in order; a step covered by earlier ones is dead text.",
        title_vi="mức không bao giờ được áp dụng",
        template_vi="mức «{step}» của {what} không bao giờ được áp dụng: các mức trước đã nhận hết giá trị của nó",
        explanation_vi="Các mức được xét theo thứ tự viết; mức đã bị các mức trước bao trọn là chữ thừa, thường do viết mức thấp trước mức cao.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { truc_tuyen: tỷ_lệ "Tỷ lệ hồ sơ nộp trực tuyến" }
tiêu chí 3.2 "Tỷ lệ hồ sơ nộp trực tuyến" tối đa 10 {
  theo mức truc_tuyen { từ 30%: 4; từ 50%: 7; từ 80%: 10; còn lại: 0 }
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { truc_tuyen: tỷ_lệ "Tỷ lệ hồ sơ nộp trực tuyến" }
tiêu chí 3.2 "Tỷ lệ hồ sơ nộp trực tuyến" tối đa 10 {
  theo mức truc_tuyen {
    từ 80%: 10
    từ 50% đến dưới 80%: 7
    từ 30% đến dưới 50%: 4
    còn lại: 0
  }
}
""",
    ),
    Message(
        "E313",
        "points outside 0 .. max",
        "error",
        "{what} can give {points}, outside 0 .. {maximum} for {unit_type}",
        "A rule must not give more than its node's max or less than zero; the engine would cut the points silently.",
        title_vi="điểm nằm ngoài 0 .. điểm tối đa",
        template_vi="{what} có thể cho {points} điểm, nằm ngoài khoảng 0 .. {maximum} đối với {unit_type}",
        explanation_vi="Quy tắc không được cho quá điểm tối đa của mục, cũng không được cho dưới 0; nếu không, chương trình sẽ lặng lẽ cắt bớt điểm.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { truc_tuyen: tỷ_lệ "Tỷ lệ hồ sơ nộp trực tuyến" }
tiêu chí 3.2 "Tỷ lệ hồ sơ nộp trực tuyến" tối đa 10 {
  theo mức truc_tuyen { từ 80%: 15; từ 50% đến dưới 80%: 5; còn lại: 0 }
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { truc_tuyen: tỷ_lệ "Tỷ lệ hồ sơ nộp trực tuyến" }
tiêu chí 3.2 "Tỷ lệ hồ sơ nộp trực tuyến" tối đa 10 {
  theo mức truc_tuyen { từ 80%: 10; từ 50% đến dưới 80%: 5; còn lại: 0 }
}
""",
    ),
    Message(
        "E314",
        "judgement step does not divide the max",
        "error",
        "steps of {step} cannot reach the max {maximum} of {what} for {unit_type}",
        "The council could never give full points, or would have to leave the scale.",
        title_vi="bước chấm không chia hết điểm tối đa",
        template_vi="chấm theo bước {step} thì không đạt được điểm tối đa {maximum} của {what} cho {unit_type}",
        explanation_vi="Hội đồng thẩm định sẽ không bao giờ cho được đủ điểm, hoặc phải chấm lệch khỏi thang điểm.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { tuyen_truyen: điểm "Điểm Hội đồng thẩm định chấm công tác tuyên truyền CCHC" }
tiêu chí 1.3 "Tuyên truyền CCHC" tối đa 1.75 { chấm điểm tuyen_truyen bước 0.5 }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { tuyen_truyen: điểm "Điểm Hội đồng thẩm định chấm công tác tuyên truyền CCHC" }
tiêu chí 1.3 "Tuyên truyền CCHC" tối đa 1.75 { chấm điểm tuyen_truyen bước 0.25 }
""",
    ),
    Message(
        "E315",
        "ratio without a zero-denominator outcome",
        "warning",
        "{what} divides by «{name}», which may be 0, and declares no outcome for it",
        "A unit with nothing to count (no files received, say) would get an error; say what it means, e.g. `when b = 0: not_applicable full`.",
        title_vi="tỷ lệ chưa nêu trường hợp mẫu số bằng 0",
        template_vi="{what} chia cho «{name}», có thể bằng 0, mà chưa nêu kết quả cho trường hợp đó",
        explanation_vi="Đơn vị không có gì để đếm (ví dụ không tiếp nhận hồ sơ nào) sẽ bị báo lỗi khi chấm; hãy nêu trường hợp đó nghĩa là gì, ví dụ `khi b = 0: không phát sinh đủ điểm`.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  tthc_dung_han: số_đếm "Số hồ sơ TTHC giải quyết đúng hạn"
  tthc_tiep_nhan: số_đếm "Tổng số hồ sơ TTHC tiếp nhận"
}
tiêu chí 3.1 "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn" tối đa 10 {
  theo tỷ lệ tthc_dung_han / tthc_tiep_nhan
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  tthc_dung_han: số_đếm "Số hồ sơ TTHC giải quyết đúng hạn"
  tthc_tiep_nhan: số_đếm "Tổng số hồ sơ TTHC tiếp nhận"
}
tiêu chí 3.1 "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn" tối đa 10 {
  theo tỷ lệ tthc_dung_han / tthc_tiep_nhan
  khi tthc_tiep_nhan = 0: không phát sinh đủ điểm
}
""",
    ),
    Message(
        "E316",
        "deadline steps out of order",
        "error",
        "in {what}, «late at most {days} days» comes after a step that already takes {earlier} days",
        "Late steps are tried in order; a longer delay written before a shorter one makes the shorter one unreachable.",
        title_vi="các mức trễ hạn sai thứ tự",
        template_vi="trong {what}, mức «trễ không quá {days} ngày» đứng sau một mức đã nhận tới {earlier} ngày",
        explanation_vi="Các mức trễ hạn được xét theo thứ tự viết; mức trễ dài hơn viết trước mức ngắn hơn thì mức ngắn không bao giờ được áp dụng.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { ke_hoach_ngay: ngày_tháng "Ngày ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 4 {
  thời hạn ke_hoach_ngay {
    chậm nhất 31/01: 4
    trễ không quá 15 ngày: 2
    trễ không quá 5 ngày: 3
    còn lại: 0
  }
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { ke_hoach_ngay: ngày_tháng "Ngày ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 4 {
  thời hạn ke_hoach_ngay {
    chậm nhất 31/01: 4
    trễ không quá 5 ngày: 3
    trễ không quá 15 ngày: 2
    còn lại: 0
  }
}
""",
    ),
    Message(
        "E320",
        "outcome that cannot arise",
        "warning",
        "the condition of «{clause}» in {what} can never hold for {name} in {low} .. {high}",
        "An outcome clause that no input can trigger is dead text, often a typo in the bound.",
        title_vi="điều kiện không bao giờ xảy ra",
        template_vi="điều kiện của «{clause}» trong {what} không bao giờ đúng: {name} chỉ nhận giá trị trong {low} .. {high}",
        explanation_vi="Mệnh đề «khi …» mà không giá trị đầu vào nào thỏa được là chữ thừa, thường do gõ nhầm mốc hoặc dấu so sánh.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  nv_ke_hoach: số_đếm "Số nhiệm vụ trong Kế hoạch CCHC năm"
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 {
  có/không co_ke_hoach
  khi nv_ke_hoach < 0: không phát sinh đủ điểm
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  nv_ke_hoach: số_đếm "Số nhiệm vụ trong Kế hoạch CCHC năm"
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 {
  có/không co_ke_hoach
  khi nv_ke_hoach = 0: không phát sinh đủ điểm
}
""",
    ),
    Message(
        "E330",
        "overlapping bands",
        "error",
        "bands «{first}» and «{second}» both take an index of {value}",
        "An index in two bands would be classified by the order the bands are written in.",
        title_vi="các mức xếp loại chồng nhau",
        template_vi="hai mức xếp loại «{first}» và «{second}» cùng nhận chỉ số {value}",
        explanation_vi="Chỉ số thuộc hai mức sẽ được xếp loại theo thứ tự viết các mức; hãy dùng «đến dưới» cho mốc trên.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
xếp loại {
  "Tốt"        từ 80%
  "Khá"        từ 70% đến 80%
  "Trung bình" từ 60% đến dưới 70%
  "Kém"        dưới 60%
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
xếp loại {
  "Tốt"        từ 80%
  "Khá"        từ 70% đến dưới 80%
  "Trung bình" từ 60% đến dưới 70%
  "Kém"        dưới 60%
}
""",
    ),
    Message(
        "E331",
        "gap between bands",
        "error",
        "no band takes an index of {value}",
        "A unit with that index would get no classification; mind inclusive (from, to) and exclusive (above, below) bounds.",
        title_vi="khoảng trống giữa các mức xếp loại",
        template_vi="không mức xếp loại nào nhận chỉ số {value}",
        explanation_vi="Đơn vị có chỉ số đó sẽ không được xếp loại; chú ý mốc bao gồm (từ, đến) và mốc không bao gồm (trên, dưới). Chỉ số có phần thập phân, nên «đến 79%» bỏ sót 79.5%.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
xếp loại {
  "Tốt"        từ 80%
  "Khá"        từ 70% đến 79%
  "Trung bình" từ 60% đến dưới 70%
  "Kém"        dưới 60%
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
xếp loại {
  "Tốt"        từ 80%
  "Khá"        từ 70% đến dưới 80%
  "Trung bình" từ 60% đến dưới 70%
  "Kém"        dưới 60%
}
""",
    ),
    Message(
        "E332",
        "bands do not cover the index range",
        "error",
        "no band takes an index of {value} (the index runs {low} .. {high})",
        "Every possible index, 0 % to 100 % (or above, when bonuses may lift the total), needs a band.",
        title_vi="xếp loại chưa phủ hết khoảng chỉ số",
        template_vi="không mức xếp loại nào nhận chỉ số {value} (chỉ số nằm trong khoảng {low} .. {high})",
        explanation_vi="Mọi chỉ số có thể có, từ 0 % đến 100 % (hoặc hơn, khi điểm cộng có thể đẩy tổng điểm lên), đều cần một mức xếp loại.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
xếp loại {
  "Tốt"        từ 80%
  "Khá"        từ 70% đến dưới 80%
  "Trung bình" từ 60% đến dưới 70%
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
xếp loại {
  "Tốt"        từ 80%
  "Khá"        từ 70% đến dưới 80%
  "Trung bình" từ 60% đến dưới 70%
  "Kém"        dưới 60%
}
""",
    ),
    Message(
        "E333",
        "duplicate band name",
        "error",
        "the band «{name}» is named twice",
        "A band name is what a unit's classification says; two bands with one name hide a mistake.",
        title_vi="trùng tên mức xếp loại",
        template_vi="tên mức xếp loại «{name}» được dùng hai lần",
        explanation_vi="Tên mức là kết quả xếp loại của đơn vị; hai mức trùng tên thường che giấu một lỗi sao chép.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
xếp loại {
  "Tốt"        từ 80%
  "Khá"        từ 70% đến dưới 80%
  "Khá"        từ 60% đến dưới 70%
  "Kém"        dưới 60%
}
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào { co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm" }
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
xếp loại {
  "Tốt"        từ 80%
  "Khá"        từ 70% đến dưới 80%
  "Trung bình" từ 60% đến dưới 70%
  "Kém"        dưới 60%
}
""",
    ),
    Message(
        "E340",
        "bonus above an unclamped total",
        "warning",
        "{what} can lift the total above the max, and the total is not clamped",
        "Without `total clamp 0 .. max` a unit could score above 100 %; say whether that is meant.",
        title_vi="điểm cộng có thể vượt điểm tối đa",
        template_vi="{what} có thể đẩy tổng điểm vượt điểm tối đa, mà tổng điểm không bị giới hạn",
        explanation_vi="Không có `tổng giới hạn 0 .. tối đa` thì đơn vị có thể đạt trên 100 %; hãy nói rõ đó có phải là chủ ý của quy định hay không.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  nhan_rong: số_đếm "Số mô hình CCHC được nhân rộng" mặc định 0
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
điểm cộng B1 "Mô hình CCHC được nhân rộng" tối đa 1 { mỗi nhan_rong: 0.5 }
tổng giới hạn 0 ..
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  nhan_rong: số_đếm "Số mô hình CCHC được nhân rộng" mặc định 0
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
điểm cộng B1 "Mô hình CCHC được nhân rộng" tối đa 1 { mỗi nhan_rong: 0.5 }
tổng giới hạn 0 .. tối đa
""",
    ),
    Message(
        "E341",
        "event counted twice",
        "warning",
        "{first} and {second} both count «{name}»",
        "The same event would be rewarded or penalised twice; use one rule, or inputs that count different things.",
        title_vi="một sự việc bị tính hai lần",
        template_vi="{first} và {second} cùng đếm «{name}»",
        explanation_vi="Cùng một sự việc sẽ bị cộng hoặc trừ điểm hai lần; hãy dùng một quy tắc, hoặc các đầu vào đếm những việc khác nhau.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  ky_luat: số_đếm "Số lãnh đạo bị kỷ luật từ khiển trách trở lên" mặc định 0
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
điểm trừ D1 "Lãnh đạo bị kỷ luật" tối đa 2 { mỗi ky_luat: 1 }
điểm trừ D2 "Công chức bị kỷ luật" tối đa 2 { mỗi ky_luat: 0.5 }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  ky_luat: số_đếm "Số lãnh đạo bị kỷ luật từ khiển trách trở lên" mặc định 0
  ky_luat_cc: số_đếm "Số công chức bị kỷ luật từ khiển trách trở lên" mặc định 0
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
điểm trừ D1 "Lãnh đạo bị kỷ luật" tối đa 2 { mỗi ky_luat: 1 }
điểm trừ D2 "Công chức bị kỷ luật" tối đa 2 { mỗi ky_luat_cc: 0.5 }
""",
    ),
    Message(
        "E350",
        "input never used",
        "warning",
        "the input «{name}» is declared but no rule reads it",
        "Units would be asked for a value that changes nothing: a leftover, or a rule that names the wrong input.",
        title_vi="đầu vào không được dùng",
        template_vi="đầu vào «{name}» đã được khai báo nhưng không quy tắc nào đọc",
        explanation_vi="Đơn vị sẽ phải nộp một số liệu không làm thay đổi gì: hoặc là phần còn sót lại, hoặc có quy tắc đang gọi nhầm tên đầu vào.",
        bad="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
  sang_kien: số_đếm "Số sáng kiến CCHC được công nhận"
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
""",
        fix="""\
quy định "Chỉ số CCHC các sở năm 2024"
làm tròn nửa_lên 2
loại đơn vị { so "Sở, ban, ngành" }
đầu vào {
  co_ke_hoach: có_không "Đã ban hành Kế hoạch CCHC năm"
}
tiêu chí 1.1 "Ban hành Kế hoạch CCHC năm" tối đa 2 { có/không co_ke_hoach }
""",
    ),
    # --- facts files ---
    Message(
        "E401",
        "malformed facts file",
        "error",
        "{message}",
        "Facts files are JSON or CSV with one unit per object or row.",
        title_vi="tệp dữ liệu đánh giá sai định dạng",
        template_vi="{message}",
        explanation_vi="Tệp dữ liệu đánh giá là JSON hoặc CSV, mỗi đơn vị một đối tượng hoặc một dòng.",
        bad="""\
{
  "year": 2024,
  "units": [
    {"unit": "so_tp", "unit_type": "so", "inputs": {"sang_kien": 3, "ky_luat": 0,}}
  ]
}
""",
        fix="""\
{
  "year": 2024,
  "units": [
    {"unit": "so_tp", "unit_type": "so", "inputs": {"sang_kien": 3, "ky_luat": 0}}
  ]
}
""",
    ),
    Message(
        "E402",
        "unknown input in facts",
        "error",
        "unit {unit}: unknown input «{name}»",
        "Every value must belong to an input the policy declares.",
        title_vi="đầu vào lạ trong dữ liệu đánh giá",
        template_vi="đơn vị {unit}: quy định không có đầu vào «{name}»",
        explanation_vi="Mỗi giá trị phải thuộc một đầu vào mà quy định khai báo; thường là gõ sai tên đầu vào.",
        bad="""\
[
  {"unit": "so_tp", "unit_type": "so", "inputs": {"sang_kien_cchc": 3}}
]
""",
        fix="""\
[
  {"unit": "so_tp", "unit_type": "so", "inputs": {"sang_kien": 3}}
]
""",
    ),
    Message(
        "E403",
        "missing input",
        "error",
        "unit {unit}: input «{name}» is missing",
        "A rule needs this value; a missing value is never taken as zero.",
        title_vi="thiếu đầu vào",
        template_vi="đơn vị {unit}: thiếu đầu vào «{name}»",
        explanation_vi="Một quy tắc cần giá trị này; giá trị bị thiếu không bao giờ được tự coi là 0. Nếu đơn vị không phát sinh thì ghi rõ 0.",
        bad="""\
[
  {"unit": "so_nv", "unit_type": "so", "inputs": {"tthc_dung_han": 0}}
]
""",
        fix="""\
[
  {"unit": "so_nv", "unit_type": "so", "inputs": {"tthc_dung_han": 0, "tthc_tiep_nhan": 0}}
]
""",
    ),
    Message(
        "E404",
        "wrong value type",
        "error",
        "unit {unit}: input «{name}» expects {expected}, got {value!r}",
        "Each input has a declared type.",
        title_vi="giá trị sai kiểu",
        template_vi="đơn vị {unit}: đầu vào «{name}» nhận {value!r}, không đúng kiểu (cần: {expected})",
        explanation_vi="Mỗi đầu vào có kiểu đã khai báo: có/không, số đếm, tỷ lệ, ngày tháng, điểm…",
        bad="""\
[
  {"unit": "so_xd", "unit_type": "so", "inputs": {"vi_tri_viec_lam": "đã phê duyệt"}}
]
""",
        fix="""\
[
  {"unit": "so_xd", "unit_type": "so", "inputs": {"vi_tri_viec_lam": "có"}}
]
""",
    ),
    Message(
        "E405",
        "value out of range",
        "error",
        "unit {unit}: input «{name}» = {value} is outside {low} .. {high}",
        "The policy declares the range an input may take.",
        title_vi="giá trị ngoài khoảng cho phép",
        template_vi="đơn vị {unit}: đầu vào «{name}» = {value} nằm ngoài khoảng {low} .. {high}",
        explanation_vi="Quy định khai báo khoảng giá trị mà đầu vào được nhận (ví dụ tối đa 4 báo cáo định kỳ một năm).",
        bad="""\
[
  {"unit": "so_tc", "unit_type": "so", "inputs": {"bao_cao_dung_han": 5}}
]
""",
        fix="""\
[
  {"unit": "so_tc", "unit_type": "so", "inputs": {"bao_cao_dung_han": 4}}
]
""",
    ),
    Message(
        "E406",
        "unknown unit type",
        "error",
        "unit {unit}: unknown unit type «{name}»",
        "Each unit is of a unit type the policy declares.",
        title_vi="loại đơn vị lạ",
        template_vi="đơn vị {unit}: loại đơn vị «{name}» chưa được khai báo",
        explanation_vi="Mỗi đơn vị thuộc một loại đơn vị mà quy định khai báo; nhãn (như cơ quan đặc thù) thì ghi ở «tags».",
        bad="""\
[
  {"unit": "thanh_tra", "unit_type": "dac_thu", "inputs": {"sang_kien": 4}}
]
""",
        fix="""\
[
  {"unit": "thanh_tra", "unit_type": "so", "tags": ["dac_thu"], "inputs": {"sang_kien": 4}}
]
""",
    ),
    Message(
        "E407",
        "duplicate unit",
        "error",
        "the unit id {unit} appears twice",
        "Each unit is listed once per facts file.",
        title_vi="trùng đơn vị",
        template_vi="mã đơn vị {unit} xuất hiện hai lần",
        explanation_vi="Mỗi đơn vị chỉ được liệt kê một lần trong một tệp dữ liệu đánh giá.",
        bad="""\
[
  {"unit": "so_tp", "name": "Sở Tư pháp", "unit_type": "so", "inputs": {"sang_kien": 3}},
  {"unit": "so_tp", "name": "Sở Tài chính", "unit_type": "so", "inputs": {"sang_kien": 0}}
]
""",
        fix="""\
[
  {"unit": "so_tp", "name": "Sở Tư pháp", "unit_type": "so", "inputs": {"sang_kien": 3}},
  {"unit": "so_tc", "name": "Sở Tài chính", "unit_type": "so", "inputs": {"sang_kien": 0}}
]
""",
    ),
    Message(
        "E408",
        "unknown tag",
        "error",
        "unit {unit}: unknown tag «{name}»",
        "Tags are declared in the policy's unit_types block.",
        title_vi="nhãn lạ",
        template_vi="đơn vị {unit}: nhãn «{name}» chưa được khai báo",
        explanation_vi="Nhãn được khai báo trong khối «loại đơn vị» của quy định.",
        bad="""\
[
  {"unit": "thanh_tra", "unit_type": "so", "tags": ["dacthu"], "inputs": {"sang_kien": 4}}
]
""",
        fix="""\
[
  {"unit": "thanh_tra", "unit_type": "so", "tags": ["dac_thu"], "inputs": {"sang_kien": 4}}
]
""",
    ),
    Message(
        "E409",
        "missing unit field",
        "error",
        "unit {unit}: missing «{name}»",
        "Each unit has an id and a unit type.",
        title_vi="thiếu thông tin đơn vị",
        template_vi="đơn vị {unit}: thiếu «{name}»",
        explanation_vi="Mỗi đơn vị cần mã đơn vị («unit») và loại đơn vị («unit_type»).",
        bad="""\
[
  {"unit": "so_tp", "name": "Sở Tư pháp", "inputs": {"sang_kien": 3}}
]
""",
        fix="""\
[
  {"unit": "so_tp", "name": "Sở Tư pháp", "unit_type": "so", "inputs": {"sang_kien": 3}}
]
""",
    ),
    Message(
        "E410",
        "unknown evidence node",
        "error",
        "unit {unit}: evidence given for «{name}», which is not a criterion of this policy",
        "Evidence is keyed by the id of the criterion it backs.",
        title_vi="minh chứng cho tiêu chí không có",
        template_vi="đơn vị {unit}: có minh chứng cho «{name}», nhưng quy định không có tiêu chí này",
        explanation_vi="Minh chứng được ghi theo mã của tiêu chí mà nó chứng minh.",
        bad="""\
[
  {"unit": "so_tp", "unit_type": "so", "inputs": {"ke_hoach_ngay": "2024-01-20"},
   "evidence": {"1.0": "Kế hoạch số 05/KH-STP ngày 20/01/2024"}}
]
""",
        fix="""\
[
  {"unit": "so_tp", "unit_type": "so", "inputs": {"ke_hoach_ngay": "2024-01-20"},
   "evidence": {"1.1": "Kế hoạch số 05/KH-STP ngày 20/01/2024"}}
]
""",
    ),
    Message(
        "E411",
        "not an Excel workbook",
        "error",
        "{path} is not an Excel workbook (.xlsx): {reason}",
        "A workbook of facts is an .xlsx file, which is a zip archive of XML parts. A text file or "
        "an old .xls renamed to .xlsx is not one, and is refused before anything is read from it.",
        title_vi="không phải sổ tính Excel",
        template_vi="{path} không phải sổ tính Excel (.xlsx): {reason}",
        explanation_vi="Sổ tính dữ liệu đánh giá là tệp .xlsx, tức một gói zip các phần XML. Tệp văn bản hay tệp .xls cũ bị đổi đuôi thành .xlsx không phải sổ tính, và bị từ chối trước khi đọc.",
        bad="""\
$ mv so_tp.csv so_tp.xlsx
$ cchc-dsl score policies/example/mau.cchc so_tp.xlsx
""",
        fix="""\
$ cchc-dsl score policies/example/mau.cchc so_tp.csv
""",
    ),
    Message(
        "E412",
        "workbook too large when unpacked",
        "error",
        "{path} would unpack to {size} bytes, more than the {limit} a facts workbook may hold",
        "An .xlsx is a zip archive; its declared unpacked size is checked before it is opened, so "
        "that a damaged or hostile file (a zip bomb) cannot fill the memory. A filled "
        "self-assessment form unpacks to well under a megabyte.",
        title_vi="sổ tính quá lớn khi giải nén",
        template_vi="{path} giải nén ra {size} byte, vượt giới hạn {limit} byte của một sổ tính dữ liệu đánh giá",
        explanation_vi="Tệp .xlsx là một gói zip; kích thước sau giải nén mà gói khai báo được kiểm tra trước khi mở, để tệp hỏng hoặc độc hại (zip bomb) không làm đầy bộ nhớ. Một phiếu tự đánh giá đã điền giải nén ra chưa tới một megabyte.",
        bad="""\
$ cchc-dsl score policies/example/mau.cchc bomb.xlsx
""",
        fix="""\
$ cchc-dsl template policies/example/mau.cchc --unit-type so --output so_tp.xlsx
$ cchc-dsl score policies/example/mau.cchc so_tp.xlsx
""",
    ),
    Message(
        "E413",
        "not a self-assessment form",
        "error",
        "{sheet} is not a self-assessment form: {reason}",
        "A sheet is read as a form when it has a header row with «STT»; the columns «Đầu vào: Mã» "
        "(the input each row gives) and «Đơn vị tự đánh giá: Giá trị» must be there too. "
        "`cchc-dsl template` writes such a form.",
        title_vi="không phải phiếu tự đánh giá",
        template_vi="{sheet} không phải phiếu tự đánh giá: {reason}",
        explanation_vi="Một trang được đọc như phiếu khi có dòng tiêu đề với «STT»; phải có cả cột «Đầu vào: Mã» (đầu vào mà mỗi dòng cho giá trị) và «Đơn vị tự đánh giá: Giá trị». Lệnh `cchc-dsl template` tạo ra phiếu như vậy.",
        bad="""\
$ cchc-dsl score policies/example/mau.cchc bang-tinh-tu-lam.xlsx
""",
        fix="""\
$ cchc-dsl template policies/example/mau.cchc --unit-type so --output phieu.xlsx
$ cchc-dsl score policies/example/mau.cchc phieu.xlsx
""",
    ),
    # --- evaluation ---
    Message(
        "E501",
        "division by zero",
        "error",
        "unit {unit}: {node} divides by zero and declares no outcome for it",
        "Declare what a zero denominator means, e.g. `when b = 0: not_applicable full`.",
        title_vi="chia cho 0",
        template_vi="đơn vị {unit}: {node} chia cho 0 mà chưa nêu kết quả cho trường hợp này",
        explanation_vi="Hãy nêu mẫu số bằng 0 nghĩa là gì, ví dụ `khi b = 0: không phát sinh đủ điểm` (không phát sinh nhiệm vụ thì được điểm tối đa).",
        bad="""\
# quy định
tiêu chí 3.1 "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn" tối đa 10 {
  theo tỷ lệ tthc_dung_han / tthc_tiep_nhan
}
# dữ liệu đánh giá
[{"unit": "so_nv", "unit_type": "so", "inputs": {"tthc_dung_han": 0, "tthc_tiep_nhan": 0}}]
""",
        fix="""\
# quy định
tiêu chí 3.1 "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn" tối đa 10 {
  theo tỷ lệ tthc_dung_han / tthc_tiep_nhan
  khi tthc_tiep_nhan = 0: không phát sinh đủ điểm
}
# dữ liệu đánh giá
[{"unit": "so_nv", "unit_type": "so", "inputs": {"tthc_dung_han": 0, "tthc_tiep_nhan": 0}}]
""",
    ),
    Message(
        "E502",
        "rate above 100 %",
        "error",
        "unit {unit}: {node} has a rate of {rate} (above 100 %)",
        "A proportional rule scores rate × max, so the rate must lie in 0..100 %.",
        title_vi="tỷ lệ trên 100 %",
        template_vi="đơn vị {unit}: {node} có tỷ lệ {rate} (trên 100 %)",
        explanation_vi="Quy tắc «theo tỷ lệ» cho điểm = tỷ lệ × điểm tối đa, nên tỷ lệ phải nằm trong 0..100 %; thường là nhập nhầm tử số hoặc mẫu số.",
        bad="""\
# quy định
tiêu chí 6.1 "Tỷ lệ văn bản đi dạng điện tử" tối đa 10 {
  theo tỷ lệ van_ban_dien_tu / van_ban_di
  khi van_ban_di = 0: không phát sinh loại trừ
}
# dữ liệu đánh giá: văn bản điện tử nhiều hơn tổng số văn bản đi
[{"unit": "so_xd", "unit_type": "so", "inputs": {"van_ban_dien_tu": 520, "van_ban_di": 500}}]
""",
        fix="""\
# dữ liệu đánh giá, số liệu đã đối chiếu với sổ văn bản đi
[{"unit": "so_xd", "unit_type": "so", "inputs": {"van_ban_dien_tu": 480, "van_ban_di": 500}}]
""",
    ),
    Message(
        "E503",
        "judgement off the scale",
        "error",
        "unit {unit}: {node} was given {value} points; allowed 0 .. {max} in steps of {step}",
        "The council's points must lie within the criterion's max in the declared steps.",
        title_vi="điểm chấm ngoài thang điểm",
        template_vi="đơn vị {unit}: {node} được chấm {value} điểm; chỉ được từ 0 đến {max}, theo bước {step}",
        explanation_vi="Điểm Hội đồng thẩm định chấm (và điểm tự đánh giá) phải nằm trong điểm tối đa của tiêu chí và theo đúng bước đã quy định.",
        bad="""\
# quy định
tiêu chí 1.3 "Tuyên truyền CCHC" tối đa 5 { chấm điểm tuyen_truyen bước 0.25 }
# dữ liệu đánh giá
[{"unit": "so_tp", "unit_type": "so", "inputs": {"tuyen_truyen": {"self": 5, "appraised": 4.6}}}]
""",
        fix="""\
# dữ liệu đánh giá
[{"unit": "so_tp", "unit_type": "so", "inputs": {"tuyen_truyen": {"self": 5, "appraised": 4.5}}}]
""",
    ),
    Message(
        "E504",
        "survey missing",
        "error",
        "unit {unit}: the survey results are missing and the policy requires them",
        "The policy's survey block says a missing survey is an error.",
        title_vi="thiếu kết quả khảo sát",
        template_vi="đơn vị {unit}: thiếu kết quả khảo sát, mà quy định bắt buộc phải có",
        explanation_vi="Khối «khảo sát» của quy định ghi rằng thiếu kết quả khảo sát là lỗi (`khi thiếu lỗi`).",
        bad="""\
# quy định
tiêu chí 7.1 "Chỉ số hài lòng về phục vụ hành chính" tối đa 30 { khảo sát hai_long }
khảo sát { trọng số 30 trên 100; khi thiếu lỗi }
# dữ liệu đánh giá: chưa có kết quả điều tra xã hội học
[{"unit": "so_tc", "unit_type": "so", "inputs": {"co_ke_hoach": "có"}}]
""",
        fix="""\
# dữ liệu đánh giá
[{"unit": "so_tc", "unit_type": "so", "inputs": {"co_ke_hoach": "có", "hai_long": "82.5%"}}]
""",
    ),
    Message(
        "E505",
        "conflicting maxima",
        "error",
        "unit {unit}: {node} has different maxima for its tags {tags}",
        "A unit with two tags that set different maxima cannot be scored.",
        title_vi="điểm tối đa mâu thuẫn",
        template_vi="đơn vị {unit}: {node} có điểm tối đa khác nhau theo các nhãn {tags} của đơn vị",
        explanation_vi="Đơn vị mang hai nhãn quy định hai mức điểm tối đa khác nhau cho cùng một tiêu chí thì không chấm được.",
        bad="""\
# quy định
tiêu chí 1.5 "Sáng kiến CCHC" tối đa 2 cho so, 1.5 cho tham_muu, 1 cho dac_thu { mỗi sang_kien: 0.5 }
# dữ liệu đánh giá
[{"unit": "thanh_tra", "unit_type": "so", "tags": ["tham_muu", "dac_thu"], "inputs": {"sang_kien": 2}}]
""",
        fix="""\
# dữ liệu đánh giá: Thanh tra tỉnh là cơ quan có chỉ tiêu giao riêng, không phải cơ quan tham mưu
[{"unit": "thanh_tra", "unit_type": "so", "tags": ["dac_thu"], "inputs": {"sang_kien": 2}}]
""",
    ),
    Message(
        "E506",
        "not applicable to this unit type",
        "error",
        "unit {unit}: {message}",
        "The requested operation does not fit the unit.",
        title_vi="không áp dụng được cho đơn vị này",
        template_vi="đơn vị {unit}: {message}",
        explanation_vi="Thao tác được yêu cầu không phù hợp với đơn vị, ví dụ mọi tiêu chí đều bị loại trừ nên điểm tối đa bằng 0 và không có chỉ số.",
        bad="""\
# quy định: khối «ban» chỉ có một tiêu chí
tiêu chí 6.1 "Tỷ lệ văn bản đi dạng điện tử" tối đa 10 chỉ ban {
  theo tỷ lệ van_ban_dien_tu / van_ban_di
  khi van_ban_di = 0: không phát sinh loại trừ
}
# dữ liệu đánh giá
[{"unit": "ban_qlkkt", "unit_type": "ban", "inputs": {"van_ban_dien_tu": 0, "van_ban_di": 0}}]
""",
        fix="""\
# quy định: không phát sinh văn bản đi thì được điểm tối đa
tiêu chí 6.1 "Tỷ lệ văn bản đi dạng điện tử" tối đa 10 chỉ ban {
  theo tỷ lệ van_ban_dien_tu / van_ban_di
  khi van_ban_di = 0: không phát sinh đủ điểm
}
""",
    ),
    Message(
        "E507",
        "no step matches",
        "error",
        "unit {unit}: {node} has no step for {value} and no 'otherwise'",
        "A step table must place every value; add `otherwise: 0` or the missing step.",
        title_vi="không có mức phù hợp",
        template_vi="đơn vị {unit}: {node} không có mức nào cho giá trị {value}, và không có mức «còn lại»",
        explanation_vi="Bảng mức phải xếp được mọi giá trị; hãy thêm `còn lại: 0` hoặc mức còn thiếu, hoặc sửa số liệu nếu giá trị vượt khoảng có thể có (tỷ lệ trên 100 %).",
        bad="""\
# quy định
tiêu chí 3.1 "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn" tối đa 15 {
  theo mức tthc_dung_han / tthc_tiep_nhan { = 100%: 15; từ 95% đến dưới 100%: 10; dưới 95%: 0 }
  khi tthc_tiep_nhan = 0: không phát sinh đủ điểm
}
# dữ liệu đánh giá: số hồ sơ đúng hạn lớn hơn số hồ sơ tiếp nhận (102 %)
[{"unit": "so_tp", "unit_type": "so", "inputs": {"tthc_dung_han": 1020, "tthc_tiep_nhan": 1000}}]
""",
        fix="""\
# dữ liệu đánh giá, số liệu đã đối chiếu với Hệ thống thông tin giải quyết TTHC
[{"unit": "so_tp", "unit_type": "so", "inputs": {"tthc_dung_han": 980, "tthc_tiep_nhan": 1000}}]
""",
    ),
    Message(
        "E508",
        "no index year",
        "error",
        "unit {unit}: {node} has a deadline on {day} of the index year, and no year is given",
        "A deadline written as a day and month falls in the year being scored.",
        title_vi="chưa có năm đánh giá",
        template_vi="đơn vị {unit}: {node} có hạn vào ngày {day} của năm đánh giá, nhưng chưa cho biết năm nào",
        explanation_vi='Hạn viết theo ngày và tháng rơi vào năm đang được đánh giá; hãy ghi năm bằng "year" trong tệp dữ liệu đánh giá, hoặc --year khi chạy lệnh.',
        bad="""\
# quy định: tiêu chí 1.1 … { thời hạn ke_hoach_ngay { chậm nhất 31/01: 2; còn lại: 0 } }
# dữ liệu đánh giá không ghi năm
[{"unit": "so_tp", "unit_type": "so", "inputs": {"ke_hoach_ngay": "2024-01-20"}}]
$ cchc-dsl score quy-dinh.cchc units.json
""",
        fix="""\
{"year": 2024, "units": [
  {"unit": "so_tp", "unit_type": "so", "inputs": {"ke_hoach_ngay": "2024-01-20"}}
]}
$ cchc-dsl score quy-dinh.cchc units.json        # hoặc: … units.json --year 2024
""",
    ),
    # --- worked test cases (cchc-dsl test) ---
    Message(
        "E701",
        "malformed test file",
        "error",
        "{message}",
        "A worked-case file is TOML naming a policy, a facts file and [[case]] tables.",
        title_vi="tệp trường hợp tính mẫu sai định dạng",
        template_vi="{message}",
        explanation_vi="Tệp trường hợp tính mẫu là TOML, nêu quy định (policy), tệp dữ liệu đánh giá (facts) và các bảng [[case]].",
        bad="""\
policy = "../mau.cchc"
facts = "../units.json"

[[cases]]
unit = "so_tp"
points = "88"
""",
        fix="""\
policy = "../mau.cchc"
facts = "../units.json"

[[case]]
unit = "so_tp"
points = "88"
""",
    ),
    Message(
        "E702",
        "decimal written as a TOML number",
        "error",
        '{field} = {value} is a TOML number; write it as a string: {field} = "{value}"',
        "TOML numbers with a fraction are binary floats; points are exact decimals.",
        title_vi="số thập phân viết dạng số TOML",
        template_vi='{field} = {value} là số TOML; hãy viết thành chuỗi: {field} = "{value}"',
        explanation_vi="Số TOML có phần thập phân là số thực nhị phân, không chính xác; điểm và chỉ số là số thập phân chính xác nên được viết trong ngoặc kép.",
        bad="""\
[[case]]
unit = "thanh_tra"
index = 94.57
""",
        fix="""\
[[case]]
unit = "thanh_tra"
index = "94.57"
""",
    ),
    # --- command line ---
    Message(
        "E601",
        "cannot write output",
        "error",
        "cannot write {path}: {reason}",
        "The output file's folder must exist and be writable.",
        title_vi="không ghi được tệp kết quả",
        template_vi="không ghi được {path}: {reason}",
        explanation_vi="Thư mục chứa tệp kết quả phải có sẵn và ghi được; lệnh không bao giờ ghi đè lên tệp đầu vào của chính nó.",
        bad="""\
$ cchc-dsl score policies/example/mau.cchc policies/example/units.json -f csv -o bao-cao/2024/ket-qua.csv
""",
        fix="""\
$ mkdir -p bao-cao/2024
$ cchc-dsl score policies/example/mau.cchc policies/example/units.json -f csv -o bao-cao/2024/ket-qua.csv
""",
    ),
    Message(
        "E602",
        "unknown unit",
        "error",
        "no unit with id «{unit}» in the facts",
        "--explain takes the id of a unit in the facts file.",
        title_vi="không có đơn vị này",
        template_vi="dữ liệu đánh giá không có đơn vị nào mang mã «{unit}»",
        explanation_vi="--explain nhận mã của một đơn vị trong tệp dữ liệu đánh giá (trường «unit»), không phải tên đơn vị.",
        bad="""\
$ cchc-dsl score policies/example/mau.cchc policies/example/units.json --explain so_noi_vu
""",
        fix="""\
$ cchc-dsl score policies/example/mau.cchc policies/example/units.json --explain so_nv
""",
    ),
    Message(
        "E603",
        "invalid option",
        "error",
        "{message}",
        "An option's value is not one the command accepts.",
        title_vi="tùy chọn không hợp lệ",
        template_vi="{message}",
        explanation_vi="Giá trị của tùy chọn không phải là giá trị mà lệnh chấp nhận.",
        bad="""\
$ cchc-dsl score policies/example/mau.cchc policies/example/units.json --unit-type huyen
""",
        fix="""\
$ cchc-dsl score policies/example/mau.cchc policies/example/units.json --unit-type so
""",
    ),
    Message(
        "E604",
        "output file exists",
        "error",
        "{path} already exists; add --force to replace it",
        "An output never replaces an existing file unless asked to: a report of last year or a council's worklist is not lost by a mistyped name.",
        title_vi="tệp kết quả đã có",
        template_vi="{path} đã có; thêm --force nếu muốn ghi đè",
        explanation_vi="Lệnh không ghi đè lên một tệp đã có nếu không được yêu cầu, để một báo cáo năm trước hay danh sách thẩm định không bị mất vì gõ nhầm tên.",
        bad="""\
$ cchc-dsl score policies/example/mau.cchc policies/example/units.json -f xlsx -o ket-qua-2024.xlsx
""",
        fix="""\
$ cchc-dsl score policies/example/mau.cchc policies/example/units.json -f xlsx -o ket-qua-2024.xlsx --force
""",
    ),
    Message(
        "E605",
        "output is a symbolic link",
        "error",
        "{path} is a symbolic link to {target}; add --force to replace the link itself",
        "An output path that is a symbolic link is refused: writing through it would change a file elsewhere. With --force the link itself is replaced by the new file; its target is never written.",
        title_vi="tệp kết quả là liên kết tượng trưng",
        template_vi="{path} là liên kết tượng trưng tới {target}; thêm --force để thay chính liên kết đó",
        explanation_vi="Đường dẫn kết quả là một liên kết tượng trưng thì bị từ chối, vì ghi qua nó sẽ làm thay đổi một tệp ở nơi khác. Với --force, chính liên kết được thay bằng tệp mới; tệp đích của nó không bao giờ bị ghi.",
        bad="""\
$ ln -s /srv/chung/ket-qua.csv ket-qua.csv
$ cchc-dsl score policies/example/mau.cchc policies/example/units.json -f csv -o ket-qua.csv
""",
        fix="""\
$ cchc-dsl score policies/example/mau.cchc policies/example/units.json -f csv -o ket-qua-moi.csv
""",
    ),
    Message(
        "E606",
        "unreadable previous results",
        "error",
        "{path}: {reason}",
        "--previous takes the JSON that `cchc-dsl score --format json` wrote for the previous year.",
        title_vi="không đọc được kết quả năm trước",
        template_vi="{path}: {reason}",
        explanation_vi="--previous nhận tệp JSON mà lệnh `cchc-dsl score --format json` đã ghi cho năm trước.",
        bad="""\
$ cchc-dsl score policies/example/mau.cchc units-2025.json --previous policies/example/units.json
""",
        fix="""\
$ cchc-dsl score policies/example/mau.cchc policies/example/units.json -f json -o ket-qua-2024.json
$ cchc-dsl score policies/example/mau.cchc units-2025.json --previous ket-qua-2024.json
""",
    ),
    Message(
        "E607",
        "appraised unit not self-assessed",
        "error",
        "unit {unit} of {appraised} is not in {self_file}",
        "The appraised facts file gives the council's values for units that assessed themselves in the self-assessment file.",
        title_vi="đơn vị thẩm định không có trong tệp tự đánh giá",
        template_vi="đơn vị {unit} của {appraised} không có trong {self_file}",
        explanation_vi="Tệp kết quả thẩm định ghi giá trị Hội đồng thẩm định cho các đơn vị đã tự đánh giá trong tệp tự đánh giá; mã đơn vị phải trùng nhau.",
        bad="""\
$ cchc-dsl appraise policies/example/mau.cchc tu-danh-gia.json tham-dinh.json   # tham-dinh.json: "unit": "so_tu_phap"
""",
        fix="""\
$ cchc-dsl appraise policies/example/mau.cchc tu-danh-gia.json tham-dinh.json   # tham-dinh.json: "unit": "so_tp"
""",
    ),
    # --- the JSON IR (cchc-dsl compile --to json, and reading it back) ---
    Message(
        "E801",
        "not a cchc-ir file",
        "error",
        "{path} is not a compiled policy (cchc-ir): {reason}",
        'A policy given as .json must be the IR that `cchc-dsl compile --to json` writes: an object starting with "format": "cchc-ir".',
        title_vi="không phải tệp IR cchc-ir",
        template_vi="{path} không phải quy định đã biên dịch (cchc-ir): {reason}",
        explanation_vi='Quy định đưa vào dưới dạng .json phải là tệp IR do `cchc-dsl compile --to json` ghi ra: một đối tượng JSON bắt đầu bằng "format": "cchc-ir". Tệp dữ liệu đánh giá (units-*.json) là đối số thứ hai của lệnh score, không phải quy định.',
        bad="""\
$ cchc-dsl score policies/tayninh/units-2020.json policies/tayninh/units-2020.json
""",
        fix="""\
$ cchc-dsl compile policies/tayninh --year 2020 --to json -o tayninh-2020.json
$ cchc-dsl score tayninh-2020.json policies/tayninh/units-2020.json
""",
    ),
    Message(
        "E802",
        "IR from a newer cchc-dsl",
        "error",
        "{path} is cchc-ir version {version}; this cchc-dsl reads versions up to {supported}",
        "A newer cchc-dsl wrote this IR in a form this one cannot read safely; the version goes up only when an older reader would misread the file.",
        title_vi="IR của phiên bản cchc-dsl mới hơn",
        template_vi="{path} là cchc-ir phiên bản {version}; cchc-dsl này chỉ đọc được đến phiên bản {supported}",
        explanation_vi="Tệp IR do một cchc-dsl mới hơn ghi, theo dạng mà phiên bản này không đọc an toàn được; số phiên bản chỉ tăng khi trình đọc cũ có thể hiểu sai tệp. Cập nhật cchc-dsl, hoặc biên dịch lại quy định bằng phiên bản đang dùng.",
        bad="""\
{"format": "cchc-ir", "version": 2, ...}
""",
        fix="""\
$ pip install --upgrade cchc-dsl
$ cchc-dsl compile policies/tayninh --year 2020 --to json -o tayninh-2020.json
""",
    ),
    Message(
        "E803",
        "malformed IR",
        "error",
        "at {where}: {message}",
        "The IR file's structure is not what its version prescribes (cchc_dsl/schema/cchc-ir-1.schema.json); the JSON path says which value. An IR is written by `cchc-dsl compile`, not by hand.",
        title_vi="IR sai cấu trúc",
        template_vi="tại {where}: {message}",
        explanation_vi="Cấu trúc tệp IR không đúng như phiên bản của nó quy định (cchc_dsl/schema/cchc-ir-1.schema.json); đường dẫn JSON chỉ ra giá trị sai. Tệp IR do `cchc-dsl compile` ghi, không sửa bằng tay; số thập phân viết dạng chuỗi.",
        bad="""\
"rule": {"kind": "judged", "subject": {"input": "diem_tham_dinh"}, "step": 0.25}
""",
        fix="""\
"rule": {"kind": "judged", "subject": {"input": "diem_tham_dinh"}, "step": "0.25"}
""",
    ),
    Message(
        "E804",
        "needs the regulation text",
        "error",
        "{command} needs the regulation's .cchc text; {path} is a compiled IR",
        "An IR holds what scoring needs, not the regulation's text: showing the annex or comparing regulations reads the .cchc files.",
        title_vi="cần văn bản quy định",
        template_vi="{command} cần văn bản .cchc của quy định; {path} là IR đã biên dịch",
        explanation_vi="Tệp IR chứa những gì cần để chấm điểm, không chứa văn bản quy định: in phụ lục hay so sánh hai quy định phải đọc các tệp .cchc.",
        bad="""\
$ cchc-dsl show tayninh-2020.json
""",
        fix="""\
$ cchc-dsl show policies/tayninh --year 2020
""",
    ),
    Message(
        "E805",
        "IR compiled for another time",
        "error",
        "{path} was compiled for {compiled}; {asked}",
        "An IR from a province folder holds the one version in force for the year it was compiled for; another year or date needs its own IR.",
        title_vi="IR biên dịch cho thời điểm khác",
        template_vi="{path} được biên dịch cho {compiled}; {asked}",
        explanation_vi="Tệp IR biên dịch từ thư mục của tỉnh chỉ chứa văn bản có hiệu lực trong năm đánh giá đã chọn khi biên dịch; năm hay ngày khác cần một tệp IR riêng.",
        bad="""\
$ cchc-dsl compile policies/cantho --year 2018 --to json -o cantho-2018.json
$ cchc-dsl score cantho-2018.json policies/cantho/units-2019.json --year 2019
""",
        fix="""\
$ cchc-dsl compile policies/cantho --year 2019 --to json -o cantho-2019.json
$ cchc-dsl score cantho-2019.json policies/cantho/units-2019.json
""",
    ),
    Message(
        "E608",
        "layout would change the meaning",
        "error",
        "{path} cannot be laid out with {lang} keywords without changing what it says",
        "fmt prints keywords one space apart, in one language; an id or a name next to a keyword may then read as a longer keyword (the node id «đổi» after «change» becomes «sửa đổi», which is 'amends'). Rename it, or keep the file's own language.",
        title_vi="định dạng lại sẽ làm đổi nội dung",
        template_vi="không thể trình bày lại {path} bằng từ khóa {lang} mà giữ nguyên nội dung",
        explanation_vi="fmt in các từ khóa bằng một ngôn ngữ, cách nhau một dấu cách; một mã hay một tên đứng cạnh từ khóa khi đó có thể đọc thành một từ khóa dài hơn (mã «đổi» sau «change» thành «sửa đổi», tức là 'amends'). Hãy đổi mã hay tên đó, hoặc giữ ngôn ngữ của tệp.",
        bad="""\
$ cat sua-doi.cchc
amendment "Sửa đổi 01/QĐ-UBND"
amends "01/QĐ-UBND"
change đổi max 2
$ cchc-dsl fmt --lang vi sua-doi.cchc
""",
        fix="""\
$ cat sua-doi.cchc
amendment "Sửa đổi 01/QĐ-UBND"
amends "01/QĐ-UBND"
change doi_moi max 2
$ cchc-dsl fmt --lang vi sua-doi.cchc
""",
    ),
)

MESSAGES: dict[str, Message] = {entry.code: entry for entry in _ENTRIES}
