//! The onrecord binary: a thin shell over the library (see `onrecord::cli`).

// Workers allocate each document's results and the writer frees them on another thread;
// glibc's malloc serialises that on an arena lock (about a fifth of the CPU in profiles),
// mimalloc frees across threads without one.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc's option setter, compiled into the allocator (declared here rather than through
// libmimalloc-sys's "extended" feature, which needs one more crate).
unsafe extern "C" {
    fn mi_option_set(option: std::os::raw::c_int, value: std::os::raw::c_long);
}
/// `mi_option_purge_delay` in the `mi_option_e` enum of mimalloc v3's `mimalloc.h`.
const MI_OPTION_PURGE_DELAY: std::os::raw::c_int = 15;

fn main() -> std::process::ExitCode {
    // Memory freed by one batch is reused by the next; returning it to the OS after a second
    // (the default) made the kernel zero fresh pages all run long: 3 to 6% of the CPU of a
    // `score` run. Memory stays bounded by the batch size all the same.
    // SAFETY: a plain setter of an integer option, called before any thread starts.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    onrecord::cli::main()
}
