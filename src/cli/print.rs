//! Standard output: each write checked, so that a closed pipe or a full disk ends the report,
//! and the report of many files written in blocks, clear of the progress bar.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU8, Ordering};

/// Why standard output took no more: nothing (0), a closed pipe (`yasno check … | head`: the
/// reader has what it wanted), or another write error (a full disk: the report is incomplete).
static STDOUT_FAILED: AtomicU8 = AtomicU8::new(0);
const STDOUT_CLOSED: u8 = 1;
pub(super) const STDOUT_ERROR: u8 = 2;

pub(super) fn stdout_failed() -> u8 {
    STDOUT_FAILED.load(Ordering::Relaxed)
}

/// Writes to standard output. After a failed write nothing more is written, and `yasno check`
/// stops checking (unless it is fixing files): the rest of the report would go nowhere.
pub(crate) fn print_out(text: impl AsRef<[u8]>) {
    if stdout_failed() != 0 {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_ref())
        .and_then(|()| stdout.flush())
    {
        let why = if e.kind() == std::io::ErrorKind::BrokenPipe {
            STDOUT_CLOSED
        } else {
            STDOUT_ERROR
        };
        let first = STDOUT_FAILED
            .compare_exchange(0, why, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok();
        if first && why == STDOUT_ERROR {
            eprintln!("yasno: error: cannot write the report to standard output: {e}");
        }
    }
}

/// Writes as files finish: standard output, or held back; the progress bar kept clear of both.
pub(super) struct Printer {
    pub(super) progress: Option<indicatif::ProgressBar>,
    /// The report goes to standard error (standard output carries the text: `--fix -`).
    to_stderr: bool,
    /// Output for a pipe or a file, written in blocks rather than with a system call or two per
    /// checked file; a terminal gets each file's output at once.
    pending: Option<Vec<u8>>,
}

/// How much output waits before it is written to a pipe or a file.
const OUTPUT_BLOCK: usize = 64 * 1024;

impl Printer {
    pub(super) fn new(progress: Option<indicatif::ProgressBar>, to_stderr: bool) -> Self {
        let to_terminal = std::io::stdout().is_terminal();
        Printer {
            to_stderr,
            pending: (!to_terminal && progress.is_none() && !to_stderr)
                .then(|| Vec::with_capacity(OUTPUT_BLOCK)),
            progress,
        }
    }

    pub(super) fn out(&mut self, text: impl AsRef<[u8]>) {
        let text = text.as_ref();
        if text.is_empty() {
            return;
        }
        if self.to_stderr {
            let write = || {
                let _ = std::io::stderr().lock().write_all(text);
            };
            match &self.progress {
                Some(bar) => bar.suspend(write),
                None => write(),
            }
            return;
        }
        match (&mut self.pending, &self.progress) {
            // A file's output larger than a block goes out as it is, not copied first.
            (Some(pending), _) if text.len() >= OUTPUT_BLOCK => {
                if !pending.is_empty() {
                    print_out(&pending);
                    pending.clear();
                }
                print_out(text);
            }
            (Some(pending), _) => {
                pending.extend_from_slice(text);
                if pending.len() >= OUTPUT_BLOCK {
                    print_out(&pending);
                    pending.clear();
                }
            }
            (None, Some(bar)) => bar.suspend(|| print_out(text)),
            (None, None) => print_out(text),
        }
    }

    pub(super) fn err(&self, line: &str) {
        match &self.progress {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Writes what is pending, clears the progress bar.
    pub(super) fn finish(self) {
        if let Some(pending) = self.pending {
            print_out(pending);
        }
        if let Some(bar) = self.progress {
            bar.finish_and_clear();
        }
    }
}
