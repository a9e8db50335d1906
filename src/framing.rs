//! Splitting one source (a file or stdin) into payloads, reading it in chunks
//! so memory stays bounded by the largest payload, not the source.
//!
//! A source is read as a **document** when its first non-blank character is
//! `[` (an array of payloads, whose items are read one at a time) or its first
//! non-blank line is a lone `{` (pretty-printed JSON, possibly several values
//! one after another). Otherwise it is read as **NDJSON**: each non-blank
//! line is one payload, and a bad line does not affect the next. In a
//! document, a malformed payload takes the rest of the source with it (see
//! [`RawPayload::malformed_ends_source`]; the caller then calls
//! [`PayloadReader::stop`]), so one stray quote gives one error.

use std::borrow::Cow;
use std::io::{self, Read};
use std::ops::Range;

/// How a source's payloads are delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// One payload per line.
    Lines,
    /// Pretty-printed values, or an array of payloads.
    Document,
}

/// Something wrong with a payload that is found before parsing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Defect {
    /// The source holds no JSON value at all.
    Empty,
    /// The source holds a NUL byte near its start: not JSON text.
    Binary {
        /// Offset of the first NUL byte.
        offset: usize,
    },
    /// The payload is larger than the reader's limit; it was skipped.
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The array of payloads around this point is malformed.
    ArraySyntax {
        /// What was expected.
        message: &'static str,
    },
}

/// One payload's bytes and where it starts in its source. The bytes are
/// borrowed from the reader's buffer until [`RawPayload::into_owned`].
#[derive(Debug, Clone)]
pub struct RawPayload<'a> {
    /// 0-based position of the payload in its source.
    pub index: usize,
    /// 1-based line where the payload starts.
    pub line: usize,
    /// 1-based column (in characters) where the payload starts.
    pub column: usize,
    /// The payload's bytes (empty when a defect kept them from being read).
    pub bytes: Cow<'a, [u8]>,
    /// How the source is framed.
    pub framing: Framing,
    /// A fault found before parsing.
    pub defect: Option<Defect>,
    /// The source began with a UTF-8 byte-order mark (first payload only).
    pub byte_order_mark: bool,
}

impl RawPayload<'_> {
    /// The payload with its bytes copied out of the reader's buffer, to keep
    /// past the next read.
    pub fn into_owned(self) -> RawPayload<'static> {
        RawPayload {
            bytes: Cow::Owned(self.bytes.into_owned()),
            defect: self.defect,
            ..self
        }
    }

    /// Whether the rest of the source goes with this payload if it is
    /// malformed: in a document it does (one stray quote gives one error,
    /// not a cascade); in NDJSON the next line starts afresh.
    pub fn malformed_ends_source(&self) -> bool {
        self.framing == Framing::Document
    }
}

/// Default limit on one payload's size: webhook bodies are kilobytes.
pub const DEFAULT_MAX_PAYLOAD: usize = 16 * 1024 * 1024;

/// First read size: most webhook files are a few kilobytes, and a
/// 2,000-file folder should not zero 2,000 large buffers.
const FIRST_CHUNK: usize = 16 * 1024;
/// Largest read size, reached by doubling on long sources.
const CHUNK: usize = 256 * 1024;
const BINARY_SNIFF: usize = 8 * 1024;
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads payloads one at a time from a source.
pub struct PayloadReader<R> {
    input: R,
    /// Read buffer; `buf[start..end]` holds the unconsumed bytes. It is kept
    /// at its grown size so reading never re-zeroes it.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    /// Absolute source offset of `buf[0]`.
    drained: usize,
    /// Source line of `buf[start]`.
    line: usize,
    /// Absolute offset where that line starts.
    line_start: usize,
    /// Characters of the current line already drained from `buf`.
    line_chars_drained: usize,
    framing: Option<Framing>,
    array: Option<ArrayState>,
    index: usize,
    saw_value: bool,
    byte_order_mark: bool,
    stopped: bool,
    max_payload: usize,
    /// Size of the next read.
    chunk: usize,
    /// Whether the end of the next value is to be guessed rather than
    /// scanned for (see [`PayloadReader::guess_one_object`]).
    guess: Guess,
}

/// The state of a guess at where a source's one object ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Guess {
    /// Values are scanned for their ends.
    Off,
    /// The next value's end is to be guessed, if the source allows.
    Wanted,
    /// The value just framed ends where it was guessed to.
    Made,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArrayState {
    /// After `[`: an item or `]`.
    First,
    /// After an item: `,` or `]`.
    AfterItem,
    /// After `,`: an item.
    AfterComma,
}

enum Scanned {
    /// The value ends this many bytes after `start`.
    End(usize),
    /// Larger than the limit.
    TooLarge,
}

/// A payload found in the buffer: a [`RawPayload`] with the span of its
/// bytes in place of the bytes, so that finding it does not hold a borrow.
struct Found {
    index: usize,
    line: usize,
    column: usize,
    span: Range<usize>,
    framing: Framing,
    defect: Option<Defect>,
    byte_order_mark: bool,
}

impl Found {
    fn payload(self, buf: &[u8]) -> RawPayload<'_> {
        RawPayload {
            index: self.index,
            line: self.line,
            column: self.column,
            bytes: Cow::Borrowed(&buf[self.span]),
            framing: self.framing,
            defect: self.defect,
            byte_order_mark: self.byte_order_mark,
        }
    }
}

impl PayloadReader<io::Empty> {
    /// A reader over a source already in memory (a small file read whole, a
    /// request body): no further reads and no copy into a read buffer.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        let end = bytes.len();
        PayloadReader {
            buf: bytes,
            end,
            eof: true,
            ..PayloadReader::new(io::empty())
        }
    }
}

impl PayloadReader<io::Empty> {
    /// A reader over whole lines of an NDJSON source cut out by
    /// [`PayloadReader::next_lines_block`], giving the same payloads, lines
    /// and columns the source's own reader would.
    pub(crate) fn from_lines(block: LinesBlock) -> Self {
        let mut reader = PayloadReader::from_bytes(block.buffer);
        reader.start = block.lines.start;
        reader.end = block.lines.end;
        reader.line_start = block.lines.start;
        reader.framing = Some(Framing::Lines);
        reader.max_payload = block.max_payload;
        reader.line = block.line;
        reader.index = block.index;
        reader.saw_value = true;
        reader
    }

    /// The reader's buffer, to read into again.
    pub(crate) fn into_buffer(self) -> Vec<u8> {
        self.buf
    }

    /// The payload of a source that looks like one pretty-printed object
    /// (`{` alone on its line, the last byte but whitespace a `}`), framed
    /// as [`PayloadReader::next_payload`] would, except that its end is
    /// taken to be that last `}` instead of being scanned for. The guess is
    /// right exactly when the payload parses as JSON; when it does not, read
    /// the source again with a fresh reader, which finds where each value
    /// really ends. `None` when the source does not look so, and the reader
    /// has then moved on: do not use it again.
    pub(crate) fn guess_one_object(&mut self) -> io::Result<Option<RawPayload<'_>>> {
        self.guess = Guess::Wanted;
        let found = self.next_found()?;
        let made = self.guess == Guess::Made;
        self.guess = Guess::Off;
        Ok(found.filter(|_| made).map(|found| found.payload(&self.buf)))
    }
}

/// Whole lines of an NDJSON source, with where they start, to be framed on
/// another thread (see [`PayloadReader::next_lines_block`]). A block starts
/// at the start of a line, or at the newline that ends a payload's line: no
/// payload starts on its first line after column 1.
pub(crate) struct LinesBlock {
    /// A read buffer, whole (all of it initialized, to be read into again).
    buffer: Vec<u8>,
    /// Where the lines are in `buffer`.
    lines: Range<usize>,
    line: usize,
    index: usize,
    max_payload: usize,
}

impl LinesBlock {
    /// Size of the block in bytes.
    pub(crate) fn len(&self) -> usize {
        self.lines.len()
    }
}

impl<R: Read> PayloadReader<R> {
    /// A reader over `input` with the default payload size limit.
    pub fn new(input: R) -> Self {
        Self::with_limit(input, DEFAULT_MAX_PAYLOAD)
    }

    /// A reader over `input` that skips payloads larger than `max_payload` bytes.
    pub fn with_limit(input: R, max_payload: usize) -> Self {
        PayloadReader {
            input,
            buf: Vec::new(),
            start: 0,
            end: 0,
            eof: false,
            drained: 0,
            line: 1,
            line_start: 0,
            line_chars_drained: 0,
            framing: None,
            array: None,
            index: 0,
            saw_value: false,
            byte_order_mark: false,
            stopped: false,
            max_payload,
            chunk: FIRST_CHUNK,
            guess: Guess::Off,
        }
    }

    /// The next run of whole lines of an NDJSON source, about `target`
    /// bytes, consumed without being framed; [`PayloadReader::from_lines`]
    /// frames them, so that a stream is split into payloads on every core.
    /// `None` when the source is not NDJSON (or not known to be yet, before
    /// the first payload), or no whole line is buffered within `target`:
    /// [`PayloadReader::next_payload`] then reads on.
    ///
    /// The block takes the read buffer with it (no copy); reading goes on in
    /// `spare()` (a buffer handed back by [`PayloadReader::into_buffer`], or
    /// an empty one).
    pub(crate) fn next_lines_block(
        &mut self,
        target: usize,
        spare: impl FnOnce() -> Vec<u8>,
    ) -> io::Result<Option<LinesBlock>> {
        if self.stopped || self.framing != Some(Framing::Lines) {
            return Ok(None);
        }
        self.fill_at_least(target)?;
        let data = &self.buf[self.start..self.end];
        let cut = match memchr::memrchr(b'\n', data) {
            _ if self.eof => data.len(),
            Some(newline) => newline + 1,
            None => return Ok(None),
        };
        if cut == 0 {
            return Ok(None);
        }
        let data = &data[..cut];
        // Each line holding more than whitespace is one payload.
        let (mut payloads, mut newlines) = (0, 0);
        let mut line_start = 0;
        for line_end in memchr::memchr_iter(b'\n', data).chain([data.len()]) {
            if data[line_start..line_end]
                .iter()
                .any(|byte| !byte.is_ascii_whitespace())
            {
                payloads += 1;
            }
            if line_end < data.len() {
                newlines += 1;
                line_start = line_end + 1;
            }
        }
        let lines = self.start..self.start + cut;
        let (line, index) = (self.line, self.index);
        self.index += payloads;
        // What `consume` does, with the newlines counted above.
        if newlines > 0 {
            self.lines_passed(newlines, line_start);
        }
        self.start += cut;
        // Reading goes on in the spare buffer, from the rest of the last line.
        let mut next = spare();
        let rest = self.end - self.start;
        if next.len() < rest {
            next.resize(rest, 0);
        }
        next[..rest].copy_from_slice(&self.buf[self.start..self.end]);
        self.forget_consumed();
        let buffer = std::mem::replace(&mut self.buf, next);
        Ok(Some(LinesBlock {
            buffer,
            lines,
            line,
            index,
            max_payload: self.max_payload,
        }))
    }

    /// Stops reading this source: the rest belongs to a malformed payload.
    pub fn stop(&mut self) {
        self.stopped = true;
    }

    /// The next payload, `None` at the end of the source.
    pub fn next_payload(&mut self) -> io::Result<Option<RawPayload<'_>>> {
        let found = self.next_found()?;
        Ok(found.map(|found| found.payload(&self.buf)))
    }

    fn next_found(&mut self) -> io::Result<Option<Found>> {
        if self.stopped {
            return Ok(None);
        }
        if self.framing.is_none() {
            return self.first_payload();
        }
        if self.framing == Some(Framing::Lines) {
            return self.next_line();
        }
        if self.array.is_some() {
            return self.next_array_item();
        }
        match self.peek_non_whitespace()? {
            None => Ok(None),
            Some(_) => self.next_value(),
        }
    }

    fn first_payload(&mut self) -> io::Result<Option<Found>> {
        self.fill_at_least(BINARY_SNIFF)?;
        if self.buf[..self.end].starts_with(BOM) {
            self.byte_order_mark = true;
            self.start = BOM.len();
        }
        let sniffed = &self.buf[self.start..self.end];
        if let Some(offset) = memchr::memchr(0, &sniffed[..sniffed.len().min(BINARY_SNIFF)]) {
            self.stopped = true;
            return Ok(Some(
                self.defective(Framing::Document, Defect::Binary { offset }),
            ));
        }
        let Some(first) = self.peek_non_whitespace()? else {
            self.stopped = true;
            return Ok(Some(self.defective(Framing::Document, Defect::Empty)));
        };
        let framing = match first {
            b'[' => {
                self.consume(1);
                self.array = Some(ArrayState::First);
                Framing::Document
            }
            b'{' if self.rest_of_line_is_blank(1)? => Framing::Document,
            _ => Framing::Lines,
        };
        self.framing = Some(framing);
        let payload = self.next_found()?;
        if payload.is_none() && !self.saw_value && first != b'[' {
            return Ok(Some(self.defective(framing, Defect::Empty)));
        }
        Ok(payload)
    }

    /// Whether the bytes after `skip` up to the next newline are whitespace.
    fn rest_of_line_is_blank(&mut self, skip: usize) -> io::Result<bool> {
        let mut checked = skip;
        loop {
            let data = &self.buf[self.start..self.end];
            for &byte in &data[checked.min(data.len())..] {
                if byte == b'\n' {
                    return Ok(true);
                }
                if !byte.is_ascii_whitespace() {
                    return Ok(false);
                }
            }
            checked = data.len();
            if checked > self.max_payload || !self.fill()? {
                return Ok(true);
            }
        }
    }

    fn next_line(&mut self) -> io::Result<Option<Found>> {
        if self.peek_non_whitespace()?.is_none() {
            return Ok(None);
        }
        let mut searched = 0;
        let length = loop {
            let data = &self.buf[self.start..self.end];
            if let Some(found) = memchr::memchr(b'\n', &data[searched..]) {
                break Some(searched + found);
            }
            searched = data.len();
            if searched > self.max_payload {
                break None;
            }
            if !self.fill()? {
                break Some(searched);
            }
        };
        let Some(length) = length.filter(|&length| length <= self.max_payload) else {
            let payload = self.defective(
                Framing::Lines,
                Defect::TooLarge {
                    limit: self.max_payload,
                },
            );
            self.skip_past_newline()?;
            return Ok(Some(payload));
        };
        Ok(Some(self.take(length, Framing::Lines)))
    }

    /// Discards bytes up to and including the next newline, or to the end.
    fn skip_past_newline(&mut self) -> io::Result<()> {
        loop {
            let data = &self.buf[self.start..self.end];
            if let Some(found) = memchr::memchr(b'\n', data) {
                self.consume(found + 1);
                return Ok(());
            }
            self.consume(data.len());
            if !self.fill()? {
                return Ok(());
            }
        }
    }

    fn next_array_item(&mut self) -> io::Result<Option<Found>> {
        let Some(byte) = self.peek_non_whitespace()? else {
            self.stopped = true;
            return Ok(Some(self.array_defect(
                "the array of payloads is not closed: expected `]`",
            )));
        };
        let state = self.array.unwrap_or(ArrayState::First);
        match (state, byte) {
            (ArrayState::First | ArrayState::AfterItem, b']') => {
                self.consume(1);
                self.array = None;
                return match self.peek_non_whitespace()? {
                    None => Ok(None),
                    Some(_) => {
                        self.stopped = true;
                        Ok(Some(self.array_defect(
                            "unexpected content after the array of payloads",
                        )))
                    }
                };
            }
            (ArrayState::AfterItem, b',') => {
                self.consume(1);
                self.array = Some(ArrayState::AfterComma);
                return self.next_array_item();
            }
            (ArrayState::AfterItem, _) => {
                self.stopped = true;
                return Ok(Some(
                    self.array_defect("expected `,` or `]` after an array item"),
                ));
            }
            (ArrayState::AfterComma, b']') => {
                self.stopped = true;
                return Ok(Some(
                    self.array_defect("expected an array item after `,`, found `]`"),
                ));
            }
            _ => {}
        }
        self.array = Some(ArrayState::AfterItem);
        self.next_value()
    }

    fn array_defect(&mut self, message: &'static str) -> Found {
        self.defective(Framing::Document, Defect::ArraySyntax { message })
    }

    /// Reads one whole JSON value (document framing) at the current position.
    fn next_value(&mut self) -> io::Result<Option<Found>> {
        let scanned = match self.guessed_end() {
            Some(length) => Scanned::End(length),
            None => self.scan_value()?,
        };
        match scanned {
            Scanned::End(length) if length <= self.max_payload => {
                Ok(Some(self.take(length, Framing::Document)))
            }
            Scanned::End(_) | Scanned::TooLarge => {
                self.stopped = true;
                let limit = self.max_payload;
                Ok(Some(
                    self.defective(Framing::Document, Defect::TooLarge { limit }),
                ))
            }
        }
    }

    /// Where an object at `start`, not in an array, is guessed to end when a
    /// guess is wanted and the whole source is here: after its last `}`.
    fn guessed_end(&mut self) -> Option<usize> {
        if self.guess != Guess::Wanted || !self.eof || self.array.is_some() {
            return None;
        }
        let data = &self.buf[self.start..self.end];
        let last = data.iter().rposition(|byte| !byte.is_ascii_whitespace())?;
        let guessed = data[0] == b'{' && data[last] == b'}';
        guessed.then(|| {
            self.guess = Guess::Made;
            last + 1
        })
    }

    /// Finds where the value at `start` ends by tracking strings and bracket
    /// depth (no recursion, so any nesting depth is safe). Syntax is checked
    /// later by the parser; a value cut off by the end of input ends there.
    fn scan_value(&mut self) -> io::Result<Scanned> {
        let mut pos = 0;
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        loop {
            let data = &self.buf[self.start..self.end];
            while pos < data.len() {
                if escaped {
                    escaped = false;
                    pos += 1;
                    continue;
                }
                // At depth 0 outside a string every byte may end a bare
                // value; anywhere else only a few bytes matter.
                if in_string || depth > 0 {
                    match next_significant(&data[pos..], in_string) {
                        Some(found) => pos += found,
                        None => {
                            pos = data.len();
                            break;
                        }
                    }
                }
                let byte = data[pos];
                pos += 1;
                match (in_string, byte) {
                    (true, b'\\') => escaped = true,
                    (true, b'"') => {
                        in_string = false;
                        if depth == 0 {
                            return Ok(Scanned::End(pos));
                        }
                    }
                    (true, _) => {}
                    (false, b'"') => in_string = true,
                    (false, b'{' | b'[') => depth += 1,
                    (false, b'}' | b']') => {
                        if depth <= 1 {
                            return Ok(Scanned::End(pos));
                        }
                        depth -= 1;
                    }
                    (false, _) if depth == 0 && pos > 1 && is_delimiter(byte) => {
                        return Ok(Scanned::End(pos - 1));
                    }
                    (false, _) => {}
                }
            }
            // The buffered bytes are used up: read more, unless the value
            // is already too large to keep (a larger one that ended within
            // the buffer is refused by the caller).
            if pos > self.max_payload {
                return Ok(Scanned::TooLarge);
            }
            if !self.fill()? {
                return Ok(Scanned::End(self.end - self.start));
            }
        }
    }

    /// The `length` bytes at the current position as a payload, consumed
    /// (they stay in the buffer until the next read).
    fn take(&mut self, length: usize, framing: Framing) -> Found {
        let span = self.start..self.start + length;
        let payload = self.payload_here(framing, span, None);
        match framing {
            // A line ends before its newline: there is none in it to count.
            Framing::Lines => self.start += length,
            Framing::Document => self.consume(length),
        }
        payload
    }

    /// A payload at the current position, with no bytes and `defect`.
    fn defective(&mut self, framing: Framing, defect: Defect) -> Found {
        self.payload_here(framing, 0..0, Some(defect))
    }

    fn payload_here(
        &mut self,
        framing: Framing,
        span: Range<usize>,
        defect: Option<Defect>,
    ) -> Found {
        let payload = Found {
            index: self.index,
            line: self.line,
            column: self.column(),
            span,
            framing,
            defect,
            byte_order_mark: self.byte_order_mark && !self.saw_value,
        };
        self.index += 1;
        self.saw_value = true;
        payload
    }

    /// Skips whitespace and returns the next byte without consuming it.
    fn peek_non_whitespace(&mut self) -> io::Result<Option<u8>> {
        loop {
            let data = &self.buf[self.start..self.end];
            match data.iter().position(|b| !b.is_ascii_whitespace()) {
                Some(found) => {
                    self.consume(found);
                    return Ok(Some(self.buf[self.start]));
                }
                None => {
                    self.consume(data.len());
                    if !self.fill()? {
                        return Ok(None);
                    }
                }
            }
        }
    }

    /// Moves past `length` bytes, keeping the line current (columns are
    /// counted only when a payload starts, see [`Self::column`]).
    fn consume(&mut self, length: usize) {
        let chunk = &self.buf[self.start..self.start + length];
        if let Some(last) = memchr::memrchr(b'\n', chunk) {
            let newlines = memchr::memchr_iter(b'\n', chunk).count();
            self.lines_passed(newlines, last + 1);
        }
        self.start += length;
    }

    /// Notes `newlines` newlines ahead of `buf[start]`, the last of them
    /// ending `after` bytes from it: the current line starts there.
    fn lines_passed(&mut self, newlines: usize, after: usize) {
        self.line += newlines;
        self.line_start = self.drained + self.start + after;
        self.line_chars_drained = 0;
    }

    /// 1-based column, in characters, of `buf[start]`.
    fn column(&self) -> usize {
        let from = self.line_start.saturating_sub(self.drained);
        1 + self.line_chars_drained + count_chars(&self.buf[from..self.start])
    }

    /// Counts the consumed bytes as gone: the unconsumed ones are (now) at
    /// the start of the buffer.
    fn forget_consumed(&mut self) {
        let line_from = self.line_start.saturating_sub(self.drained);
        if line_from < self.start {
            self.line_chars_drained += count_chars(&self.buf[line_from..self.start]);
        }
        self.drained += self.start;
        self.end -= self.start;
        self.start = 0;
    }

    /// Reads until at least `wanted` unconsumed bytes are buffered or the input ends.
    fn fill_at_least(&mut self, wanted: usize) -> io::Result<()> {
        while self.end - self.start < wanted && self.fill()? {}
        Ok(())
    }

    /// Reads one more chunk; false at the end of input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 && self.start >= self.end / 2 {
            self.buf.copy_within(self.start..self.end, 0);
            self.forget_consumed();
        }
        if self.buf.len() < self.end + self.chunk {
            self.buf.resize(self.end + self.chunk, 0);
        }
        let room = self.buf.len() - self.end;
        let read = loop {
            match self.input.read(&mut self.buf[self.end..]) {
                Ok(read) => break read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        };
        self.end += read;
        if read == 0 {
            self.eof = true;
        } else if read == room {
            self.chunk = (self.chunk * 2).min(CHUNK);
        }
        Ok(read > 0)
    }
}

/// Offset of the first byte in `data` that the value scan must look at: in
/// a string `"` or `\`; outside one `"` or a bracket, and also `Y`, `_`,
/// `y` and DEL, which share the brackets' bits under `0xD9` (the scan passes
/// over them). Pretty-printed payloads are short strings between short runs
/// of indentation, where eight bytes at a time beats `memchr`'s set-up; a
/// string longer than 64 bytes (a presigned URL) is left to `memchr`.
fn next_significant(data: &[u8], in_string: bool) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const LONG_STRING: usize = 64;
    // The high bit of every zero byte of `word`; exact for the lowest one,
    // the only one used.
    let zero_bytes = |word: u64| word.wrapping_sub(ONES) & !word & (ONES * 0x80);
    let equal_bytes = |word: u64, byte: u8| zero_bytes(word ^ (ONES * u64::from(byte)));
    let significant = |word: u64| {
        if in_string {
            equal_bytes(word, b'"') | equal_bytes(word, b'\\')
        } else {
            equal_bytes(word, b'"') | zero_bytes((word & (ONES * 0xD9)) ^ (ONES * 0x59))
        }
    };
    let mut chunks = data.chunks_exact(8);
    let mut offset = 0;
    for chunk in chunks.by_ref() {
        let word = u64::from_le_bytes(chunk.try_into().expect("chunks of eight bytes"));
        let found = significant(word);
        if found != 0 {
            return Some(offset + found.trailing_zeros() as usize / 8);
        }
        offset += 8;
        if in_string && offset >= LONG_STRING {
            return memchr::memchr2(b'"', b'\\', &data[offset..]).map(|found| offset + found);
        }
    }
    // The last few bytes, padded with spaces (never significant).
    let mut last = [b' '; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    let found = significant(u64::from_le_bytes(last));
    (found != 0).then(|| offset + found.trailing_zeros() as usize / 8)
}

fn is_delimiter(byte: u8) -> bool {
    byte.is_ascii_whitespace() || matches!(byte, b',' | b'[' | b']' | b'{' | b'}' | b'"')
}

fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &[u8]) -> Vec<RawPayload<'static>> {
        read_with(text, DEFAULT_MAX_PAYLOAD)
    }

    fn read_with(text: &[u8], limit: usize) -> Vec<RawPayload<'static>> {
        let mut reader = PayloadReader::with_limit(text, limit);
        let mut out = Vec::new();
        while let Some(payload) = reader.next_payload().unwrap() {
            out.push(payload.into_owned());
        }
        out
    }

    fn texts(payloads: &[RawPayload]) -> Vec<String> {
        payloads
            .iter()
            .map(|p| String::from_utf8_lossy(&p.bytes).into_owned())
            .collect()
    }

    #[test]
    fn one_pretty_printed_object_is_framed_by_a_guess_as_a_scan_would() {
        let guess = |text: &[u8]| {
            let mut reader = PayloadReader::from_bytes(text.to_vec());
            let guessed = reader.guess_one_object().unwrap();
            guessed.map(RawPayload::into_owned)
        };
        let pretty = b"\xef\xbb\xbf\n  {\n  \"a\": \"}\"\n}  \n\n";
        let debug = |payload: Option<RawPayload>| format!("{payload:?}");
        assert_eq!(debug(guess(pretty)), debug(read_all(pretty).pop()));
        // A guess spanning two values frames them as one: only a parse tells.
        assert_eq!(texts(&[guess(b"{\n}\n{\n}").unwrap()]), ["{\n}\n{\n}"]);
        for no_guess in [&b"{\"a\":1}\n{}"[..], b"[{\n}]", b"{\n \"a\": 1", b"  "] {
            let text = String::from_utf8_lossy(no_guess);
            assert!(guess(no_guess).is_none(), "{text}");
        }
    }

    #[test]
    fn ndjson_is_one_payload_per_line_even_when_broken() {
        let payloads = read_all(b"{\"a\":1}\n\n{\"b\": [2\n  {\"c\":3}  \r\n");
        assert_eq!(
            texts(&payloads),
            ["{\"a\":1}", "{\"b\": [2", "{\"c\":3}  \r"]
        );
        assert_eq!(
            payloads
                .iter()
                .map(|p| (p.index, p.line, p.column))
                .collect::<Vec<_>>(),
            [(0, 1, 1), (1, 3, 1), (2, 4, 3)]
        );
        assert!(payloads.iter().all(|p| p.framing == Framing::Lines));
    }

    /// Strings full of what the scan looks at, or must pass over: quotes,
    /// escapes, brackets, the bytes that share the brackets' bits, and
    /// strings on either side of the 64-byte hand-off to `memchr`.
    fn tricky_value(rng: &mut crate::samples::Rng, depth: u32) -> serde_json::Value {
        use serde_json::Value;
        const PIECES: [&str; 12] = [
            "\"", "\\", "[", "]", "{", "}", "Y", "_", "y", "\u{7f}", "é", " ",
        ];
        let string = |rng: &mut crate::samples::Rng| {
            let length = *rng.pick(&[0, 1, 7, 8, 9, 63, 64, 65, 200]);
            (0..length)
                .map(|_| {
                    if rng.chance(30) {
                        *rng.pick(&PIECES)
                    } else {
                        "a"
                    }
                })
                .collect::<String>()
        };
        match rng.below(if depth == 0 { 3 } else { 5 }) {
            0 => Value::String(string(rng)),
            1 => serde_json::json!(rng.below(1000)),
            2 => Value::Null,
            3 => Value::Array(
                (0..rng.below(4))
                    .map(|_| tricky_value(rng, depth - 1))
                    .collect(),
            ),
            _ => Value::Object(
                (0..rng.below(5))
                    .map(|_| (string(rng), tricky_value(rng, depth - 1)))
                    .collect(),
            ),
        }
    }

    #[test]
    fn values_end_where_the_parser_says() {
        let mut rng = crate::samples::Rng::new(11);
        for _ in 0..300 {
            let values: Vec<serde_json::Value> = (0..1 + rng.below(4))
                .map(|_| {
                    let mut object = serde_json::Map::new();
                    object.insert("k".to_owned(), tricky_value(&mut rng, 4));
                    serde_json::Value::Object(object)
                })
                .collect();
            let pretty: Vec<String> = values
                .iter()
                .map(|value| serde_json::to_string_pretty(value).unwrap())
                .collect();
            let document = read_all(pretty.join("\n").as_bytes());
            assert_eq!(texts(&document), pretty);
            let compact: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            let array = read_all(format!("[{}]", compact.join(",")).as_bytes());
            assert_eq!(texts(&array), compact);
        }
    }

    #[test]
    fn pretty_documents_follow_one_another() {
        let payloads = read_all(b"{\n \"a\": \"}\\\"{\"\n}\n{\n \"b\": [1, {}]\n}\n");
        assert_eq!(
            texts(&payloads),
            ["{\n \"a\": \"}\\\"{\"\n}", "{\n \"b\": [1, {}]\n}"]
        );
        assert_eq!(payloads[1].line, 4);
        assert!(payloads.iter().all(|p| p.framing == Framing::Document));
    }

    #[test]
    fn arrays_are_read_item_by_item() {
        let payloads = read_all(b"[\n  {\"a\": 1},\n  {\"b\": [2]}, 3\n]\n");
        assert_eq!(texts(&payloads), ["{\"a\": 1}", "{\"b\": [2]}", "3"]);
        assert_eq!(
            payloads
                .iter()
                .map(|p| (p.line, p.column))
                .collect::<Vec<_>>(),
            [(2, 3), (3, 3), (3, 15)]
        );
        assert!(read_all(b"[]").is_empty());
    }

    #[test]
    fn malformed_arrays_are_one_defect() {
        let payloads = read_all(b"[{\"a\": 1} {\"b\": 2}]");
        assert_eq!(payloads.len(), 2);
        assert!(matches!(
            payloads[1].defect,
            Some(Defect::ArraySyntax { .. })
        ));
        assert_eq!(payloads[1].column, 11);
        let payloads = read_all(b"[{\"a\": 1},");
        assert!(matches!(
            payloads[1].defect,
            Some(Defect::ArraySyntax { .. })
        ));
        let payloads = read_all(b"[{\"a\": 1},]");
        assert!(matches!(
            payloads[1].defect,
            Some(Defect::ArraySyntax { .. })
        ));
    }

    #[test]
    fn empty_binary_and_bom_sources() {
        let empty = read_all(b"  \n ");
        assert_eq!(empty.len(), 1);
        assert_eq!(empty[0].defect, Some(Defect::Empty));
        let binary = read_all(b"{\"a\x00\"}");
        assert_eq!(binary[0].defect, Some(Defect::Binary { offset: 3 }));
        let bom = read_all(b"\xEF\xBB\xBF{\"a\":1}\n{\"b\":2}");
        assert_eq!(texts(&bom), ["{\"a\":1}", "{\"b\":2}"]);
        assert!(bom[0].byte_order_mark);
        assert!(!bom[1].byte_order_mark);
    }

    #[test]
    fn oversized_payloads_are_skipped() {
        let payloads = read_with(b"{\"a\":\"xxxxxxxxxxxxxxxxxxxx\"}\n{\"b\":1}\n", 10);
        assert_eq!(payloads[0].defect, Some(Defect::TooLarge { limit: 10 }));
        assert_eq!(texts(&payloads)[1], "{\"b\":1}");
        assert_eq!(payloads[1].line, 2);
    }

    /// A source read the way the parallel pipeline reads it: blocks of
    /// whole lines of about `target` bytes, each framed by its own reader.
    fn read_in_blocks(text: &[u8], limit: usize, target: usize) -> Vec<RawPayload<'static>> {
        let mut reader = PayloadReader::with_limit(Trickle(text, target), limit);
        let mut out = Vec::new();
        let mut spares = Vec::new();
        loop {
            // Buffers go round, as in the pipeline, some dirty, some short.
            let spare = || match spares.pop() {
                Some(buffer) => buffer,
                None => vec![b'x'; target % 5],
            };
            if let Some(block) = reader.next_lines_block(target, spare).unwrap() {
                let mut lines = PayloadReader::from_lines(block);
                while let Some(payload) = lines.next_payload().unwrap() {
                    out.push(payload.into_owned());
                }
                spares.push(lines.into_buffer());
            } else if let Some(payload) = reader.next_payload().unwrap() {
                out.push(payload.into_owned());
            } else {
                return out;
            }
        }
    }

    /// A source that gives at most `.1` bytes per read, so that blocks are
    /// cut everywhere.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.1).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn blocks_of_lines_frame_like_the_whole_source() {
        let long = format!("{{\"long\": \"{}\"}}", "é".repeat(40));
        // Past the first read's sniff, so that most of it is read in blocks.
        let text = format!(
            "\u{feff}{{\"a\":1}}\n{}\n   {{\"e\":5}}",
            format!(
                "\n   \n  {{\"b\": [2\r\n\t{long}\n\x0c\n{{\"c\":3}}  \r\n{long} x\n\n{{\"d\":\"é\"}}"
            )
            .repeat(100)
        );
        let describe = |payloads: Vec<RawPayload>| {
            payloads
                .into_iter()
                .map(|p| {
                    (
                        p.index,
                        p.line,
                        p.column,
                        p.bytes.into_owned(),
                        p.defect,
                        p.byte_order_mark,
                    )
                })
                .collect::<Vec<_>>()
        };
        for limit in [DEFAULT_MAX_PAYLOAD, 40] {
            let whole = describe(read_with(text.as_bytes(), limit));
            assert_eq!(whole.len(), 2 + 5 * 100);
            for target in [1, 2, 7, 16, 33, 64, 1000, 100_000] {
                let blocks = describe(read_in_blocks(text.as_bytes(), limit, target));
                assert_eq!(blocks, whole, "limit {limit}, blocks of {target} bytes");
            }
        }
    }

    #[test]
    fn documents_are_not_cut_into_blocks() {
        let mut reader = PayloadReader::new(&b"{\n \"a\": 1\n}\n{\n}\n"[..]);
        assert!(reader.next_lines_block(4, Vec::new).unwrap().is_none());
        reader.next_payload().unwrap();
        assert!(reader.next_lines_block(4, Vec::new).unwrap().is_none());
    }

    #[test]
    fn deep_nesting_is_scanned_without_recursion() {
        let deep = format!("[{}{}]", "[".repeat(200_000), "]".repeat(200_000));
        let payloads = read_all(deep.as_bytes());
        assert_eq!(payloads.len(), 1);
        assert_eq!(payloads[0].bytes.len(), 400_000);
    }

    #[test]
    fn values_spanning_many_chunks_are_whole() {
        let big = format!("{{\n\"s\": \"{}\"\n}}\n{{\n}}", "x".repeat(3 * CHUNK));
        let payloads = read_all(big.as_bytes());
        assert_eq!(payloads.len(), 2);
        assert_eq!(payloads[0].bytes.len(), 3 * CHUNK + 11);
        assert_eq!(payloads[1].line, 4);
    }
}
