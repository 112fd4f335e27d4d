//! The onrecord binary: a thin shell over the library (see `onrecord::cli`).

// Workers allocate each document's results and the writer frees them on another thread;
// glibc's malloc serialises that on an arena lock (about a fifth of the CPU in profiles),
// mimalloc frees across threads without one.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    onrecord::cli::main()
}
