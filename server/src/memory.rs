//! How the server process holds memory: mimalloc, no transparent huge pages, and free memory
//! handed back to the system when a worker thread goes idle.

use std::cell::Cell;
use std::time::{Duration, Instant};

// Many short-lived allocations across worker threads (page rendering): mimalloc keeps the
// resident size close to what is in use, where glibc's per-thread arenas keep growing.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Transparent huge pages make the allocator's resident size balloon under load: mimalloc backs
/// its arenas with 2 MiB pages that stay resident while mostly free (measured: peak RSS 160 MB
/// with them, 93 MB without, at the same throughput). Off for this process only.
pub fn disable_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Makes mimalloc hand freed pages back to the system at once instead of 10 ms later: with the
/// delay, a burst of page rendering on 64 connections kept 10–15 MB more resident (measured
/// with `bench/run.sh`), for no throughput measurably gained.
pub fn purge_freed_memory_at_once() {
    // `mi_option_purge_delay` in the mimalloc 3 headers that libmimalloc-sys builds
    // (the Rust bindings do not name it).
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is a plain store mimalloc reads on its next purge.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
}

/// Hands this thread's free memory back to the system, at most once a second. Called when a
/// runtime worker is about to park: mimalloc returns free pages only from a thread that keeps
/// allocating, so after a burst of traffic an idle worker would keep its peak resident size.
pub fn release_free_memory_when_idle() {
    const AT_MOST_EVERY: Duration = Duration::from_secs(1);
    thread_local! {
        static LAST: Cell<Option<Instant>> = const { Cell::new(None) };
    }
    LAST.with(|last| {
        let now = Instant::now();
        if last
            .get()
            .is_none_or(|t| now.duration_since(t) >= AT_MOST_EVERY)
        {
            last.set(Some(now));
            release_free_memory();
        }
    });
}

/// Hands this thread's free memory (and that of exited threads) back to the system now: after
/// start-up, whose dictionary and catalogue loading leave much garbage behind.
pub fn release_free_memory() {
    // SAFETY: mi_collect only walks mimalloc's own heap structures.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
