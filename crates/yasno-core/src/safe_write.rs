//! Writing a file so that it is either the old file or the new one, never a mix or a stump: the
//! new bytes go to a fresh file in the same folder, are flushed to disk, and replace the original
//! by `rename`, which is atomic within a file system. A kill, a full disk or any error midway
//! leaves the original untouched (the half-written neighbour is removed where the process still
//! can). Used by every write of a user's file: `check --fix`, the editor's writes of `yasno.toml`,
//! reports.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Replaces `path` with `bytes` atomically. An existing file keeps its permissions and, where the
/// process may set them, its owner and group. A new file is created with `new_file_mode`
/// (ignored where there are no Unix modes), as `umask` allows.
pub fn write_atomically(path: &Path, bytes: &[u8], new_file_mode: u32) -> io::Result<()> {
    replace(path, bytes, new_file_mode, None).map_err(|e| match e {
        ReplaceError::Io(e) => e,
        ReplaceError::Changed => io::Error::other(e.to_string()),
    })
}

/// What a file was when it was read: enough to tell that it has been changed or replaced since
/// (an editor's save, another run fixing it) without reading it again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    identity: (u64, u64, i64, i64),
}

impl Snapshot {
    /// Taken from the metadata of the open file that was read.
    pub fn of(metadata: &fs::Metadata) -> Self {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Snapshot {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            // Device and inode: the same file, not a new one renamed over it; the change time
            // moves with any write, even one that keeps the length and the modification time.
            #[cfg(unix)]
            identity: (
                metadata.dev(),
                metadata.ino(),
                metadata.ctime(),
                metadata.ctime_nsec(),
            ),
        }
    }
}

#[derive(Debug)]
pub enum ReplaceError {
    /// The file is no longer what was read: it was left as it is.
    Changed,
    Io(io::Error),
}

impl std::fmt::Display for ReplaceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReplaceError::Changed => write!(f, "the file changed on disk since it was read"),
            ReplaceError::Io(e) => e.fmt(f),
        }
    }
}

impl From<io::Error> for ReplaceError {
    fn from(e: io::Error) -> Self {
        ReplaceError::Io(e)
    }
}

/// Like `write_atomically`, for a file that was read before: it is replaced only if it is still
/// what `read` describes, checked again right before the rename, so that a newer version saved
/// meanwhile is never overwritten.
pub fn replace_if_unchanged(
    path: &Path,
    bytes: &[u8],
    read: &Snapshot,
) -> Result<(), ReplaceError> {
    replace(path, bytes, 0o600, Some(read))
}

fn replace(
    path: &Path,
    bytes: &[u8],
    new_file_mode: u32,
    expected: Option<&Snapshot>,
) -> Result<(), ReplaceError> {
    let unchanged = |target: &Path| -> Result<(), ReplaceError> {
        match expected {
            Some(expected) if Snapshot::of(&fs::metadata(target)?) != *expected => {
                Err(ReplaceError::Changed)
            }
            _ => Ok(()),
        }
    };
    // A symbolic link is followed: the file it names is replaced, the link stays a link.
    let target = match fs::canonicalize(path) {
        Ok(resolved) => resolved,
        // A file read before and gone now was removed meanwhile: it is not brought back.
        Err(e) if e.kind() == io::ErrorKind::NotFound && expected.is_some() => {
            return Err(ReplaceError::Changed);
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(e.into()),
    };
    let existing = match fs::metadata(&target) {
        Ok(metadata) if metadata.is_file() => Some(metadata),
        Ok(_) => {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file").into());
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e.into()),
    };
    unchanged(&target)?;
    if let Some(metadata) = &existing {
        refuse_read_only(&target, metadata)?;
    }
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (temporary, mut file) = create_neighbour(&folder, &target)?;
    let result = (|| -> Result<(), ReplaceError> {
        file.write_all(bytes)?;
        keep_permissions(&file, existing.as_ref(), new_file_mode)?;
        file.sync_all()?;
        drop(file);
        unchanged(&target)?;
        fs::rename(&temporary, &target)?;
        // The rename itself is durable only once the folder is flushed too.
        sync_folder(&folder);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

/// A rename needs only the folder to be writable: a file that may not be written to (marked
/// read-only, or another user's) is refused as writing it in place would be.
fn refuse_read_only(target: &Path, metadata: &fs::Metadata) -> io::Result<()> {
    if metadata.permissions().readonly() {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the file is read-only",
        ));
    }
    // Opened for writing, never written: the check of permissions that a write would meet.
    OpenOptions::new().write(true).open(target).map(drop)
}

/// A new, empty, private file beside `target`, with a name no other writer uses.
fn create_neighbour(folder: &Path, target: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Hidden, and clearly this program's, should a power cut leave one behind.
    for _ in 0..100 {
        let candidate = folder.join(format!(
            ".{name}.yasno-{}-{}.tmp",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&candidate) {
            Ok(file) => return Ok((candidate, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "cannot create a temporary file beside it",
    ))
}

#[cfg(unix)]
fn keep_permissions(file: &File, existing: Option<&fs::Metadata>, new_mode: u32) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    match existing {
        Some(metadata) => {
            // Owner first: changing the owner may clear set-id bits that the mode then restores.
            // Only root may give a file away; anyone else writes files they own already, or
            // keeps the group at least when they belong to it.
            if std::os::unix::fs::fchown(file, Some(metadata.uid()), Some(metadata.gid())).is_err()
            {
                let _ = std::os::unix::fs::fchown(file, None, Some(metadata.gid()));
            }
            file.set_permissions(fs::Permissions::from_mode(metadata.mode() & 0o7777))
        }
        None => {
            let umask = current_umask();
            file.set_permissions(fs::Permissions::from_mode(new_mode & !umask & 0o7777))
        }
    }
}

#[cfg(not(unix))]
fn keep_permissions(
    file: &File,
    existing: Option<&fs::Metadata>,
    _new_mode: u32,
) -> io::Result<()> {
    match existing {
        Some(metadata) => file.set_permissions(metadata.permissions()),
        None => Ok(()),
    }
}

/// The process's umask, read from /proc where it is shown (Linux 4.7 and later); 022 otherwise.
/// Reading it with umask(2) would change it for a moment for every thread.
#[cfg(unix)]
fn current_umask() -> u32 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Umask:"))
                .and_then(|value| u32::from_str_radix(value.trim(), 8).ok())
        })
        .unwrap_or(0o022)
}

fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("yasno-safe-write-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn replaces_the_file_and_leaves_no_neighbour() {
        let dir = scratch("replace");
        let file = dir.join("letter.txt");
        fs::write(&file, "старый текст").unwrap();
        write_atomically(&file, "новый текст".as_bytes(), 0o644).unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "новый текст");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_mode_and_follows_a_link() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("mode");
        let file = dir.join("letter.txt");
        fs::write(&file, "a").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.join("link.txt");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        write_atomically(&link, b"b", 0o600).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&file).unwrap(), b"b");
        let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_the_asked_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("new");
        let file = dir.join("report.html");
        write_atomically(&file, b"<html>", 0o600).unwrap();
        let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_error_leaves_the_original() {
        let dir = scratch("error");
        let missing = dir.join("no-such-folder").join("letter.txt");
        assert!(write_atomically(&missing, b"x", 0o644).is_err());
        assert!(write_atomically(&dir, b"x", 0o644).is_err());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_file_changed_or_removed_since_it_was_read_is_left_alone() {
        let dir = scratch("changed");
        let file = dir.join("letter.txt");
        fs::write(&file, "прочитанный текст").unwrap();
        let read = Snapshot::of(&fs::metadata(&file).unwrap());
        replace_if_unchanged(&file, "исправленный текст".as_bytes(), &read).unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "исправленный текст");
        // The file now is another one than was read: a second replace from that read is refused.
        assert!(matches!(
            replace_if_unchanged(&file, b"x", &read),
            Err(ReplaceError::Changed)
        ));
        // Saved in place by an editor, same length: refused too.
        let read = Snapshot::of(&fs::metadata(&file).unwrap());
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&file, "исправленный тенст").unwrap();
        assert!(matches!(
            replace_if_unchanged(&file, b"x", &read),
            Err(ReplaceError::Changed)
        ));
        assert_eq!(fs::read_to_string(&file).unwrap(), "исправленный тенст");
        // Removed meanwhile: not brought back.
        let read = Snapshot::of(&fs::metadata(&file).unwrap());
        fs::remove_file(&file).unwrap();
        assert!(matches!(
            replace_if_unchanged(&file, b"x", &read),
            Err(ReplaceError::Changed)
        ));
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_read_only_file_is_not_replaced() {
        let dir = scratch("read-only");
        let file = dir.join("letter.txt");
        fs::write(&file, "текст").unwrap();
        let mut permissions = fs::metadata(&file).unwrap().permissions();
        permissions.set_readonly(true);
        fs::set_permissions(&file, permissions).unwrap();
        let error = write_atomically(&file, b"x", 0o644).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::PermissionDenied);
        assert_eq!(fs::read_to_string(&file).unwrap(), "текст");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        #[allow(clippy::permissions_set_readonly_false)]
        {
            let mut permissions = fs::metadata(&file).unwrap().permissions();
            permissions.set_readonly(false);
            fs::set_permissions(&file, permissions).unwrap();
        }
        fs::remove_dir_all(dir).unwrap();
    }
}
