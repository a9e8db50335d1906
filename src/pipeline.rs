//! Running a whole source through the validator: frame it into payloads,
//! validate each, hand results to a sink in order, and stop a document at its
//! first malformed payload.

use crate::findings::PayloadResult;
use crate::framing::{Framing, PayloadReader};
use crate::validation::Validator;
use std::io::{self, Read};

/// Why a source could not be run to its end.
#[derive(Debug)]
pub enum StreamError {
    /// Reading the source failed: the input is unreadable.
    Read(io::Error),
    /// The sink failed (for example, stdout was closed).
    Sink(io::Error),
}

/// Validates every payload of `input`, calling `sink` with each result in
/// source order. Memory is bounded by the largest payload.
pub fn validate_stream<R: Read>(
    input: R,
    source: &str,
    validator: &Validator,
    mut sink: impl FnMut(PayloadResult) -> io::Result<()>,
) -> Result<(), StreamError> {
    let mut reader = PayloadReader::new(input);
    while let Some(raw) = reader.next_payload().map_err(StreamError::Read)? {
        let result = validator.validate(source, &raw);
        if result.malformed && raw.framing == Framing::Document {
            reader.stop();
        }
        sink(result).map_err(StreamError::Sink)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<PayloadResult> {
        let mut results = Vec::new();
        validate_stream(text.as_bytes(), "s", &Validator::default(), |result| {
            results.push(result);
            Ok(())
        })
        .unwrap();
        results
    }

    #[test]
    fn a_bad_ndjson_line_does_not_stop_the_stream() {
        let good = crate::samples::generate(crate::event::Event::Created, 2, 3)
            .map(|p| serde_json::to_string(&p).unwrap())
            .collect::<Vec<_>>();
        let text = format!("{}\n{{\"broken\": \n{}\n", good[0], good[1]);
        let results = run(&text);
        assert_eq!(
            results
                .iter()
                .map(|r| (r.line, r.is_valid()))
                .collect::<Vec<_>>(),
            [(1, true), (2, false), (3, true)]
        );
    }

    #[test]
    fn a_malformed_document_takes_the_rest_of_the_source() {
        let text = "{\n  \"a\": 1\"\n}\n{\n  \"b\": 2\n}\n";
        let results = run(text);
        assert_eq!(results.len(), 1);
        assert_eq!(results[0].errors[0].line, 2);
    }
}
