//! Signing commits as `git commit` signs them when `commit.gpgsign` is on
//! (git's `gpg-interface.c`):
//!
//! - `gpg.format` picks the format: `openpgp` (the default), `x509` or
//!   `ssh`; any other value is an error.
//! - openpgp and x509 run `<program> --status-fd=2 -bsau <key>` with the
//!   commit on standard input, take the armored signature from standard
//!   output, and require a `[GNUPG:] SIG_CREATED` line in the status on
//!   standard error. The program is `gpg.program` or `gpg.openpgp.program`
//!   (whichever git read last; default `gpg`), or `gpg.x509.program`
//!   (default `gpgsm`). The key is `user.signingKey`, else the committer as
//!   `Name <email>`.
//! - ssh runs `<gpg.ssh.program> -Y sign -n git -f <key file> <buffer
//!   file>` (default program `ssh-keygen`) and reads `<buffer file>.sig`.
//!   The key is `user.signingKey`, else the first line that
//!   `gpg.ssh.defaultKeyCommand` prints: a path to a key file (`~`
//!   expanded), or a literal public key (`key::ssh-…` or `ssh-…`), which is
//!   written to a temporary file and used with `-U` (the private key is in
//!   an ssh-agent).
//!
//! The signature goes into the commit's `gpgsig` header.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};

use super::config;
use super::outcome::{describe, with_output};

#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("cannot read the git configuration")]
    OpenConfig(#[source] git2::Error),
    #[error("cannot read {key} from the git configuration")]
    Config {
        key: &'static str,
        #[source]
        source: git2::Error,
    },
    #[error("gpg.format has the value {0:?}: git knows openpgp, x509 and ssh")]
    UnknownFormat(String),
    #[error("{value:?} names a user's home directory, which news cannot look up")]
    UserHome { value: String },
    #[error(
        "either user.signingKey or gpg.ssh.defaultKeyCommand needs to be configured for ssh signing"
    )]
    NoSshKey,
    #[error("gpg.ssh.defaultKeyCommand {command:?} cannot be split into words: {problem}")]
    BadKeyCommand {
        command: String,
        problem: &'static str,
    },
    #[error("gpg.ssh.defaultKeyCommand {command:?} {}{}", describe(.status), with_output(.output, ""))]
    KeyCommandFailed {
        command: String,
        status: ExitStatus,
        output: String,
    },
    #[error("gpg.ssh.defaultKeyCommand {command:?} gave no ssh public key{}", with_output(.output, ""))]
    KeyCommandNoKey { command: String, output: String },
    #[error("cannot run {program}")]
    Start {
        program: String,
        #[source]
        source: io::Error,
    },
    #[error("{program} failed to sign the commit: it {}{}", describe(.status), with_output(.stderr, ""))]
    Failed {
        program: String,
        status: ExitStatus,
        stderr: String,
    },
    #[error("{program} failed to sign the commit: it reported no signature (no [GNUPG:] SIG_CREATED){}", with_output(.stderr, ""))]
    NoSignature { program: String, stderr: String },
    #[error("the signature {program} wrote is not text")]
    NotText {
        program: String,
        #[source]
        source: std::string::FromUtf8Error,
    },
    #[error("cannot {action} {}", path.display())]
    File {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot create a temporary folder for ssh signing")]
    TempDir(#[source] io::Error),
    #[error("the commit to sign is not UTF-8")]
    NotUtf8(#[source] git2::Error),
    #[error("cannot {action}")]
    Git {
        action: &'static str,
        #[source]
        source: git2::Error,
    },
}

/// Signs a commit buffer as `git commit` would, when `commit.gpgsign` is
/// true; None when signing is off. Honours gpg.format (openpgp, ssh,
/// x509), user.signingKey, gpg.program / gpg.openpgp.program,
/// gpg.ssh.program, gpg.x509.program, gpg.ssh.defaultKeyCommand. A failure
/// to sign is an error (never an unsigned commit): SignError names the
/// program, its exit status and its stderr.
///
/// `committer_email_ident` is the committer as `Name <email>`: the key
/// openpgp and x509 sign with when user.signingKey is unset.
pub(crate) fn sign_if_configured(
    config: &git2::Config,
    committer_email_ident: &str,
    buffer: &str,
) -> Result<Option<String>, SignError> {
    if !signing_on(config)? {
        return Ok(None);
    }
    let format = Format::of(config)?;
    let program = format.program(config)?;
    let key = config_string(config, "user.signingKey")?;
    let signature = match format {
        Format::OpenPgp | Format::X509 => {
            let key = key.as_deref().unwrap_or(committer_email_ident);
            sign_gpg(&program, key, buffer)?
        }
        Format::Ssh => {
            let key = match key {
                Some(key) => key,
                None => default_ssh_key(config)?,
            };
            sign_ssh(&program, &key, buffer)?
        }
    };
    Ok(Some(strip_cr_before_lf(signature)))
}

/// Writes a commit (no ref moves), signed as `git commit` signs when the
/// configuration says so: the commit is made with
/// `Repository::commit_create_buffer`, signed, and written with
/// `Repository::commit_signed` in the `gpgsig` header; unsigned it is
/// `Repository::commit(None, …)`.
pub(crate) fn write_commit(
    repo: &git2::Repository,
    author: &git2::Signature<'_>,
    committer: &git2::Signature<'_>,
    message: &str,
    tree: &git2::Tree<'_>,
    parents: &[&git2::Commit<'_>],
) -> Result<git2::Oid, SignError> {
    let config = repo.config().map_err(SignError::OpenConfig)?;
    write_commit_with(repo, &config, author, committer, message, tree, parents)
}

/// As [`write_commit`], with the configuration given.
fn write_commit_with(
    repo: &git2::Repository,
    config: &git2::Config,
    author: &git2::Signature<'_>,
    committer: &git2::Signature<'_>,
    message: &str,
    tree: &git2::Tree<'_>,
    parents: &[&git2::Commit<'_>],
) -> Result<git2::Oid, SignError> {
    let write = |source| SignError::Git {
        action: "write the commit",
        source,
    };
    if !signing_on(config)? {
        return repo
            .commit(None, author, committer, message, tree, parents)
            .map_err(write);
    }
    let buffer = repo
        .commit_create_buffer(author, committer, message, tree, parents)
        .map_err(write)?;
    let buffer = buffer.as_str().map_err(SignError::NotUtf8)?;
    let ident = format!(
        "{} <{}>",
        String::from_utf8_lossy(committer.name_bytes()),
        String::from_utf8_lossy(committer.email_bytes())
    );
    match sign_if_configured(config, &ident, buffer)? {
        // libgit2 writes each line of the header after a space and ends
        // the header with a newline of its own.
        Some(signature) => {
            let signature = signature.strip_suffix('\n').unwrap_or(&signature);
            repo.commit_signed(buffer, signature, Some("gpgsig"))
                .map_err(write)
        }
        None => repo
            .commit(None, author, committer, message, tree, parents)
            .map_err(write),
    }
}

fn signing_on(config: &git2::Config) -> Result<bool, SignError> {
    let on = config::unless_unset(config.get_bool("commit.gpgsign")).map_err(|source| {
        SignError::Config {
            key: "commit.gpgsign",
            source,
        }
    })?;
    Ok(on.unwrap_or(false))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    OpenPgp,
    X509,
    Ssh,
}

impl Format {
    fn of(config: &git2::Config) -> Result<Format, SignError> {
        match config_string(config, "gpg.format")?.as_deref() {
            None | Some("openpgp") => Ok(Format::OpenPgp),
            Some("x509") => Ok(Format::X509),
            Some("ssh") => Ok(Format::Ssh),
            Some(other) => Err(SignError::UnknownFormat(other.to_owned())),
        }
    }

    /// The signing program, `~` expanded as git's `git_config_pathname`
    /// does; a bare name is looked up in PATH.
    fn program(self, config: &git2::Config) -> Result<String, SignError> {
        let (configured, default) = match self {
            // git reads the whole configuration in order and keeps the
            // last of the two names: libgit2 lists entries in that order
            // (system, global, local; file order within a file).
            Format::OpenPgp => (
                last_value(config, r"^gpg\.(openpgp\.)?program$", "gpg.program")?,
                "gpg",
            ),
            Format::X509 => (config_string(config, "gpg.x509.program")?, "gpgsm"),
            Format::Ssh => (config_string(config, "gpg.ssh.program")?, "ssh-keygen"),
        };
        match configured {
            Some(program) => expand_home(&program),
            None => Ok(default.to_owned()),
        }
    }
}

fn sign_gpg(program: &str, key: &str, buffer: &str) -> Result<String, SignError> {
    let mut command = Command::new(program);
    command.args(["--status-fd=2", "-bsau", key]);
    let output = run(program, &mut command, Some(buffer.as_bytes()))?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        return Err(SignError::Failed {
            program: program.to_owned(),
            status: output.status,
            stderr,
        });
    }
    if !stderr
        .lines()
        .any(|line| line.starts_with("[GNUPG:] SIG_CREATED "))
    {
        return Err(SignError::NoSignature {
            program: program.to_owned(),
            stderr,
        });
    }
    String::from_utf8(output.stdout).map_err(|source| SignError::NotText {
        program: program.to_owned(),
        source,
    })
}

fn sign_ssh(program: &str, key: &str, buffer: &str) -> Result<String, SignError> {
    if key.is_empty() {
        return Err(SignError::NoSshKey);
    }
    let dir = tempfile::Builder::new()
        .prefix(".git_signing_")
        .tempdir()
        .map_err(SignError::TempDir)?;
    let write = |path: &Path, content: &[u8]| {
        std::fs::write(path, content).map_err(|source| SignError::File {
            action: "write",
            path: path.to_owned(),
            source,
        })
    };
    let mut command = Command::new(program);
    command.args(["-Y", "sign", "-n", "git", "-f"]);
    match literal_ssh_key(key) {
        Some(literal) => {
            let key_file = dir.path().join("key");
            write(&key_file, literal.as_bytes())?;
            command.arg(&key_file).arg("-U");
        }
        None => {
            command.arg(expand_home(key)?);
        }
    }
    let buffer_file = dir.path().join("buffer");
    write(&buffer_file, buffer.as_bytes())?;
    command.arg(&buffer_file);
    let output = run(program, &mut command, None)?;
    if !output.status.success() {
        let mut stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        stderr.push_str(&String::from_utf8_lossy(&output.stdout));
        if stderr.contains("usage:") {
            stderr.push_str("\n(ssh signing needs ssh-keygen -Y sign, from OpenSSH 8.2p1 on)");
        }
        return Err(SignError::Failed {
            program: program.to_owned(),
            status: output.status,
            stderr,
        });
    }
    let signature_file = dir.path().join("buffer.sig");
    let signature = std::fs::read(&signature_file).map_err(|source| SignError::File {
        action: "read the ssh signature",
        path: signature_file.clone(),
        source,
    })?;
    String::from_utf8(signature).map_err(|source| SignError::NotText {
        program: program.to_owned(),
        source,
    })
}

/// The key `gpg.ssh.defaultKeyCommand` gives: the first line it prints, if
/// that is a literal ssh key.
fn default_ssh_key(config: &git2::Config) -> Result<String, SignError> {
    let Some(command_line) = config_string(config, "gpg.ssh.defaultKeyCommand")? else {
        return Err(SignError::NoSshKey);
    };
    let words = split_cmdline(&command_line).map_err(|problem| SignError::BadKeyCommand {
        command: command_line.clone(),
        problem,
    })?;
    let Some((program, args)) = words.split_first() else {
        return Err(SignError::NoSshKey);
    };
    let mut command = Command::new(program);
    command.args(args);
    let output = run(program, &mut command, None)?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let mut text = String::from_utf8_lossy(&output.stderr).into_owned();
    text.push_str(&stdout);
    if !output.status.success() {
        return Err(SignError::KeyCommandFailed {
            command: command_line,
            status: output.status,
            output: text,
        });
    }
    let first = stdout.split('\n').next().unwrap_or_default();
    match literal_ssh_key(first) {
        Some(_) => Ok(first.to_owned()),
        None => Err(SignError::KeyCommandNoKey {
            command: command_line,
            output: text,
        }),
    }
}

/// The key of `key::…` or `ssh-…`, as git's `is_literal_ssh_key`.
fn literal_ssh_key(key: &str) -> Option<&str> {
    key.strip_prefix("key::")
        .or_else(|| key.starts_with("ssh-").then_some(key))
}

/// Runs a program with standard input from `input` (or none), and takes
/// its standard output and error.
fn run(program: &str, command: &mut Command, input: Option<&[u8]>) -> Result<Output, SignError> {
    let start = |source| SignError::Start {
        program: program.to_owned(),
        source,
    };
    command
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = spawn(command).map_err(start)?;
    let stdin = child.stdin.take();
    std::thread::scope(|scope| {
        if let (Some(mut stdin), Some(input)) = (stdin, input) {
            // A program that fails early stops reading (EPIPE): its exit
            // status tells what happened.
            scope.spawn(move || {
                let _ = stdin.write_all(input);
            });
        }
        child.wait_with_output()
    })
    .map_err(start)
}

fn spawn(command: &mut Command) -> io::Result<std::process::Child> {
    let mut busy = 0;
    loop {
        match command.spawn() {
            // Still open for writing somewhere (just written, and a process
            // forked meanwhile has not yet exec'd).
            Err(error) if error.kind() == io::ErrorKind::ExecutableFileBusy && busy < 50 => {
                busy += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            result => return result,
        }
    }
}

/// git's `split_cmdline`: words split at unquoted white space, `'` and `"`
/// quoting, `\` escaping outside single quotes.
fn split_cmdline(line: &str) -> Result<Vec<String>, &'static str> {
    let mut words = vec![String::new()];
    let mut quoted: Option<char> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match quoted {
            None if c.is_ascii_whitespace() => {
                while chars.peek().is_some_and(char::is_ascii_whitespace) {
                    chars.next();
                }
                words.push(String::new());
            }
            None if c == '\'' || c == '"' => quoted = Some(c),
            Some(q) if c == q => quoted = None,
            _ => {
                let c = if c == '\\' && quoted != Some('\'') {
                    chars.next().ok_or("cmdline ends with \\")?
                } else {
                    c
                };
                if let Some(word) = words.last_mut() {
                    word.push(c);
                }
            }
        }
    }
    if quoted.is_some() {
        return Err("unclosed quote");
    }
    Ok(words)
}

fn strip_cr_before_lf(text: String) -> String {
    if text.contains("\r\n") {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

fn config_string(config: &git2::Config, key: &'static str) -> Result<Option<String>, SignError> {
    config::unless_unset(config.get_string(key)).map_err(|source| SignError::Config { key, source })
}

/// The value git would keep for keys matching `pattern`: the last one read.
fn last_value(
    config: &git2::Config,
    pattern: &str,
    key: &'static str,
) -> Result<Option<String>, SignError> {
    let failed = |source| SignError::Config { key, source };
    let mut entries = config.entries(Some(pattern)).map_err(failed)?;
    let mut last = None;
    while let Some(entry) = entries.next() {
        let entry = entry.map_err(failed)?;
        if entry.has_value() {
            last = Some(String::from_utf8_lossy(entry.value_bytes()).into_owned());
        }
    }
    Ok(last)
}

/// `~` and `~/…` expanded as git does.
fn expand_home(value: &str) -> Result<String, SignError> {
    config::expand_home(value).ok_or_else(|| SignError::UserHome {
        value: value.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::PermissionsExt;

    use crate::git::test_repo::{Sandbox, git_command};

    fn sandbox() -> Sandbox {
        Sandbox::new("story.toml", "title = \"x\"\n")
    }

    /// What the signing tests do with a sandbox.
    trait SignSandbox {
        fn config(&self, key: &str, value: &str);
        fn local_config(&self) -> git2::Config;
        fn commit(&self, committer: (&str, &str)) -> Result<git2::Oid, SignError>;
        fn commit_with(
            &self,
            committer: (&str, &str),
            write: impl FnOnce(
                &git2::Repository,
                &git2::Signature<'_>,
                &git2::Signature<'_>,
                &git2::Tree<'_>,
                &[&git2::Commit<'_>],
            ) -> Result<git2::Oid, SignError>,
        ) -> Result<git2::Oid, SignError>;
        fn script(&self, name: &str, text: &str) -> PathBuf;
    }

    impl SignSandbox for Sandbox {
        fn config(&self, key: &str, value: &str) {
            self.git(&["config", key, value]);
        }

        fn local_config(&self) -> git2::Config {
            Sandbox::local_config_at(&self.top())
        }

        /// A commit on HEAD's tree with HEAD as parent, made with
        /// `write_commit`, and HEAD moved to it.
        fn commit(&self, committer: (&str, &str)) -> Result<git2::Oid, SignError> {
            self.commit_with(committer, |repo, author, committer, tree, parents| {
                write_commit(repo, author, committer, "Signed edit\n", tree, parents)
            })
        }

        fn commit_with(
            &self,
            (name, email): (&str, &str),
            write: impl FnOnce(
                &git2::Repository,
                &git2::Signature<'_>,
                &git2::Signature<'_>,
                &git2::Tree<'_>,
                &[&git2::Commit<'_>],
            ) -> Result<git2::Oid, SignError>,
        ) -> Result<git2::Oid, SignError> {
            let repo = self.repo();
            let head = repo
                .head()
                .and_then(|head| head.peel_to_commit())
                .expect("HEAD");
            let tree = head.tree().expect("HEAD's tree");
            let author = git2::Signature::now("Ann Author", "ann@example.com").expect("author");
            let committer = git2::Signature::now(name, email).expect("committer");
            let id = write(&repo, &author, &committer, &tree, &[&head])?;
            self.git(&["update-ref", "HEAD", &id.to_string()]);
            Ok(id)
        }

        fn script(&self, name: &str, text: &str) -> PathBuf {
            let path = self.path(name);
            fs::write(&path, text).expect("write the script");
            fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
            path
        }
    }

    /// The tests sign with the real programs: CI installs them.
    fn require(program: &str, package: &str) {
        let found = Command::new(program)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok();
        assert!(
            found,
            "{program} is needed for this test: install the Debian package {package}"
        );
    }

    fn ssh_key(sandbox: &Sandbox) -> (PathBuf, String) {
        require("ssh-keygen", "openssh-client");
        let key = sandbox.path("key");
        let output = Command::new("ssh-keygen")
            .args([
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-C",
                "ann@example.com",
                "-f",
            ])
            .arg(&key)
            .output()
            .expect("run ssh-keygen");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let public = fs::read_to_string(key.with_extension("pub")).expect("the public key");
        (key, public.trim().to_owned())
    }

    fn allowed_signers(sandbox: &Sandbox, email: &str, public: &str) -> PathBuf {
        let path = sandbox.path("allowed_signers");
        fs::write(&path, format!("{email} {public}\n")).expect("write allowed signers");
        path
    }

    fn verify(sandbox: &Sandbox, allowed: &Path) -> Output {
        let setting = format!("gpg.ssh.allowedSignersFile={}", allowed.display());
        sandbox.git_output(&["-c", &setting, "verify-commit", "HEAD"])
    }

    #[test]
    fn ssh_signed_commits_verify() {
        let sandbox = sandbox();
        let (key, public) = ssh_key(&sandbox);
        sandbox.config("gpg.format", "ssh");
        sandbox.config(
            "user.signingKey",
            &key.with_extension("pub").to_string_lossy(),
        );
        sandbox.config("commit.gpgsign", "true");

        sandbox
            .commit(("Ann Author", "ann@example.com"))
            .expect("a signed commit");

        let allowed = allowed_signers(&sandbox, "ann@example.com", &public);
        let verified = verify(&sandbox, &allowed);
        assert!(
            verified.status.success(),
            "{}",
            String::from_utf8_lossy(&verified.stderr)
        );
        assert!(String::from_utf8_lossy(&verified.stderr).contains("Good \"git\" signature"));
        // The header as git writes it: no blank continuation line at its end.
        let raw = sandbox.git(&["cat-file", "commit", "HEAD"]);
        assert!(
            raw.contains("\ngpgsig -----BEGIN SSH SIGNATURE-----\n"),
            "{raw}"
        );
        assert!(
            raw.contains(" -----END SSH SIGNATURE-----\n\nSigned edit\n"),
            "{raw}"
        );
    }

    #[test]
    fn ssh_signing_with_an_agent_key_from_the_default_key_command() {
        let sandbox = sandbox();
        let (key, public) = ssh_key(&sandbox);
        require("ssh-agent", "openssh-client");
        let socket = sandbox.path("agent.sock");
        let mut agent = Command::new("ssh-agent")
            .args(["-D", "-a"])
            .arg(&socket)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start ssh-agent");
        let mut waited = 0;
        while !socket.exists() && waited < 100 {
            std::thread::sleep(std::time::Duration::from_millis(50));
            waited += 1;
        }
        let added = Command::new("ssh-add")
            .arg(&key)
            .env("SSH_AUTH_SOCK", &socket)
            .output()
            .expect("run ssh-add");
        // The key is in the agent only: signing must use it (-U).
        fs::remove_file(&key).expect("remove the private key");
        // Real ssh-keygen, given the agent of this test.
        let program = sandbox.script(
            "ssh-keygen-with-agent",
            &format!(
                "#!/bin/sh\nSSH_AUTH_SOCK='{}' exec ssh-keygen \"$@\"\n",
                socket.display()
            ),
        );
        let key_line = sandbox.path("key line");
        fs::write(&key_line, format!("key::{public}\nanother line\n")).expect("write");
        sandbox.config("gpg.format", "ssh");
        sandbox.config("gpg.ssh.program", &program.to_string_lossy());
        sandbox.config(
            "gpg.ssh.defaultKeyCommand",
            &format!("cat '{}'", key_line.display()),
        );
        sandbox.config("commit.gpgsign", "true");

        let signed = sandbox.commit(("Ann Author", "ann@example.com"));
        let allowed = allowed_signers(&sandbox, "ann@example.com", &public);
        let verified = verify(&sandbox, &allowed);
        let _ = agent.kill();
        let _ = agent.wait();

        assert!(
            added.status.success(),
            "{}",
            String::from_utf8_lossy(&added.stderr)
        );
        signed.expect("a signed commit");
        assert!(
            verified.status.success(),
            "{}",
            String::from_utf8_lossy(&verified.stderr)
        );
    }

    #[test]
    fn ssh_signing_needs_a_key() {
        let sandbox = sandbox();
        sandbox.config("gpg.format", "ssh");
        sandbox.config("commit.gpgsign", "true");
        let error = sign_if_configured(&sandbox.local_config(), "A <a@example.com>", "x\n")
            .expect_err("no key");
        assert!(matches!(error, SignError::NoSshKey), "{error:?}");

        sandbox.config("gpg.ssh.defaultKeyCommand", "echo not-a-key");
        let error = sign_if_configured(&sandbox.local_config(), "A <a@example.com>", "x\n")
            .expect_err("no key");
        assert!(
            matches!(&error, SignError::KeyCommandNoKey { output, .. } if output == "not-a-key\n"),
            "{error:?}"
        );

        sandbox.config("gpg.ssh.defaultKeyCommand", "sh -c 'echo gone >&2; exit 2'");
        let error = sign_if_configured(&sandbox.local_config(), "A <a@example.com>", "x\n")
            .expect_err("no key");
        assert!(
            matches!(&error, SignError::KeyCommandFailed { status, output, .. }
                if status.code() == Some(2) && output == "gone\n"),
            "{error:?}"
        );
    }

    #[test]
    fn openpgp_signed_commits_verify() {
        require("gpg", "gnupg");
        let sandbox = sandbox();
        let home = sandbox.path("gnupg");
        fs::create_dir(&home).expect("create GNUPGHOME");
        fs::set_permissions(&home, fs::Permissions::from_mode(0o700)).expect("chmod");
        let gpg = |args: &[&str]| {
            Command::new("gpg")
                .env("GNUPGHOME", &home)
                .args(["--batch", "--quiet"])
                .args(args)
                .output()
                .expect("run gpg")
        };
        let made = gpg(&[
            "--passphrase",
            "",
            "--quick-gen-key",
            "Test <t@example>",
            "ed25519",
            "sign",
            "never",
        ]);
        // Real gpg, given the keyring of this test.
        let program = sandbox.script(
            "gpg-with-home",
            &format!(
                "#!/bin/sh\nGNUPGHOME='{}' exec gpg \"$@\"\n",
                home.display()
            ),
        );
        sandbox.config("gpg.program", &program.to_string_lossy());
        sandbox.config("commit.gpgsign", "true");

        // No user.signingKey: the committer is the key, as in git.
        let signed = sandbox.commit(("Test", "t@example"));
        let verified = git_command(sandbox.home(), &sandbox.top())
            .env("GNUPGHOME", &home)
            .args(["verify-commit", "HEAD"])
            .output()
            .expect("run git verify-commit");
        let raw = sandbox.git(&["cat-file", "commit", "HEAD"]);

        // A committer without a key: gpg's error, no commit.
        let head = sandbox.git(&["rev-parse", "HEAD"]);
        let unsigned = sandbox.commit(("Nobody", "nobody@example"));
        let _ = Command::new("gpgconf")
            .env("GNUPGHOME", &home)
            .args(["--kill", "gpg-agent"])
            .status();

        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
        signed.expect("a signed commit");
        assert!(
            verified.status.success(),
            "{}",
            String::from_utf8_lossy(&verified.stderr)
        );
        assert!(
            String::from_utf8_lossy(&verified.stderr)
                .contains("Good signature from \"Test <t@example>\"")
        );
        assert!(
            raw.contains("\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n"),
            "{raw}"
        );
        assert!(
            raw.contains(" -----END PGP SIGNATURE-----\n\nSigned edit\n"),
            "{raw}"
        );
        let error = unsigned.expect_err("no key for the committer");
        assert!(
            matches!(&error, SignError::Failed { program: failed, stderr, .. }
                if *failed == program.to_string_lossy() && stderr.contains("Nobody <nobody@example>")),
            "{error:?}"
        );
        assert_eq!(sandbox.git(&["rev-parse", "HEAD"]), head);
    }

    #[test]
    fn a_failing_signing_program_is_an_error() {
        let sandbox = sandbox();
        sandbox.config("commit.gpgsign", "true");
        sandbox.config("gpg.program", "/bin/false");
        let error = sandbox
            .commit(("Ann Author", "ann@example.com"))
            .expect_err("no signature");
        assert!(
            matches!(&error, SignError::Failed { program, status, .. }
                if program == "/bin/false" && status.code() == Some(1)),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "/bin/false failed to sign the commit: it exited with status 1"
        );

        // Exit 0 without a signature is a failure too, as in git.
        sandbox.config("gpg.program", "/bin/true");
        let error = sign_if_configured(&sandbox.local_config(), "A <a@example.com>", "x\n")
            .expect_err("no signature");
        assert!(matches!(error, SignError::NoSignature { .. }), "{error:?}");

        sandbox.config("gpg.format", "x509");
        sandbox.config("gpg.x509.program", "/bin/false");
        let error = sign_if_configured(&sandbox.local_config(), "A <a@example.com>", "x\n")
            .expect_err("no signature");
        assert!(
            matches!(&error, SignError::Failed { program, .. } if program == "/bin/false"),
            "{error:?}"
        );

        sandbox.config("gpg.format", "ssh");
        sandbox.config("gpg.ssh.program", "/bin/false");
        sandbox.config("user.signingKey", "key::ssh-ed25519 AAAA");
        let error = sign_if_configured(&sandbox.local_config(), "A <a@example.com>", "x\n")
            .expect_err("no signature");
        assert!(
            matches!(&error, SignError::Failed { program, .. } if program == "/bin/false"),
            "{error:?}"
        );

        sandbox.config("gpg.ssh.program", "/no/such/program");
        let error = sign_if_configured(&sandbox.local_config(), "A <a@example.com>", "x\n")
            .expect_err("no signature");
        assert!(matches!(error, SignError::Start { .. }), "{error:?}");

        sandbox.config("gpg.format", "pgp");
        let error = sign_if_configured(&sandbox.local_config(), "A <a@example.com>", "x\n")
            .expect_err("no such format");
        assert!(matches!(error, SignError::UnknownFormat(_)), "{error:?}");
    }

    #[test]
    fn without_commit_gpgsign_the_commit_is_unsigned() {
        let sandbox = sandbox();
        // A signing program that would fail, to show it is not run.
        sandbox.config("gpg.program", "/bin/false");
        let config = sandbox.local_config();
        let id = sandbox
            .commit_with(
                ("Ann Author", "ann@example.com"),
                |repo, author, committer, tree, parents| {
                    write_commit_with(
                        repo,
                        &config,
                        author,
                        committer,
                        "Plain edit\n",
                        tree,
                        parents,
                    )
                },
            )
            .expect("an unsigned commit");
        let raw = sandbox.git(&["cat-file", "-p", &id.to_string()]);
        assert!(!raw.contains("gpgsig"), "{raw}");
        assert!(raw.ends_with("\n\nPlain edit\n"), "{raw}");
        assert_eq!(
            sign_if_configured(&config, "A <a@example.com>", "x\n").ok(),
            Some(None)
        );

        sandbox.config("commit.gpgsign", "false");
        let config = sandbox.local_config();
        assert_eq!(
            sign_if_configured(&config, "A <a@example.com>", "x\n").ok(),
            Some(None)
        );
    }

    #[test]
    fn the_openpgp_program_is_the_last_of_its_two_names() {
        let sandbox = sandbox();
        let program = |config: &git2::Config| Format::OpenPgp.program(config).ok();
        assert_eq!(program(&sandbox.local_config()).as_deref(), Some("gpg"));
        sandbox.config("gpg.openpgp.program", "first");
        sandbox.config("gpg.program", "second");
        assert_eq!(program(&sandbox.local_config()).as_deref(), Some("second"));
        sandbox.git(&["config", "--unset", "gpg.openpgp.program"]);
        sandbox.config("gpg.openpgp.program", "third");
        assert_eq!(program(&sandbox.local_config()).as_deref(), Some("third"));
        // The repository's setting wins over the user's.
        let global = sandbox.path("global");
        fs::write(&global, "[gpg]\n\tprogram = from-global\n").expect("write");
        let mut config = git2::Config::new().expect("a configuration");
        config
            .add_file(&global, git2::ConfigLevel::Global, false)
            .expect("add global");
        config
            .add_file(
                &sandbox.top().join(".git/config"),
                git2::ConfigLevel::Local,
                false,
            )
            .expect("add local");
        assert_eq!(program(&config).as_deref(), Some("third"));

        assert_eq!(
            Format::X509
                .program(&sandbox.local_config())
                .ok()
                .as_deref(),
            Some("gpgsm")
        );
        assert_eq!(
            Format::Ssh.program(&sandbox.local_config()).ok().as_deref(),
            Some("ssh-keygen")
        );
        sandbox.config("gpg.ssh.program", "~/bin/ssh-keygen");
        let home = std::env::var("HOME").unwrap_or_default();
        assert_eq!(
            Format::Ssh.program(&sandbox.local_config()).ok(),
            Some(format!("{home}/bin/ssh-keygen"))
        );
    }

    #[test]
    fn key_commands_split_as_git_splits_them() {
        assert_eq!(
            split_cmdline(r#"ssh-add -L"#).ok(),
            Some(vec!["ssh-add".to_owned(), "-L".to_owned()])
        );
        assert_eq!(
            split_cmdline(r#"sh  -c 'echo "$KEY"' a\ b "c\"d""#).ok(),
            Some(vec![
                "sh".to_owned(),
                "-c".to_owned(),
                r#"echo "$KEY""#.to_owned(),
                "a b".to_owned(),
                "c\"d".to_owned(),
            ])
        );
        assert!(split_cmdline("'open").is_err());
        assert!(split_cmdline("end\\").is_err());
        assert_eq!(
            literal_ssh_key("key::ssh-ed25519 AAAA"),
            Some("ssh-ed25519 AAAA")
        );
        assert_eq!(literal_ssh_key("ssh-rsa AAAA"), Some("ssh-rsa AAAA"));
        assert_eq!(literal_ssh_key("/home/a/.ssh/id.pub"), None);
    }
}
