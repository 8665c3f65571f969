//! What the benchmarks share: the synthetic newsroom, the baseline parse,
//! medians and ratios.

#![allow(dead_code)]

pub mod synthetic;

use std::path::PathBuf;
use std::time::Duration;

use rayon::prelude::*;

/// The baseline: reads and parses every file with the `toml` crate alone,
/// on the current rayon pool.
pub fn bare_parse(files: &[PathBuf]) {
    let parsed = files
        .par_iter()
        .filter(|file| {
            let text = std::fs::read_to_string(file).expect("readable");
            toml::from_str::<toml::Table>(&text).is_ok()
        })
        .count();
    assert_eq!(parsed, files.len());
}

/// The median of `runs` timings.
pub fn median(runs: usize, mut run: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..runs).map(|_| run()).collect();
    times.sort();
    times[runs / 2]
}

pub fn ratio(measured: Duration, baseline: Duration) -> f64 {
    measured.as_secs_f64() / baseline.as_secs_f64()
}
