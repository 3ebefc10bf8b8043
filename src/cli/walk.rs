//! Which files a command reads: folders walked, quoted globs expanded, each file once.

use std::path::{Path, PathBuf};

pub(crate) fn collect_paths(path: &Path, out: &mut Vec<PathBuf>) {
    // A quoted glob (`"letters/**/*.txt"`, for shells and systems that do not expand it) is
    // expanded here; a path that exists is taken as it is, whatever characters it has.
    let text = path.to_string_lossy();
    if !path.exists()
        && text.contains(['*', '?', '['])
        && let Ok(matches) = glob::glob(&text)
    {
        let mut expanded: Vec<PathBuf> = matches.filter_map(Result::ok).collect();
        if !expanded.is_empty() {
            expanded.sort();
            for found in expanded {
                walk(&found, out);
            }
            return;
        }
    }
    walk(path, out);
}

/// A folder's letters, in name order, depth first; any other path as it is (its reading then
/// says what is wrong with it). Iterative, so that deep trees cost time linear in their size; a
/// symbolic link is followed to what it names, and a folder reached twice (through a link to a
/// parent, or two links to one folder) is walked once.
fn walk(path: &Path, out: &mut Vec<PathBuf>) {
    if !path.is_dir() {
        out.push(path.to_path_buf());
        return;
    }
    let mut walked_folders = std::collections::HashSet::new();
    let mut entries = walkdir::WalkDir::new(path)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(entry) => entry,
            // A link back to a folder being walked: already walked.
            Err(e) if e.loop_ancestor().is_some() => continue,
            // A broken link (or a file removed meanwhile) is not a letter.
            Err(e)
                if e.io_error()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) =>
            {
                continue;
            }
            // A folder that cannot be listed (or a path too long to open) is reported when it
            // is read.
            Err(e) => {
                out.extend(e.path().map(Path::to_path_buf));
                continue;
            }
        };
        let file_type = entry.file_type();
        if file_type.is_dir() {
            let first_visit = folder_identity(&entry).is_none_or(|id| walked_folders.insert(id));
            if !first_visit {
                entries.skip_current_dir();
            }
            continue;
        }
        let is_letter = entry.path().extension().is_some_and(|ext| {
            matches!(
                ext.to_string_lossy().to_lowercase().as_str(),
                "txt" | "md" | "markdown" | "docx"
            )
        });
        // Only regular files: reading a FIFO named *.txt would wait forever.
        if is_letter && file_type.is_file() {
            out.push(entry.into_path());
        }
    }
}

/// What tells a folder from every other, reached by any path: its device and inode (kept as
/// numbers: holding a handle to each folder would run out of file descriptors in a large tree).
#[cfg(unix)]
fn folder_identity(entry: &walkdir::DirEntry) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let metadata = entry.metadata().ok()?;
    Some((metadata.dev(), metadata.ino()))
}

#[cfg(not(unix))]
fn folder_identity(entry: &walkdir::DirEntry) -> Option<PathBuf> {
    entry.path().canonicalize().ok()
}

/// The paths without a second name for a file already listed (the same path twice, a symbolic
/// link and its target, two hard links, `-` twice): a file is checked, and fixed, once. Paths
/// that cannot be read are kept as they are, for their own error.
pub(super) fn distinct_files(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    let mut stdin_seen = false;
    paths
        .into_iter()
        .filter(|path| {
            if path.as_os_str() == "-" {
                // Read once: a second `-` would find it empty.
                !std::mem::replace(&mut stdin_seen, true)
            } else {
                file_identity(path).is_none_or(|id| seen.insert(id))
            }
        })
        .collect()
}

/// Device and inode: one file whatever it is called.
#[cfg(unix)]
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Without inodes, the fully resolved path (links followed).
#[cfg(not(unix))]
fn file_identity(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}
