//! A pager for what people read on a terminal, started as git starts one:
//! `$NEWS_PAGER`, then `$PAGER`, then `less` (with `LESS=FRX` when LESS is
//! unset, so that output shorter than a screen is printed and left there).
//! No pager when stdout is not a terminal or the pager is empty or `cat`.
//! The output goes to the pager's stdin; news waits for the pager to end,
//! and a pager that quits early is no error (see `CommandError::from`).

use std::ffi::OsString;
use std::io::{BufWriter, IsTerminal};
use std::process::{Child, ChildStdin, Command, Stdio};

/// A pager process reading what news writes.
pub struct Pager {
    child: Child,
    #[cfg(unix)]
    interrupt: libc::sighandler_t,
}

impl Pager {
    /// Starts the pager the environment names, when stdout is a terminal and
    /// the pager is one; returns it with the pipe to write to. None when
    /// there is no pager to use, or it cannot be started (output then goes
    /// straight to the terminal, as in git).
    pub fn start() -> Option<(Self, BufWriter<ChildStdin>)> {
        if !std::io::stdout().is_terminal() {
            return None;
        }
        let mut command = match chosen(|name| std::env::var_os(name))? {
            Chosen::Default => Command::new("less"),
            Chosen::Shell(line) => {
                let mut command = Command::new("sh");
                command.arg("-c").arg(line);
                command
            }
        };
        if std::env::var_os("LESS").is_none() {
            command.env("LESS", "FRX");
        }
        if std::env::var_os("LV").is_none() {
            command.env("LV", "-c");
        }
        let mut child = command.stdin(Stdio::piped()).spawn().ok()?;
        let stdin = child.stdin.take()?;
        Some((
            Self {
                child,
                // Ctrl-C in the pager reaches news too (one process group):
                // news waits for the pager instead of ending under it and
                // handing the terminal back to the shell while the pager
                // still draws on it. Set after the spawn, so that the pager
                // does not inherit it.
                #[cfg(unix)]
                // SAFETY: SIG_IGN installs no handler; nothing runs in it.
                interrupt: unsafe { libc::signal(libc::SIGINT, libc::SIG_IGN) },
            },
            BufWriter::new(stdin),
        ))
    }

    /// Waits for the pager to end (its stdin must be closed first).
    pub fn wait(mut self) {
        let _ = self.child.wait();
        #[cfg(unix)]
        // SAFETY: puts back the disposition `start` found.
        unsafe {
            libc::signal(libc::SIGINT, self.interrupt);
        }
    }
}

/// The pager the environment asks for.
#[derive(Debug, PartialEq, Eq)]
enum Chosen {
    /// `less`, nobody having named one.
    Default,
    /// A command line for the shell, as git runs `$PAGER`.
    Shell(OsString),
}

/// `$NEWS_PAGER`, then `$PAGER`, then `less`; none when the one found is
/// empty or `cat`.
fn chosen(var: impl Fn(&str) -> Option<OsString>) -> Option<Chosen> {
    let Some(line) = var("NEWS_PAGER").or_else(|| var("PAGER")) else {
        return Some(Chosen::Default);
    };
    let trimmed = line.to_string_lossy();
    let trimmed = trimmed.trim();
    if trimmed.is_empty() || trimmed == "cat" {
        return None;
    }
    Some(Chosen::Shell(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen_with(vars: &[(&str, &str)]) -> Option<Chosen> {
        chosen(|name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| OsString::from(value))
        })
    }

    #[test]
    fn news_pager_then_pager_then_less() {
        assert_eq!(chosen_with(&[]), Some(Chosen::Default));
        assert_eq!(
            chosen_with(&[("PAGER", "more")]),
            Some(Chosen::Shell("more".into()))
        );
        assert_eq!(
            chosen_with(&[("PAGER", "more"), ("NEWS_PAGER", "most -s")]),
            Some(Chosen::Shell("most -s".into()))
        );
    }

    #[test]
    fn an_empty_pager_or_cat_means_none() {
        assert_eq!(chosen_with(&[("PAGER", "")]), None);
        assert_eq!(chosen_with(&[("NEWS_PAGER", " cat ")]), None);
        assert_eq!(chosen_with(&[("NEWS_PAGER", ""), ("PAGER", "less")]), None);
    }
}
