//! Editorial history: what each commit did to a record, told from the
//! change itself.

mod action;

pub use action::{Action, classify};
