//! `news validate` on a synthetic newsroom against the bare parse of the
//! same files with the `toml` crate, in the same run, on 2 threads.
//!
//!     cargo bench --bench validate                # 50,000 articles
//!     NEWS_BENCH_ARTICLES=5000 cargo bench --bench validate
//!     NEWS_BENCH_DIR=/tmp/room cargo bench --bench validate   # keep the newsroom
//!
//! Targets (issue 2): validate ≤ 1.5× the bare parse; peak memory of the
//! `news validate` process ≤ 150 MB.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use news::paths::PathNames;
use news::validate::{NoProgress, Request, validate};
use support::{bare_parse, ratio};

const THREADS: usize = 2;
const RUNS: usize = 5;

fn main() {
    if let Some(root) = std::env::var_os(MEASURE_CHILD) {
        return measure_child(Path::new(&root));
    }
    let count: usize = std::env::var("NEWS_BENCH_ARTICLES")
        .ok()
        .and_then(|count| count.parse().ok())
        .unwrap_or(50_000);
    let temporary = tempfile::tempdir().expect("temporary folder");
    let kept = std::env::var_os("NEWS_BENCH_DIR").map(PathBuf::from);
    let root = kept.as_deref().unwrap_or(temporary.path());
    let started = Instant::now();
    let files = support::synthetic::write_newsroom(root, count).expect("write the newsroom");
    println!("generated {count} articles in {:.1?}", started.elapsed());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(THREADS)
        .build()
        .expect("thread pool");

    // Warm the page cache so that neither side pays for the disk.
    pool.install(|| bare_parse(&files));

    let bare = median(|| pool.install(|| bare_parse(&files)));
    let library = median(|| {
        pool.install(|| {
            let report = validate(
                &Request {
                    paths: Vec::new(),
                    cwd: root.to_owned(),
                    names: PathNames::for_people(root),
                    records: None,
                },
                &NoProgress,
            )
            .expect("validate runs");
            assert_eq!(report.files_checked, count);
            assert!(
                !report.has_errors(),
                "the synthetic newsroom is valid: {:?}",
                report.findings.first()
            );
        })
    });
    let (process, peak_rss) = process_runs(root);

    println!("threads: {THREADS}, articles: {count}, median of {RUNS} runs");
    println!("bare toml parse (baseline):   {:>9.1?}", bare);
    println!(
        "validate (library):           {:>9.1?}  = {:.2}x baseline",
        library,
        ratio(library, bare)
    );
    println!(
        "news validate (process):      {:>9.1?}  = {:.2}x baseline",
        process,
        ratio(process, bare)
    );
    println!(
        "news validate peak memory:    {:>7.1} MB (target <= 150 MB)",
        peak_rss as f64 / 1e6
    );
}

fn median(mut run: impl FnMut()) -> Duration {
    support::median(RUNS, || {
        let started = Instant::now();
        run();
        started.elapsed()
    })
}

/// Set to a newsroom's root, the bench only runs `news validate` there
/// once and prints the child's peak memory.
const MEASURE_CHILD: &str = "NEWS_BENCH_MEASURE_CHILD";

/// Runs the real binary; returns its median wall time and its peak
/// resident memory.
fn process_runs(root: &Path) -> (Duration, u64) {
    let time = median(|| run_news(root));
    // A child's maxrss counts the memory of the process that spawned it up
    // to its exec, so a fresh, small copy of this bench spawns the child
    // whose memory is measured.
    let output = Command::new(std::env::current_exe().expect("the bench's own path"))
        .env(MEASURE_CHILD, root)
        .output()
        .expect("the bench runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let peak = String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .expect("a byte count");
    (time, peak)
}

fn run_news(root: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_news"))
        .args(["validate", "-q", "--format", "json"])
        .current_dir(root)
        .env("RAYON_NUM_THREADS", THREADS.to_string())
        .stdout(std::process::Stdio::null())
        .status()
        .expect("news runs");
    assert!(
        status.success(),
        "news validate passes on the synthetic newsroom"
    );
}

fn measure_child(root: &Path) {
    run_news(root);
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    // ru_maxrss is in kilobytes on Linux.
    println!("{}", usage.ru_maxrss as u64 * 1024);
}
