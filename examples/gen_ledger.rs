//! Generates a realistic taizhang ledger as JSON Lines, for benchmarks and memory checks:
//!
//!     cargo run --release --example gen_ledger -- --tasks 1000000 --out ledger.jsonl \
//!         [--seed N] [--year-from 2021 --year-to 2025] [--owners 150]
//!
//! `taizhang import ledger.jsonl` reads the file into an empty ledger and `taizhang check`
//! finds it sound: every task line's columns are exactly the replay of its history, which is
//! written the way `add`, `update`, `note` and `link` write it.
//!
//! The ledger: tasks of every plan year of the outline in creation order (ids grow with time),
//! tagged with the outline's ten areas, led by 30–300 units (district bureaus, towns, street
//! offices), with Chinese titles, a mix of kinds, statuses and deadlines (some overdue on the
//! last day of the period, some continuous work without a deadline), about 10% sub-tasks, links
//! from commitments to earlier shortcomings, and 3–5 history rows per task.
//!
//! Deterministic for a seed (an inline splitmix64, no extra dependency) and streamed: memory
//! does not grow with --tasks.

use std::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use taizhang::db::bulk::{Header, HistoryLine, TaskLine, FORMAT, VERSION};
use taizhang::db::tasks::NewTask;
use taizhang::model::{Kind, Status};

type Res<T> = Result<T, Box<dyn Error>>;

// ---------------------------------------------------------------------------------------------
// Randomness

/// splitmix64: tiny, fast, and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in 0..n (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn index(&mut self, n: usize) -> usize {
        usize::try_from(self.below(n as u64)).unwrap_or(0)
    }

    /// True with probability `pct` percent.
    fn pct(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.index(xs.len())]
    }

    /// An index into `weights`, drawn in proportion to them.
    fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

/// The outline's ten areas: tag, the short name kept in `area`, and objects of work in it.
const AREAS: [(&str, &str, &[&str]); 10] = [
    (
        "FZ01",
        "学习贯彻习近平法治思想",
        &[
            "习近平法治思想学习宣传",
            "领导干部学法用法",
            "政府常务会议会前学法",
            "国家工作人员旁听庭审",
            "法治理论专题培训",
        ],
    ),
    (
        "FZ02",
        "政府机构职能体系",
        &[
            "权责清单动态调整",
            "证明事项告知承诺制",
            "政务服务事项标准化",
            "营商环境优化",
            "“一件事一次办”改革",
            "行政审批制度改革",
        ],
    ),
    (
        "FZ03",
        "依法行政制度体系",
        &[
            "行政规范性文件合法性审核",
            "规范性文件备案审查",
            "政府规章立法后评估",
            "规范性文件清理",
            "公平竞争审查",
        ],
    ),
    (
        "FZ04",
        "行政决策制度体系",
        &[
            "重大行政决策程序",
            "重大行政决策目录管理",
            "法律顾问和公职律师",
            "重大决策社会稳定风险评估",
            "合法性审查机制",
        ],
    ),
    (
        "FZ05",
        "行政执法工作体系",
        &[
            "行政执法三项制度",
            "行政执法案卷评查",
            "综合行政执法改革",
            "包容审慎监管",
            "行政执法人员资格管理",
            "“双随机、一公开”监管",
            "轻微违法不予处罚清单",
        ],
    ),
    (
        "FZ06",
        "突发事件应对体系",
        &[
            "突发事件应急预案",
            "应急管理综合执法",
            "防汛防台应急演练",
            "安全生产专项整治",
            "基层应急能力建设",
        ],
    ),
    (
        "FZ07",
        "社会矛盾纠纷化解体系",
        &[
            "行政复议体制改革",
            "行政应诉工作",
            "行政机关负责人出庭应诉",
            "人民调解工作",
            "信访工作法治化",
            "公共法律服务体系",
        ],
    ),
    (
        "FZ08",
        "行政权力制约监督体系",
        &[
            "政务公开",
            "行政执法监督",
            "审计监督整改",
            "政务诚信建设",
            "人大代表建议和政协提案办理",
        ],
    ),
    (
        "FZ09",
        "数字法治政府",
        &[
            "政务数据共享",
            "“互联网+监管”",
            "行政执法信息平台",
            "政务服务“一网通办”",
            "电子证照应用",
        ],
    ),
    (
        "FZ10",
        "法治政府建设推进机制",
        &[
            "党政主要负责人履行推进法治建设第一责任人职责",
            "法治政府建设示范创建",
            "法治政府建设年度报告",
            "法治督察",
            "法治政府建设考核评价",
        ],
    ),
];

const VERBS: &[&str] = &[
    "深化",
    "推进",
    "健全",
    "落实",
    "完善",
    "规范",
    "加强",
    "全面推行",
    "持续开展",
    "提升",
];
const SUFFIXES: &[&str] = &[
    "工作",
    "机制建设",
    "专项行动",
    "试点",
    "全覆盖",
    "质效",
    "制度落地",
    "标准化建设",
];
const GAPS: &[&str] = &[
    "仍有薄弱环节",
    "不够规范",
    "落实不到位",
    "覆盖面不足",
    "质量有待提高",
    "与群众期待仍有差距",
];
const GAP_PREFIXES: &[&str] = &["部分单位", "个别镇街", "基层", "部分执法部门", ""];
const RESULTS: &[&str] = &[
    "取得明显成效",
    "实现全覆盖",
    "获评省级示范",
    "经验做法被推广",
    "完成率100%",
];

/// District bureaus and offices; towns and street offices are added to reach the owner count.
const BUREAUS: &[&str] = &[
    "区司法局",
    "区市场监管局",
    "区发展改革委",
    "区财政局",
    "区人社局",
    "区自然资源和规划分局",
    "区生态环境局",
    "区住建局",
    "区城管局",
    "区交通运输局",
    "区水利局",
    "区农业农村局",
    "区商务局",
    "区文体旅局",
    "区卫健委",
    "区应急管理局",
    "区审计局",
    "区统计局",
    "区医保局",
    "区信访局",
    "区教育局",
    "区科技局",
    "区工信局",
    "区民政局",
    "区退役军人事务局",
    "区公安分局",
    "区税务局",
    "区行政审批局",
    "区数据局",
    "区政府办公室",
    "区委依法治区办",
    "区综合行政执法局",
    "区消防救援大队",
    "区档案馆",
    "区机关事务管理局",
    "区国资办",
];
const PLACE_A: &[&str] = &[
    "青", "龙", "红", "梅", "茶", "兰", "天", "雕", "郑", "奔", "罗", "新", "东", "西", "南", "北",
    "安", "乐", "和", "永",
];
const PLACE_B: &[&str] = &[
    "山", "陵", "宁", "庄", "陆", "牛", "溪", "湖", "塘", "桥", "港", "林", "园", "河", "丰",
];

const ACTORS: &[&str] = &[
    "王芳", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴倩", "徐明", "孙丽",
    "胡军", "朱红", "高翔", "林琳", "何平", "郭涛", "马超", "罗兰",
];

const NOTES: &[&str] = &[
    "已制定工作方案",
    "已召开专题推进会",
    "已报送阶段性进展",
    "佐证材料已上传",
    "正在征求相关单位意见",
    "已完成案卷评查，发现问题{n}个",
    "已组织培训{n}场次",
    "已完成自查，整改问题{n}项",
    "已印发实施细则",
    "按月报送进展，本月无新增问题",
];
const EXTEND_REASONS: &[&str] = &[
    "项目审批延后，申请延期",
    "受上级政策调整影响，申请延期",
    "需协调多部门联合推进，申请延期",
    "配套资金尚未到位，申请延期",
];
const BLOCK_REASONS: &[&str] = &[
    "等待上级批复",
    "配套资金未到位",
    "涉及跨部门协调，暂缓推进",
    "系统平台建设延后",
];
const CANCEL_REASONS: &[&str] = &["并入第{n}项", "上级政策调整，不再实施", "与其他任务重复"];
const CONTINUOUS_WORDS: &[&str] = &["长期坚持", "持续推进", "常态化"];

// ---------------------------------------------------------------------------------------------
// Options

struct Opts {
    tasks: u64,
    out: String,
    seed: u64,
    year_from: i32,
    year_to: i32,
    owners: usize,
}

const USAGE: &str = "usage: gen_ledger --tasks N --out FILE.jsonl [--seed N] \
                     [--year-from 2021 --year-to 2025] [--owners 30..300]";

fn parse_opts() -> Res<Opts> {
    let mut o = Opts {
        tasks: 10_000,
        out: String::new(),
        seed: 1,
        year_from: 2021,
        year_to: 2025,
        owners: 150,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || {
            args.next()
                .ok_or_else(|| format!("{a} needs a value; {USAGE}"))
        };
        match a.as_str() {
            "--tasks" => o.tasks = val()?.replace('_', "").parse()?,
            "--out" | "-o" => o.out = val()?,
            "--seed" => o.seed = val()?.parse()?,
            "--year-from" => o.year_from = val()?.parse()?,
            "--year-to" => o.year_to = val()?.parse()?,
            "--owners" => o.owners = val()?.parse()?,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument '{other}'; {USAGE}").into()),
        }
    }
    if o.out.is_empty() {
        return Err(format!("--out is required; {USAGE}").into());
    }
    if o.year_to < o.year_from || o.year_from < 1900 || o.year_to > 9998 {
        return Err("--year-from must not be after --year-to".into());
    }
    if !(30..=300).contains(&o.owners) {
        return Err("--owners must be between 30 and 300".into());
    }
    Ok(o)
}

/// The owner units: the bureaus, then towns and street offices, `n` in all, distinct.
fn owners(n: usize) -> Vec<String> {
    let mut v: Vec<String> = BUREAUS.iter().take(n).map(|s| s.to_string()).collect();
    let mut k = 0usize;
    while v.len() < n {
        let a = PLACE_A[k % PLACE_A.len()];
        let b = PLACE_B[(k / PLACE_A.len()) % PLACE_B.len()];
        let round = k / (PLACE_A.len() * PLACE_B.len());
        let suffix = if k % 3 == 2 {
            "镇人民政府"
        } else {
            "街道办事处"
        };
        v.push(if round == 0 {
            format!("{a}{b}{suffix}")
        } else {
            format!("{a}{b}{round}{suffix}")
        });
        k += 1;
    }
    v
}

// ---------------------------------------------------------------------------------------------
// Time

/// Timestamps are minutes since 2000-01-01 00:00 local time (+08:00), rendered the way
/// taizhang stamps changes.
fn epoch() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2000, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

fn minute_of(d: NaiveDate, h: u32, m: u32) -> i64 {
    (d.and_hms_opt(h, m, 0).unwrap_or_default() - epoch()).num_minutes()
}

fn stamp(minute: i64) -> String {
    (epoch() + Duration::minutes(minute))
        .format("%Y-%m-%dT%H:%M:%S+08:00")
        .to_string()
}

fn date_of(minute: i64) -> NaiveDate {
    (epoch() + Duration::minutes(minute)).date()
}

/// Moves a minute into office hours (08:30–17:30) of its day, keeping the order of minutes on
/// different days.
fn office_hours(minute: i64) -> i64 {
    let day = minute.div_euclid(1440);
    let within = minute.rem_euclid(1440);
    day * 1440 + 510 + within * 540 / 1440
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn end_of_month(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1).pred_opt().unwrap_or_default()
}

/// The last day of the month `months` after `d`'s month.
fn months_later(d: NaiveDate, months: u32) -> NaiveDate {
    let total = d.year() * 12 + i32::try_from(d.month0()).unwrap_or(0) + months as i32;
    end_of_month(
        total.div_euclid(12),
        u32::try_from(total.rem_euclid(12)).unwrap_or(0) + 1,
    )
}

// ---------------------------------------------------------------------------------------------
// A task's life

/// One command in a task's life after its creation.
#[derive(Clone)]
enum Event {
    Link(i64),
    Start(u8),
    Progress(u8),
    Note(String),
    Owner(String),
    CoOwners(Vec<String>),
    Extend(NaiveDate, String),
    Block(String),
    /// `update --progress 100` (true) or `update --status done` (false).
    Finish(bool),
    /// `update --status verified`.
    Verify,
    Cancel(String),
}

/// The task as the commands leave it: the fields `update` may change.
struct State {
    status: Status,
    progress: u8,
    owner: Option<String>,
    co_owners: Vec<String>,
    deadline: Option<NaiveDate>,
    deadline_text: Option<String>,
    completed_at: Option<String>,
    links: Vec<i64>,
}

type Row = (&'static str, Option<String>, Option<String>);

fn co_json(v: &[String]) -> Res<String> {
    Ok(serde_json::to_string(v)?)
}

/// The history rows a command writes, applying it to `s` the way `tasks::update` (or `note`,
/// `link`) does: one row per changed field, in update's field order.
fn apply(s: &mut State, e: &Event, at: &str) -> Res<Vec<Row>> {
    let mut rows: Vec<Row> = Vec::new();
    let mut set_status = |s: &mut State, status: Option<Status>, progress: Option<u8>| {
        let (old_status, old_progress, old_completed) =
            (s.status, s.progress, s.completed_at.clone());
        let mut new_status = status.unwrap_or(s.status);
        let mut new_progress = s.progress;
        if let Some(p) = progress {
            new_progress = p;
            if p == 100 && status.is_none() && !old_status.is_closed() {
                new_status = Status::Done;
            }
        }
        if new_status.is_finished() && !old_status.is_finished() && progress.is_none() {
            new_progress = 100;
        }
        let mut completed = old_completed.clone();
        if new_status.is_finished() && !old_status.is_finished() {
            completed = Some(at.to_string());
        } else if !new_status.is_finished() {
            completed = None;
        }
        if new_status != old_status {
            rows.push((
                "status",
                Some(old_status.to_string()),
                Some(new_status.to_string()),
            ));
        }
        if new_progress != old_progress {
            rows.push((
                "progress",
                Some(old_progress.to_string()),
                Some(new_progress.to_string()),
            ));
        }
        if completed != old_completed {
            rows.push(("completed_at", old_completed, completed.clone()));
        }
        s.status = new_status;
        s.progress = new_progress;
        s.completed_at = completed;
    };
    match e {
        Event::Link(sid) => {
            s.links.push(*sid);
            rows.push(("addresses", None, Some(sid.to_string())));
        }
        Event::Note(_) => rows.push(("note", None, None)),
        Event::Start(p) => set_status(s, Some(Status::Doing), Some(*p)),
        Event::Progress(p) => set_status(s, None, Some(*p)),
        Event::Finish(true) => set_status(s, None, Some(100)),
        Event::Finish(false) => set_status(s, Some(Status::Done), None),
        Event::Verify => set_status(s, Some(Status::Verified), None),
        Event::Block(_) => set_status(s, Some(Status::Blocked), None),
        Event::Cancel(_) => set_status(s, Some(Status::Cancelled), None),
        Event::Owner(o) => {
            rows.push(("owner", s.owner.clone(), Some(o.clone())));
            s.owner = Some(o.clone());
        }
        Event::CoOwners(co) => {
            rows.push((
                "co_owners",
                Some(co_json(&s.co_owners)?),
                Some(co_json(co)?),
            ));
            s.co_owners = co.clone();
        }
        Event::Extend(d, _) => {
            rows.push((
                "deadline",
                s.deadline.map(|x| x.to_string()),
                Some(d.to_string()),
            ));
            s.deadline = Some(*d);
            // A plain date given to --deadline has no words: the old words go.
            if s.deadline_text.is_some() {
                rows.push(("deadline_text", s.deadline_text.take(), None));
            }
        }
    }
    Ok(rows)
}

/// The note stored with every row of a command, and the command line describing it.
fn describe(id: i64, e: &Event) -> (Option<String>, String) {
    match e {
        Event::Link(sid) => (None, format!("link {id} --addresses {sid}")),
        Event::Note(t) => (Some(t.clone()), format!("note {id} {t}")),
        Event::Start(p) => (None, format!("update {id} --status doing --progress {p}")),
        Event::Progress(p) => (None, format!("update {id} --progress {p}")),
        Event::Finish(true) => (None, format!("update {id} --progress 100")),
        Event::Finish(false) => (None, format!("update {id} --status done")),
        Event::Verify => (None, format!("update {id} --status verified")),
        Event::Block(r) => (
            Some(r.clone()),
            format!("update {id} --status blocked --note {r}"),
        ),
        Event::Cancel(r) => (
            Some(r.clone()),
            format!("update {id} --status cancelled --note {r}"),
        ),
        Event::Owner(o) => (None, format!("update {id} --owner {o}")),
        Event::CoOwners(co) => {
            let args: Vec<String> = co.iter().map(|c| format!("--co-owner {c}")).collect();
            (None, format!("update {id} {}", args.join(" ")))
        }
        Event::Extend(d, r) => (
            Some(r.clone()),
            format!("update {id} --deadline {d} --note {r}"),
        ),
    }
}

/// How many rows an event writes in a given position of a plan (it depends only on the
/// event and the status before it, which the plans below keep simple).
fn row_count(e: &Event, has_words: bool) -> usize {
    match e {
        Event::Start(_) => 2,
        Event::Finish(_) => 3,
        Event::Extend(_, _) if has_words => 2,
        _ => 1,
    }
}

fn fill(rng: &mut Rng, text: &str) -> String {
    text.replace("{n}", &(2 + rng.below(28)).to_string())
}

// ---------------------------------------------------------------------------------------------
// Generation

/// What the generator remembers of recent tasks, in fixed-size rings: constant memory.
const RING: usize = 256;

struct Recent {
    /// (id, kind, year) of the latest tasks, for parents.
    tasks: Vec<(i64, Kind, i32)>,
    /// Ids of the latest shortcomings, for links.
    shortcomings: Vec<i64>,
    next_task: usize,
    next_short: usize,
}

impl Recent {
    fn push_task(&mut self, t: (i64, Kind, i32)) {
        if self.tasks.len() < RING {
            self.tasks.push(t);
        } else {
            self.tasks[self.next_task] = t;
        }
        self.next_task = (self.next_task + 1) % RING;
    }

    fn push_short(&mut self, id: i64) {
        if self.shortcomings.len() < RING {
            self.shortcomings.push(id);
        } else {
            self.shortcomings[self.next_short] = id;
        }
        self.next_short = (self.next_short + 1) % RING;
    }
}

struct Counters {
    history: i64,
    change: i64,
}

struct Gen {
    rng: Rng,
    owners: Vec<String>,
    year_from: i32,
    year_to: i32,
    /// Nothing happens after this minute (17:30 on the last day of the period).
    end: i64,
    recent: Recent,
    ids: Counters,
}

impl Gen {
    fn title(&mut self, kind: Kind, area: usize) -> String {
        let object = *self.rng.pick(AREAS[area].2);
        match kind {
            Kind::Shortcoming => {
                let pre = *self.rng.pick(GAP_PREFIXES);
                let gap = *self.rng.pick(GAPS);
                format!("{pre}{object}{gap}")
            }
            Kind::Achievement => {
                let r = *self.rng.pick(RESULTS);
                format!("{object}{r}")
            }
            _ => {
                let v = *self.rng.pick(VERBS);
                let s = *self.rng.pick(SUFFIXES);
                format!("{v}{object}{s}")
            }
        }
    }

    /// The final status of a non-achievement task, by how long ago its plan year was.
    fn final_status(&mut self, year: i32, continuous: bool) -> Status {
        const ALL: [Status; 6] = [
            Status::Todo,
            Status::Doing,
            Status::Blocked,
            Status::Done,
            Status::Verified,
            Status::Cancelled,
        ];
        let weights: [u64; 6] = match self.year_to - year {
            0 => [22, 38, 8, 20, 6, 6],
            1 => [6, 20, 6, 34, 28, 6],
            _ => [2, 8, 4, 30, 50, 6],
        };
        let s = ALL[self.rng.weighted(&weights)];
        // Continuous work is seldom finished.
        if continuous && s.is_finished() && self.rng.pct(70) {
            Status::Doing
        } else {
            s
        }
    }

    /// A deadline for a task created on `created` in plan year `year`, with the words a report
    /// would give for it (sometimes).
    fn deadline(&mut self, year: i32, created: NaiveDate) -> (NaiveDate, Option<String>) {
        let choices: [(NaiveDate, &str); 4] = [
            (ymd(year, 3, 31), "一季度"),
            (ymd(year, 6, 30), "6月底前"),
            (ymd(year, 9, 30), "三季度"),
            (ymd(year, 12, 31), "年底前"),
        ];
        let (mut d, mut words) = choices[self.rng.weighted(&[5, 20, 10, 65])];
        if d < created + Duration::days(30) {
            (d, words) = choices[3];
        }
        let words = self.rng.pct(40).then(|| format!("{year}年{words}"));
        (d, words)
    }

    fn task(&mut self, id: i64, n: u64) -> Res<TaskLine> {
        let rng = &mut self.rng;
        // Plan years in blocks, creation moments growing with the id inside each block.
        let years = u64::try_from(self.year_to - self.year_from + 1).unwrap_or(1);
        let pos = u64::try_from(id - 1).unwrap_or(0);
        let block = (pos * years / n.max(1)).min(years - 1);
        let year = self.year_from + i32::try_from(block).unwrap_or(0);
        let block_start = block * n / years;
        let block_len = ((block + 1) * n / years - block_start).max(1);
        let frac_minutes = (pos - block_start) * 300 * 1440 / block_len;
        let created_min =
            office_hours(minute_of(ymd(year, 1, 5), 0, 0) + i64::try_from(frac_minutes)?);
        let created_day = date_of(created_min);

        // Kind, area, owner.
        let mut kind = [
            Kind::Commitment,
            Kind::Task,
            Kind::Shortcoming,
            Kind::Achievement,
        ][rng.weighted(&[45, 33, 11, 11])];
        let area_ix = rng.index(AREAS.len());
        let untagged = rng.pct(3);
        let mut parent = None;
        if kind != Kind::Achievement && kind != Kind::Shortcoming && rng.pct(14) {
            if let Some(&(pid, pkind, pyear)) =
                (!self.recent.tasks.is_empty()).then(|| rng.pick(&self.recent.tasks))
            {
                if pkind != Kind::Achievement && pyear == year {
                    parent = Some(pid);
                    kind = Kind::Task;
                }
            }
        }
        let owner_ix = {
            // A few units lead most of the work.
            let n = self.owners.len();
            if rng.pct(50) {
                rng.index(n.min(12))
            } else {
                rng.index(n)
            }
        };
        let owner = self.owners[owner_ix].clone();
        let mut co_owners = Vec::new();
        for _ in 0..rng.weighted(&[55, 25, 15, 5]) {
            let c = rng.pick(&self.owners).clone();
            if c != owner && !co_owners.contains(&c) {
                co_owners.push(c);
            }
        }
        let title = self.title(kind, area_ix);
        let rng = &mut self.rng;

        // Deadline and final status.
        let continuous = matches!(kind, Kind::Commitment | Kind::Task) && rng.pct(8);
        let (deadline, deadline_text) = if kind == Kind::Achievement {
            (Some(ymd(year, 12, 31)), None)
        } else if continuous {
            (None, Some(rng.pick(CONTINUOUS_WORDS).to_string()))
        } else {
            let (d, w) = self.deadline(year, created_day);
            (Some(d), w)
        };
        let rng = &mut self.rng;
        let reference = match kind {
            Kind::Commitment => Some(format!("{year}-C{id}")),
            Kind::Shortcoming => Some(format!("{year}-S{id}")),
            Kind::Achievement => Some(format!("{year}-A{id}")),
            Kind::Task => None,
        };
        let created_at = stamp(created_min);
        let (status0, progress0, completed0) = if kind == Kind::Achievement {
            (Status::Done, 100, Some(created_at.clone()))
        } else {
            (Status::Todo, 0, None)
        };
        let new = NewTask {
            reference: reference.clone(),
            kind,
            title: title.clone(),
            body: None,
            area: (!untagged).then(|| AREAS[area_ix].1.to_string()),
            outline_area: (!untagged).then(|| AREAS[area_ix].0.to_string()),
            owner: Some(owner.clone()),
            co_owners: co_owners.clone(),
            person: None,
            contact: None,
            status: status0,
            progress: progress0,
            deadline,
            deadline_text: deadline_text.clone(),
            year,
            parent_id: parent,
            document_id: None,
            completed_at: completed0.clone(),
        };

        // The plan: what must happen to reach the final status, then what may, within 3–5 rows.
        let target_rows = 3 + rng.index(3);
        let fin = if kind == Kind::Achievement {
            if rng.pct(70) {
                Status::Verified
            } else {
                Status::Done
            }
        } else {
            self.final_status(year, continuous)
        };
        let rng = &mut self.rng;
        let start = 10 * (1 + rng.below(5)) as u8;
        let mut must: Vec<Event> = match fin {
            Status::Todo => vec![],
            Status::Doing => vec![Event::Start(start)],
            Status::Blocked => vec![
                Event::Start(start),
                Event::Block(rng.pick(BLOCK_REASONS).to_string()),
            ],
            Status::Done if kind == Kind::Achievement => vec![],
            Status::Verified if kind == Kind::Achievement => vec![Event::Verify],
            Status::Done => vec![Event::Finish(rng.pct(60))],
            Status::Verified => {
                if rng.pct(50) {
                    vec![Event::Finish(rng.pct(60)), Event::Verify]
                } else {
                    vec![Event::Verify]
                }
            }
            Status::Cancelled => {
                let r = rng_pick(rng, CANCEL_REASONS);
                let r = fill(rng, r);
                if rng.pct(40) {
                    vec![Event::Start(start), Event::Cancel(r)]
                } else {
                    vec![Event::Cancel(r)]
                }
            }
        };
        // A verify straight from todo/doing writes status, progress and completed_at.
        let must_rows = |must: &[Event]| -> usize {
            let mut finished = kind == Kind::Achievement;
            must.iter()
                .map(|e| match e {
                    Event::Verify if !finished => {
                        finished = true;
                        3
                    }
                    Event::Finish(_) => {
                        finished = true;
                        3
                    }
                    e => row_count(e, false),
                })
                .sum()
        };
        let mut used = 1 + must_rows(&must);

        // Optional events, in the order they happen.
        let mut before: Vec<Event> = Vec::new();
        let words = deadline_text.is_some() && deadline.is_some();
        if kind == Kind::Commitment && !self.recent.shortcomings.is_empty() && rng.pct(35) {
            let sid = *rng.pick(&self.recent.shortcomings);
            if used < target_rows {
                before.push(Event::Link(sid));
                used += 1;
            }
        }
        if used < target_rows && rng.pct(8) {
            let o = rng.pick(&self.owners).clone();
            if o != owner {
                before.push(Event::Owner(o));
                used += 1;
            }
        }
        if used < target_rows && rng.pct(5) {
            let c = rng.pick(&self.owners).clone();
            if c != owner && co_owners != [c.clone()] {
                before.push(Event::CoOwners(vec![c]));
                used += 1;
            }
        }
        // An extension (延期) for open work, or work finished late.
        let mut mid: Vec<Event> = Vec::new();
        if let (Some(d), false) = (deadline, kind == Kind::Achievement) {
            let open = !fin.is_closed();
            let need = row_count(&Event::Extend(d, String::new()), words);
            if used + need <= target_rows && rng.pct(if open { 30 } else { 8 }) {
                let months = [3, 6, 6, 12][rng.index(4)];
                let reason = rng.pick(EXTEND_REASONS).to_string();
                mid.push(Event::Extend(months_later(d, months), reason));
                used += need;
            }
        }
        if used < target_rows && matches!(fin, Status::Doing | Status::Blocked) && start < 90 {
            let p = (start + 10 * (1 + rng.below(4)) as u8).min(90);
            // After the start, before a block.
            must.insert(1, Event::Progress(p));
            used += 1;
        }
        let mut notes: Vec<Event> = Vec::new();
        while used < target_rows {
            let t = rng_pick(rng, NOTES);
            notes.push(Event::Note(fill(rng, t)));
            used += 1;
        }

        // Order: links and owner changes first, then the work with notes and an extension
        // between its steps.
        let mut plan: Vec<Event> = before;
        let mut work = must;
        let mut extra: Vec<Event> = mid.into_iter().chain(notes).collect();
        // Interleave the extras among the work steps: an extension before the last step, notes
        // anywhere but after a cancellation.
        let cancelled = matches!(work.last(), Some(Event::Cancel(_)));
        while let Some(e) = extra.pop() {
            let at = if work.is_empty() {
                0
            } else {
                rng.index(work.len() + 1)
            };
            let at = if cancelled || matches!(e, Event::Extend(..)) {
                at.min(work.len().saturating_sub(1))
            } else {
                at
            };
            work.insert(at, e);
        }
        plan.extend(work);

        // Moments: increasing, after creation, before the period's end; closed work ends
        // within a few months of its deadline.
        let horizon = match (fin.is_closed(), deadline) {
            (true, Some(d)) => minute_of(d, 17, 30).max(created_min + 30 * 1440) + 60 * 1440,
            _ => self.end,
        }
        .min(self.end)
        .max(created_min + 1440);
        let span = u64::try_from(horizon - created_min).unwrap_or(1440).max(1);
        let mut offsets: Vec<i64> = (0..plan.len())
            .map(|_| i64::try_from(1 + rng.below(span)).unwrap_or(1))
            .collect();
        offsets.sort_unstable();
        let mut times = Vec::with_capacity(plan.len());
        let mut last = created_min;
        for off in offsets {
            let t = office_hours(created_min + off).max(last + 1);
            times.push(t);
            last = t;
        }

        // Replay the plan into history rows and the final columns.
        let mut state = State {
            status: status0,
            progress: progress0,
            owner: Some(owner),
            co_owners,
            deadline,
            deadline_text,
            completed_at: completed0,
            links: Vec::new(),
        };
        let actor = ACTORS[self.rng.index(ACTORS.len())].to_string();
        let mut history = Vec::with_capacity(plan.len() + 1);
        self.ids.change += 1;
        self.ids.history += 1;
        let mut add_cmd = format!(
            "add {title} --kind {kind} --owner {}",
            new.owner.as_deref().unwrap_or_default()
        );
        for c in &new.co_owners {
            add_cmd.push_str(&format!(" --co-owner {c}"));
        }
        match (&new.deadline, &new.deadline_text) {
            (None, _) => add_cmd.push_str(" --continuous"),
            (Some(_), Some(w)) => add_cmd.push_str(&format!(" --deadline {w}")),
            (Some(d), None) => add_cmd.push_str(&format!(" --deadline {d}")),
        }
        add_cmd.push_str(&format!(" --year {year}"));
        if let (Some(a), Some(o)) = (&new.area, &new.outline_area) {
            add_cmd.push_str(&format!(" --area {a} --outline-area {o}"));
        }
        if let Some(p) = parent {
            add_cmd.push_str(&format!(" --parent {p}"));
        }
        if let Some(r) = &reference {
            add_cmd.push_str(&format!(" --ref {r}"));
        }
        if kind == Kind::Achievement {
            add_cmd.push_str(" --status done");
        }
        history.push(HistoryLine {
            id: self.ids.history,
            change_id: self.ids.change,
            at: created_at.clone(),
            actor: actor.clone(),
            command: add_cmd,
            undoes: None,
            field: "created".into(),
            old: None,
            new: Some(serde_json::to_string(&new)?),
            note: None,
            effective: None,
        });
        let mut updated_at = created_at.clone();
        for (e, t) in plan.iter().zip(times) {
            let at = stamp(t);
            let rows = apply(&mut state, e, &at)?;
            if rows.is_empty() {
                continue;
            }
            let (note, command) = describe(id, e);
            // Another clerk of the unit sometimes makes the change.
            let who = if self.rng.pct(20) {
                ACTORS[self.rng.index(ACTORS.len())].to_string()
            } else {
                actor.clone()
            };
            self.ids.change += 1;
            for (field, old, new) in rows {
                self.ids.history += 1;
                history.push(HistoryLine {
                    id: self.ids.history,
                    change_id: self.ids.change,
                    at: at.clone(),
                    actor: who.clone(),
                    command: command.clone(),
                    undoes: None,
                    field: field.into(),
                    old,
                    new,
                    note: note.clone(),
                    effective: None,
                });
            }
            updated_at = at;
        }

        self.recent.push_task((id, kind, year));
        if kind == Kind::Shortcoming {
            self.recent.push_short(id);
        }
        let mut links = state.links;
        links.sort_unstable();
        links.dedup();
        Ok(TaskLine {
            kind_of_line: "task".into(),
            evidence_files: Vec::new(),
            id,
            reference,
            kind,
            title,
            body: None,
            area: new.area,
            outline_area: new.outline_area,
            owner: state.owner,
            co_owners: state.co_owners,
            person: None,
            contact: None,
            status: state.status,
            progress: state.progress,
            deadline: state.deadline.map(|d| d.to_string()),
            deadline_text: state.deadline_text,
            year,
            parent_id: parent,
            document_id: None,
            created_at,
            updated_at,
            completed_at: state.completed_at,
            links,
            history,
        })
    }
}

fn rng_pick<'a>(rng: &mut Rng, xs: &[&'a str]) -> &'a str {
    xs[rng.index(xs.len())]
}

fn main() -> Res<()> {
    let o = parse_opts()?;
    let file = File::create(&o.out).map_err(|e| format!("cannot create {}: {e}", o.out))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    serde_json::to_writer(
        &mut out,
        &Header {
            kind: "header".into(),
            format: FORMAT.into(),
            version: VERSION,
            outline: format!("{}-{}", o.year_from, o.year_to),
            year: None,
            timezone: None,
            // No periods: the file goes into a ledger whose periods already hold its years
            // (a new ledger's 2021-2025 for the default years; `outline add` first otherwise).
            periods: Vec::new(),
        },
    )?;
    out.write_all(b"\n")?;
    let mut g = Gen {
        rng: Rng(o.seed.wrapping_mul(0xD1B5_4A32_D192_ED03) ^ 0x7A1C_4A46_5EED_0001),
        owners: owners(o.owners),
        year_from: o.year_from,
        year_to: o.year_to,
        end: minute_of(ymd(o.year_to, 12, 31), 17, 30),
        recent: Recent {
            tasks: Vec::with_capacity(RING),
            shortcomings: Vec::with_capacity(RING),
            next_task: 0,
            next_short: 0,
        },
        ids: Counters {
            history: 0,
            change: 0,
        },
    };
    let n = o.tasks;
    for i in 1..=n {
        let t = g.task(i64::try_from(i)?, n)?;
        serde_json::to_writer(&mut out, &t)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    eprintln!(
        "gen_ledger: {n} tasks, {} history rows, {} changes, {} owners -> {}",
        g.ids.history,
        g.ids.change,
        g.owners.len(),
        o.out
    );
    Ok(())
}
