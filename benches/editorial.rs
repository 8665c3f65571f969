//! `news new` and `news list` in generated newsrooms of 20,000 and 50,000
//! articles, each against its baseline in the same run:
//!
//! - `news new` (all flags, no terminal) against `git add` + `git commit`
//!   of one file in the same repository (target ≤ 0.8×: one process and
//!   one index write against two git processes);
//! - `news list --tag X` against the bare parse of the same files with the
//!   `toml` crate on 2 threads, as in the validate bench (target ≤ 1.5×).
//!
//! ```text
//! cargo bench --bench editorial
//! NEWS_BENCH_ARTICLES=5000 cargo bench --bench editorial   # one size, or a list: 2000,5000
//! ```

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{bare_parse, ratio};

const THREADS: usize = 2;
const RUNS: usize = 7;

fn main() {
    let sizes: Vec<usize> = std::env::var("NEWS_BENCH_ARTICLES")
        .ok()
        .map(|sizes| {
            sizes
                .split(',')
                .filter_map(|size| size.trim().parse().ok())
                .collect()
        })
        .unwrap_or_else(|| vec![20_000, 50_000]);
    for count in sizes {
        bench(count);
    }
}

fn bench(count: usize) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    let started = Instant::now();
    let files = support::synthetic::write_newsroom(root, count).expect("write the newsroom");
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "the synthetic newsroom"]);
    println!(
        "generated and committed {count} articles in {:.1?}",
        started.elapsed()
    );

    let mut number = 0;
    let git_commit = median(|| {
        number += 1;
        let relative = format!("articles/2030/01/01/baseline-{number}.toml");
        let path = root.join(&relative);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
        std::fs::write(&path, support::synthetic::article(count + number).text).expect("write");
        let started = Instant::now();
        git(root, &["add", &relative]);
        git(root, &["commit", "-q", "-m", "baseline", "--", &relative]);
        started.elapsed()
    });
    let news_new = median(|| {
        number += 1;
        let started = Instant::now();
        news(root)
            .args([
                "new",
                "--headline",
                &format!("Bench story {number}"),
                "--genre",
                "news",
            ])
            .args([
                "--byline",
                "Bench Desk",
                "--tag",
                "Japan",
                "--section",
                "World",
                "--place",
                "MOSCOW",
            ])
            .args(["--created", "2030-01-02T10:00:00+03:00", "--body-file", "-"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("news new runs")
            .success()
            .then_some(())
            .expect("news new succeeds");
        started.elapsed()
    });

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(THREADS)
        .build()
        .expect("pool");
    pool.install(|| bare_parse(&files));
    let bare = median(|| {
        let started = Instant::now();
        pool.install(|| bare_parse(&files));
        started.elapsed()
    });
    let list = median(|| {
        let started = Instant::now();
        let output = news(root)
            .args(["list", "--tag", "Japan", "--format", "json"])
            .env("RAYON_NUM_THREADS", THREADS.to_string())
            .stderr(Stdio::null())
            .output()
            .expect("news list runs");
        assert!(output.status.success(), "news list succeeds");
        started.elapsed()
    });

    println!("articles: {count}, median of {RUNS} runs");
    println!("git add + git commit (baseline): {:>9.1?}", git_commit);
    println!(
        "news new:                        {:>9.1?}  = {:.2}x baseline",
        news_new,
        ratio(news_new, git_commit)
    );
    println!("bare toml parse, 2 threads:      {:>9.1?}", bare);
    println!(
        "news list --tag Japan:           {:>9.1?}  = {:.2}x baseline",
        list,
        ratio(list, bare)
    );
}

fn news(root: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_news"));
    command.current_dir(root).envs(identity());
    command
}

fn git(root: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(root)
        .envs(identity())
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn identity() -> [(&'static str, &'static str); 4] {
    [
        ("GIT_AUTHOR_NAME", "Bench Desk"),
        ("GIT_AUTHOR_EMAIL", "bench@newsroom.example"),
        ("GIT_COMMITTER_NAME", "Bench Desk"),
        ("GIT_COMMITTER_EMAIL", "bench@newsroom.example"),
    ]
}

fn median(run: impl FnMut() -> Duration) -> Duration {
    support::median(RUNS, run)
}
