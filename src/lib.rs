//! `news`: a newsroom's articles as TOML records in a git repository.
//!
//! This is the library half: it knows records, schemas, findings and
//! newsrooms, and never prints, prompts or exits. The command line in
//! `src/cli/` is a thin layer around it.

pub mod article;
pub mod editorial;
pub mod files;
pub mod git;
pub mod history;
pub mod newsroom;
pub mod paths;
pub mod schema;
pub mod settings;
pub mod snapshot;
pub mod time;
pub mod validate;
