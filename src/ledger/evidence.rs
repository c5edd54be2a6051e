//! Evidence (佐证材料) for a task: files stored in the ledger by their SHA-256, at most
//! `MAX_FILE` bytes each, identical content stored once; or references (a document number, a
//! URL). Files are read, limited and hashed before the write transaction, so a slow or bad
//! file never holds the ledger's lock.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::db::{evidence, tasks, Writer};
use crate::model::Lang;
use crate::{Error, Result};

/// The largest evidence file accepted: 20 MiB. Scans of signed documents and photos fit; a
/// ledger that must stay one mailable file does not take videos.
pub const MAX_FILE: u64 = 20 * 1024 * 1024;

/// A file read for attaching.
#[derive(Debug, Clone)]
pub struct EvidenceFile {
    /// The file's name (without its folder), as it is listed.
    pub name: String,
    pub sha256: String,
    pub content: Vec<u8>,
}

/// Reads a file to attach: a regular file of at most `MAX_FILE` bytes.
pub fn read(path: &Path, lang: Lang) -> Result<EvidenceFile> {
    if path.as_os_str() == crate::fsio::DASH {
        return Err(Error::Usage(crate::tr!(lang, "evidence.no_stdin")));
    }
    let content = crate::fsio::read_limited(path, MAX_FILE)?.ok_or_else(|| {
        Error::Refused(crate::tr!(
            lang,
            "evidence.too_large",
            path = path.display(),
            mib = MAX_FILE / 1024 / 1024
        ))
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    Ok(EvidenceFile {
        name,
        sha256: format!("{:x}", Sha256::digest(&content)),
        content,
    })
}

/// The evidence names in a spreadsheet cell (佐证材料): one per line or separated by 、 or
/// a semicolon, as units write them; blanks dropped.
pub fn names_in(cell: &str) -> Vec<String> {
    cell.split(['\n', '、', '；', ';'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Attaches files and references to a task in the caller's change. Returns how many were
/// attached.
pub fn attach_in(w: &Writer, task: i64, files: &[EvidenceFile], refs: &[String]) -> Result<usize> {
    tasks::require(w.conn(), task)?;
    for f in files {
        evidence::store_blob(w, &f.sha256, &f.content)?;
        evidence::attach(w, task, Some(&f.sha256), Some(&f.name), None)?;
    }
    for r in refs {
        evidence::attach(w, task, None, None, Some(r))?;
    }
    Ok(files.len() + refs.len())
}
