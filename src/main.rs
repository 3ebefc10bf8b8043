mod cli;

fn main() -> std::process::ExitCode {
    withhold_panic_messages();
    cli::run()
}

/// Letters hold personal data, and a panic message can quote the text (slicing a string at a bad
/// offset prints the string). So a panic prints only where it happened, unless a developer asks
/// for the message with YASNO_PANIC_DETAILS=1. `yasno lsp` installs its own hook of the same kind.
fn withhold_panic_messages() {
    if std::env::var_os("YASNO_PANIC_DETAILS").is_none_or(|v| v != "1") {
        set_quiet_hook();
    }
    // Hidden, for tests/privacy.rs: a panic whose message is the given text, which must not be printed.
    if let Some(text) = std::env::var_os("YASNO_TEST_PANIC") {
        panic!("{}", text.to_string_lossy());
    }
}

fn set_quiet_hook() {
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "an unknown place".into());
        eprintln!(
            "yasno: internal error at {place}; its message is withheld because it may quote the \
             letter (YASNO_PANIC_DETAILS=1 shows it). Please report the place."
        );
    }));
}
