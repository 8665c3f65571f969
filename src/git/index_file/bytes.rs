//! Byte plumbing shared by the index parts: cheap shared slices of a file
//! read once, a bounds-checked big-endian reader, and git's variable-width
//! integers.

use std::ops::{Deref, Range};
use std::sync::Arc;

/// A slice of a buffer that many entries share: cloning it bumps a
/// reference count instead of copying or allocating, so reading 500,000
/// entries does not allocate 500,000 paths.
#[derive(Clone)]
pub(super) struct SharedBytes {
    /// None for the empty slice, which then costs no reference count.
    buffer: Option<Arc<[u8]>>,
    start: u32,
    end: u32,
}

impl SharedBytes {
    /// `range` of `buffer`; the index checks that every buffer stays below
    /// 4 GiB, and the caller that `range` lies inside it. A range that does
    /// not reads as empty rather than panicking.
    pub(super) fn slice(buffer: &Arc<[u8]>, range: Range<usize>) -> Self {
        let valid = range.start <= range.end && range.end <= buffer.len();
        let (start, end) = if valid {
            (range.start, range.end)
        } else {
            (0, 0)
        };
        Self {
            buffer: Some(Arc::clone(buffer)),
            start: u32::try_from(start).unwrap_or(0),
            end: u32::try_from(end).unwrap_or(0),
        }
    }

    pub(super) fn from_vec(bytes: Vec<u8>) -> Self {
        let buffer: Arc<[u8]> = Arc::from(bytes);
        let len = buffer.len();
        Self::slice(&buffer, 0..len)
    }

    pub(super) fn empty() -> Self {
        Self {
            buffer: None,
            start: 0,
            end: 0,
        }
    }
}

impl Deref for SharedBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match &self.buffer {
            Some(buffer) => buffer
                .get(self.start as usize..self.end as usize)
                .unwrap_or(&[]),
            None => &[],
        }
    }
}

impl std::fmt::Debug for SharedBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self))
    }
}

/// Reads big-endian numbers and byte runs from a slice, failing with a
/// description instead of panicking when the slice runs out.
pub(super) struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
    what: &'static str,
}

impl<'a> Cursor<'a> {
    /// `what` names the structure being read, for the error messages.
    pub(super) fn new(data: &'a [u8], what: &'static str) -> Self {
        Self { data, pos: 0, what }
    }

    pub(super) fn position(&self) -> usize {
        self.pos
    }

    pub(super) fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    pub(super) fn rest(&self) -> &'a [u8] {
        &self.data[self.pos..]
    }

    pub(super) fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if n > self.remaining() {
            return Err(format!(
                "the {} runs past its end ({n} bytes wanted at offset {}, {} left)",
                self.what,
                self.pos,
                self.remaining()
            ));
        }
        let bytes = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    pub(super) fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    pub(super) fn u32(&mut self) -> Result<u32, String> {
        Ok(be32(self.take(4)?))
    }

    pub(super) fn u64(&mut self) -> Result<u64, String> {
        let bytes = self.take(8)?;
        Ok(u64::from(be32(&bytes[..4])) << 32 | u64::from(be32(&bytes[4..])))
    }

    /// Bytes up to the next NUL, which is consumed but not returned.
    pub(super) fn until_nul(&mut self) -> Result<&'a [u8], String> {
        match self.rest().iter().position(|&byte| byte == 0) {
            Some(len) => {
                let bytes = &self.data[self.pos..self.pos + len];
                self.pos += len + 1;
                Ok(bytes)
            }
            None => Err(format!("a name in the {} lacks its NUL", self.what)),
        }
    }

    /// git's variable-width integer (`decode_varint`, the encoding of pack
    /// OFS_DELTA offsets).
    pub(super) fn varint(&mut self) -> Result<u64, String> {
        let mut byte = self.u8()?;
        let mut value = u64::from(byte & 0x7f);
        while byte & 0x80 != 0 {
            value += 1;
            if value >> 57 != 0 {
                return Err(format!("a number in the {} overflows", self.what));
            }
            byte = self.u8()?;
            value = (value << 7) | u64::from(byte & 0x7f);
        }
        Ok(value)
    }
}

/// A big-endian u32 from the first four bytes; zero when there are fewer.
pub(super) fn be32(bytes: &[u8]) -> u32 {
    match bytes {
        [a, b, c, d, ..] => u32::from_be_bytes([*a, *b, *c, *d]),
        _ => 0,
    }
}

/// A big-endian u16 from the first two bytes; zero when there are fewer.
pub(super) fn be16(bytes: &[u8]) -> u16 {
    match bytes {
        [a, b, ..] => u16::from_be_bytes([*a, *b]),
        _ => 0,
    }
}

/// git's `encode_varint`.
pub(super) fn put_varint(mut value: u64, out: &mut Vec<u8>) {
    let mut buffer = [0u8; 16];
    let mut pos = buffer.len() - 1;
    buffer[pos] = (value & 0x7f) as u8;
    value >>= 7;
    while value != 0 {
        value -= 1;
        pos -= 1;
        buffer[pos] = 0x80 | (value & 0x7f) as u8;
        value >>= 7;
    }
    out.extend_from_slice(&buffer[pos..]);
}

pub(super) fn put_u32(value: u32, out: &mut Vec<u8>) {
    out.extend_from_slice(&value.to_be_bytes());
}

/// Overwrites the four bytes at `at` with `value` (for sizes known only
/// after what they measure is written).
pub(super) fn patch_u32(out: &mut [u8], at: usize, value: u32) {
    if let Some(slot) = out.get_mut(at..at + 4) {
        slot.copy_from_slice(&value.to_be_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_as_git_encodes_them() {
        for value in [
            0u64,
            1,
            127,
            128,
            255,
            16_383,
            16_384,
            1 << 40,
            u64::MAX >> 8,
        ] {
            let mut out = Vec::new();
            put_varint(value, &mut out);
            let mut cursor = Cursor::new(&out, "test");
            assert_eq!(cursor.varint(), Ok(value));
            assert_eq!(cursor.remaining(), 0);
        }
        // git's own encoding of 128 is 0x80 0x00, not the LEB128 0x80 0x01.
        let mut out = Vec::new();
        put_varint(128, &mut out);
        assert_eq!(out, [0x80, 0x00]);
    }

    #[test]
    fn a_cursor_reports_running_out() {
        let mut cursor = Cursor::new(&[1, 2, 3], "thing");
        assert!(cursor.u32().is_err());
        assert!(Cursor::new(&[0xff; 12], "thing").varint().is_err());
    }
}
