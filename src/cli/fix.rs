//! `--fix` and `--diff` for one file: the safe fixes made, shown as a diff, or written back in
//! the file's own encoding, only when the file is still what was read.

use std::path::Path;

use yasno_core::finding::Finding;
use yasno_core::fix;
use yasno_core::input;
use yasno_core::safe_write::{ReplaceError, Snapshot};

/// A file being fixed, as it was read.
pub(super) struct FileToFix<'a> {
    pub(super) path: &'a Path,
    /// The name in messages.
    pub(super) display: &'a str,
    pub(super) from_stdin: bool,
    pub(super) storage: Result<input::TextStorage, input::NotWritable>,
    /// The file when it was read; None for standard input.
    pub(super) snapshot: Option<&'a Snapshot>,
    /// `--diff`: show the fixes, change nothing.
    pub(super) diff: bool,
}

/// What fixing a file did.
pub(super) enum Fixed {
    /// No safe fix.
    Nothing,
    /// Not fixed, for a reason that is no error: the warning line.
    Refused(String),
    /// `--diff`: the fixes as a unified diff.
    Diff(String),
    /// The fixes were made: the fixed text, how many, and the bytes for standard output (when
    /// the file was standard input).
    Written {
        text: String,
        applied: usize,
        stdout: Option<Vec<u8>>,
    },
    /// The fixes could not be written: the error line.
    Failed(String),
}

/// Makes the safe fixes of `findings` to `text`, the file's text, as `file` asks.
pub(super) fn fix_file(file: FileToFix, text: &str, findings: &[Finding]) -> Fixed {
    let display = file.display;
    let storage = match rewritable(file.from_stdin, file.path, file.storage) {
        Ok(storage) => storage,
        Err(why) => return Fixed::Refused(format!("yasno: warning: {display}: not fixed: {why}")),
    };
    let (fixed, applied) = fix::apply_safe_fixes(text, findings);
    if applied == 0 {
        return Fixed::Nothing;
    }
    if file.diff {
        return Fixed::Diff(fix::unified_diff(display, text, &fixed));
    }
    match write_fixed(file.path, &fixed, storage, file.snapshot) {
        Ok(written) => Fixed::Written {
            text: fixed,
            applied,
            stdout: match written {
                Written::Stdout(bytes) => Some(bytes),
                Written::File => None,
            },
        },
        Err(WriteRefused::Warning(why)) => {
            Fixed::Refused(format!("yasno: warning: {display}: not fixed: {why}"))
        }
        Err(WriteRefused::Error(e)) => Fixed::Failed(format!(
            "yasno: error: {display}: cannot write the fixes: {e}"
        )),
    }
}

/// How the fixed text of a file may be written back, or why it may not: only text and Markdown,
/// by their content as much as by their name, in bytes that read back as they were.
fn rewritable(
    from_stdin: bool,
    path: &Path,
    storage: Result<input::TextStorage, input::NotWritable>,
) -> Result<input::TextStorage, String> {
    let text_name = from_stdin
        || path.extension().is_none_or(|ext| {
            matches!(
                ext.to_string_lossy().to_lowercase().as_str(),
                "txt" | "md" | "markdown" | "text"
            )
        });
    const ONLY: &str = "--fix and --diff change text and Markdown files only";
    match storage {
        Ok(storage) if text_name => Ok(storage),
        Err(why) if text_name => Err(format!("{why}; {ONLY}")),
        _ => Err(ONLY.to_string()),
    }
}

/// Where fixed text went.
enum Written {
    /// Replaced the file on disk.
    File,
    /// The bytes for standard output.
    Stdout(Vec<u8>),
}

enum WriteRefused {
    /// Nothing written, for a reason that is no error: the file is left as it is.
    Warning(String),
    Error(ReplaceError),
}

/// Writes fixed text back in the file's own encoding, with its byte order mark: to the file
/// (atomically, and only if it has not changed since `read`) or, for standard input, as bytes.
fn write_fixed(
    path: &Path,
    fixed: &str,
    storage: input::TextStorage,
    read: Option<&Snapshot>,
) -> Result<Written, WriteRefused> {
    let Some(bytes) = storage.encode(fixed) else {
        return Err(WriteRefused::Warning(format!(
            "a replacement has a character that {} cannot hold",
            storage.name()
        )));
    };
    let Some(read) = read else {
        return Ok(Written::Stdout(bytes));
    };
    match yasno_core::safe_write::replace_if_unchanged(path, &bytes, read) {
        Ok(()) => Ok(Written::File),
        Err(ReplaceError::Changed) => Err(WriteRefused::Warning(
            "it changed on disk while it was being checked; the newer file is kept, run again"
                .to_string(),
        )),
        Err(e) => Err(WriteRefused::Error(e)),
    }
}
