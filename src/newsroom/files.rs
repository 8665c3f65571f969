//! Writing files so that a crash leaves the old content or the new, never
//! half of either.

use std::io::Write;
use std::path::Path;

/// Writes `content` to a temporary file beside `path`, flushes it to disk,
/// and renames it over `path`.
pub fn write_atomically(path: &Path, content: &[u8]) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)?;
    let mut temporary = tempfile::Builder::new()
        .prefix(".news-")
        .suffix(".tmp")
        .tempfile_in(folder)?;
    temporary.write_all(content)?;
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}
