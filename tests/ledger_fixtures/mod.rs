//! Builds office ledgers (台账) in the shapes offices really send: merged title rows and
//! two-row headers, section rows and owner cells merged down, serial and text dates, several
//! sheets with hidden columns, 序号 hierarchies, and a GBK CSV. Each test writes the ones it
//! needs into its own temporary folder, so the files never go stale.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};

/// A cell to write: text, a number, a date cell or nothing.
#[derive(Clone, Copy)]
pub enum V<'a> {
    S(&'a str),
    N(f64),
    D(u16, u8, u8),
    E,
}

fn put(ws: &mut Worksheet, r: u32, c: u16, v: V<'_>) {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    match v {
        V::S(s) => {
            ws.write_string(r, c, s).unwrap();
        }
        V::N(n) => {
            ws.write_number(r, c, n).unwrap();
        }
        V::D(y, m, d) => {
            ws.write_datetime_with_format(r, c, ExcelDateTime::from_ymd(y, m, d).unwrap(), &date)
                .unwrap();
        }
        V::E => {}
    }
}

fn row(ws: &mut Worksheet, r: u32, cells: &[V<'_>]) {
    for (c, v) in (0u16..).zip(cells) {
        put(ws, r, c, *v);
    }
}

fn merge(ws: &mut Worksheet, r0: u32, c0: u16, r1: u32, c1: u16, text: &str) {
    let f = Format::new().set_align(FormatAlign::Center);
    ws.merge_range(r0, c0, r1, c1, text, &f).unwrap();
}

use V::{D, E, N, S};

/// Shape 1: a title merged across, a 填报单位 row, then a two-row header whose 责任单位 group
/// spans 牵头单位 | 配合单位; text dates; a footer. `variant` 2 is the office's next version of
/// it, with three changed cells (an owner, a deadline, a progress note).
pub fn merged_title_two_row_header(dir: &Path, variant: u8) -> PathBuf {
    let path = dir.join(if variant == 1 {
        "2025年重点任务台账.xlsx"
    } else {
        "2025年重点任务台账（6月更新）.xlsx"
    });
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("重点任务").unwrap();
    merge(ws, 0, 0, 0, 8, "XX区2025年法治政府建设重点任务台账");
    merge(
        ws,
        1,
        0,
        1,
        8,
        "填报单位：XX区司法局    填报日期：2025年6月30日",
    );
    for (c, h) in [(0u16, "序号"), (1, "任务来源"), (2, "工作任务")] {
        merge(ws, 2, c, 3, c, h);
    }
    merge(ws, 2, 3, 2, 4, "责任单位");
    put(ws, 3, 3, S("牵头单位"));
    put(ws, 3, 4, S("配合单位"));
    for (c, h) in [
        (5u16, "责任人"),
        (6, "完成时限"),
        (7, "进展情况"),
        (8, "状态"),
    ] {
        merge(ws, 2, c, 3, c, h);
    }
    let (owner2, due3, note1) = if variant == 1 {
        ("区市场监管局", "2025-09-30", "已起草清单初稿")
    } else {
        ("区发展改革委", "2025-10-31", "清单已印发")
    };
    row(
        ws,
        4,
        &[
            S("1"),
            S("省考核指标"),
            S("全面梳理行政执法事项清单"),
            S("区司法局"),
            S("区城管局、区市场监管局"),
            S("张三"),
            S("2025年6月底前"),
            S(note1),
            S("推进中"),
        ],
    );
    row(
        ws,
        5,
        &[
            S("2"),
            S("区委部署"),
            S("推进涉企行政检查“扫码入企”"),
            S(owner2),
            S("区司法局"),
            S("李四"),
            S("2025年底前"),
            E,
            S("未启动"),
        ],
    );
    row(
        ws,
        6,
        &[
            S("3"),
            S("上年整改"),
            S("开展行政复议案件质量评查"),
            S("区司法局"),
            E,
            S("王五"),
            S(due3),
            S("完成评查案卷40件"),
            S("已完成"),
        ],
    );
    row(
        ws,
        7,
        &[
            S("4"),
            S("省考核指标"),
            S("常态化开展行政机关负责人出庭应诉"),
            S("区法院"),
            S("各街道"),
            E,
            S("长期坚持"),
            S("出庭率100%"),
            S("持续推进"),
        ],
    );
    merge(ws, 9, 0, 9, 8, "填报人：赵六    审核人：钱七");
    wb.save(&path).unwrap();
    path
}

/// Shape 2: section rows ("一、…" merged across) give the areas; one 牵头单位 cell merged down
/// over three tasks; 序号 restarting in each section; ✓ and 是否销号.
pub fn sections_merged_owner(dir: &Path) -> PathBuf {
    let path = dir.join("分领域台账.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Sheet1").unwrap();
    row(
        ws,
        0,
        &[
            S("序号"),
            S("任务内容"),
            S("牵头单位"),
            S("完成时限"),
            S("完成情况"),
            S("是否销号"),
        ],
    );
    merge(ws, 1, 0, 1, 5, "一、深化行政执法体制改革");
    row(
        ws,
        2,
        &[
            S("1"),
            S("整合基层执法队伍"),
            E,
            S("2025年6月底前"),
            S("已完成"),
            S("是"),
        ],
    );
    row(
        ws,
        3,
        &[
            S("2"),
            S("编制乡镇执法事项目录"),
            E,
            S("2025年9月底前"),
            S("推进中"),
            S("否"),
        ],
    );
    row(
        ws,
        4,
        &[S("3"), S("开展执法人员轮训"), E, S("2025年底前"), S("✓"), E],
    );
    merge(ws, 2, 2, 4, 2, "区委编办");
    merge(ws, 5, 0, 5, 5, "二、加强行政复议工作");
    row(
        ws,
        6,
        &[
            S("1"),
            S("推行复议案件繁简分流"),
            S("区司法局"),
            S("2025年上半年"),
            S("推进中"),
            E,
        ],
    );
    row(
        ws,
        7,
        &[
            S("2"),
            S("建立复议意见书跟踪机制"),
            S("区司法局"),
            S("2025年三季度"),
            S("未启动"),
            E,
        ],
    );
    wb.save(&path).unwrap();
    path
}

/// Shape 3: deadlines as date cells, as bare serial numbers and as text in many forms.
pub fn serial_and_text_dates(dir: &Path) -> PathBuf {
    let path = dir.join("时限台账.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("2025").unwrap();
    row(
        ws,
        0,
        &[
            S("序号"),
            S("重点任务"),
            S("责任单位"),
            S("时间节点"),
            S("推进情况"),
            S("状态"),
        ],
    );
    row(
        ws,
        1,
        &[
            N(1.0),
            S("修订行政规范性文件管理办法"),
            S("区司法局"),
            D(2025, 6, 30),
            E,
            S("已完成"),
        ],
    );
    row(
        ws,
        2,
        &[
            N(2.0),
            S("公布年度重大行政决策目录"),
            S("区政府办"),
            N(45_930.0),
            E,
            S("推进中"),
        ],
    );
    row(
        ws,
        3,
        &[
            N(3.0),
            S("开展合法性审查业务培训"),
            S("区司法局"),
            S("2025.11"),
            E,
            S("未启动"),
        ],
    );
    row(
        ws,
        4,
        &[
            N(4.0),
            S("报送法治政府建设情况"),
            S("区司法局"),
            S("每季度"),
            E,
            S("推进中"),
        ],
    );
    row(
        ws,
        5,
        &[
            N(5.0),
            S("落实政府法律顾问制度"),
            S("区司法局"),
            S("长期坚持"),
            E,
            S("持续推进"),
        ],
    );
    row(
        ws,
        6,
        &[
            N(6.0),
            S("清理涉企规章文件"),
            S("区发展改革委"),
            E,
            E,
            S("正在推进"),
        ],
    );
    row(
        ws,
        7,
        &[
            N(7.0),
            S("建设行政执法监督平台"),
            S("区司法局"),
            S("二季度"),
            E,
            S("✓"),
        ],
    );
    wb.save(&path).unwrap();
    path
}

/// Shape 4: one sheet per year, a notes sheet, hidden columns (an internal code and the
/// contact person), and empty formatted rows trailing below the table.
pub fn several_sheets_hidden_columns(dir: &Path) -> PathBuf {
    let path = dir.join("历年台账.xlsx");
    let mut wb = Workbook::new();
    {
        let ws = wb.add_worksheet();
        ws.set_name("填表说明").unwrap();
        put(
            ws,
            0,
            0,
            S("本表按年度分工作表填写，状态填“已完成/推进中/未启动”。"),
        );
    }
    for (name, tasks) in [
        (
            "2024年",
            vec![(
                "推进行政执法“三项制度”全覆盖",
                "区司法局",
                "2024年底前",
                "已完成",
                "NB-01",
            )],
        ),
        (
            "2025年",
            vec![
                (
                    "推行柔性执法清单",
                    "区市场监管局",
                    "2025年6月底前",
                    "推进中",
                    "NB-07",
                ),
                (
                    "规范电子证照应用",
                    "区数据局",
                    "2025年下半年",
                    "未启动",
                    "NB-08",
                ),
            ],
        ),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        row(
            ws,
            0,
            &[
                S("序号"),
                S("内部编码"),
                S("工作任务"),
                S("牵头单位"),
                S("联系人"),
                S("完成时限"),
                S("状态"),
                S("佐证材料"),
            ],
        );
        for (i, (t, o, d, s, code)) in tasks.iter().enumerate() {
            let r = i as u32 + 1;
            row(
                ws,
                r,
                &[
                    N(r as f64),
                    S(code),
                    S(t),
                    S(o),
                    S("刘八 13800000000"),
                    S(d),
                    S(s),
                    S("会议纪要.pdf；通知.docx"),
                ],
            );
        }
        ws.set_column_hidden(1).unwrap();
        ws.set_column_hidden(4).unwrap();
        let blank = Format::new().set_border(rust_xlsxwriter::FormatBorder::Thin);
        for r in tasks.len() as u32 + 1..tasks.len() as u32 + 30 {
            for c in 0..8u16 {
                ws.write_blank(r, c, &blank).unwrap();
            }
        }
    }
    wb.save(&path).unwrap();
    path
}

/// Shape 5: a 序号 hierarchy of （一）, 1, 1.1 and ①, in a shortcomings (整改) ledger with
/// 问题描述, 整改措施, 整改时限, 整改情况 and 是否销号.
pub fn seq_hierarchy(dir: &Path) -> PathBuf {
    let path = dir.join("问题整改台账.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("整改台账").unwrap();
    merge(ws, 0, 0, 0, 6, "2025年度法治督察反馈问题整改台账");
    row(
        ws,
        1,
        &[
            S("序号"),
            S("存在问题"),
            S("整改措施"),
            S("责任单位"),
            S("整改时限"),
            S("整改情况"),
            S("是否销号"),
        ],
    );
    row(
        ws,
        2,
        &[
            S("（一）"),
            S("行政执法不够规范"),
            S("全面排查执法案卷"),
            S("区司法局"),
            S("2025年底前"),
            E,
            S("否"),
        ],
    );
    row(
        ws,
        3,
        &[
            S("1"),
            S("部分案卷文书不全"),
            S("补正文书并建立台账"),
            S("区城管局"),
            S("2025年8月底前"),
            S("已补正12卷"),
            S("是"),
        ],
    );
    row(
        ws,
        4,
        &[
            S("1.1"),
            S("送达回证缺失"),
            S("补送达"),
            S("区城管局"),
            S("2025年7月底前"),
            E,
            S("是"),
        ],
    );
    row(
        ws,
        5,
        &[
            S("①"),
            S("2024年度案卷"),
            S("逐卷核对"),
            S("区城管局"),
            S("2025年7月底前"),
            E,
            S("否"),
        ],
    );
    row(
        ws,
        6,
        &[
            S("2"),
            S("裁量基准执行不到位"),
            S("开展专项培训"),
            S("区市场监管局"),
            S("2025年10月底前"),
            E,
            S("否"),
        ],
    );
    row(
        ws,
        7,
        &[
            S("（二）"),
            S("行政复议纠错率偏高"),
            S("开展案件质量分析"),
            S("区司法局"),
            S("2025年底前"),
            E,
            S("否"),
        ],
    );
    wb.save(&path).unwrap();
    path
}

/// Shape 6: a CSV saved by WPS in GBK, with 是否完成.
pub fn gbk_csv(dir: &Path) -> PathBuf {
    let path = dir.join("台账导出.csv");
    let text = "序号,工作任务,牵头单位,配合单位,完成时限,完成情况,是否完成\r\n\
1,建立行政执法案例指导制度,区司法局,区城管局、区生态环境分局,2025/6/30,已印发指导案例5件,是\r\n\
2,推进“综合查一次”改革,区市场监管局,,2025年三季度,正在选取试点,否\r\n\
3,编制行政裁量权基准,区交通运输局,\"区司法局,区城管局\",2025年底前,,否\r\n";
    let (bytes, _, bad) = encoding_rs::GBK.encode(text);
    assert!(!bad);
    std::fs::write(&path, &bytes).unwrap();
    path
}

/// A workbook of the given rows on one sheet, for the bad-input cases.
pub fn plain(dir: &Path, name: &str, rows: &[&[V<'_>]]) -> PathBuf {
    let path = dir.join(name);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, cells) in (0u32..).zip(rows) {
        row(ws, r, cells);
    }
    wb.save(&path).unwrap();
    path
}

/// What Excel and WPS save when a workbook is given a password to open: not a zip but an OLE
/// compound file holding an `EncryptedPackage` stream. This is the smallest such file (a
/// header, one FAT sector and one directory sector), enough for a reader to tell it is one.
pub fn password_protected(dir: &Path) -> PathBuf {
    let path = dir.join("加密台账.xlsx");
    let mut f = vec![0u8; 512 * 3];
    let put32 =
        |f: &mut Vec<u8>, at: usize, v: u32| f[at..at + 4].copy_from_slice(&v.to_le_bytes());
    f[0..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    f[24..26].copy_from_slice(&0x3Eu16.to_le_bytes());
    f[26..28].copy_from_slice(&3u16.to_le_bytes());
    f[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
    f[30..32].copy_from_slice(&9u16.to_le_bytes());
    f[32..34].copy_from_slice(&6u16.to_le_bytes());
    put32(&mut f, 44, 1); // one FAT sector
    put32(&mut f, 48, 1); // the directory starts at sector 1
    put32(&mut f, 56, 0x1000);
    put32(&mut f, 60, 0xFFFF_FFFE); // no mini FAT
    put32(&mut f, 68, 0xFFFF_FFFE); // no DIFAT sectors
    put32(&mut f, 76, 0); // the FAT is sector 0
    for i in 1..109 {
        put32(&mut f, 76 + 4 * i, 0xFFFF_FFFF);
    }
    // Sector 0, the FAT: itself, then the directory's one-sector chain.
    let fat = 512;
    put32(&mut f, fat, 0xFFFF_FFFD);
    put32(&mut f, fat + 4, 0xFFFF_FFFE);
    for i in 2..128 {
        put32(&mut f, fat + 4 * i, 0xFFFF_FFFF);
    }
    // Sector 1, the directory: the root and the encrypted stream.
    let dir_at = 1024;
    for (i, (name, kind, child)) in [
        ("Root Entry", 5u8, 1u32),
        ("EncryptedPackage", 2, 0xFFFF_FFFF),
    ]
    .iter()
    .enumerate()
    {
        let e = dir_at + 128 * i;
        let utf16: Vec<u8> = name.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        f[e..e + utf16.len()].copy_from_slice(&utf16);
        f[e + 64..e + 66].copy_from_slice(&((utf16.len() + 2) as u16).to_le_bytes());
        f[e + 66] = *kind;
        f[e + 67] = 1;
        put32(&mut f, e + 68, 0xFFFF_FFFF);
        put32(&mut f, e + 72, 0xFFFF_FFFF);
        put32(&mut f, e + 76, *child);
        put32(&mut f, e + 116, 0xFFFF_FFFE);
        put32(&mut f, e + 120, 0);
    }
    std::fs::write(&path, f).unwrap();
    path
}
