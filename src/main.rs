//! The `ocw-tui` binary: parses the command line and hands over to the library.

fn main() -> std::process::ExitCode {
    ocw_tui::cmd::main()
}
