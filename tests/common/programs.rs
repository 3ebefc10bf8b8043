//! Tests that need a real program (LibreOffice, Chromium, Neovim, strace): on a developer's
//! machine without it they print a note and skip; in CI (`CI` set, as .ci/run runs) a missing
//! program fails the test, so that a broken install cannot pass as green.

use std::process::{Command, Stdio};

/// Whether `program` runs with `probe` (say `--version`). Without it: a note and `false`, or, in
/// CI, a failed test naming the program and how to install it.
pub fn available(program: &str, probe: &[&str], install: &str) -> bool {
    let runs = Command::new(program)
        .args(probe)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !runs {
        assert!(
            std::env::var_os("CI").is_none(),
            "`{program}` is needed by this test and CI must have it ({install})"
        );
        eprintln!("note: `{program}` not found; this test is skipped here ({install})");
    }
    runs
}
