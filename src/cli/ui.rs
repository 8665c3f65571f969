//! Output: stdout for data, stderr for status and errors; colour when
//! wanted (`--color`, NO_COLOR, a terminal); progress on a terminal; a
//! pager for long output on a terminal.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anstream::{AutoStream, ColorChoice};
use anstyle::{AnsiColor, Style};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use news::validate::Progress;

use super::CommandError;
use super::escape::escape;
use super::pager::Pager;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    /// Colour on a terminal, unless NO_COLOR is set
    Auto,
    /// Always colour, even in a pipe
    Always,
    /// Never colour
    Never,
}

pub struct Ui {
    /// Stdout, or the pager's stdin once `page` started one.
    out: AutoStream<Box<dyn Write>>,
    err: AutoStream<std::io::Stderr>,
    /// Whether data is coloured, decided once for the terminal: output
    /// through a pager is coloured as the terminal would be.
    out_color: ColorChoice,
    quiet: bool,
    may_page: bool,
    pager: Option<Pager>,
}

pub const ERROR: Style = AnsiColor::Red.on_default().bold();
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
pub const NOTE: Style = AnsiColor::Cyan.on_default().bold();
pub const EMPHASIS: Style = Style::new().bold();
pub const GUTTER: Style = AnsiColor::Blue.on_default().bold();
/// Text a change took out, and put in.
pub const DELETED: Style = AnsiColor::Red.on_default();
pub const INSERTED: Style = AnsiColor::Green.on_default();
/// A commit id in a history.
pub const COMMIT: Style = AnsiColor::Yellow.on_default();

/// A status as `list` shows it: what needs work stands out, what is done
/// is quiet, what was pulled is red.
pub fn status_style(status: &str) -> Style {
    match status {
        "draft" => AnsiColor::Yellow.on_default().dimmed(),
        "review" => AnsiColor::Cyan.on_default(),
        "published" => AnsiColor::Green.on_default(),
        "withheld" => AnsiColor::Magenta.on_default(),
        "retracted" => AnsiColor::Red.on_default(),
        _ => Style::new(),
    }
}

impl Ui {
    /// `may_page`: false with `--no-pager`.
    pub fn new(color: ColorWhen, quiet: bool, may_page: bool) -> Self {
        let choice = match color {
            ColorWhen::Auto => ColorChoice::Auto,
            ColorWhen::Always => ColorChoice::Always,
            ColorWhen::Never => ColorChoice::Never,
        };
        let out_color = match choice {
            ColorChoice::Auto => AutoStream::choice(&std::io::stdout()),
            choice => choice,
        };
        Self {
            out: AutoStream::new(Box::new(std::io::stdout()), out_color),
            err: AutoStream::new(std::io::stderr(), choice),
            out_color,
            quiet,
            may_page,
            pager: None,
        }
    }

    /// Where data goes.
    pub fn out(&mut self) -> &mut impl Write {
        &mut self.out
    }

    /// Sends what is written to `out` from now on through a pager, when
    /// stdout is a terminal and the user has not turned paging off. Call it
    /// once the output is ready, so that an error is not paged.
    pub fn page(&mut self) {
        if !self.may_page || self.pager.is_some() {
            return;
        }
        if let Some((pager, input)) = Pager::start() {
            let _ = self.out.flush();
            self.out = AutoStream::new(Box::new(input), self.out_color);
            self.pager = Some(pager);
        }
    }

    /// Ends the output: closes the pager's input and waits for the pager,
    /// as the last thing before news exits.
    pub fn finish(&mut self) {
        let _ = self.out.flush();
        if let Some(pager) = self.pager.take() {
            self.out = AutoStream::new(Box::new(std::io::stdout()), self.out_color);
            pager.wait();
        }
    }

    /// How many columns data written for people may take: `$COLUMNS` when
    /// set (as git reads it), else the terminal's width when stdout is one;
    /// none (no limit) in a pipe.
    pub fn width(&self) -> Option<usize> {
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|columns| columns.trim().parse::<usize>().ok())
            .filter(|columns| *columns > 0);
        columns.or_else(|| {
            console::Term::stdout()
                .size_checked()
                .map(|(_rows, columns)| usize::from(columns))
        })
    }

    /// Where status and prompts go.
    pub fn err(&mut self) -> &mut impl Write {
        &mut self.err
    }

    /// Whether prompts may be shown: stdin and stderr are terminals.
    pub fn can_prompt(&self) -> bool {
        std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
    }

    /// Turns `-q` on: for a command that reads it among its own words
    /// (`news tag ID +TAG -q`).
    pub fn set_quiet(&mut self) {
        self.quiet = true;
    }

    /// A status line on stderr, unless `-q`.
    pub fn status(&mut self, line: &str) -> std::io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        writeln!(self.err, "{}", escape(line))
    }

    pub fn error(&mut self, error: &CommandError) {
        let err = &mut self.err;
        if let Some(details) = error.details() {
            let _ = write!(err, "{}", escape_lines(details));
        }
        let _ = writeln!(
            err,
            "{ERROR}error{ERROR:#}: {}",
            indented(error.message(), "       ")
        );
        for cause in error.causes() {
            let _ = writeln!(err, "  caused by: {}", indented(cause, "             "));
        }
        if let Some(hint) = error.hint() {
            let _ = writeln!(err, "{NOTE}hint{NOTE:#}: {}", escape(hint));
        }
    }

    /// Where the library says what it waits for or did on the way: status
    /// lines on stderr, unless `-q`.
    pub fn notifier(&self) -> news::git::Notify {
        let quiet = self.quiet;
        std::sync::Arc::new(move |line: &str| {
            if !quiet {
                let _ = writeln!(std::io::stderr(), "{}", escape_lines(line).trim_end());
            }
        })
    }

    /// A warning on stderr (even with `-q`).
    pub fn warn(&mut self, line: &str) -> std::io::Result<()> {
        writeln!(
            self.err,
            "{WARNING}warning{WARNING:#}: {}",
            escape_lines(line).trim_end()
        )
    }

    /// A progress bar on stderr that shows itself only when the work takes
    /// more than a moment, and only on a terminal.
    pub fn progress(&self, what: &'static str) -> TerminalProgress {
        let enabled = !self.quiet && std::io::stderr().is_terminal();
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len}") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(what);
        TerminalProgress {
            bar,
            enabled,
            shown: AtomicBool::new(false),
            started: Instant::now(),
        }
    }
}

pub struct TerminalProgress {
    bar: ProgressBar,
    enabled: bool,
    shown: AtomicBool,
    started: Instant,
}

impl TerminalProgress {
    const DELAY: Duration = Duration::from_millis(300);

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for TerminalProgress {
    fn start(&self, files: usize) {
        self.bar.set_length(files as u64);
    }

    fn advance(&self) {
        self.bar.inc(1);
        if self.enabled
            && self.started.elapsed() > Self::DELAY
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}

/// `1 commit`, `2 commits`: a count with its noun.
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// Multi-line text (a hook's output in a cause), escaped line by line,
/// its lines after the first indented under the first.
fn indented(text: &str, indent: &str) -> String {
    escape_lines(text.trim_end()).replace('\n', &format!("\n{indent}"))
}

/// Multi-line text from records, escaped line by line.
fn escape_lines(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| match line.strip_suffix('\n') {
            Some(line) => format!("{}\n", escape(line)),
            None => escape(line).into_owned(),
        })
        .collect()
}
