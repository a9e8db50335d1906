//! Finding the inputs named on the command line: files, folders (searched
//! recursively for `*.json`, `*.ndjson`, `*.jsonl`) and stdin (`-`), and
//! opening them.

use crate::findings::InputError;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Extensions of files picked up inside folders.
pub const EXTENSIONS: [&str; 3] = ["json", "ndjson", "jsonl"];

/// One source of payloads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file.
    File {
        /// Where it is.
        path: PathBuf,
        /// Its size, when it was seen to be a regular file as it was listed
        /// (named on the command line); `None` for files found in folders,
        /// whose size is looked up only when they are read.
        size: Option<u64>,
    },
}

impl Input {
    /// A file whose size is not known yet.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Input::File {
            path: path.into(),
            size: None,
        }
    }

    /// How the input is named in results: its path, or `-` for stdin.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "-".to_owned(),
            // The same text as `display()`, without the formatting machinery.
            Input::File { path, .. } => path.to_string_lossy().into_owned(),
        }
    }

    /// Opens the input for reading.
    pub fn open(&self) -> io::Result<Box<dyn Read + Send>> {
        match self {
            Input::Stdin => Ok(Box::new(io::stdin())),
            Input::File { path, .. } => Ok(Box::new(File::open(path)?)),
        }
    }
}

/// What the command line named, once folders are expanded.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Inputs to read, in command-line order, folder contents sorted by name.
    pub inputs: Vec<Input>,
    /// Paths that cannot be read at all.
    pub errors: Vec<InputError>,
    /// Things skipped on purpose, worth telling the user (symlink loops).
    pub notes: Vec<String>,
}

/// Expands `paths` (no paths means stdin).
pub fn discover(paths: &[PathBuf]) -> Discovery {
    let mut discovery = Discovery::default();
    if paths.is_empty() {
        discovery.inputs.push(Input::Stdin);
    }
    for path in paths {
        if path.as_os_str() == "-" {
            discovery.inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Err(error) => discovery.errors.push(input_error(path, &error)),
            Ok(meta) if meta.is_dir() => walk_folder(path, &mut discovery),
            Ok(meta) if meta.is_file() => discovery.inputs.push(Input::File {
                path: path.clone(),
                size: Some(meta.len()),
            }),
            Ok(meta) if is_fifo(&meta) => discovery.inputs.push(Input::file(path)),
            Ok(_) => discovery.errors.push(InputError {
                source: path.display().to_string(),
                message: "not a regular file or folder".to_owned(),
            }),
        }
    }
    discovery
}

fn walk_folder(root: &Path, discovery: &mut Discovery) {
    let found_before = discovery.inputs.len();
    let errors_before = discovery.errors.len();
    let walker = walkdir::WalkDir::new(root).follow_links(true);
    for entry in walker {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                let wanted = entry.file_type().is_file()
                    && path
                        .extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
                if wanted {
                    discovery.inputs.push(Input::file(path));
                }
            }
            Err(error) if error.loop_ancestor().is_some() => {
                let path = error.path().map(Path::display);
                discovery.notes.push(format!(
                    "skipped {}: a symbolic link loop (it points to its own ancestor)",
                    path.map_or_else(|| root.display().to_string(), |p| p.to_string())
                ));
            }
            Err(error) => {
                let path = error.path().unwrap_or(root).to_path_buf();
                let io_error = error
                    .into_io_error()
                    .unwrap_or_else(|| io::Error::other("cannot be read"));
                discovery.errors.push(input_error(&path, &io_error));
            }
        }
    }
    discovery.inputs[found_before..].sort_by_cached_key(|input| match input {
        Input::File { path, .. } => traversal_key(path),
        Input::Stdin => Vec::new(),
    });
    // A folder with nothing to check is almost always a wrong path; passing
    // it silently would turn a CI check green without checking anything.
    if discovery.inputs.len() == found_before && discovery.errors.len() == errors_before {
        discovery.errors.push(InputError {
            source: root.display().to_string(),
            message: "no *.json, *.ndjson or *.jsonl files in this folder".to_owned(),
        });
    }
}

/// A key whose byte order is the order of a depth-first walk that visits
/// each folder's entries by name: the path's bytes with its separator as
/// the lowest byte, so that `a/x` sorts before `a-b` as `a` does. One sort
/// of these keys costs far less than sorting each folder by
/// `Path::file_name`, which re-parses the path at every comparison.
fn traversal_key(path: &Path) -> Vec<u8> {
    let mut key = path.as_os_str().as_encoded_bytes().to_vec();
    for byte in &mut key {
        if std::path::is_separator(char::from(*byte)) {
            *byte = 0;
        }
    }
    key
}

/// An input error naming the path and the operating system's reason.
pub fn input_error(path: &Path, error: &io::Error) -> InputError {
    let message = match error.kind() {
        io::ErrorKind::NotFound => "no such file or folder".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => error.to_string(),
    };
    InputError {
        source: path.display().to_string(),
        message,
    }
}

/// Reads a whole input as one JSON document (for commands that compare
/// documents). Errors name the input, and for malformed JSON the line and column.
pub fn read_document(input: &Input) -> anyhow::Result<serde_json::Value> {
    let name = input.name();
    let display = if name == "-" {
        "<stdin>".to_owned()
    } else {
        name
    };
    let mut bytes = Vec::new();
    input
        .open()
        .and_then(|mut reader| reader.read_to_end(&mut bytes))
        .map_err(|error| {
            let error = match input {
                Input::File { path, .. } => input_error(path, &error),
                Input::Stdin => InputError {
                    source: display.clone(),
                    message: error.to_string(),
                },
            };
            anyhow::anyhow!("cannot read {}: {}", display, error.message)
        })?;
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    crate::parse::parse(text)
        .map(|parsed| parsed.value)
        .map_err(|error| {
            let at = crate::position::line_column(text, error.offset);
            anyhow::anyhow!(
                "{display}:{}:{}: malformed JSON: {}",
                at.line,
                at.column,
                error.message
            )
        })
}

/// An input named on the command line: `-` is stdin.
pub fn from_arg(path: &Path) -> Input {
    if path.as_os_str() == "-" {
        Input::Stdin
    } else {
        Input::file(path)
    }
}

#[cfg(unix)]
fn is_fifo(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_fifo(_meta: &std::fs::Metadata) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_paths_means_stdin() {
        assert_eq!(discover(&[]).inputs, [Input::Stdin]);
        assert_eq!(discover(&[PathBuf::from("-")]).inputs, [Input::Stdin]);
    }

    #[test]
    fn folders_are_searched_for_json_files_in_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::create_dir(dir.path().join("s")).unwrap();
        for name in [
            "b.json",
            "a.ndjson",
            "sub/c.JSONL",
            "notes.txt",
            "s/z.json",
            "s-a.json",
            "sub.json",
        ] {
            std::fs::write(dir.path().join(name), "{}").unwrap();
        }
        let found = discover(&[dir.path().to_path_buf()]);
        let names: Vec<_> = found
            .inputs
            .iter()
            .map(|input| input.name().replace(&dir.path().display().to_string(), ""))
            .collect();
        // Each folder's entries by name, a folder's contents where it stands.
        assert_eq!(
            names,
            [
                "/a.ndjson",
                "/b.json",
                "/s/z.json",
                "/s-a.json",
                "/sub/c.JSONL",
                "/sub.json"
            ]
        );
        assert!(found.errors.is_empty());
    }

    #[test]
    fn missing_paths_are_errors_and_loops_are_notes() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        std::fs::write(dir.path().join("x.json"), "{}").unwrap();
        let found = discover(&[
            dir.path().to_path_buf(),
            PathBuf::from("/no/such/file.json"),
        ]);
        assert_eq!(found.inputs.len(), 1);
        assert_eq!(found.errors.len(), 1);
        assert_eq!(found.errors[0].message, "no such file or folder");
        assert_eq!(found.notes.len(), 1, "{:?}", found.notes);
    }

    #[test]
    fn a_folder_without_payload_files_is_an_input_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "{}").unwrap();
        let found = discover(&[dir.path().to_path_buf()]);
        assert!(found.inputs.is_empty());
        assert_eq!(found.errors.len(), 1);
        assert_eq!(found.errors[0].source, dir.path().display().to_string());
        assert!(
            found.errors[0].message.contains("no *.json"),
            "{:?}",
            found.errors
        );
    }
}
