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
        return Err(Error::Usage(
            lang.pick(
                "--evidence 需要文件路径，不能用 -（标准输入）",
                "--evidence takes the path of a file, not - (standard input)",
            )
            .into(),
        ));
    }
    let content = crate::fsio::read_limited(path, MAX_FILE)?.ok_or_else(|| {
        Error::Refused(match lang {
            Lang::Zh => format!(
                "佐证材料 {} 超过 {} MiB 上限；请压缩或拆分后再附，或用 --evidence-ref 登记文号或链接",
                path.display(),
                MAX_FILE / 1024 / 1024
            ),
            Lang::En => format!(
                "evidence file {} is larger than the {} MiB limit; compress or split it, or give --evidence-ref with a document number or URL",
                path.display(),
                MAX_FILE / 1024 / 1024
            ),
        })
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
