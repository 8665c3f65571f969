//! `news validate`: every record below the given paths against its
//! newsroom's schema and the built-in rules, in parallel, with one report in
//! a stable order.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::article::{FieldPath, Location, Record, line_text, locate};
use crate::newsroom::{
    ConfigError, MAX_FILE_BYTES, Newsroom, ReadError, WalkError, read_inside, toml_files,
};
use crate::paths::{PathNames, normalize};
use crate::schema::{Finding, MediaFiles, Placement, Rule, Schema, Severity};
use crate::snapshot::{RecordBytes, Snapshot};

/// Records larger than this are reported, not parsed: no article is this
/// long, and holding many such files at once would exhaust memory.
pub const MAX_RECORD_BYTES: u64 = MAX_FILE_BYTES;

/// What to validate.
#[derive(Clone, Debug)]
pub struct Request {
    /// Files and folders; empty means the newsroom `cwd` is in.
    pub paths: Vec<PathBuf>,
    /// The folder relative paths start from.
    pub cwd: PathBuf,
    /// How findings name files.
    pub names: PathNames,
    /// Every record file of the newsroom, when the caller knows them
    /// (from git's index, say): the newsroom-wide rules look there instead
    /// of walking the articles folder. None: walk it.
    pub records: Option<Vec<PathBuf>>,
}

/// The outcome: every finding, in order of file and position.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub files_checked: usize,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|finding| finding.severity == severity)
            .count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// The findings in order of file and position, each once.
    pub fn put_in_order(&mut self) {
        self.findings
            .sort_by(|left, right| left.sort_key().cmp(&right.sort_key()));
        self.findings.dedup();
    }
}

/// Why validation could not run at all (as opposed to findings).
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    #[error("not inside a newsroom: no news.toml in {} or any folder above it", cwd.display())]
    NoNewsroom { cwd: PathBuf },
    #[error("no such file or folder: {}", path.display())]
    NoSuchPath { path: PathBuf },
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Walk(#[from] WalkError),
    #[error(transparent)]
    Snapshot(#[from] crate::snapshot::SnapshotError),
}

impl ValidateError {
    /// The settings file that stopped the validation, if one did.
    pub fn settings(&self) -> Option<&ConfigError> {
        match self {
            ValidateError::Config(error)
            | ValidateError::Snapshot(crate::snapshot::SnapshotError::Config(error)) => Some(error),
            _ => None,
        }
    }
}

/// Told how far validation has got, from many threads at once.
pub trait Progress: Sync {
    fn start(&self, files: usize);
    fn advance(&self);
}

/// Reports nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _files: usize) {}
    fn advance(&self) {}
}

/// The files to check that belong to one newsroom (or to none).
struct Group {
    newsroom: Option<Newsroom>,
    schema: Schema,
    /// Sorted, without repeats.
    files: Vec<PathBuf>,
    /// Whether `files` holds every article of the newsroom.
    whole_newsroom: bool,
    /// How findings name its files.
    names: PathNames,
}

/// One file's findings, and its id for the newsroom-wide rules.
struct Checked {
    findings: Vec<Finding>,
    id: Option<IdSite>,
}

/// Where a record states its id.
#[derive(Clone)]
struct IdSite {
    id: String,
    path: PathBuf,
    location: Location,
    source_line: String,
}

pub fn validate(request: &Request, progress: &dyn Progress) -> Result<Report, ValidateError> {
    let groups = plan(request)?;
    progress.start(groups.iter().map(|group| group.files.len()).sum());
    let mut report = Report::default();
    for group in &groups {
        let checked: Vec<Checked> = group
            .files
            .par_iter()
            .map(|file| {
                let checked = check_file(file, group, &group.names);
                progress.advance();
                checked
            })
            .collect();
        report.files_checked += checked.len();
        let mut ids = Vec::new();
        for outcome in checked {
            report.findings.extend(outcome.findings);
            ids.extend(outcome.id);
        }
        report.findings.extend(duplicate_ids(
            group,
            ids,
            &group.names,
            request.records.as_deref(),
        )?);
        report
            .findings
            .extend(unknown_settings(group, &group.names));
    }
    report.put_in_order();
    Ok(report)
}

/// Checks the bytes of one record file against `schema`, as `news validate`
/// does for a file outside any newsroom. `path` names the file in findings
/// and gives the id and date its name and folders state.
pub fn check_source(bytes: &[u8], path: &Path, schema: &Schema) -> Vec<Finding> {
    check_record(bytes, path, path, None, schema)
}

/// Resolves the request into files, grouped by the newsroom they are in.
fn plan(request: &Request) -> Result<Vec<Group>, ValidateError> {
    let cwd = normalize(&request.cwd);
    let targets = if request.paths.is_empty() {
        let newsroom = Newsroom::discover(&cwd)?
            .ok_or_else(|| ValidateError::NoNewsroom { cwd: cwd.clone() })?;
        vec![newsroom.root().to_owned()]
    } else {
        request
            .paths
            .iter()
            .map(|path| normalize(&cwd.join(path)))
            .collect()
    };
    let mut groups: BTreeMap<Option<PathBuf>, Group> = BTreeMap::new();
    for target in targets {
        let metadata =
            std::fs::symlink_metadata(&target).map_err(|_| ValidateError::NoSuchPath {
                path: request.names.name(&target),
            })?;
        let folder = if metadata.is_dir() {
            target.as_path()
        } else {
            target.parent().unwrap_or(&cwd)
        };
        let newsroom = Newsroom::discover(folder)?;
        let key = newsroom.as_ref().map(|newsroom| newsroom.root().to_owned());
        if !groups.contains_key(&key) {
            let schema = match &newsroom {
                Some(newsroom) => newsroom.schema()?,
                None => Schema::builtin(),
            };
            groups.insert(
                key.clone(),
                Group {
                    newsroom,
                    schema,
                    files: Vec::new(),
                    whole_newsroom: false,
                    names: request.names.at(folder),
                },
            );
        }
        let group = groups.get_mut(&key).expect("inserted above");
        if metadata.is_dir() {
            let is_root = group
                .newsroom
                .as_ref()
                .is_some_and(|newsroom| newsroom.root() == target);
            let folder = match &group.newsroom {
                Some(newsroom) if is_root => newsroom.articles_dir(),
                _ => target.clone(),
            };
            if folder.is_dir() {
                group.files.extend(toml_files(&folder)?);
            }
            group.whole_newsroom |= is_root;
        } else {
            group.files.push(target);
        }
    }
    let mut groups: Vec<Group> = groups.into_values().collect();
    for group in &mut groups {
        group.files.sort();
        group.files.dedup();
    }
    Ok(groups)
}

fn check_file(file: &Path, group: &Group, names: &PathNames) -> Checked {
    let shown = names.name(file);
    let newsroom = group.newsroom.as_ref();
    match read_record_file(file, newsroom.map(Newsroom::root)) {
        Ok(bytes) => check_bytes(
            &bytes,
            &Site::on_disk(file, &shown, newsroom),
            &group.schema,
        ),
        Err((rule, message)) => Checked {
            findings: vec![Finding::file(&shown, rule, message)],
            id: None,
        },
    }
}

/// The bytes of a record file, or why they cannot be checked: the
/// newsroom's one safe read (`newsroom::read_inside`), its refusals told
/// as findings.
pub fn read_record_file(
    file: &Path,
    newsroom_root: Option<&Path>,
) -> Result<Vec<u8>, (Rule, String)> {
    read_inside(file, newsroom_root).map_err(|error| match error {
        ReadError::Outside { path, target } if path == file => (
            Rule::OutsideNewsroom,
            format!(
                "the file is a link to {}, outside the newsroom; an article lives in the newsroom's repository",
                target.display()
            ),
        ),
        ReadError::Outside { target, .. } => (
            Rule::OutsideNewsroom,
            format!(
                "the folder it is in leads to {}, outside the newsroom; an article lives in the newsroom's repository",
                target.display()
            ),
        ),
        ReadError::NotAFile { .. } => (
            Rule::UnreadableFile,
            "not a regular file (a folder, pipe or device); an article is a file".to_owned(),
        ),
        ReadError::TooLarge { size, .. } => (
            Rule::FileTooLarge,
            format!(
                "the file is {:.1} MiB; an article record may be at most {} MiB",
                size as f64 / (1024.0 * 1024.0),
                MAX_RECORD_BYTES / (1024 * 1024)
            ),
        ),
        ReadError::Io { source, .. } => (
            Rule::UnreadableFile,
            format!("cannot read the file: {source}"),
        ),
    })
}

/// Every finding of one record's bytes: `file` is where it lives (for the
/// id and date its name and folders state), `shown` how findings name it.
pub fn check_record(
    bytes: &[u8],
    file: &Path,
    shown: &Path,
    newsroom: Option<&Newsroom>,
    schema: &Schema,
) -> Vec<Finding> {
    check_bytes(bytes, &Site::on_disk(file, shown, newsroom), schema).findings
}

/// Where a record lives, as its checks need to know it.
struct Site<'a> {
    /// Its file: the name gives the id.
    file: &'a Path,
    /// How findings name it.
    shown: &'a Path,
    /// The date its `YYYY/MM/DD/` folder stands for.
    folder_date: Option<chrono::NaiveDate>,
    timezone: Option<&'a crate::time::TimeZone>,
    media: Option<MediaFiles<'a>>,
}

impl<'a> Site<'a> {
    /// A file on disk, in `newsroom` or outside any.
    fn on_disk(file: &'a Path, shown: &'a Path, newsroom: Option<&'a Newsroom>) -> Self {
        Site {
            file,
            shown,
            folder_date: match newsroom {
                Some(newsroom) => newsroom.folder_date(file),
                None => folder_date_of(file),
            },
            timezone: newsroom.map(|newsroom| &newsroom.config().timezone),
            media: newsroom.map(|newsroom| MediaFiles::WorkTree(newsroom.root())),
        }
    }
}

fn check_bytes(bytes: &[u8], site: &Site<'_>, schema: &Schema) -> Checked {
    let (file, shown) = (site.file, site.shown);
    let mut findings = Vec::new();
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => {
            findings.push(Finding::file(
                shown,
                Rule::ByteOrderMark,
                "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without one",
            ));
            rest
        }
        None => bytes,
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            findings.push(invalid_utf8(bytes, error.valid_up_to(), shown));
            return Checked { findings, id: None };
        }
    };
    if text.trim().is_empty() {
        findings.push(Finding::file(shown, Rule::EmptyFile, "the file is empty; an article record needs at least id, headline, genre, status, byline, language and created"));
        return Checked { findings, id: None };
    }
    let record = match Record::parse(text) {
        Ok(record) => record,
        Err(error) => {
            findings.push(Finding::at(
                shown,
                text,
                &error.span,
                Rule::TomlSyntax,
                format!("invalid TOML: {}", error.message),
            ));
            return Checked { findings, id: None };
        }
    };
    let file_id = file
        .extension()
        .filter(|extension| *extension == "toml")
        .and_then(|_| file.file_stem())
        .and_then(|stem| stem.to_str());
    let placement = Placement {
        path: shown,
        file_id,
        folder_date: site.folder_date,
        timezone: site.timezone,
        media: site.media,
    };
    findings.extend(schema.check(&record, placement));
    Checked {
        findings,
        id: id_site(&record, shown),
    }
}

fn id_site(record: &Record<'_>, shown: &Path) -> Option<IdSite> {
    let entry = record.get(&FieldPath::root().key("id"))?;
    let id = entry.value.get_ref().as_str()?.to_owned();
    let location = locate(record.text(), &entry.span());
    Some(IdSite {
        id,
        path: shown.to_owned(),
        location,
        source_line: line_text(record.text(), location.line).to_owned(),
    })
}

fn invalid_utf8(bytes: &[u8], valid_up_to: usize, shown: &Path) -> Finding {
    // The valid prefix is text, so its lines and columns can be counted.
    let valid = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
    let location = locate(valid, &(valid.len()..valid.len() + 1));
    let mut finding = Finding::file(
        shown,
        Rule::InvalidUtf8,
        format!(
            "the file is not UTF-8: byte 0x{:02X} at line {} cannot start a character; save the file as UTF-8",
            bytes[valid_up_to], location.line
        ),
    );
    finding.location = Location {
        end_column: location.column + 1,
        end_line: location.line,
        ..location
    };
    finding.source_line = line_text(valid, location.line).to_owned();
    finding
}

/// The keys of the group's newsroom's settings files that this version
/// ignores: warnings, so that CI sees them where they stand.
fn unknown_settings(group: &Group, names: &PathNames) -> Vec<Finding> {
    let Some(newsroom) = &group.newsroom else {
        return Vec::new();
    };
    newsroom
        .config()
        .warnings
        .iter()
        .chain(group.schema.warnings())
        .map(|setting| Finding::unknown_setting(names.name(&setting.path), setting))
        .collect()
}

/// Every id stated by more than one record of a group. In a newsroom, files
/// not checked in this run count too, by their names: the id rule makes a
/// file's name its id.
fn duplicate_ids(
    group: &Group,
    sites: Vec<IdSite>,
    names: &PathNames,
    records: Option<&[PathBuf]>,
) -> Result<Vec<Finding>, ValidateError> {
    let mut unchecked = Vec::new();
    let unchecked_articles = group.newsroom.as_ref().filter(|_| !group.whole_newsroom);
    if let Some(newsroom) = unchecked_articles {
        let articles = newsroom.articles_dir();
        if articles.is_dir() {
            let listed = match records {
                Some(records) => records.to_vec(),
                None => toml_files(&articles)?,
            };
            // Only a file named as a checked record's id can share it.
            let ids: std::collections::HashSet<&str> =
                sites.iter().map(|site| site.id.as_str()).collect();
            unchecked.extend(
                listed
                    .into_iter()
                    .filter(|file| {
                        file.file_stem()
                            .and_then(|stem| stem.to_str())
                            .is_some_and(|stem| ids.contains(stem))
                    })
                    .filter(|file| group.files.binary_search(file).is_err())
                    .map(|file| names.name(&file)),
            );
        }
    }
    Ok(duplicates(sites, unchecked))
}

/// A finding at each site whose id another site, or a file of that name
/// among `unchecked` (named as findings name files), also has.
fn duplicates(sites: Vec<IdSite>, unchecked: Vec<PathBuf>) -> Vec<Finding> {
    let mut by_id: BTreeMap<String, Vec<(PathBuf, Option<IdSite>)>> = BTreeMap::new();
    for site in sites {
        by_id
            .entry(site.id.clone())
            .or_default()
            .push((site.path.clone(), Some(site)));
    }
    for file in unchecked {
        if let Some(stem) = file.file_stem().and_then(|stem| stem.to_str())
            && let Some(holders) = by_id.get_mut(stem)
        {
            holders.push((file.clone(), None));
        }
    }
    let mut findings = Vec::new();
    for (id, holders) in by_id.into_iter().filter(|(_, holders)| holders.len() > 1) {
        for (path, site) in &holders {
            let Some(site) = site else { continue };
            let others: Vec<String> = holders
                .iter()
                .filter(|(other, _)| other != path)
                .map(|(other, _)| other.display().to_string())
                .collect();
            findings.push(Finding {
                path: path.clone(),
                location: site.location,
                severity: Rule::DuplicateId.severity(),
                rule: Rule::DuplicateId,
                message: format!(
                    "id {id:?} is also the id of {}; ids are unique in a newsroom",
                    others.join(", ")
                ),
                field: Some(FieldPath::root().key("id")),
                source_line: site.source_line.clone(),
            });
        }
    }
    findings
}

/// Outside a newsroom, a file in a `YYYY/MM/DD/` folder still states a date.
fn folder_date_of(file: &Path) -> Option<chrono::NaiveDate> {
    let mut folders = file.parent()?.iter().rev().map(|name| name.to_str());
    let day = folders.next()??;
    let month = folders.next()??;
    let year = folders.next()??;
    crate::newsroom::date_from_folders(year, month, day)
}

/// `news validate --rev REV`: the newsroom `cwd` is in as committed at
/// `revision`, read from git objects without a checkout (so in a bare
/// repository too), with the findings its work tree would give.
pub fn validate_revision(
    cwd: &Path,
    revision: &str,
    names: &PathNames,
    progress: &dyn Progress,
) -> Result<Report, ValidateError> {
    validate_records_at(cwd, revision, None, names, progress)
}

/// The records of the newsroom `cwd` is in as committed at `revision`
/// whose paths (relative to the newsroom root) are in `only` (none: all),
/// with the newsroom-wide rules over all of them.
pub fn validate_records_at(
    cwd: &Path,
    revision: &str,
    only: Option<&std::collections::HashSet<PathBuf>>,
    names: &PathNames,
    progress: &dyn Progress,
) -> Result<Report, ValidateError> {
    let snapshot = Snapshot::open_at(cwd, revision)?;
    let files = snapshot.revision_files()?;
    let (records, others): (Vec<_>, Vec<_>) = snapshot
        .record_files()?
        .into_iter()
        .partition(|(path, _)| only.is_none_or(|only| only.contains(path)));
    let shown = |full: PathBuf| match full.is_absolute() {
        true => names.name(&full),
        false => full,
    };
    let records: Vec<(PathBuf, PathBuf, RecordBytes)> = records
        .into_iter()
        .map(|(path, bytes)| {
            let named = shown(snapshot.full_path(&path));
            (path, named, bytes)
        })
        .collect();
    let schema = snapshot.schema();
    let timezone = snapshot.config().timezone;
    progress.start(records.len());
    let checked: Vec<Checked> = records
        .par_iter()
        .map(|(path, named, bytes)| {
            let site = Site {
                file: path,
                shown: named,
                folder_date: crate::newsroom::record_folder_date(path),
                timezone: Some(&timezone),
                media: files.as_ref().map(MediaFiles::Listed),
            };
            let checked = match bytes {
                Ok(bytes) => check_bytes(bytes, &site, schema),
                Err((rule, message)) => Checked {
                    findings: vec![Finding::file(named, *rule, message.clone())],
                    id: None,
                },
            };
            progress.advance();
            checked
        })
        .collect();
    let mut report = Report {
        files_checked: checked.len(),
        ..Report::default()
    };
    let mut ids = Vec::new();
    for outcome in checked {
        report.findings.extend(outcome.findings);
        ids.extend(outcome.id);
    }
    let others = others
        .into_iter()
        .map(|(path, _)| shown(snapshot.full_path(&path)))
        .collect();
    report.findings.extend(duplicates(ids, others));
    let prefix = format!("{revision}:");
    report
        .findings
        .extend(snapshot.setting_warnings().map(|setting| {
            // Settings read from git are named `REV:path`: named here as
            // the work tree's would be.
            let path = setting.path.to_string_lossy();
            let path = match path.strip_prefix(&prefix) {
                Some(from_top) => shown(snapshot.top_path(from_top)),
                None => setting.path.clone(),
            };
            Finding::unknown_setting(path, setting)
        }));
    report.put_in_order();
    Ok(report)
}
