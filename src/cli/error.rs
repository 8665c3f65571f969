//! The one place errors become what the user sees: `error: …`, its causes,
//! a `hint: …`, and the exit code.

use std::process::ExitCode;

use news::newsroom::ConfigError;
use news::validate::ValidateError;

#[derive(Debug)]
pub struct CommandError {
    message: String,
    causes: Vec<String>,
    hint: Option<String>,
    code: u8,
    broken_pipe: bool,
}

impl CommandError {
    /// Exit 2: the command line was wrong.
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(message, 2)
    }

    /// Exit 2: the newsroom's settings or the environment are wrong.
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(message, 2)
    }

    fn new(message: impl Into<String>, code: u8) -> Self {
        Self {
            message: message.into(),
            causes: Vec::new(),
            hint: None,
            code,
            broken_pipe: false,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    fn with_causes(mut self, error: &dyn std::error::Error) -> Self {
        let mut source = error.source();
        while let Some(cause) = source {
            self.causes.push(cause.to_string());
            source = cause.source();
        }
        self
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn causes(&self) -> &[String] {
        &self.causes
    }

    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code)
    }

    pub fn is_broken_pipe(&self) -> bool {
        self.broken_pipe
    }
}

impl From<std::io::Error> for CommandError {
    fn from(error: std::io::Error) -> Self {
        let broken_pipe = error.kind() == std::io::ErrorKind::BrokenPipe;
        Self {
            broken_pipe,
            ..Self::config(format!("cannot write the output: {error}"))
        }
    }
}

impl From<ConfigError> for CommandError {
    fn from(error: ConfigError) -> Self {
        let hint = match &error {
            ConfigError::Read { .. } => "check that the file exists and can be read",
            ConfigError::Syntax { .. } | ConfigError::Invalid { .. } => {
                "fix the file; `news init` writes working defaults, and the project's schema/ folder documents them"
            }
        };
        Self::config(error.to_string())
            .with_causes(&error)
            .with_hint(hint)
    }
}

impl From<ValidateError> for CommandError {
    fn from(error: ValidateError) -> Self {
        match error {
            ValidateError::NoNewsroom { .. } => Self::usage(error.to_string()).with_hint(
                "run it inside a newsroom, name the files to check (`news validate FILE…`), or create a newsroom with `news init`",
            ),
            ValidateError::NoSuchPath { .. } => Self::usage(error.to_string()),
            ValidateError::Config(error) => error.into(),
            ValidateError::Walk(ref walk) => Self::config(error.to_string()).with_causes(walk),
        }
    }
}
