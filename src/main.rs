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
#[cfg(target_os = "linux")]
unsafe extern "C" {
    fn prctl(option: std::os::raw::c_int, ...) -> std::os::raw::c_int;
}
/// `PR_SET_THP_DISABLE` of `<linux/prctl.h>`.
#[cfg(target_os = "linux")]
const PR_SET_THP_DISABLE: std::os::raw::c_int = 41;
/// `mi_option_purge_delay` in the `mi_option_e` enum of mimalloc v3's `mimalloc.h`.
const MI_OPTION_PURGE_DELAY: std::os::raw::c_int = 15;

fn main() -> std::process::ExitCode {
    use std::os::raw::c_ulong;
    // Memory freed by one batch is reused by the next; returning it to the OS after a second
    // (the default) made the kernel zero fresh pages all run long: 3 to 6% of the CPU of a
    // `score` run. Memory stays bounded by the batch size all the same.
    // Transparent huge pages: each worker's heap touched its own 2 MiB pages, so peak memory
    // grew by 10 to 15 MB a thread (420 MB at 16 threads on a 1 GB corpus) and the kernel
    // spent its time zeroing them, for no gain in speed. mimalloc reads its huge-page option
    // (`MIMALLOC_ALLOW_THP`) once, before `main`, so the process-wide switch it would use is
    // thrown here instead; it holds for every page touched from now on.
    // SAFETY: plain setters of integer flags, called before any worker thread starts.
    unsafe {
        mi_option_set(MI_OPTION_PURGE_DELAY, -1);
        #[cfg(target_os = "linux")]
        prctl(
            PR_SET_THP_DISABLE,
            1 as c_ulong,
            0 as c_ulong,
            0 as c_ulong,
            0 as c_ulong,
        );
    }
    onrecord::cli::main()
}
