//! Two threads side by side: this one fills batches (reading the store), a second one
//! takes them in order and encodes and writes them. A fixed number of batches goes round
//! (emptied ones come back for reuse), so memory stays flat however much is exported.

use crate::error::{Error, Result};
use std::cell::Cell;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// The filling side's ends: batches to fill, and where full ones go.
pub(super) struct Pipe<B> {
    full: SyncSender<B>,
    empty: Receiver<B>,
    made: Cell<usize>,
    most: usize,
    new: fn() -> B,
}

impl<B> Pipe<B> {
    /// A batch to fill: an emptied one back from the other thread, a new one while fewer
    /// than the most exist, or else the next one emptied (waiting for it). Fails where the
    /// other thread has stopped (`run` then reports that thread's error).
    pub(super) fn take(&self) -> Result<B> {
        if let Ok(b) = self.empty.try_recv() {
            return Ok(b);
        }
        if self.made.get() < self.most {
            self.made.set(self.made.get() + 1);
            return Ok((self.new)());
        }
        self.empty.recv().map_err(|_| stopped())
    }

    /// Hands a filled batch over, to be taken in the order handed.
    pub(super) fn pass(&self, b: B) -> Result<()> {
        self.full.send(b).map_err(|_| stopped())
    }
}

pub(super) fn stopped() -> Error {
    Error::Io {
        path: "-".into(),
        source: std::io::Error::other("the encoding thread stopped"),
    }
}

/// Runs `fill` here and `take` on a second thread: `take` gets every batch handed over,
/// in order (`Some`), then `None` once `fill` has returned; it empties each batch it gets
/// for reuse. At most `most` batches exist. The error reported is the second thread's
/// (a full disk) where it failed, else `fill`'s.
pub(super) fn run<B: Send>(
    most: usize,
    new: fn() -> B,
    fill: impl FnOnce(&Pipe<B>) -> Result<()>,
    mut take: impl FnMut(Option<&mut B>) -> Result<()> + Send,
) -> Result<()> {
    let (full, to_take) = sync_channel::<B>(most);
    let (emptied, empty) = sync_channel::<B>(most);
    std::thread::scope(|s| {
        let taker = s.spawn(move || -> Result<()> {
            for mut b in to_take {
                take(Some(&mut b))?;
                // the filling side may have stopped taking: the batch is then dropped
                let _ = emptied.send(b);
            }
            take(None)
        });
        let pipe = Pipe {
            full,
            empty,
            made: Cell::new(0),
            most: most.max(1),
            new,
        };
        let filled = fill(&pipe);
        // the sender goes with the pipe: the second thread ends once the queue is taken
        drop(pipe);
        match taker.join() {
            Ok(Ok(())) => filled,
            Ok(Err(e)) => Err(e),
            Err(_) => Err(stopped()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn disk_full() -> Error {
        Error::Io {
            path: "out.csv".into(),
            source: std::io::Error::other("disk full"),
        }
    }

    #[test]
    fn every_batch_is_taken_in_order_and_only_a_few_are_ever_made() {
        let mut seen = Vec::new();
        let mut ends = 0;
        let made = std::sync::atomic::AtomicUsize::new(0);
        run(
            3,
            Vec::<u32>::new,
            |p| {
                for i in 0..1000u32 {
                    let mut b = p.take()?;
                    assert!(b.is_empty(), "a batch comes back emptied");
                    if b.capacity() == 0 {
                        made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    b.extend([i, i + 1]);
                    p.pass(b)?;
                }
                Ok(())
            },
            |b| {
                match b {
                    Some(b) => {
                        seen.extend(b.iter().copied());
                        b.clear();
                    }
                    None => ends += 1,
                }
                Ok(())
            },
        )
        .unwrap();
        let want: Vec<u32> = (0..1000).flat_map(|i| [i, i + 1]).collect();
        assert_eq!(seen, want);
        assert_eq!(ends, 1, "the end is told once");
        let made = made.into_inner();
        assert!((1..=3).contains(&made), "{made} batches made");
    }

    #[test]
    fn the_second_threads_error_is_the_one_reported_however_far_the_filling_got() {
        for fail_at in [0usize, 1, 5] {
            let mut n = 0;
            let e = run(
                2,
                Vec::<u8>::new,
                |p| {
                    for _ in 0..10_000 {
                        let mut b = p.take()?;
                        b.push(1);
                        p.pass(b)?;
                    }
                    Ok(())
                },
                |b| {
                    if let Some(b) = b {
                        b.clear();
                    }
                    n += 1;
                    if n > fail_at {
                        return Err(disk_full());
                    }
                    Ok(())
                },
            )
            .unwrap_err();
            match e {
                Error::Io { path, source } => {
                    assert_eq!(path, Path::new("out.csv"));
                    assert_eq!(source.to_string(), "disk full");
                }
                other => panic!("{other}"),
            }
        }
    }

    #[test]
    fn the_filling_sides_error_is_reported_where_the_second_thread_did_well() {
        let mut taken = 0;
        let e = run(
            2,
            Vec::<u8>::new,
            |p| {
                p.pass(p.take()?)?;
                Err(Error::UnknownAssessment("7".into()))
            },
            |b| {
                taken += usize::from(b.is_some());
                Ok(())
            },
        )
        .unwrap_err();
        assert!(
            matches!(e, Error::UnknownAssessment(ref a) if a == "7"),
            "{e}"
        );
        assert_eq!(taken, 1, "what was handed before the error is still taken");
    }
}
