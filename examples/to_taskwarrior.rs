//! Converts a taizhang JSON Lines ledger (from `gen_ledger` or `taizhang export --format
//! jsonl`) into Taskwarrior 2.6's import format, one JSON object per line, so that both tools
//! can be measured on the same tasks (`scripts/bench.sh`):
//!
//!     cargo run --release --example to_taskwarrior -- IN.jsonl OUT.json [--pending MODE]
//!
//! Each task becomes {uuid, description, status, project (the area), due, entry, modified,
//! end, tags (kind, outline area)}. MODE `two-thirds` (the default) keeps about 2/3 of the
//! tasks pending, as in the measurement the performance issue quotes (66,666 of 100,000): every
//! open task, plus a deterministic share of the closed ones. That is the harder case for
//! Taskwarrior, which parses its whole pending file on every command. MODE `faithful` maps the
//! statuses as they are: open → pending, done/verified → completed, cancelled → deleted.

use std::error::Error;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use taizhang::db::bulk::TaskLine;
use taizhang::model::{Status, Word};

type Res<T> = Result<T, Box<dyn Error>>;

#[derive(Serialize)]
struct TwTask<'a> {
    uuid: String,
    description: &'a str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    project: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    due: Option<String>,
    entry: String,
    modified: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<String>,
    tags: Vec<&'a str>,
}

/// A taizhang timestamp ("2025-03-01T09:00:00+08:00") in Taskwarrior's UTC form.
fn tw_time(s: &str) -> Res<String> {
    Ok(DateTime::parse_from_rfc3339(s)?
        .with_timezone(&Utc)
        .format("%Y%m%dT%H%M%SZ")
        .to_string())
}

/// The end of a deadline's day in China (23:59:59+08:00), in UTC.
fn tw_due(d: &str) -> Res<String> {
    let day = NaiveDate::parse_from_str(d, "%Y-%m-%d")?;
    Ok(format!("{}T155959Z", day.format("%Y%m%d")))
}

fn tasks(path: &str) -> Res<impl Iterator<Item = Res<TaskLine>>> {
    let input = BufReader::new(File::open(path).map_err(|e| format!("cannot open {path}: {e}"))?);
    Ok(input.lines().filter_map(|line| {
        let line = match line {
            Ok(l) => l,
            Err(e) => return Some(Err(e.into())),
        };
        // Only task lines; the header and documents are skipped.
        if !line.starts_with("{\"type\":\"task\"") {
            return None;
        }
        Some(serde_json::from_str::<TaskLine>(&line).map_err(Into::into))
    }))
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: to_taskwarrior IN.jsonl OUT.json [--pending two-thirds|faithful]";
    let (Some(inp), Some(outp)) = (args.first(), args.get(1)) else {
        return Err(usage.into());
    };
    let faithful = match (
        args.get(2).map(String::as_str),
        args.get(3).map(String::as_str),
    ) {
        (None, _) | (Some("--pending"), Some("two-thirds")) => false,
        (Some("--pending"), Some("faithful")) => true,
        _ => return Err(usage.into()),
    };

    // First pass: how many tasks are open, to find the share of closed ones kept pending.
    let (mut total, mut open) = (0u64, 0u64);
    for t in tasks(inp)? {
        let t = t?;
        total += 1;
        if !t.status.is_closed() {
            open += 1;
        }
    }
    let want = total * 2 / 3;
    let closed = total - open;
    // Per mille of the closed tasks that stay pending.
    let extra_pm = if faithful || closed == 0 || open >= want {
        0
    } else {
        ((want - open) * 1000).div_ceil(closed)
    };

    let mut out =
        BufWriter::new(File::create(outp).map_err(|e| format!("cannot create {outp}: {e}"))?);
    let mut pending = 0u64;
    for t in tasks(inp)? {
        let t = t?;
        // A fixed, well-spread choice of closed tasks: a hash of the id.
        let h = (t.id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
        let keep_pending = !t.status.is_closed() || h % 1000 < extra_pm;
        let (status, end) = if keep_pending {
            ("pending", None)
        } else if t.status == Status::Cancelled {
            ("deleted", Some(tw_time(&t.updated_at)?))
        } else {
            let at = t.completed_at.as_deref().unwrap_or(&t.updated_at);
            ("completed", Some(tw_time(at)?))
        };
        if status == "pending" {
            pending += 1;
        }
        let mut tags = vec![t.kind.en()];
        if let Some(o) = &t.outline_area {
            tags.push(o.as_str());
        }
        let tw = TwTask {
            uuid: format!("7a1c0000-0000-4000-8000-{:012x}", t.id),
            description: &t.title,
            status,
            project: t.area.as_deref(),
            due: t.deadline.as_deref().map(tw_due).transpose()?,
            entry: tw_time(&t.created_at)?,
            modified: tw_time(&t.updated_at)?,
            end,
            tags,
        };
        serde_json::to_writer(&mut out, &tw)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    eprintln!("to_taskwarrior: {total} tasks, {pending} pending -> {outp}");
    Ok(())
}
