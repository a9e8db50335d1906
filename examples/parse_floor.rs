//! The benchmark's parse floor: read an NDJSON file and parse every line into
//! a `serde_json::Value`, nothing else. `validate` is measured against it.
//!
//! `cargo run --release --example parse_floor -- corpus.ndjson`
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{BufRead, BufReader};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse_floor FILE.ndjson");
        std::process::exit(2);
    };
    let file = std::fs::File::open(&path).expect("the corpus opens");
    let mut reader = BufReader::with_capacity(256 * 1024, file);
    let mut line = Vec::new();
    let (mut parsed, mut objects) = (0usize, 0usize);
    while reader
        .read_until(b'\n', &mut line)
        .expect("the corpus reads")
        > 0
    {
        let value: serde_json::Value = serde_json::from_slice(&line).expect("valid JSON");
        parsed += 1;
        objects += usize::from(value.is_object());
        line.clear();
    }
    println!("{parsed} values parsed, {objects} objects");
}
