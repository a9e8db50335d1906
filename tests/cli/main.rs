//! Integration tests: run the built `synap-hook` binary as a user would.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod audit;
mod completions;
mod crosscheck;
mod diff;
mod fixtures;
mod inspect;
mod sample;
mod schema;
mod util;
mod validate;
