//! Work on many files on all cores, with the results handed over in input order, each as soon as
//! it and every one before it are done. Only a small window of finished results is ever held, so
//! memory does not grow with the number of files.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

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
/// results at most are held. Call it from outside rayon's pool: this thread waits for the results
/// while the pool works.
pub(crate) fn run_in_order<T: Sync, R: Send>(
    items: &[T],
    ahead_per_thread: usize,
    work: impl Fn(&T) -> R + Sync,
    mut emit: impl FnMut(usize, std::thread::Result<R>),
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
    // Results go to this thread a few at a time: a hand-over per file cost a wake-up (a system
    // call and a context switch) per file, which showed on folders of small letters.
    // A batch is a quarter of a worker's share of the window: when a worker's whole share sat in
    // its unsent batch, the others waited at the gate for it (a wake-up every few files).
    let batch_size = (window / threads / 4).clamp(1, MAX_BATCH);
    let taken = AtomicUsize::new(0);
    let gate = Gate {
        emitted: Mutex::new(Emitted::default()),
        turn: Condvar::new(),
    };
    let (sender, receiver) = std::sync::mpsc::channel::<Vec<(usize, std::thread::Result<R>)>>();
    rayon::in_place_scope(|scope| {
        for _ in 0..threads {
            let (sender, taken, gate, run) = (sender.clone(), &taken, &gate, &run);
            scope.spawn(move |_| {
                let mut batch = Vec::with_capacity(batch_size);
                loop {
                    let index = taken.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(index) else { break };
                    // A worker hands over what it holds before it waits: the result the gate
                    // waits for may be in its batch.
                    if !gate.lets_in(index, window) {
                        if !batch.is_empty() && sender.send(std::mem::take(&mut batch)).is_err() {
                            return;
                        }
                        gate.wait_for(index, window);
                    }
                    batch.push((index, run(item)));
                    if batch.len() >= batch_size && sender.send(std::mem::take(&mut batch)).is_err()
                    {
                        return;
                    }
                }
                if !batch.is_empty() {
                    let _ = sender.send(batch);
                }
            });
        }
        drop(sender);
        // Opens the gate for good however this ends, so that no worker waits for ever.
        let _open = OpenOnDrop(&gate);
        let mut reorder = Reorder::new();
        for batch in receiver {
            for (index, result) in batch {
                reorder.insert(index, result);
            }
            while let Some((index, result)) = reorder.pop() {
                emit(index, result);
                gate.set(index + 1);
            }
        }
    });
}

/// The most results a worker hands over at once.
const MAX_BATCH: usize = 8;

/// How far the results have been emitted; workers wait here to stay within the window.
struct Gate {
    emitted: Mutex<Emitted>,
    turn: Condvar,
}

#[derive(Default)]
struct Emitted {
    count: usize,
    /// Workers waiting for their turn: they are woken only when there are some, since a wake-up
    /// is a system call even when nobody waits.
    waiting: usize,
}

impl Gate {
    fn lets_in(&self, index: usize, window: usize) -> bool {
        let emitted = self.emitted.lock().unwrap_or_else(PoisonError::into_inner);
        index < emitted.count.saturating_add(window)
    }

    fn wait_for(&self, index: usize, window: usize) {
        let mut emitted = self.emitted.lock().unwrap_or_else(PoisonError::into_inner);
        while index >= emitted.count.saturating_add(window) {
            emitted.waiting += 1;
            emitted = self
                .turn
                .wait(emitted)
                .unwrap_or_else(PoisonError::into_inner);
            emitted.waiting -= 1;
        }
    }

    fn set(&self, count: usize) {
        let mut emitted = self.emitted.lock().unwrap_or_else(PoisonError::into_inner);
        emitted.count = count;
        if emitted.waiting > 0 {
            self.turn.notify_all();
        }
    }
}

struct OpenOnDrop<'a>(&'a Gate);

impl Drop for OpenOnDrop<'_> {
    fn drop(&mut self) {
        self.0.set(usize::MAX);
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
}
