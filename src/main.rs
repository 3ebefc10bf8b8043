fn main() -> std::process::ExitCode {
    yasno::cli::run()
}
