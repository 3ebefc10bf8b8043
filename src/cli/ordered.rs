//! Work on many files on all cores, with the results handed over in input order, each as soon as
//! it and every one before it are done. Only a small window of finished results is ever held, so
//! memory does not grow with the number of files.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

/// Results that arrived before their turn, released in input order.
pub(crate) struct Reorder<R> {
    next: usize,
    waiting: BTreeMap<usize, R>,
}

impl<R> Reorder<R> {
    pub(crate) fn new() -> Self {
        Reorder {
            next: 0,
            waiting: BTreeMap::new(),
        }
    }

    pub(crate) fn insert(&mut self, index: usize, result: R) {
        self.waiting.insert(index, result);
    }

    /// The next result in input order with its index, once it has arrived; it is no longer held.
    pub(crate) fn pop(&mut self) -> Option<(usize, R)> {
        let result = self.waiting.remove(&self.next)?;
        self.next += 1;
        Some((self.next - 1, result))
    }

    #[cfg(test)]
    fn held(&self) -> usize {
        self.waiting.len()
    }
}

/// Runs `work` on every item on rayon's threads and passes each result to `emit` with its index,
/// in input order. A panic in `work` is caught and passed on as `Err` in that item's place: one
/// item's panic ends neither the run nor the work on the others. Items are taken in order, none
/// more than `ahead_per_thread` × threads ahead of the first one not yet emitted: that many
/// results at most are held. Call it from outside rayon's pool: this thread waits while the pool
/// works.
///
/// `emit` runs on the workers: whoever finishes the result that is next in order emits it and
/// every held one after it. A separate thread that emits wakes up for every hand-over (a system
/// call and a context switch each, a fifth of the CPU time on a folder of small letters) and, on
/// a machine with as many workers as cores, takes a core from them.
pub(crate) fn run_in_order<T: Sync, R: Send>(
    items: &[T],
    ahead_per_thread: usize,
    work: impl Fn(&T) -> R + Sync,
    mut emit: impl FnMut(usize, std::thread::Result<R>) + Send,
) {
    // The work cannot leave shared state half-changed for the other items: they share only what
    // `work` borrows immutably, and whoever keeps per-thread state resets it after a panic.
    let run = |item: &T| catch_unwind(AssertUnwindSafe(|| work(item)));
    // One file needs no pool: none is started.
    let threads = if items.len() < 2 {
        1
    } else {
        rayon::current_num_threads()
    };
    if threads < 2 {
        for (index, item) in items.iter().enumerate() {
            emit(index, run(item));
        }
        return;
    }
    let window = ahead_per_thread.max(1) * threads;
    let taken = AtomicUsize::new(0);
    // The count emitted, read without the lock by workers checking the window.
    let emitted = AtomicUsize::new(0);
    let shared = Mutex::new(Shared {
        reorder: Reorder::new(),
        emit: &mut emit,
        waiting: 0,
    });
    let turn = Condvar::new();
    rayon::in_place_scope(|scope| {
        for _ in 0..threads {
            let (taken, emitted, shared, turn, run) = (&taken, &emitted, &shared, &turn, &run);
            scope.spawn(move |_| {
                loop {
                    let index = taken.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(index) else { break };
                    if index >= emitted.load(Ordering::Acquire).saturating_add(window) {
                        // Too far ahead: wait for the results before this one to be emitted.
                        let Ok(mut state) = shared.lock() else { return };
                        while index >= emitted.load(Ordering::Acquire).saturating_add(window) {
                            state.waiting += 1;
                            let Ok(woken) = turn.wait(state) else { return };
                            state = woken;
                            state.waiting -= 1;
                        }
                    }
                    let result = run(item);
                    // A poisoned lock means `emit` panicked: the run is over, and the scope
                    // passes that panic on.
                    let Ok(mut state) = shared.lock() else { return };
                    state.reorder.insert(index, result);
                    let _wake_on_panic = WakeOnPanic(turn);
                    let state = &mut *state;
                    while let Some((next, result)) = state.reorder.pop() {
                        (state.emit)(next, result);
                        emitted.store(next + 1, Ordering::Release);
                    }
                    if state.waiting > 0 {
                        turn.notify_all();
                    }
                }
            });
        }
    });
}

/// What the workers share: the results waiting for their turn and the one `emit`.
struct Shared<'a, R, E> {
    reorder: Reorder<std::thread::Result<R>>,
    emit: &'a mut E,
    /// Workers waiting for the window to move: they are woken only when there are some, since a
    /// wake-up is a system call even when nobody waits.
    waiting: usize,
}

/// Wakes the workers waiting for the window if `emit` panics, so that none waits for ever: they
/// find the lock poisoned and stop.
struct WakeOnPanic<'a>(&'a Condvar);

impl Drop for WakeOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    #[test]
    fn results_are_released_in_order_and_not_held_after() {
        let mut reorder = Reorder::new();
        reorder.insert(2, "c");
        reorder.insert(1, "b");
        assert_eq!(reorder.pop(), None);
        assert_eq!(reorder.held(), 2);
        reorder.insert(0, "a");
        assert_eq!(reorder.pop(), Some((0, "a")));
        assert_eq!(reorder.pop(), Some((1, "b")));
        assert_eq!(reorder.pop(), Some((2, "c")));
        assert_eq!(reorder.pop(), None);
        assert_eq!(reorder.held(), 0);
    }

    /// Counts the results alive: made by the work and not yet dropped after `emit`.
    struct Tracked<'a>(&'a AtomicUsize);

    impl Drop for Tracked<'_> {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_slow_first_item_does_not_let_results_pile_up() {
        let items: Vec<usize> = (0..300).collect();
        let ahead = 2;
        let (alive, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let mut order = Vec::new();
        run_in_order(
            &items,
            ahead,
            |&item| {
                if item % 100 == 0 {
                    // The others race ahead meanwhile, as far as the window lets them.
                    std::thread::sleep(Duration::from_millis(50));
                }
                let now = alive.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                (item, Tracked(&alive))
            },
            |index, result| {
                let (item, tracked) = result.expect("no panic");
                assert_eq!(index, item);
                order.push(item);
                drop(tracked);
            },
        );
        assert_eq!(order, items);
        assert_eq!(alive.load(Ordering::SeqCst), 0);
        let window = ahead * rayon::current_num_threads();
        assert!(most.load(Ordering::SeqCst) <= window, "{most:?} held");
    }

    #[test]
    fn a_panic_in_emit_ends_the_run_without_a_worker_left_waiting() {
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let items: Vec<usize> = (0..500).collect();
            let outcome = catch_unwind(|| {
                run_in_order(
                    &items,
                    1,
                    |&item| {
                        if item == 0 {
                            // The others fill the window and wait for this one.
                            std::thread::sleep(Duration::from_millis(30));
                        }
                        item
                    },
                    |index, _| assert_ne!(index, 0, "emit fails on the first result"),
                );
            });
            let _ = done.send(outcome.is_err());
        });
        let panicked = finished
            .recv_timeout(Duration::from_secs(20))
            .expect("the run ended instead of hanging");
        assert!(panicked, "the panic in emit reached the caller");
    }
}
