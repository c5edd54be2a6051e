use std::io::Write;

use clap::Args;

use super::{emit, emit_json, Ctx, Format};
use crate::db::tasks::{self, Filter, Scope, Sort};
use crate::db::Ledger;
use crate::model::{Kind, Status};
use crate::render::task_table;
use crate::Result;

/// Which units' and whose tasks: the filters `list`, `report`, `warn` and `export` share.
#[derive(Debug, Args, Clone, Default)]
pub struct ScopeArgs {
    /// Only tasks this unit leads or supports (牵头或配合), by its name or an alias; repeat
    /// for several (any of them).
    #[arg(long = "owner", value_name = "UNIT")]
    pub owners: Vec<String>,
    /// Only tasks this unit leads (牵头单位), by its name or an alias; repeat for several.
    #[arg(long = "lead", value_name = "UNIT")]
    pub leads: Vec<String>,
    /// Only tasks of this responsible person (责任人).
    #[arg(long, value_name = "NAME")]
    pub person: Option<String>,
}

impl ScopeArgs {
    /// The scope, each unit widened to every name the register gives it.
    pub fn scope(&self, conn: &rusqlite::Connection) -> Result<Scope> {
        let names = |given: &[String]| -> Result<Vec<String>> {
            let mut all: Vec<String> = Vec::new();
            for g in given {
                for n in crate::db::units::names_of(conn, g)? {
                    if !all.contains(&n) {
                        all.push(n);
                    }
                }
            }
            Ok(all)
        };
        Ok(Scope {
            owners: names(&self.owners)?,
            leads: names(&self.leads)?,
            person: self.person.clone(),
        })
    }

    /// Whether no unit or person was given.
    pub fn is_empty(&self) -> bool {
        self.owners.is_empty() && self.leads.is_empty() && self.person.is_none()
    }
}

/// The filters `list` and `report` share.
#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// Only tasks in this status; repeat for several (English or Chinese words).
    #[arg(long = "status", value_parser = super::choices::WordParser::<Status>::new())]
    pub statuses: Vec<Status>,
    /// Only tasks of this kind.
    #[arg(long, value_parser = super::choices::WordParser::<Kind>::new())]
    pub kind: Option<Kind>,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Only tasks in this area.
    #[arg(long)]
    pub area: Option<String>,
    /// Only tasks of this plan year.
    #[arg(long)]
    pub year: Option<i32>,
    /// Only overdue tasks (逾期) as of --as-of.
    #[arg(long)]
    pub overdue: bool,
    /// Only open tasks due within DAYS of --as-of.
    #[arg(long, value_name = "DAYS")]
    pub due_within: Option<u32>,
    /// Only sub-tasks of task ID (an id or a ref).
    #[arg(long, value_name = "ID", value_parser = super::ids::parse_target)]
    pub parent: Option<super::ids::Target>,
    /// Only tasks whose title, text or ref contains TEXT.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
}

impl FilterArgs {
    /// The filter, with the task and unit names resolved against the ledger.
    pub fn filter(&self, conn: &rusqlite::Connection, lang: crate::model::Lang) -> Result<Filter> {
        let parent = match &self.parent {
            Some(p) => Some(super::ids::resolve_one(conn, p, lang)?),
            None => None,
        };
        Ok(Filter {
            statuses: self.statuses.clone(),
            kind: self.kind,
            scope: self.scope.scope(conn)?,
            area: self.area.clone(),
            year: self.year,
            overdue: self.overdue,
            due_within: self.due_within,
            parent,
            search: self.search.clone(),
            document: None,
        })
    }
}

#[derive(Debug, Args)]
pub struct List {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// The order of the rows.
    #[arg(long, value_enum, default_value_t = Sort::Id)]
    pub sort: Sort,
    /// Print at most N tasks.
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
}

impl List {
    pub fn run(&self, ledger: &mut Ledger, ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
        let f = ledger.read(|c| self.filter.filter(c, ctx.lang))?;
        // With --as-of the tasks are replayed to that day; without it the current rows are read.
        let mut tasks = if ctx.as_of_given {
            ledger.read(|c| tasks::list_then(c, &f, self.sort, self.limit, ctx.as_of))?
        } else {
            ledger.read(|c| tasks::list(c, &f, self.sort, self.limit, ctx.as_of))?
        };
        if ctx.format != Format::Json {
            // A carried task says so in its title (结转自2025年), as in the exports.
            let cutoff = ctx
                .as_of_given
                .then(|| crate::db::replay::end_of_day(ctx.as_of));
            let carried = ledger.read(|c| crate::db::carry::carried_from(c, cutoff.as_deref()))?;
            for t in &mut tasks {
                if let Some(&y) = carried.get(&t.id) {
                    t.title = crate::db::carry::marked_title(&t.title, y, ctx.lang);
                }
            }
        }
        // Units are shown by their current names (a renamed unit, an alias).
        let current = ledger.read(crate::db::units::Current::load)?;
        tasks.iter_mut().for_each(|t| current.relabel(t));
        match ctx.format {
            Format::Json => emit_json(out, &tasks),
            Format::Table if tasks.is_empty() => {
                emit(out, crate::tr!(ctx.lang, "msg.list.no_tasks_match"))
            }
            _ => emit(out, task_table(&tasks, ctx.style())),
        }
    }
}
