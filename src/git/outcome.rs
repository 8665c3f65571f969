//! How an external program (a hook, a signing program) ended, in words
//! for an error message.

use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

/// `exited with status 1`, `was killed by signal 9`.
pub(super) fn describe(status: &ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exited with status {code}"),
        (None, Some(signal)) => format!("was killed by signal {signal}"),
        (None, None) => format!("ended with {status}"),
    }
}

/// `:` and the program's output on the lines below, or `silence` when it
/// wrote nothing.
pub(super) fn with_output(output: &str, silence: &str) -> String {
    let output = output.trim_end();
    if output.is_empty() {
        silence.to_owned()
    } else {
        format!(":\n{output}")
    }
}
