//! synap-hook: validate, inspect and debug Synap learning-record webhooks.
//!
//! The library is what the `synap-hook` binary is a thin shell over, and what
//! a Rust webhook receiver can embed:
//!
//! ```
//! use synap_hook::validation::{Options, Validator};
//!
//! let validator = Validator::new(Options::default());
//! let body = synap_hook::samples::documented(synap_hook::event::Event::Deleted);
//! let result = validator.validate_bytes("request body", body.as_bytes());
//! assert!(result.is_valid());
//! ```
#![warn(missing_docs)]

pub mod audit_rules;
pub mod checks;
pub mod event;
pub mod findings;
pub mod formats;
pub mod framing;
pub mod inspection;
pub mod json_diff;
pub mod messages;
pub mod parse;
pub mod position;
pub mod record_audit;
pub mod redaction;
pub mod safe_text;
pub mod samples;
pub mod schemas;
pub mod shape;
pub mod spill_sort;
pub mod timefmt;
pub mod validation;

pub mod cli;
pub mod commands;
pub mod exit;
pub mod inputs;
pub mod pipeline;
pub mod report;
pub mod settings;
