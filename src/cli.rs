//! The command line, declared with clap derive. Doc comments here are the
//! `--help` text.

use crate::event::Event;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Validate, inspect and debug Synap learning-record webhook payloads.
///
/// Synap POSTs a JSON body when a learning record is created, updated or
/// deleted. synap-hook checks those bodies against schemas bundled per event
/// and points at the exact value that is wrong.
#[derive(Debug, Parser)]
#[command(
    name = "synap-hook",
    version,
    propagate_version = true,
    after_help = "Examples:\n  synap-hook validate payloads/\n  curl -s … | synap-hook validate -\n  synap-hook sample learningRecord.updated --count 1000 | synap-hook validate --format ndjson\n\nExit status: 0 all valid, 1 something invalid, 2 usage error or unreadable input."
)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every command.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// When to colour output: auto (only on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Print less: only payloads with problems, and the summary.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check payloads against the schema of their event.
    ///
    /// Reads files, folders (recursively: *.json, *.ndjson, *.jsonl) and
    /// stdin (`-`, or no path). A source may hold one payload, NDJSON (one
    /// payload per line), JSON values one after another, or an array of
    /// payloads. The event comes from meta.eventName unless --event is given.
    #[command(
        after_help = "Examples:\n  synap-hook validate body.json\n  synap-hook validate captures/ --format github\n  synap-hook validate --strict --format json < deliveries.ndjson\n  synap-hook validate --expect invalid tests/fixtures/invalid/"
    )]
    Validate(ValidateArgs),
    /// Show a payload at a glance: who, which record, what changed, which file.
    ///
    /// Same inputs as validate. Presigned-URL credentials are masked unless
    /// --show-secrets. Relative times are computed against now (or the
    /// RFC 3339 time in SYNAP_HOOK_NOW, for reproducible output).
    #[command(
        after_help = "Examples:\n  synap-hook inspect delivery.json\n  synap-hook inspect --raw delivery.json\n  tail -n 1 captures.ndjson | synap-hook inspect"
    )]
    Inspect(InspectArgs),
    /// Write payloads with personal data replaced and URL credentials removed.
    ///
    /// User name, email and the string values of custom attributes become
    /// stable placeholders (the same value always gets the same one);
    /// credentials are removed from file links. The result still validates,
    /// so it can become a test fixture or a bug-report attachment.
    #[command(
        after_help = "Examples:\n  synap-hook redact delivery.json > fixture.json\n  synap-hook redact --keep /learningRecord/attr/grade captures.ndjson > shareable.ndjson"
    )]
    Redact(RedactArgs),
    /// Compare an update with the prior record, and check its updatedFields.
    ///
    /// PRIOR is a created or updated payload, or a bare learningRecord object
    /// (what a consumer stored). UPDATED is an updated payload (a created
    /// payload or a bare record shows the changes, with no updatedFields to
    /// check). A presigned file link that was only signed anew is not a change.
    #[command(
        after_help = "Examples:\n  synap-hook diff stored.json delivery.json\n  synap-hook diff --format json-patch stored.json delivery.json\n  synap-hook diff --ignore /attr/free-text stored.json -\n\nExit status: 0 updatedFields consistent, 1 inconsistent, 2 different records or unreadable input."
    )]
    Diff(DiffArgs),
    /// Check a captured stream of deliveries, record by record.
    ///
    /// Same inputs as validate, deliveries in any order. Invalid payloads are
    /// reported and left out. Deliveries are ordered by meta.timestamp (ties
    /// keep input order) and grouped by learningRecord.objectId; each record's
    /// story is checked: creation first, nothing after deletion, updatedFields
    /// true to what changed, duplicates, out-of-order arrival.
    #[command(
        after_help = "Examples:\n  synap-hook audit captures/\n  synap-hook audit --all --state final.json deliveries.ndjson\n  synap-hook audit --format json < export.ndjson\n\nExit status: 0 no error-severity problem, 1 otherwise, 2 usage error or unreadable input."
    )]
    Audit(AuditArgs),
    /// List the bundled schemas, or print one as a standalone JSON Schema.
    #[command(subcommand)]
    Schema(SchemaCommand),
    /// Print Synap's documented example payload of an event, or generate many.
    ///
    /// Without --count, prints the documented example (its published stray
    /// quote corrected). With --count, prints N varied, valid payloads as
    /// NDJSON, the same for the same --seed.
    #[command(
        after_help = "Examples:\n  synap-hook sample updated\n  synap-hook sample learningRecord.created --count 100000 --seed 7 > corpus.ndjson"
    )]
    Sample(SampleArgs),
    /// Print a shell completion script.
    ///
    /// bash: synap-hook completions bash > ~/.local/share/bash-completion/completions/synap-hook
    /// zsh:  synap-hook completions zsh > ~/.zfunc/_synap-hook  (with ~/.zfunc in fpath)
    /// fish: synap-hook completions fish > ~/.config/fish/completions/synap-hook.fish
    Completions(CompletionsArgs),
}

/// `validate` options.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files or folders to check; `-` or nothing reads stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Validate every payload as this event, whatever its meta.eventName
    /// (full name, or created/updated/deleted).
    #[arg(long, value_name = "EVENT", value_parser = parse_event)]
    pub event: Option<Event>,
    /// Treat every warning as an error.
    #[arg(long)]
    pub strict: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// What every payload is expected to be: `invalid` exits 0 only when every
    /// payload fails (for folders of negative fixtures) and names each one that passes.
    #[arg(long, value_enum, default_value_t = Expect::Valid)]
    pub expect: Expect,
    /// Show the temporary AWS credentials of presigned file URLs in snippets
    /// instead of masking them.
    #[arg(long)]
    pub show_secrets: bool,
    /// Validate on N threads (default: one per core), while one more reads
    /// and writes; 1 does it all on one thread. Results stay in input order.
    /// A live stream on stdin is validated as it arrives, on one thread.
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
}

/// `inspect` options.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Files or folders; `-` or nothing reads stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Validate as this event, whatever meta.eventName says.
    #[arg(long, value_name = "EVENT", value_parser = parse_event)]
    pub event: Option<Event>,
    /// Print the payload itself, pretty, keys in their order and numbers with
    /// their original digits.
    #[arg(long)]
    pub raw: bool,
    /// Show presigned-URL credentials instead of masking them.
    #[arg(long)]
    pub show_secrets: bool,
}

/// `redact` options.
#[derive(Debug, Args)]
pub struct RedactArgs {
    /// Files or folders; `-` or nothing reads stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Keep the value at this JSON pointer as it is (repeatable), e.g. /user/name.
    #[arg(long, value_name = "POINTER", value_parser = parse_pointer)]
    pub keep: Vec<String>,
    /// Mix a secret into placeholders, so they cannot be guessed from known values.
    #[arg(long, value_name = "SALT", default_value = "")]
    pub salt: String,
}

/// `audit` options.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Files or folders; `-` or nothing reads stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = AuditFormat::Human)]
    pub format: AuditFormat,
    /// Show the timeline of every record, not only those with problems.
    #[arg(long)]
    pub all: bool,
    /// Write the final state of every record (what a correct consumer's store
    /// holds after applying the capture) to FILE, as JSON keyed by objectId.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Validate on N threads (default: one per core), while one more reads
    /// and keeps the records' stories; 1 does it all on one thread.
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
}

/// `audit` output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// A summary, then a timeline per record with problems.
    Human,
    /// One JSON document: summary, records, problems.
    Json,
}

/// `diff` options.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The record as it was: a payload or a bare learningRecord (`-` for stdin).
    #[arg(value_name = "PRIOR")]
    pub prior: PathBuf,
    /// The update that arrived (`-` for stdin).
    #[arg(value_name = "UPDATED")]
    pub updated: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Leave this JSON pointer inside the record out of the comparison (repeatable),
    /// e.g. /attr/free-text.
    #[arg(long, value_name = "POINTER", value_parser = parse_pointer)]
    pub ignore: Vec<String>,
    /// Show presigned-URL credentials in values instead of masking them
    /// (json-patch output is never masked: it must apply).
    #[arg(long)]
    pub show_secrets: bool,
}

/// `diff` output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A table of changes and the updatedFields verdict.
    Human,
    /// One JSON document: objectId, consistent, declared, changed, missing, extra, changes.
    Json,
    /// An RFC 6902 JSON Patch turning PRIOR's record into UPDATED's.
    JsonPatch,
}

fn parse_pointer(text: &str) -> Result<String, String> {
    if text.is_empty() || text.starts_with('/') {
        Ok(text.to_owned())
    } else {
        Err(format!("a JSON pointer starts with `/` (e.g. /{text})"))
    }
}

/// `schema` subcommands.
#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// Name the events that have a bundled schema.
    List,
    /// Print a standalone JSON Schema (2020-12), references bundled inside:
    /// an event's, or `report` for the --format json report.
    Show {
        /// An event name, or `report`.
        #[arg(value_name = "EVENT|report", value_parser = parse_schema_name)]
        name: SchemaName,
    },
}

/// A schema that `schema show` can print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaName {
    /// An event's payload schema.
    Event(Event),
    /// The JSON validation report's schema.
    Report,
}

/// `sample` options.
#[derive(Debug, Args)]
pub struct SampleArgs {
    /// The event (full name, or created/updated/deleted).
    #[arg(value_name = "EVENT", value_parser = parse_event)]
    pub event: Event,
    /// Generate this many varied payloads, as NDJSON.
    #[arg(long, short = 'n', value_name = "N")]
    pub count: Option<usize>,
    /// Seed for generated payloads: the same seed gives the same payloads.
    #[arg(long, value_name = "S", default_value_t = 1, requires = "count")]
    pub seed: u64,
}

/// `completions` options.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Shells with completion scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// GNU bash.
    Bash,
    /// Z shell.
    Zsh,
    /// fish.
    Fish,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is unset or empty.
    Auto,
    /// Always colour (human output only).
    Always,
    /// Never colour.
    Never,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable lines, a snippet under each error, a summary.
    Human,
    /// One JSON document (see `schema show report`).
    Json,
    /// One JSON result per line, written as each is ready.
    Ndjson,
    /// GitHub Actions workflow commands (::error file=…,line=…::…).
    Github,
    /// JUnit XML, one test case per payload.
    Junit,
}

/// `--expect` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Expect {
    /// Every payload should pass.
    Valid,
    /// Every payload should fail.
    Invalid,
}

/// Parses an event name for clap, suggesting the closest on a typo.
pub fn parse_event(text: &str) -> Result<Event, String> {
    Event::parse_loose(text).ok_or_else(|| {
        let hint = Event::closest(text)
            .map(|event| format!("did you mean \"{event}\"? "))
            .unwrap_or_default();
        format!(
            "unknown event \"{text}\"; {hint}known events: {}",
            Event::known_names()
        )
    })
}

fn parse_schema_name(text: &str) -> Result<SchemaName, String> {
    if text.eq_ignore_ascii_case("report") {
        return Ok(SchemaName::Report);
    }
    parse_event(text)
        .map(SchemaName::Event)
        .map_err(|message| format!("{message}, report"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn event_names_parse_with_suggestions() {
        assert_eq!(parse_event("deleted"), Ok(Event::Deleted));
        let error = parse_event("learningRecord.delted").unwrap_err();
        assert!(
            error.contains("did you mean \"learningRecord.deleted\"?"),
            "{error}"
        );
        assert_eq!(parse_schema_name("REPORT"), Ok(SchemaName::Report));
    }
}
