//! Running inputs through the validator: frame each source into payloads,
//! validate them (on several threads for large inputs), and hand results to
//! a sink in input order. A document stops at its first malformed payload.
//!
//! Parallel layout: the calling thread reads inputs into batches (small
//! files by name, NDJSON streams as blocks of whole lines, other documents
//! payload by payload) and emits results in order; `jobs` workers frame and
//! validate the batches. Emitted results go back to the worker that made
//! them to be freed, and read buffers back to the reading thread. Channels
//! are bounded, so memory stays constant however long the input is.

use crate::findings::{InputError, PayloadResult};
use crate::framing::{LinesBlock, PayloadReader, RawPayload};
use crate::inputs::{self, Input};
use crate::validation::Validator;
use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

/// Items per batch handed to a worker: enough to make handing over cheap,
/// few enough that a folder of small files is shared out early and evenly
/// (each file also costs its own reads).
const BATCH_PAYLOADS: usize = 64;
/// Bytes per batch handed to a worker (whichever limit comes first): one
/// block of lines. Batches of 1 MiB held four times the read buffers in
/// flight (peak memory on two cores 23 → 14 MiB) and were no faster.
const BATCH_BYTES: usize = 256 * 1024;
/// Bytes of whole NDJSON lines cut from a stream at a time, to be split
/// into payloads by the worker that validates them.
const LINES_BLOCK: usize = 256 * 1024;

/// What the pipeline reports, in input order. Lent to the sink: results
/// are freed by the thread that made them (with glibc's allocator, memory
/// freed on another thread costs a lock and the cache lines' travel).
#[derive(Debug)]
pub enum Event<'a, T = PayloadResult> {
    /// A payload was processed.
    Result(&'a T),
    /// An input could not be opened or read.
    Unreadable(&'a InputError),
}

/// What is computed for each payload, on any thread.
pub trait Processor: Sync {
    /// The result for one payload.
    type Output: Send;
    /// Processes one payload of `source`.
    fn process(&self, source: &Arc<str>, raw: &RawPayload<'_>) -> Self::Output;
    /// Whether the payload was malformed: in a document, that ends the source.
    fn malformed(output: &Self::Output) -> bool;
    /// A processor with the same settings for a worker thread, sharing no
    /// memory with this one (see [`Validator::for_another_thread`]).
    fn for_worker(&self) -> Self
    where
        Self: Sized;
}

impl Processor for Validator {
    type Output = PayloadResult;

    fn process(&self, source: &Arc<str>, raw: &RawPayload<'_>) -> PayloadResult {
        self.validate(source, raw)
    }

    fn malformed(output: &PayloadResult) -> bool {
        output.malformed
    }

    fn for_worker(&self) -> Self {
        self.for_another_thread()
    }
}

/// Why a source could not be run to its end.
#[derive(Debug)]
pub enum StreamError {
    /// Reading the source failed: the input is unreadable.
    Read(io::Error),
    /// The sink failed (for example, stdout was closed).
    Sink(io::Error),
}

/// Validates every payload of one readable source, calling `sink` with each
/// result in order, on the calling thread. For a Rust receiver validating a
/// request body, or any single stream.
pub fn validate_stream<R: Read>(
    input: R,
    source: &str,
    validator: &Validator,
    mut sink: impl FnMut(PayloadResult) -> io::Result<()>,
) -> Result<(), StreamError> {
    let source: Arc<str> = Arc::from(source);
    let mut reader = PayloadReader::new(input);
    drain(&mut reader, validator, 0, &source, |done| match done {
        Done::Result { result, .. } => sink(result),
        // `drain` gives results only.
        Done::Unreadable(_) | Done::Large { .. } => Ok(()),
    })
}

/// Processes every payload of `reader` in order, handing each to `each`; a
/// malformed payload in a document stops the reader. Payloads are borrowed
/// from the reader's buffer, never copied.
fn drain<R: Read, P: Processor>(
    reader: &mut PayloadReader<R>,
    processor: &P,
    input: usize,
    source: &Arc<str>,
    mut each: impl FnMut(Done<P::Output>) -> io::Result<()>,
) -> Result<(), StreamError> {
    while let Some(raw) = reader.next_payload().map_err(StreamError::Read)? {
        let done = finish(processor, input, source, &raw);
        if let Done::Result {
            ends_source: true, ..
        } = done
        {
            reader.stop();
        }
        each(done).map_err(StreamError::Sink)?;
    }
    Ok(())
}

/// Files up to this size are read whole, in one go, by the thread that
/// validates them, so that a folder of many files is read on every core;
/// larger ones are read as streams by the feeding thread (NDJSON in blocks
/// of lines for the workers to split).
const SMALL_FILE: u64 = 1024 * 1024;
/// What a `*.json` file found in a folder is taken to weigh, to size
/// batches before it is read.
const PRESUMED_FILE: usize = 4 * 1024;

/// One unit of work: a payload and where it came from, a small file to read
/// and frame, whole lines of a stream to frame, or an unreadable input.
enum Item {
    Payload {
        input: usize,
        source: Arc<str>,
        raw: RawPayload<'static>,
    },
    Lines {
        input: usize,
        source: Arc<str>,
        block: LinesBlock,
    },
    /// A file read whole by a worker: its size as listed, or `None` for a
    /// `*.json` file found in a folder, presumed small (one payload) and
    /// looked up only once open.
    SmallFile {
        input: usize,
        source: Arc<str>,
        path: PathBuf,
        size: Option<usize>,
    },
    Unreadable(InputError),
}

impl Item {
    /// Bytes of payload this item stands for, to size batches.
    fn size(&self) -> usize {
        match self {
            Item::Payload { raw, .. } => raw.bytes.len(),
            Item::Lines { block, .. } => block.len(),
            Item::SmallFile { size, .. } => size.unwrap_or(PRESUMED_FILE),
            Item::Unreadable(_) => 0,
        }
    }
}

/// A processed item, ready to emit.
enum Done<T> {
    Result {
        input: usize,
        result: T,
        /// The payload was malformed and takes the rest of its source with it.
        ends_source: bool,
    },
    Unreadable(InputError),
    /// A file presumed small that is not: the feeding thread validates it
    /// as it emits, in its place, reading it as a stream.
    Large {
        input: usize,
        source: Arc<str>,
        path: PathBuf,
        file: std::fs::File,
    },
}

/// Read buffers on their way back to the feeding thread, to be read into
/// again: fresh ones would cost page faults and a trip through the
/// allocator's lock for every block.
type Spares = mpsc::Sender<Vec<u8>>;

/// Processes one item, appending what it gives (one result per payload);
/// `buffer` is where small files are read, kept from one to the next.
fn process<P: Processor>(
    processor: &P,
    item: Item,
    done: &mut Vec<Done<P::Output>>,
    spares: &Spares,
    buffer: &mut Vec<u8>,
) {
    match item {
        Item::Payload { input, source, raw } => done.push(finish(processor, input, &source, &raw)),
        Item::SmallFile {
            input,
            source,
            path,
            size,
        } => match read_small(&path, size, std::mem::take(buffer)) {
            Ok(SmallRead::Whole(bytes)) => {
                (*buffer, _) = drain_whole(bytes, processor, input, &source, collect_into(done));
            }
            Ok(SmallRead::TooLarge(file)) => done.push(Done::Large {
                input,
                source,
                path,
                file,
            }),
            Err(error) => done.push(Done::Unreadable(inputs::input_error(&path, &error))),
        },
        Item::Lines {
            input,
            source,
            block,
        } => {
            let mut reader = PayloadReader::from_lines(block);
            let _ = drain(&mut reader, processor, input, &source, collect_into(done));
            // Gone only when the feeding thread has finished.
            let _ = spares.send(reader.into_buffer());
        }
        Item::Unreadable(error) => done.push(Done::Unreadable(error)),
    }
}

/// Hands each processed payload to `done`, for [`drain`] over a source
/// already in memory: neither reading it nor pushing can fail, so what
/// `drain` returns then is always `Ok` and may be ignored.
fn collect_into<T>(done: &mut Vec<Done<T>>) -> impl FnMut(Done<T>) -> io::Result<()> + '_ {
    |finished| {
        done.push(finished);
        Ok(())
    }
}

/// Processes every payload of a whole file read into `bytes`, handing each
/// to `each`, and gives the buffer back. Most files hold one pretty-printed
/// object: where it ends is guessed (at the last `}`) instead of scanned
/// for, which was a sixth of the instructions on a folder of payloads. The
/// guess is right exactly when the payload parses; when it does not, the
/// file is framed again, value by value, and only those results count.
fn drain_whole<P: Processor>(
    bytes: Vec<u8>,
    processor: &P,
    input: usize,
    source: &Arc<str>,
    mut each: impl FnMut(Done<P::Output>) -> io::Result<()>,
) -> (Vec<u8>, Result<(), StreamError>) {
    let mut reader = PayloadReader::from_bytes(bytes);
    if let Ok(Some(raw)) = reader.guess_one_object() {
        let result = processor.process(source, &raw);
        if !P::malformed(&result) {
            let done = Done::Result {
                input,
                ends_source: false,
                result,
            };
            return (reader.into_buffer(), each(done).map_err(StreamError::Sink));
        }
    }
    let mut reader = PayloadReader::from_bytes(reader.into_buffer());
    let drained = drain(&mut reader, processor, input, source, each);
    (reader.into_buffer(), drained)
}

/// A small file as read by a worker.
enum SmallRead {
    /// Its bytes.
    Whole(Vec<u8>),
    /// It is larger than [`SMALL_FILE`] after all: open, not read.
    TooLarge(std::fs::File),
}

/// Reads a file of `size` bytes (as listed; looked up on the open file when
/// `None`) into `bytes` (emptied first), in one read and without zeroing it
/// first (`fs::read` would `stat` it again and read once more to meet the
/// end; `take` meets it without a system call). The file is read as large
/// as it was when listed: bytes appended since are not read, a file that
/// shrank ends early.
fn read_small(path: &Path, size: Option<usize>, mut bytes: Vec<u8>) -> io::Result<SmallRead> {
    let mut file = std::fs::File::open(path)?;
    let size = match size {
        Some(size) => size as u64,
        None => file.metadata()?.len(),
    };
    if size > SMALL_FILE {
        return Ok(SmallRead::TooLarge(file));
    }
    bytes.clear();
    bytes.reserve(size as usize);
    file.by_ref().take(size).read_to_end(&mut bytes)?;
    Ok(SmallRead::Whole(bytes))
}

fn finish<P: Processor>(
    processor: &P,
    input: usize,
    source: &Arc<str>,
    raw: &RawPayload<'_>,
) -> Done<P::Output> {
    let result = processor.process(source, raw);
    Done::Result {
        input,
        ends_source: P::malformed(&result) && raw.malformed_ends_source(),
        result,
    }
}

/// Processes `items`, appending the results to `done` (empty; its capacity
/// is used again).
fn process_all<P: Processor>(
    processor: &P,
    items: Vec<Item>,
    spares: &Spares,
    mut done: Vec<Done<P::Output>>,
) -> Vec<Done<P::Output>> {
    let mut buffer = Vec::new();
    for item in items {
        process(processor, item, &mut done, spares, &mut buffer);
    }
    done
}

/// Emits done items in order, dropping the rest of a document after its
/// first malformed payload.
struct Emitter<'p, P, F> {
    /// For the rare file presumed small that is not.
    processor: &'p P,
    sink: F,
    /// The input whose remaining payloads are dropped.
    dropping: Option<usize>,
}

impl<P: Processor, F> Emitter<'_, P, F>
where
    F: FnMut(Event<'_, P::Output>) -> io::Result<()>,
{
    fn emit(&mut self, done: &Done<P::Output>) -> io::Result<()> {
        match done {
            Done::Result { input, .. } if self.dropping == Some(*input) => Ok(()),
            Done::Result {
                input,
                result,
                ends_source,
            } => {
                if *ends_source {
                    self.dropping = Some(*input);
                }
                (self.sink)(Event::Result(result))
            }
            Done::Unreadable(error) => (self.sink)(Event::Unreadable(error)),
            Done::Large {
                input,
                source,
                path,
                file,
            } => {
                let processor = self.processor;
                let mut reader = PayloadReader::new(file);
                match drain(&mut reader, processor, *input, source, |done| {
                    self.emit(&done)
                }) {
                    Ok(()) => Ok(()),
                    Err(StreamError::Read(error)) => {
                        let error = inputs::input_error(path, &error);
                        (self.sink)(Event::Unreadable(&error))
                    }
                    Err(StreamError::Sink(error)) => Err(error),
                }
            }
        }
    }
}

/// The input being read.
struct OpenSource {
    input: usize,
    source: Arc<str>,
    reader: PayloadReader<Box<dyn Read + Send>>,
}

/// Frames every input into items, in order: small files whole, NDJSON
/// streams as blocks of lines, other streams payload by payload.
struct Feeder<'a> {
    inputs: &'a [Input],
    next_input: usize,
    current: Option<OpenSource>,
    /// Read buffers given back by the blocks of lines.
    spares: Receiver<Vec<u8>>,
}

impl<'a> Feeder<'a> {
    fn new(inputs: &'a [Input], spares: Receiver<Vec<u8>>) -> Self {
        Feeder {
            inputs,
            next_input: 0,
            current: None,
            spares,
        }
    }

    /// The next item; `stop` names an input whose reading should end.
    fn next(&mut self, stop: Option<usize>) -> Option<Item> {
        loop {
            if let Some(open) = &mut self.current {
                if stop == Some(open.input) {
                    open.reader.stop();
                }
                let spare = || self.spares.try_recv().unwrap_or_default();
                let next = match open.reader.next_lines_block(LINES_BLOCK, spare) {
                    Ok(Some(block)) => Ok(Some(Item::Lines {
                        input: open.input,
                        source: Arc::clone(&open.source),
                        block,
                    })),
                    Ok(None) => open.reader.next_payload().map(|raw| {
                        raw.map(|raw| Item::Payload {
                            input: open.input,
                            source: Arc::clone(&open.source),
                            raw: raw.into_owned(),
                        })
                    }),
                    Err(error) => Err(error),
                };
                match next {
                    Ok(Some(item)) => return Some(item),
                    Ok(None) => self.current = None,
                    Err(error) => {
                        let input = open.input;
                        self.current = None;
                        return Some(Item::Unreadable(unreadable(&self.inputs[input], &error)));
                    }
                }
            }
            let index = self.next_input;
            let input = self.inputs.get(index)?;
            self.next_input += 1;
            if let Some((path, size)) = whole_file(input) {
                return Some(Item::SmallFile {
                    input: index,
                    source: Arc::from(input.name()),
                    path: path.to_path_buf(),
                    size,
                });
            }
            match input.open() {
                Ok(reader) => {
                    self.current = Some(OpenSource {
                        input: index,
                        source: Arc::from(input.name()),
                        reader: PayloadReader::new(reader),
                    });
                }
                Err(error) => return Some(Item::Unreadable(unreadable(input, &error))),
            }
        }
    }
}

/// Why `input` could not be opened or read.
fn unreadable(input: &Input, error: &io::Error) -> InputError {
    match input {
        Input::File { path, .. } => inputs::input_error(path, error),
        Input::Stdin => InputError {
            source: "-".to_owned(),
            message: error.to_string(),
        },
    }
}

/// Whether `input` is read whole (by a worker, on several threads): a small
/// file, or a `*.json` file found in a folder (one payload, nearly always),
/// whose size is then looked up on the open file rather than here by path:
/// on a folder of 2,000 files, the feeding thread's lookups were a tenth of
/// the CPU time.
fn whole_file(input: &Input) -> Option<(&Path, Option<usize>)> {
    match input {
        Input::File { path, size: None }
            if path
                .extension()
                .is_some_and(|extension| extension.eq_ignore_ascii_case("json")) =>
        {
            Some((path.as_path(), None))
        }
        _ => small_file(input).map(|(path, size)| (path, Some(size))),
    }
}

/// The path and size of `input` when it is a regular file small enough to
/// read whole (its size known from the listing, or looked up now).
fn small_file(input: &Input) -> Option<(&Path, usize)> {
    let Input::File { path, size } = input else {
        return None;
    };
    let size = match size {
        Some(size) => *size,
        None => {
            let meta = std::fs::metadata(path).ok()?;
            meta.is_file().then_some(meta.len())?
        }
    };
    if size > SMALL_FILE {
        return None;
    }
    Some((path.as_path(), usize::try_from(size).ok()?))
}

/// Validates every input, calling `sink` in input order. With `jobs` > 1 and
/// more than one batch of payloads, batches are validated on `jobs` worker
/// threads; small inputs never start a thread. With `jobs` = 1 each result is
/// handed over as soon as its payload is read (for live streams). `sink`
/// errors stop the run.
pub fn run<P: Processor>(
    inputs: &[Input],
    processor: &P,
    jobs: usize,
    sink: impl FnMut(Event<'_, P::Output>) -> io::Result<()>,
) -> io::Result<()> {
    let mut emitter = Emitter {
        processor,
        sink,
        dropping: None,
    };
    if jobs <= 1 {
        return run_sequential(inputs, processor, &mut emitter);
    }
    let (spares, spares_back) = mpsc::channel();
    let mut feeder = Feeder::new(inputs, spares_back);
    // The first batch is gathered here; only when more payloads follow is it
    // worth starting workers.
    let mut first = Vec::new();
    if !fill_batch(&mut feeder, &mut first, emitter.dropping) {
        for done in &process_all(processor, first, &spares, Vec::new()) {
            emitter.emit(done)?;
        }
        return Ok(());
    }
    run_parallel(first, &mut feeder, processor, jobs, spares, &mut emitter)
}

/// Validates every input on this thread, each payload straight from the
/// read buffer, each result handed over as soon as it is known.
fn run_sequential<P: Processor>(
    inputs: &[Input],
    processor: &P,
    emitter: &mut Emitter<'_, P, impl FnMut(Event<'_, P::Output>) -> io::Result<()>>,
) -> io::Result<()> {
    let mut buffer = Vec::new();
    for (index, input) in inputs.iter().enumerate() {
        let source: Arc<str> = Arc::from(input.name());
        let emit = |done| emitter.emit(&done);
        let outcome = match whole_file(input) {
            Some((path, size)) => match read_small(path, size, std::mem::take(&mut buffer)) {
                Ok(SmallRead::Whole(bytes)) => {
                    let (bytes, drained) = drain_whole(bytes, processor, index, &source, emit);
                    buffer = bytes;
                    drained
                }
                Ok(SmallRead::TooLarge(file)) => drain(
                    &mut PayloadReader::new(file),
                    processor,
                    index,
                    &source,
                    emit,
                ),
                Err(error) => Err(StreamError::Read(error)),
            },
            None => input.open().map_err(StreamError::Read).and_then(|reader| {
                drain(
                    &mut PayloadReader::new(reader),
                    processor,
                    index,
                    &source,
                    emit,
                )
            }),
        };
        match outcome {
            Ok(()) => {}
            Err(StreamError::Read(error)) => {
                emitter.emit(&Done::Unreadable(unreadable(input, &error)))?;
            }
            Err(StreamError::Sink(error)) => return Err(error),
        }
    }
    Ok(())
}

fn run_parallel<P: Processor>(
    first: Vec<Item>,
    feeder: &mut Feeder<'_>,
    processor: &P,
    jobs: usize,
    spares: Spares,
    emitter: &mut Emitter<'_, P, impl FnMut(Event<'_, P::Output>) -> io::Result<()>>,
) -> io::Result<()> {
    let (work_tx, work_rx) = mpsc::sync_channel::<Batch>(jobs * 2);
    let (done_tx, done_rx) = mpsc::channel::<Finished<P::Output>>();
    let work_rx = Arc::new(Mutex::new(work_rx));
    let mut spent = Vec::with_capacity(jobs);
    std::thread::scope(|scope| {
        // `jobs` workers validate while this thread reads, frames and emits.
        // Measured on two cores, two workers beat one worker plus this
        // thread validating whenever the queue is full: its reads, lookups
        // and output left a core idle in between (11% on a folder).
        for index in 0..jobs {
            let (spent_tx, spent_rx) = mpsc::channel();
            spent.push(spent_tx);
            let queues = WorkerQueues {
                index,
                work: Arc::clone(&work_rx),
                done: done_tx.clone(),
                spent: spent_rx,
                spares: spares.clone(),
            };
            // Each worker validates with its own processor: sharing the
            // compiled schemas between two cores cost about 5% more CPU.
            scope.spawn(move || worker(&processor.for_worker(), &queues));
        }
        drop((done_tx, spares));
        let mut order = Order::<P::Output>::new(spent);
        let queues = FeedQueues {
            work: work_tx,
            done: done_rx,
        };
        let outcome = feed(first, feeder, &queues, &mut order, emitter);
        let FeedQueues {
            work: work_tx,
            done: done_rx,
        } = queues;
        drop(work_tx);
        // What is still queued is finished by the workers; on a sink error
        // it is discarded. This thread no longer helps: it would compile the
        // schemas once more to do so, and without it a folder of 2,000
        // files and a stream of 100,000 payloads ran 5% faster.
        let drained = outcome.and_then(|()| {
            while order.next_to_emit < order.sent {
                let finished = done_rx
                    .recv()
                    .map_err(|_| io::Error::other("a validation worker stopped"))?;
                order.accept(finished, emitter)?;
            }
            Ok(())
        });
        if drained.is_err() {
            while done_rx.recv().is_ok() {}
        }
        drained
    })
}

/// Items to process, numbered in input order.
type Batch = (u64, Vec<Item>);

/// A batch of results and who made it.
struct Finished<T> {
    seq: u64,
    done: Vec<Done<T>>,
    /// The worker that made it, which frees it once it is emitted.
    maker: usize,
}

/// A worker's queues: batches to validate, results it made, and its results
/// already emitted, handed back to be freed where they were allocated.
struct WorkerQueues<T> {
    index: usize,
    work: Arc<Mutex<Receiver<Batch>>>,
    done: mpsc::Sender<Finished<T>>,
    spent: Receiver<Vec<Done<T>>>,
    spares: Spares,
}

/// The feeding thread's ends of the queues.
struct FeedQueues<T> {
    work: SyncSender<Batch>,
    done: Receiver<Finished<T>>,
}

fn worker<P: Processor>(processor: &P, queues: &WorkerQueues<P::Output>) {
    // Emitted batches come back: their results are freed here, and their
    // vectors filled again (growing a fresh one for every batch, and
    // freeing it, made the allocator return memory and fault it back in).
    let mut empty: Vec<Vec<Done<P::Output>>> = Vec::new();
    loop {
        let next = queues.work.lock().map(|receiver| receiver.recv());
        let Ok(Ok((seq, batch))) = next else {
            return;
        };
        let done = empty.pop().unwrap_or_default();
        let finished = Finished {
            seq,
            done: process_all(processor, batch, &queues.spares, done),
            maker: queues.index,
        };
        if queues.done.send(finished).is_err() {
            return;
        }
        while let Ok(mut spent) = queues.spent.try_recv() {
            spent.clear();
            if empty.len() < 2 {
                empty.push(spent);
            }
        }
    }
}

/// Re-ordering of finished batches.
struct Order<T> {
    sent: u64,
    next_to_emit: u64,
    waiting: BTreeMap<u64, Finished<T>>,
    /// Where emitted batches go back to the worker that made them.
    spent: Vec<mpsc::Sender<Vec<Done<T>>>>,
}

impl<T> Order<T> {
    fn new(spent: Vec<mpsc::Sender<Vec<Done<T>>>>) -> Self {
        Order {
            sent: 0,
            next_to_emit: 0,
            waiting: BTreeMap::new(),
            spent,
        }
    }

    fn accept<P: Processor<Output = T>>(
        &mut self,
        finished: Finished<T>,
        emitter: &mut Emitter<'_, P, impl FnMut(Event<'_, T>) -> io::Result<()>>,
    ) -> io::Result<()> {
        self.waiting.insert(finished.seq, finished);
        while let Some(batch) = self.waiting.remove(&self.next_to_emit) {
            for done in &batch.done {
                emitter.emit(done)?;
            }
            self.next_to_emit += 1;
            if let Some(maker) = self.spent.get(batch.maker) {
                // Once the worker is gone, it is freed here.
                let _ = maker.send(batch.done);
            }
        }
        Ok(())
    }
}

fn feed<P: Processor>(
    first: Vec<Item>,
    feeder: &mut Feeder<'_>,
    queues: &FeedQueues<P::Output>,
    order: &mut Order<P::Output>,
    emitter: &mut Emitter<'_, P, impl FnMut(Event<'_, P::Output>) -> io::Result<()>>,
) -> io::Result<()> {
    let mut batch = first;
    loop {
        let full = fill_batch(feeder, &mut batch, emitter.dropping);
        if batch.is_empty() {
            return Ok(());
        }
        let seq = order.sent;
        order.sent += 1;
        match queues.work.try_send((seq, std::mem::take(&mut batch))) {
            Ok(()) => {}
            Err(TrySendError::Full(batch)) => {
                // Emit what is ready, then wait for room.
                while let Ok(finished) = queues.done.try_recv() {
                    order.accept(finished, emitter)?;
                }
                if queues.work.send(batch).is_err() {
                    return Err(io::Error::other("the validation workers stopped"));
                }
            }
            Err(TrySendError::Disconnected(_)) => {
                return Err(io::Error::other("the validation workers stopped"));
            }
        }
        while let Ok(finished) = queues.done.try_recv() {
            order.accept(finished, emitter)?;
        }
        if !full {
            return Ok(());
        }
    }
}

/// Adds items to `batch` until it holds [`BATCH_PAYLOADS`] items or
/// [`BATCH_BYTES`] bytes, or the inputs end; whether it is full.
fn fill_batch(feeder: &mut Feeder<'_>, batch: &mut Vec<Item>, stop: Option<usize>) -> bool {
    let mut bytes = batch.iter().map(Item::size).sum::<usize>();
    while batch.len() < BATCH_PAYLOADS && bytes < BATCH_BYTES {
        let Some(item) = feeder.next(stop) else {
            return false;
        };
        bytes += item.size();
        batch.push(item);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event as WebhookEvent;

    fn collect(inputs: &[Input], jobs: usize) -> Vec<(String, usize, bool)> {
        let mut seen = Vec::new();
        run(inputs, &Validator::default(), jobs, |event| {
            match event {
                Event::Result(r) => seen.push((r.source.to_string(), r.line, r.is_valid())),
                Event::Unreadable(e) => seen.push((e.source.clone(), 0, false)),
            }
            Ok(())
        })
        .unwrap();
        seen
    }

    #[test]
    fn parallel_results_match_sequential_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::new();
        for (i, payload) in crate::samples::generate(WebhookEvent::Updated, 3000, 9).enumerate() {
            let line = serde_json::to_string(&payload).unwrap();
            text.push_str(if i % 97 == 0 { "{\"broken\": " } else { &line });
            text.push('\n');
        }
        let stream = dir.path().join("s.ndjson");
        std::fs::write(&stream, &text).unwrap();
        let pretty = dir.path().join("p.json");
        std::fs::write(&pretty, "{\n \"a\": 1\"\n}\n{\n}\n").unwrap();
        // Small files are read whole by whichever thread validates them; the
        // 3000-payload stream (over 1 MiB) is streamed by the feeding thread.
        let small = dir.path().join("small.ndjson");
        let lines: Vec<&str> = text.lines().take(40).collect();
        std::fs::write(&small, lines.join("\n")).unwrap();
        assert!(std::fs::metadata(&stream).unwrap().len() > SMALL_FILE);
        let mut inputs = vec![
            Input::file(stream.clone()),
            Input::file(dir.path().join("missing.json")),
            Input::file(pretty),
        ];
        inputs.extend((0..300).map(|_| Input::file(small.clone())));
        inputs.push(Input::file(stream));
        let sequential = collect(&inputs, 1);
        assert_eq!(sequential.len(), 3000 + 1 + 1 + 300 * 40 + 3000);
        assert_eq!(collect(&inputs, 2), sequential);
        assert_eq!(collect(&inputs, 3), sequential);
        assert_eq!(
            sequential.iter().filter(|(_, _, ok)| !ok).count(),
            2 * 31 + 2 + 300
        );
        let small_name = small.display().to_string();
        let first_small: Vec<_> = sequential
            .iter()
            .filter(|(source, _, _)| *source == small_name)
            .take(40)
            .map(|(_, line, _)| *line)
            .collect();
        assert_eq!(first_small, (1..=40).collect::<Vec<_>>());
    }

    #[test]
    fn a_json_file_presumed_small_that_is_large_is_validated_in_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let payloads: Vec<String> = crate::samples::generate(WebhookEvent::Created, 2500, 4)
            .map(|p| serde_json::to_string_pretty(&p).unwrap())
            .collect();
        // An array of payloads over 1 MiB, named like a single payload, its
        // 2,000th item broken: the rest of the array goes with it.
        let mut items = payloads.clone();
        items[1999] = "{\"broken\": ".to_owned();
        let large = dir.path().join("large.json");
        std::fs::write(&large, format!("[{}]", items.join(","))).unwrap();
        assert!(std::fs::metadata(&large).unwrap().len() > SMALL_FILE);
        let small = dir.path().join("small.json");
        std::fs::write(&small, &payloads[0]).unwrap();
        let mut inputs: Vec<Input> = (0..100).map(|_| Input::file(small.clone())).collect();
        inputs.insert(50, Input::file(large.clone()));
        inputs.push(Input::file(dir.path().join("gone.json")));
        let sequential = collect(&inputs, 1);
        assert_eq!(sequential.len(), 100 + 2000 + 1);
        let large_name = large.display().to_string();
        let from_large: Vec<_> = sequential
            .iter()
            .filter(|(source, _, _)| *source == large_name)
            .collect();
        assert_eq!(from_large.len(), 2000);
        assert!(!from_large[1999].2, "the broken item is reported");
        assert_eq!(sequential[50].0, large_name, "in its place");
        assert_eq!(collect(&inputs, 2), sequential);
        assert_eq!(collect(&inputs, 3), sequential);
    }

    #[test]
    fn a_bad_ndjson_line_does_not_stop_the_stream() {
        let good = crate::samples::generate(WebhookEvent::Created, 2, 3)
            .map(|p| serde_json::to_string(&p).unwrap())
            .collect::<Vec<_>>();
        let text = format!("{}\n{{\"broken\": \n{}\n", good[0], good[1]);
        let mut results = Vec::new();
        validate_stream(text.as_bytes(), "s", &Validator::default(), |r| {
            results.push((r.line, r.is_valid()));
            Ok(())
        })
        .unwrap();
        assert_eq!(results, [(1, true), (2, false), (3, true)]);
    }

    #[test]
    fn a_malformed_document_takes_the_rest_of_the_source() {
        let mut results = Vec::new();
        let text = "{\n  \"a\": 1\"\n}\n{\n  \"b\": 2\n}\n";
        validate_stream(text.as_bytes(), "s", &Validator::default(), |r| {
            results.push(r);
            Ok(())
        })
        .unwrap();
        assert_eq!(results.len(), 1);
        assert_eq!(results[0].errors[0].line, 2);
    }

    #[test]
    fn a_whole_file_gives_what_its_stream_gives_whatever_the_guess() {
        let documented = crate::samples::documented(WebhookEvent::Deleted);
        let contents = [
            // One pretty-printed object: the guess is right.
            documented.to_owned(),
            format!("\u{feff}\n\n  {documented}\n\n"),
            // The guess takes in more than one value, or a broken one.
            format!("{documented}{documented}"),
            format!("{documented}\n{{\n}}"),
            documented.replacen("\"name\"", "\"name\" \"x\"", 1),
            "{\n  \"a\": \"}\"\n} }".to_owned(),
            "{\n  \"a\": 1\n}\n[]\n}".to_owned(),
            // No guess: lines, arrays, no closing brace.
            "{\"a\": 1}\n{\"b\": 2}\n{}".to_owned(),
            format!("[{documented}, {documented}]"),
            "{\n  \"a\": 1\n".to_owned(),
        ];
        let dir = tempfile::tempdir().unwrap();
        for (i, text) in contents.iter().enumerate() {
            let path = dir.path().join(format!("{i}.json"));
            std::fs::write(&path, text).unwrap();
            let name = path.display().to_string();
            let mut streamed = Vec::new();
            validate_stream(text.as_bytes(), &name, &Validator::default(), |r| {
                streamed.push(r);
                Ok(())
            })
            .unwrap();
            for jobs in [1, 2] {
                let mut whole = Vec::new();
                run(
                    &[Input::file(path.clone())],
                    &Validator::default(),
                    jobs,
                    |event| {
                        if let Event::Result(result) = event {
                            whole.push(result.clone());
                        }
                        Ok(())
                    },
                )
                .unwrap();
                assert_eq!(whole, streamed, "{i}: {text}");
            }
        }
    }
}
