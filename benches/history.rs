//! `news log <id>` and `news validate --base` in a generated newsroom of
//! 50,000 articles and 150,000 commits (one commit per new article, then
//! edits), each against git in the same run:
//!
//! - `news log <id>`, first run without a cache, against `git log
//!   --format=%H -- <path>` without a commit-graph, and against git with a
//!   commit-graph with changed-path Bloom filters;
//! - the first cached `news log <id>` (the walk of the whole history, and
//!   the record's cache kept), without and with the commit-graph, against
//!   `git log --name-only` over the same history, and `news log <id>` with
//!   a warm cache;
//! - the same commit list as git's, and the peak memory of `news log`;
//! - `news validate --base REV` for a 10-record change against `git diff
//!   --name-only REV`.
//!
//! ```text
//! cargo bench --bench history
//! NEWS_BENCH_ARTICLES=5000 NEWS_BENCH_COMMITS=15000 cargo bench --bench history
//! ```
//! The generated repository is kept in `target/` and reused.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::synthetic::{NEWS_TOML, article};
use support::{median, ratio};

/// The article whose history is logged, and how often it is edited.
const TARGET: usize = 7;
const TARGET_EVERY: usize = 5_000;

fn main() {
    let count = setting("NEWS_BENCH_ARTICLES", 50_000);
    let runs = setting("NEWS_BENCH_RUNS", 5);
    let commits = setting("NEWS_BENCH_COMMITS", 150_000).max(count);
    let root = generated(count, commits);
    let news = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/news");
    assert!(
        news.is_file(),
        "build the binary first: cargo build --release (benches run it as a user would)"
    );
    let target = article(TARGET);
    let path = target.relative_path.as_str();
    println!(
        "news log: {count} articles, {commits} commits, {} ({path})",
        target.id
    );

    remove_commit_graph(&root);
    remove_cache(&root);
    let git_log = || run(&root, "git", &["log", "--format=%H", "--", path]);
    let news_log = || {
        remove_cache(&root);
        run(
            &root,
            &news,
            &["log", &target.id, "--format", "json", "--no-cache"],
        )
    };
    let ours = commits_of(&news_log().1);
    let theirs: Vec<String> = git_log().1.lines().map(str::to_owned).collect();
    assert_eq!(ours, theirs, "news log and git log name the same commits");
    println!("  {} commits changed it", ours.len());

    let plain = median(runs, || git_log().0);
    let first = median(runs, || news_log().0);
    report(
        "first run, no cache",
        first,
        "git log -- path, no commit-graph",
        plain,
    );

    let name_only = median(runs, || {
        run(&root, "git", &["log", "--name-only", "--format=%H"]).0
    });
    // The first cached run: the whole history walked, the record's cache
    // kept.
    let building = || {
        median(runs, || {
            remove_cache(&root);
            run(&root, &news, &["log", &target.id, "--format", "json"]).0
        })
    };
    report(
        "building the record's cache from the whole history, no commit-graph",
        building(),
        "git log --name-only",
        name_only,
    );
    remove_cache(&root);

    let without_graph = peak_memory(
        &root,
        &news,
        &["log", &target.id, "--format", "json", "--no-cache"],
    );
    println!("  peak memory of news log without a commit-graph: {without_graph} MB");

    run(
        &root,
        "git",
        &["commit-graph", "write", "--reachable", "--changed-paths"],
    );
    let bloom = median(runs, || git_log().0);
    let first_bloom = median(runs, || news_log().0);
    report(
        "first run, no cache",
        first_bloom,
        "git log -- path, Bloom filters",
        bloom,
    );

    report(
        "building the record's cache, with the commit-graph",
        building(),
        "git log --name-only",
        name_only,
    );
    let warm = median(runs, || {
        run(&root, &news, &["log", &target.id, "--format", "json"]).0
    });
    let cached = commits_of(&run(&root, &news, &["log", &target.id, "--format", "json"]).1);
    assert_eq!(cached, theirs, "the cache gives git's commits too");
    report(
        "warm run, with the cache",
        warm,
        "git log -- path, Bloom filters",
        bloom,
    );
    let walked = peak_memory(
        &root,
        &news,
        &["log", &target.id, "--format", "json", "--no-cache"],
    );
    remove_cache(&root);
    let building = peak_memory(&root, &news, &["log", &target.id, "--format", "json"]);
    println!(
        "  peak memory of news log with the commit-graph: {walked} MB walking, {building} MB walking and keeping the cache"
    );

    let base = ten_record_change(&root, count);
    let diff = median(runs, || {
        run(&root, "git", &["diff", "--name-only", &base]).0
    });
    // The generated records break rules of their own (exit 1): only the
    // time counts here.
    let validate = median(runs, || {
        run_any(
            &root,
            &news,
            &["validate", "--base", &base, "--format", "json"],
        )
        .0
    });
    report(
        "validate --base, 10 records",
        validate,
        "git diff --name-only",
        diff,
    );
    run(&root, "git", &["reset", "-q", "--hard", &base]);
}

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn report(what: &str, ours: Duration, baseline: &str, theirs: Duration) {
    println!(
        "  {what}: {:.1} ms; {baseline}: {:.1} ms; ratio {:.2}×",
        ours.as_secs_f64() * 1e3,
        theirs.as_secs_f64() * 1e3,
        ratio(ours, theirs)
    );
}

/// Runs `program` in `dir`, which must succeed: how long it took, and
/// what it printed.
fn run(dir: &Path, program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> (Duration, String) {
    let (took, printed, success) = run_any(dir, program, args);
    assert!(success, "{args:?} failed");
    (took, printed)
}

/// Runs `program` in `dir`: how long it took, what it printed, and
/// whether it succeeded.
fn run_any(
    dir: &Path,
    program: impl AsRef<std::ffi::OsStr>,
    args: &[&str],
) -> (Duration, String, bool) {
    let started = Instant::now();
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .stderr(Stdio::inherit())
        .output()
        .expect("run the command");
    let took = started.elapsed();
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    (took, printed, output.status.success())
}

fn commits_of(json: &str) -> Vec<String> {
    let entries: serde_json::Value = serde_json::from_str(json).expect("news log JSON");
    entries
        .as_array()
        .expect("an array")
        .iter()
        .map(|entry| entry["commit"].as_str().expect("a commit").to_owned())
        .collect()
}

fn remove_commit_graph(root: &Path) {
    let _ = std::fs::remove_file(root.join(".git/objects/info/commit-graph"));
    let _ = std::fs::remove_dir_all(root.join(".git/objects/info/commit-graphs"));
}

fn remove_cache(root: &Path) {
    let _ = std::fs::remove_dir_all(root.join(".git/news"));
}

/// The largest resident set of one `news` run with `args` in `root`, in
/// MB: Linux's `wait4` gives the finished child's own peak.
#[allow(clippy::zombie_processes)] // reaped by wait4, which std does not see
fn peak_memory(root: &Path, news: &Path, args: &[&str]) -> u64 {
    let child = Command::new(news)
        .args(args)
        .current_dir(root)
        .stdout(Stdio::null())
        .spawn()
        .expect("run news");
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: wait4 reaps the child it is given and writes a whole rusage.
    let usage = unsafe {
        let pid = libc::wait4(child.id() as i32, &mut status, 0, usage.as_mut_ptr());
        assert_eq!(pid, child.id() as i32, "wait for news");
        usage.assume_init()
    };
    (usage.ru_maxrss as u64) / 1024
}

/// A branch point, then ten records edited and committed by hand on top:
/// returns the branch point.
fn ten_record_change(root: &Path, count: usize) -> String {
    let base = run(root, "git", &["rev-parse", "HEAD"]).1.trim().to_owned();
    for index in (0..10).map(|n| (n * 997 + 13) % count) {
        let generated = article(index);
        let file = root.join(&generated.relative_path);
        let text = std::fs::read_to_string(&file).expect("read a record");
        std::fs::write(
            &file,
            text.replacen("headline = \"", "headline = \"Changed: ", 1),
        )
        .expect("write a record");
    }
    run(root, "git", &["commit", "-q", "-am", "Ten records"]);
    base
}

/// The generated repository, made once with `git fast-import` and kept.
fn generated(count: usize, commits: usize) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("target/news-bench-history-{count}-{commits}"));
    if let Ok(tip) = std::fs::read_to_string(root.join(".git/news-bench-complete")) {
        // As generated: a run that stopped half-way may have left commits.
        run(&root, "git", &["reset", "-q", "--hard", tip.trim()]);
        return root;
    }
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("make the folder");
    run(&root, "git", &["init", "-q", "-b", "main"]);
    let started = Instant::now();
    let mut import = Command::new("git")
        .args(["fast-import", "--quiet", "--done"])
        .current_dir(&root)
        .stdin(Stdio::piped())
        .spawn()
        .expect("start git fast-import");
    {
        let mut input = std::io::BufWriter::new(import.stdin.take().expect("stdin"));
        let mut random = 0x2545_F491_4F6C_DD1D_u64;
        for number in 0..commits {
            let (index, text, message) = if number < count {
                let generated = article(number);
                (number, generated.text, format!("new: article {number}"))
            } else {
                random ^= random << 13;
                random ^= random >> 7;
                random ^= random << 17;
                let index = match number % TARGET_EVERY {
                    0 => TARGET,
                    _ => (random % count as u64) as usize,
                };
                let text = article(index).text.replacen(
                    "headline = \"",
                    &format!("headline = \"Edit {number}: "),
                    1,
                );
                (index, text, format!("edit: article {index}"))
            };
            let path = article(index).relative_path;
            let time = 1_420_000_000 + number as u64 * 60;
            write!(
                input,
                "commit refs/heads/main\nmark :{}\nauthor Bench <bench@newsroom.example> {time} +0300\ncommitter Bench <bench@newsroom.example> {time} +0300\ndata {}\n{message}\n",
                number + 1,
                message.len() + 1
            )
            .expect("write to fast-import");
            if number > 0 {
                writeln!(input, "from :{number}").expect("write to fast-import");
            } else {
                for (file, content) in [
                    ("news.toml", NEWS_TOML),
                    (
                        "schema/article.schema.json",
                        news::schema::DEFAULT_ARTICLE_SCHEMA,
                    ),
                    ("schema/tags.toml", news::schema::DEFAULT_TAGS),
                ] {
                    write!(
                        input,
                        "M 100644 inline {file}\ndata {}\n{content}\n",
                        content.len()
                    )
                    .expect("write to fast-import");
                }
            }
            write!(
                input,
                "M 100644 inline {path}\ndata {}\n{text}\n",
                text.len()
            )
            .expect("write to fast-import");
        }
        writeln!(input, "done").expect("write to fast-import");
    }
    assert!(import.wait().expect("fast-import").success());
    run(&root, "git", &["checkout", "-q", "-f", "main"]);
    let tip = run(&root, "git", &["rev-parse", "HEAD"]).1;
    std::fs::write(root.join(".git/news-bench-complete"), tip).expect("mark complete");
    println!(
        "generated {commits} commits in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    root
}
