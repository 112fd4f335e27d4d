//! The onrecord binary: a thin shell over the library (see `onrecord::cli`).

fn main() -> std::process::ExitCode {
    onrecord::cli::main()
}
