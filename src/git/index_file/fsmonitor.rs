//! The file system monitor cache (`FSMN`): the token of the last fsmonitor
//! query, then an EWAH bitmap whose bit n is set when the n-th entry of the
//! (merged) index is not known to be clean. git skips the lstat of every
//! entry whose bit is clear unless the fsmonitor reports its path.
//!
//! The bits are positional, so they live on the entries while the index is
//! in memory (`mark::FSMONITOR_DIRTY`) and move with them when entries are
//! added or removed. An entry news adds or changes is marked dirty, so git
//! looks at the file once instead of trusting the token. Writing the
//! extension back unchanged for a changed entry list would shift every bit
//! after the change onto the wrong entry.

use super::bytes::{Cursor, SharedBytes, patch_u32, put_u32};
use super::ewah::{self, Bitmap};

#[derive(Debug)]
pub(super) struct Fsmonitor {
    /// Version and token (version 1: a 64-bit time; 2: a NUL-terminated
    /// string), kept as read.
    header: SharedBytes,
    /// Anything after the bitmap, kept as read (git writes nothing).
    trailer: SharedBytes,
}

impl Fsmonitor {
    /// Parses the extension; returns it and its bitmap.
    pub(super) fn parse(data: &SharedBytes) -> Result<(Self, Bitmap), String> {
        let mut cursor = Cursor::new(data, "fsmonitor extension");
        match cursor.u32()? {
            1 => {
                cursor.u64()?;
            }
            2 => {
                cursor.until_nul()?;
            }
            version => return Err(format!("the fsmonitor extension has version {version}")),
        }
        let header_len = cursor.position();
        let size = cursor.u32()? as usize;
        let bitmap_bytes = cursor.take(size)?;
        let (bitmap, used) = Bitmap::parse(bitmap_bytes)?;
        if used != size {
            return Err("the fsmonitor bitmap does not fill its space".into());
        }
        let header = data.get(..header_len).unwrap_or(&[]).to_vec();
        let trailer = cursor.rest().to_vec();
        Ok((
            Self {
                header: SharedBytes::from_vec(header),
                trailer: SharedBytes::from_vec(trailer),
            },
            bitmap,
        ))
    }

    /// Writes the extension's data with `dirty` (ascending positions) as
    /// its bitmap.
    pub(super) fn write(&self, dirty: impl IntoIterator<Item = usize>, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.header);
        let size_at = out.len();
        put_u32(0, out);
        ewah::write(dirty, out);
        let size = out.len() - size_at - 4;
        patch_u32(out, size_at, size as u32);
        out.extend_from_slice(&self.trailer);
    }
}
