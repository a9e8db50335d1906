//! Sorting more fixed-size items than memory should hold: items are kept in
//! memory up to a budget, then written out as sorted runs to an unnamed
//! temporary file, and the runs are merged back in order. Memory stays at the
//! budget plus one read buffer per run, however many items there are; a
//! short list never touches the disk.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};

/// An item written as exactly `SIZE` bytes and read back unchanged.
pub trait FixedSize: Ord + Sized {
    /// Bytes per item.
    const SIZE: usize;
    /// Writes the item into `out` (`SIZE` bytes).
    fn encode(&self, out: &mut [u8]);
    /// Reads an item written by [`FixedSize::encode`].
    fn decode(bytes: &[u8]) -> Self;
}

/// Items kept in memory before a run is written, by default: 16 MiB of
/// 64-byte items.
pub const DEFAULT_BUDGET: usize = 256 * 1024;

/// Bytes read from a run at a time while merging.
const RUN_BUFFER: usize = 64 * 1024;

fn writing(error: io::Error) -> io::Error {
    io::Error::new(
        error.kind(),
        format!("writing to a temporary file: {error}"),
    )
}

/// Collects items, then yields them in order (equal items in no set order).
pub struct SpillSort<T> {
    buffer: Vec<T>,
    budget: usize,
    /// The temporary file and the (offset, items) of each run written to it.
    spilled: Option<(File, Vec<(u64, usize)>)>,
    /// Bytes written to the file so far.
    written: u64,
}

impl<T: FixedSize> SpillSort<T> {
    /// A sorter that keeps up to `budget` items (at least one) in memory.
    pub fn new(budget: usize) -> Self {
        SpillSort {
            buffer: Vec::new(),
            budget: budget.max(1),
            spilled: None,
            written: 0,
        }
    }

    /// Items added so far.
    pub fn len(&self) -> usize {
        self.buffer.len()
            + self
                .spilled
                .as_ref()
                .map_or(0, |(_, runs)| runs.iter().map(|(_, items)| items).sum())
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds an item; writes a run when the budget is reached.
    pub fn push(&mut self, item: T) -> io::Result<()> {
        self.buffer.push(item);
        if self.buffer.len() >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> io::Result<()> {
        self.buffer.sort_unstable();
        let (file, runs) = match &mut self.spilled {
            Some(spilled) => spilled,
            None => self.spilled.insert((
                tempfile::tempfile().map_err(|error| {
                    io::Error::new(
                        error.kind(),
                        format!("cannot create a temporary file: {error}"),
                    )
                })?,
                Vec::new(),
            )),
        };
        let mut out = BufWriter::with_capacity(RUN_BUFFER, &mut *file);
        let mut bytes = vec![0; T::SIZE];
        for item in &self.buffer {
            item.encode(&mut bytes);
            out.write_all(&bytes).map_err(writing)?;
        }
        out.flush().map_err(writing)?;
        runs.push((self.written, self.buffer.len()));
        self.written += (self.buffer.len() * T::SIZE) as u64;
        self.buffer.clear();
        Ok(())
    }

    /// Every item, in order.
    pub fn into_sorted(mut self) -> io::Result<Sorted<T>> {
        if self.spilled.is_none() {
            self.buffer.sort_unstable();
            return Ok(Sorted::Memory(self.buffer.into_iter()));
        }
        if !self.buffer.is_empty() {
            self.spill()?;
        }
        let Some((file, runs)) = self.spilled else {
            unreachable!("spilled above");
        };
        let mut merge = Merge {
            file,
            runs: runs
                .into_iter()
                .map(|(offset, items)| Run {
                    offset,
                    items,
                    bytes: Vec::new(),
                    at: 0,
                })
                .collect(),
            heap: BinaryHeap::new(),
        };
        for run in 0..merge.runs.len() {
            if let Some(item) = merge.next_of(run)? {
                merge.heap.push(Reverse((item, run)));
            }
        }
        Ok(Sorted::Merge(merge))
    }
}

/// The items of a [`SpillSort`], in order.
pub enum Sorted<T> {
    /// Everything fitted in memory.
    Memory(std::vec::IntoIter<T>),
    /// Sorted runs merged from the temporary file.
    Merge(Merge<T>),
}

impl<T: FixedSize> Iterator for Sorted<T> {
    type Item = io::Result<T>;

    fn next(&mut self) -> Option<io::Result<T>> {
        match self {
            Sorted::Memory(items) => items.next().map(Ok),
            Sorted::Merge(merge) => merge.next(),
        }
    }
}

/// A k-way merge of the runs in the temporary file.
pub struct Merge<T> {
    file: File,
    runs: Vec<Run>,
    heap: BinaryHeap<Reverse<(T, usize)>>,
}

/// A run's unread part and a buffer of its next bytes.
struct Run {
    offset: u64,
    items: usize,
    bytes: Vec<u8>,
    at: usize,
}

impl<T: FixedSize> Merge<T> {
    fn next(&mut self) -> Option<io::Result<T>> {
        let Reverse((item, run)) = self.heap.pop()?;
        match self.next_of(run) {
            Ok(Some(next)) => self.heap.push(Reverse((next, run))),
            Ok(None) => {}
            Err(error) => return Some(Err(error)),
        }
        Some(Ok(item))
    }

    /// The next item of run `index`, reading a buffer's worth when needed.
    fn next_of(&mut self, index: usize) -> io::Result<Option<T>> {
        let run = &mut self.runs[index];
        if run.at == run.bytes.len() {
            if run.items == 0 {
                return Ok(None);
            }
            let count = run.items.min(RUN_BUFFER / T::SIZE).max(1);
            run.bytes.resize(count * T::SIZE, 0);
            self.file.seek(SeekFrom::Start(run.offset))?;
            self.file.read_exact(&mut run.bytes)?;
            run.offset += run.bytes.len() as u64;
            run.items -= count;
            run.at = 0;
        }
        let item = T::decode(&run.bytes[run.at..run.at + T::SIZE]);
        run.at += T::SIZE;
        Ok(Some(item))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples::Rng;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    struct Pair(u32, u64);

    impl FixedSize for Pair {
        const SIZE: usize = 12;
        fn encode(&self, out: &mut [u8]) {
            out[..4].copy_from_slice(&self.0.to_le_bytes());
            out[4..].copy_from_slice(&self.1.to_le_bytes());
        }
        fn decode(bytes: &[u8]) -> Self {
            Pair(
                u32::from_le_bytes(bytes[..4].try_into().unwrap()),
                u64::from_le_bytes(bytes[4..12].try_into().unwrap()),
            )
        }
    }

    fn sorted_through(budget: usize, items: &[Pair]) -> Vec<Pair> {
        let mut sort = SpillSort::new(budget);
        for item in items {
            sort.push(*item).unwrap();
        }
        assert_eq!(sort.len(), items.len());
        sort.into_sorted()
            .unwrap()
            .collect::<io::Result<_>>()
            .unwrap()
    }

    #[test]
    fn spilled_or_not_the_order_is_the_same() {
        let mut rng = Rng::new(5);
        for count in [0, 1, 7, 100, 10_000] {
            let items: Vec<Pair> = (0..count)
                .map(|_| Pair(rng.below(50) as u32, rng.next_u64()))
                .collect();
            let mut expected = items.clone();
            expected.sort();
            // In memory; one run short of the budget; many runs, several
            // refills of each run's buffer; one item per run.
            for budget in [usize::MAX, count.max(1), 3_000, 1] {
                assert_eq!(
                    sorted_through(budget, &items),
                    expected,
                    "{count} items, budget {budget}"
                );
            }
        }
    }

    #[test]
    fn memory_holds_the_budget_not_the_items() {
        let mut sort = SpillSort::new(100);
        for i in 0..1_000u32 {
            sort.push(Pair(1_000 - i, 0)).unwrap();
            assert!(sort.buffer.len() < 100);
        }
        assert_eq!(sort.spilled.as_ref().map(|(_, runs)| runs.len()), Some(10));
        let first = sort.into_sorted().unwrap().next().unwrap().unwrap();
        assert_eq!(first, Pair(1, 0));
    }
}
