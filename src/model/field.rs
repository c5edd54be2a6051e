//! The one description of a task's changeable fields: the name history and JSON use, the
//! column, the Chinese and English labels, how the value is stored (text, integer or a JSON
//! list), how it is read from a task and how a history value is replayed onto one. Row
//! updates (db::tasks), undo (db::tasks::set_field), replay (db::replay), `check`
//! (db::check, its history chain included) and the bulk validator's old-value rule
//! (db::bulk::validate) read a field's text through `Field::text`, and the labels of
//! show/history (render::field_label) iterate this list, so a new changeable field is one
//! variant here (plus its arms below) and its schema step.
//!
//! `Column` extends the description to every column of the task table, the fixed ones (id,
//! ref, kind, document, year, stamps) included: the selected column list and row mapping
//! (db::tasks), insert, the JSON Lines export/import and the validator's checks and
//! comparison (db::bulk), the yearly export's headings (export) and show's rows iterate it.

use super::{Lang, Task};

/// A field of a task that a history row can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Status,
    Progress,
    Owner,
    CoOwners,
    Deadline,
    DeadlineText,
    Title,
    Area,
    OutlineArea,
    Body,
    ParentId,
    CompletedAt,
    /// The plan year: changed by `update --year` and `carry-over` (结转), each with a note.
    Year,
    Person,
    Contact,
}

/// How a field's value is held in its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// Text (dates as YYYY-MM-DD, statuses as their English word).
    Text,
    /// An integer column; history holds its decimal text.
    Integer,
    /// A JSON array of strings in a text column.
    JsonList,
}

impl Field {
    /// Every changeable field, in the order history and `update` list them.
    pub const ALL: [Field; 15] = [
        Field::Status,
        Field::Progress,
        Field::Owner,
        Field::CoOwners,
        Field::Deadline,
        Field::DeadlineText,
        Field::Title,
        Field::Area,
        Field::OutlineArea,
        Field::Body,
        Field::ParentId,
        Field::CompletedAt,
        Field::Year,
        Field::Person,
        Field::Contact,
    ];

    /// The name in history rows and JSON; also the column's name.
    pub fn name(self) -> &'static str {
        match self {
            Field::Status => "status",
            Field::Progress => "progress",
            Field::Owner => "owner",
            Field::CoOwners => "co_owners",
            Field::Deadline => "deadline",
            Field::DeadlineText => "deadline_text",
            Field::Title => "title",
            Field::Area => "area",
            Field::OutlineArea => "outline_area",
            Field::Body => "body",
            Field::ParentId => "parent_id",
            Field::CompletedAt => "completed_at",
            Field::Year => "year",
            Field::Person => "person",
            Field::Contact => "contact",
        }
    }

    /// The column of the `task` table that holds the field.
    pub fn column(self) -> &'static str {
        self.name()
    }

    /// The field with this history name, if it is one.
    pub fn from_name(name: &str) -> Option<Field> {
        Some(match name {
            "status" => Field::Status,
            "progress" => Field::Progress,
            "owner" => Field::Owner,
            "co_owners" => Field::CoOwners,
            "deadline" => Field::Deadline,
            "deadline_text" => Field::DeadlineText,
            "title" => Field::Title,
            "area" => Field::Area,
            "outline_area" => Field::OutlineArea,
            "body" => Field::Body,
            "parent_id" => Field::ParentId,
            "completed_at" => Field::CompletedAt,
            "year" => Field::Year,
            "person" => Field::Person,
            "contact" => Field::Contact,
            _ => return None,
        })
    }

    /// The Chinese label, as the ledger's tables head the column.
    pub fn zh(self) -> &'static str {
        match self {
            Field::Status => "状态",
            Field::Progress => "进度",
            Field::Owner => "牵头单位",
            Field::CoOwners => "配合单位",
            Field::Deadline => "完成时限",
            Field::DeadlineText => "时限原文",
            Field::Title => "任务",
            Field::Area => "领域",
            Field::OutlineArea => "纲要领域",
            Field::Body => "内容",
            Field::ParentId => "上级任务",
            Field::CompletedAt => "完成时间",
            Field::Year => "年度",
            Field::Person => "责任人",
            Field::Contact => "联系方式",
        }
    }

    /// The label in the given language (English labels are the field names).
    pub fn label(self, lang: Lang) -> &'static str {
        lang.pick(self.zh(), self.name())
    }

    /// How the column holds the value.
    pub fn stored(self) -> Stored {
        match self {
            Field::Progress | Field::ParentId | Field::Year => Stored::Integer,
            Field::CoOwners => Stored::JsonList,
            _ => Stored::Text,
        }
    }

    /// The value as history stores it (the task's own progress, not the rolled-up one).
    pub fn text(self, t: &Task) -> Option<String> {
        match self {
            Field::Status => Some(t.status.to_string()),
            Field::Progress => Some(t.own_progress.to_string()),
            Field::Owner => t.owner.clone(),
            Field::CoOwners => Some(serde_json::to_string(&t.co_owners).unwrap_or_default()),
            Field::Deadline => t.deadline.map(|d| d.to_string()),
            Field::DeadlineText => t.deadline_text.clone(),
            Field::Title => Some(t.title.clone()),
            Field::Area => t.area.clone(),
            Field::OutlineArea => t.outline_area.clone(),
            Field::Body => t.body.clone(),
            Field::ParentId => t.parent_id.map(|p| p.to_string()),
            Field::CompletedAt => t.completed_at.clone(),
            Field::Year => Some(t.year.to_string()),
            Field::Person => t.person.clone(),
            Field::Contact => t.contact.clone(),
        }
    }

    /// Sets the field of a replayed task from a history value. Progress sets the shown
    /// progress too: the caller rolls sub-tasks up afterwards.
    pub fn set(self, t: &mut Task, new: Option<String>) -> Result<(), String> {
        match self {
            Field::Status => t.status = parse(&new, self)?,
            Field::Progress => {
                t.own_progress = parse(&new, self)?;
                t.progress = t.own_progress;
            }
            Field::Owner => t.owner = new,
            Field::CoOwners => {
                let s = new.unwrap_or_else(|| "[]".into());
                t.co_owners = serde_json::from_str(&s).map_err(|e| format!("co_owners: {e}"))?;
            }
            Field::Deadline => t.deadline = new.as_ref().map(|_| parse(&new, self)).transpose()?,
            Field::DeadlineText => t.deadline_text = new,
            Field::Title => t.title = new.ok_or("'title' set to nothing")?,
            Field::Area => t.area = new,
            Field::OutlineArea => t.outline_area = new,
            Field::Body => t.body = new,
            Field::ParentId => t.parent_id = new.as_ref().map(|_| parse(&new, self)).transpose()?,
            Field::CompletedAt => t.completed_at = new,
            Field::Year => t.year = parse(&new, self)?,
            Field::Person => t.person = new,
            Field::Contact => t.contact = new,
        }
        Ok(())
    }
}

/// Every column of the `task` table, in the order task queries select them (the selected
/// column list, row mapping and insert iterate `Column::ALL`, so a variant's position is its
/// index in a selected row). The changeable ones name their `Field`; the fixed ones are written
/// once, when the task is created. A new column is one variant here plus its arms below and
/// its schema step; the typed structs (`Task`, `NewTask`) keep one named member per column
/// because the rest of the code reads them by name and the compiler checks every use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Id,
    Ref,
    DocumentId,
    Kind,
    Title,
    Area,
    OutlineArea,
    Owner,
    CoOwners,
    Person,
    Contact,
    Status,
    Progress,
    Deadline,
    DeadlineText,
    Year,
    ParentId,
    CreatedAt,
    UpdatedAt,
    CompletedAt,
    Body,
}

/// How a column gets its value when a task is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// SQLite assigns it (the row id).
    Auto,
    /// The new task gives it.
    Given,
    /// The time of the command that creates the task.
    Now,
}

impl Column {
    /// Every column, in selection order, which is also the order `show` lists them (the
    /// body, often long, last).
    pub const ALL: [Column; 21] = [
        Column::Id,
        Column::Ref,
        Column::DocumentId,
        Column::Kind,
        Column::Title,
        Column::Area,
        Column::OutlineArea,
        Column::Owner,
        Column::CoOwners,
        Column::Person,
        Column::Contact,
        Column::Status,
        Column::Progress,
        Column::Deadline,
        Column::DeadlineText,
        Column::Year,
        Column::ParentId,
        Column::CreatedAt,
        Column::UpdatedAt,
        Column::CompletedAt,
        Column::Body,
    ];

    /// The changeable field the column holds, if it is one.
    pub fn field(self) -> Option<Field> {
        Some(match self {
            Column::Status => Field::Status,
            Column::Progress => Field::Progress,
            Column::Owner => Field::Owner,
            Column::CoOwners => Field::CoOwners,
            Column::Deadline => Field::Deadline,
            Column::DeadlineText => Field::DeadlineText,
            Column::Title => Field::Title,
            Column::Area => Field::Area,
            Column::OutlineArea => Field::OutlineArea,
            Column::Body => Field::Body,
            Column::ParentId => Field::ParentId,
            Column::CompletedAt => Field::CompletedAt,
            Column::Year => Field::Year,
            Column::Person => Field::Person,
            Column::Contact => Field::Contact,
            Column::Id
            | Column::Ref
            | Column::Kind
            | Column::DocumentId
            | Column::CreatedAt
            | Column::UpdatedAt => return None,
        })
    }

    /// The column's name in the `task` table (a changeable field's column is its name).
    pub fn name(self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::Ref => "ref",
            Column::Kind => "kind",
            Column::DocumentId => "document_id",
            Column::CreatedAt => "created_at",
            Column::UpdatedAt => "updated_at",
            c => c.field().map(Field::column).unwrap_or_default(),
        }
    }

    /// How the column is filled when a task is created.
    pub fn written(self) -> Written {
        match self {
            Column::Id => Written::Auto,
            Column::CreatedAt | Column::UpdatedAt => Written::Now,
            _ => Written::Given,
        }
    }

    /// The name `show` and the help use for the column: its column name, except the
    /// document, which `show` prints whole rather than as its id.
    pub fn shown_name(self) -> &'static str {
        match self {
            Column::DocumentId => "document",
            c => c.name(),
        }
    }

    /// The Chinese label, as the ledger's tables head the column.
    pub fn zh(self) -> &'static str {
        match self {
            Column::Id => "编号",
            Column::Ref => "来源编号",
            Column::DocumentId => "来源文件",
            Column::Kind => "类型",
            Column::CreatedAt => "创建时间",
            Column::UpdatedAt => "更新时间",
            c => c.field().map(Field::zh).unwrap_or_default(),
        }
    }

    /// The label in the given language (English labels are the shown names).
    pub fn label(self, lang: Lang) -> &'static str {
        lang.pick(self.zh(), self.shown_name())
    }

    /// The column with this shown name, if it is one.
    pub fn from_shown_name(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.shown_name() == name)
    }

    /// Whether `show` gives the column a row of its own: the deadline's original words are
    /// printed beside the deadline instead.
    pub fn shown(self) -> bool {
        self != Column::DeadlineText
    }

    /// The column's heading in the yearly export (Chinese, English), if the export has it.
    /// The export's tables are read by supervisors, so their headings are the ledger's
    /// printed words rather than the field names.
    pub fn exported(self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            Column::Ref => ("来源", "Ref"),
            Column::Kind => ("类型", "Kind"),
            Column::Area => ("领域", "Area"),
            Column::Title => ("任务", "Title"),
            Column::Owner => ("牵头单位", "Owner"),
            Column::CoOwners => ("配合单位", "Co-owners"),
            Column::Person => ("责任人", "Person"),
            Column::Deadline => ("完成时限", "Deadline"),
            Column::Status => ("状态", "Status"),
            Column::Progress => ("进度", "Progress"),
            Column::Year => ("计划年度", "Plan year"),
            Column::CompletedAt => ("完成时间", "Completed"),
            Column::Id
            | Column::DocumentId
            | Column::OutlineArea
            | Column::DeadlineText
            | Column::ParentId
            | Column::CreatedAt
            | Column::UpdatedAt
            | Column::Contact
            | Column::Body => return None,
        })
    }

    /// The index of the column in a row selected with `Column::ALL`.
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// A history value parsed as the field's type.
fn parse<T: std::str::FromStr>(v: &Option<String>, field: Field) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    let name = field.name();
    let s = v
        .as_deref()
        .ok_or_else(|| format!("'{name}' set to nothing"))?;
    s.parse::<T>()
        .map_err(|e| format!("'{name}' value '{s}': {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field's name leads back to it, and names are unique.
    #[test]
    fn names_round_trip() {
        for f in Field::ALL {
            assert_eq!(Field::from_name(f.name()), Some(f));
        }
        assert_eq!(Field::from_name("note"), None);
    }

    /// Every changeable field has exactly one column, every column a name, and `ALL` is in
    /// declaration order so a column's index is its position in a selected row.
    #[test]
    fn columns_cover_every_field() {
        for f in Field::ALL {
            let n = Column::ALL.iter().filter(|c| c.field() == Some(f)).count();
            assert_eq!(n, 1, "{f:?}");
        }
        for (i, c) in Column::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
            assert!(!c.name().is_empty());
            assert!(!c.zh().is_empty());
            assert_eq!(Column::from_shown_name(c.shown_name()), Some(*c));
        }
    }
}
