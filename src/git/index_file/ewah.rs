//! EWAH compressed bitmaps as git stores them (`ewah/ewah_io.c`): a 32-bit
//! bit count, a 32-bit count of 64-bit words, the words, and the 32-bit
//! position of the last run-length word. Each run-length word holds a run
//! bit (bit 0), a run length in words (bits 1–32) and the count of literal
//! words that follow it (bits 33–63).
//!
//! Bitmaps are read into plain words (an index of 500,000 entries needs
//! 8,000 of them) and written with a port of git's `ewah_set`, so a bitmap
//! news writes is the bitmap git would write for the same bits.

use super::bytes::{Cursor, put_u32};

const RUNNING_BITS: u32 = 32;
const LARGEST_RUNNING_COUNT: u64 = (1 << RUNNING_BITS) - 1;
const LARGEST_LITERAL_COUNT: u64 = (1 << 31) - 1;
const RUNNING_LEN_PLUS_BIT: u64 = (1 << (RUNNING_BITS + 1)) - 1;

/// A bitmap as read from disk, still compressed: its memory is bounded by
/// the file's size however many bits it claims.
#[derive(Debug, Default)]
pub(super) struct Bitmap {
    bit_size: usize,
    words: Vec<u64>,
}

impl Bitmap {
    /// Reads one bitmap from the start of `data`; returns it and the bytes
    /// it took. Checks that its run-length words stay inside it and that
    /// it holds no more words than its bit count needs.
    pub(super) fn parse(data: &[u8]) -> Result<(Self, usize), String> {
        let mut cursor = Cursor::new(data, "EWAH bitmap");
        let bit_size = cursor.u32()? as usize;
        let word_count = cursor.u32()? as usize;
        let compressed = cursor.take(word_count.checked_mul(8).ok_or("EWAH bitmap too large")?)?;
        let _last_run_word = cursor.u32()?;
        let words: Vec<u64> = (0..word_count).map(|i| word(compressed, i)).collect();
        let capacity = bit_size.div_ceil(64) as u64;
        let mut expanded = 0u64;
        let mut at = 0;
        while at < words.len() {
            let marker = words[at];
            at += 1;
            let literals = literal_words(marker) as usize;
            if literals > words.len() - at {
                return Err(format!(
                    "an EWAH bitmap of {bit_size} bits holds literal words past its end"
                ));
            }
            at += literals;
            expanded += running_len(marker) + literals as u64;
            if expanded > capacity {
                return Err(format!(
                    "an EWAH bitmap of {bit_size} bits holds more words than its bits need"
                ));
            }
        }
        Ok((Self { bit_size, words }, cursor.position()))
    }

    pub(super) fn bit_size(&self) -> usize {
        self.bit_size
    }

    /// The positions of the set bits below the bit count, ascending.
    pub(super) fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        let bit_size = self.bit_size;
        let mut at = 0;
        // The expanded word being walked: its index and remaining bits.
        let mut word_index = 0usize;
        let mut current = 0u64;
        // Words of the current run of ones still to walk, and literal
        // words still to read.
        let mut ones_left = 0u64;
        let mut literals_left = 0usize;
        std::iter::from_fn(move || {
            loop {
                if current != 0 {
                    let bit = current.trailing_zeros() as usize;
                    current &= current - 1;
                    let position = (word_index - 1) * 64 + bit;
                    return (position < bit_size).then_some(position);
                }
                if ones_left > 0 {
                    ones_left -= 1;
                    current = u64::MAX;
                    word_index += 1;
                } else if literals_left > 0 {
                    literals_left -= 1;
                    current = self.words.get(at).copied().unwrap_or(0);
                    at += 1;
                    word_index += 1;
                } else {
                    let marker = *self.words.get(at)?;
                    at += 1;
                    let run = running_len(marker);
                    if marker & 1 != 0 {
                        ones_left = run;
                    } else {
                        word_index += run as usize;
                    }
                    literals_left = literal_words(marker) as usize;
                }
            }
        })
    }
}

fn word(bytes: &[u8], index: usize) -> u64 {
    bytes
        .get(index * 8..index * 8 + 8)
        .and_then(|slice| <[u8; 8]>::try_from(slice).ok())
        .map_or(0, u64::from_be_bytes)
}

/// Writes the bitmap whose set bits are `ones` (ascending, no repeats), as
/// git's `ewah_set` followed by `ewah_serialize_strbuf` would.
pub(super) fn write(ones: impl IntoIterator<Item = usize>, out: &mut Vec<u8>) {
    let mut builder = Builder::new();
    for position in ones {
        builder.set(position);
    }
    put_u32(builder.bit_size as u32, out);
    put_u32(builder.buffer.len() as u32, out);
    for word in &builder.buffer {
        out.extend_from_slice(&word.to_be_bytes());
    }
    put_u32(builder.rlw as u32, out);
}

/// git's `struct ewah_bitmap` while it is built bit by bit.
struct Builder {
    buffer: Vec<u64>,
    /// Index in `buffer` of the current run-length word.
    rlw: usize,
    bit_size: usize,
}

fn run_bit(word: u64) -> bool {
    word & 1 != 0
}

fn running_len(word: u64) -> u64 {
    (word >> 1) & LARGEST_RUNNING_COUNT
}

fn literal_words(word: u64) -> u64 {
    word >> (RUNNING_BITS + 1)
}

impl Builder {
    fn new() -> Self {
        Self {
            buffer: vec![0],
            rlw: 0,
            bit_size: 0,
        }
    }

    fn marker(&self) -> u64 {
        self.buffer[self.rlw]
    }

    fn set_run_bit(&mut self, bit: bool) {
        let marker = &mut self.buffer[self.rlw];
        *marker = (*marker & !1) | u64::from(bit);
    }

    fn set_running_len(&mut self, len: u64) {
        let marker = &mut self.buffer[self.rlw];
        *marker = (*marker & !(LARGEST_RUNNING_COUNT << 1)) | (len << 1);
    }

    fn set_literal_words(&mut self, count: u64) {
        let marker = &mut self.buffer[self.rlw];
        *marker = (*marker & RUNNING_LEN_PLUS_BIT) | (count << (RUNNING_BITS + 1));
    }

    fn push_rlw(&mut self) {
        self.buffer.push(0);
        self.rlw = self.buffer.len() - 1;
    }

    /// `ewah_set`: bits must come in ascending order (a bit below one
    /// already set is ignored).
    fn set(&mut self, i: usize) {
        if i < self.bit_size {
            return;
        }
        let dist = (i + 1).div_ceil(64) - self.bit_size.div_ceil(64);
        self.bit_size = i + 1;
        let bit = 1u64 << (i % 64);
        if dist > 0 {
            if dist > 1 {
                self.add_empty_words(false, dist as u64 - 1);
            }
            self.add_literal(bit);
            return;
        }
        if literal_words(self.marker()) == 0 {
            let len = running_len(self.marker()).saturating_sub(1);
            self.set_running_len(len);
            self.add_literal(bit);
            return;
        }
        if let Some(last) = self.buffer.last_mut() {
            *last |= bit;
            if *last == u64::MAX {
                self.buffer.pop();
                let count = literal_words(self.marker()).saturating_sub(1);
                self.set_literal_words(count);
                self.add_empty_word(true);
            }
        }
    }

    fn add_empty_words(&mut self, value: bool, mut number: u64) {
        let marker = self.marker();
        if run_bit(marker) != value && running_len(marker) + literal_words(marker) == 0 {
            self.set_run_bit(value);
        } else if literal_words(marker) != 0 || run_bit(marker) != value {
            self.push_rlw();
            self.set_run_bit(value);
        }
        let run = running_len(self.marker());
        let can_add = number.min(LARGEST_RUNNING_COUNT - run);
        self.set_running_len(run + can_add);
        number -= can_add;
        while number >= LARGEST_RUNNING_COUNT {
            self.push_rlw();
            self.set_run_bit(value);
            self.set_running_len(LARGEST_RUNNING_COUNT);
            number -= LARGEST_RUNNING_COUNT;
        }
        if number > 0 {
            self.push_rlw();
            self.set_run_bit(value);
            self.set_running_len(number);
        }
    }

    fn add_literal(&mut self, word: u64) {
        let count = literal_words(self.marker());
        if count >= LARGEST_LITERAL_COUNT {
            self.push_rlw();
            self.set_literal_words(1);
        } else {
            self.set_literal_words(count + 1);
        }
        self.buffer.push(word);
    }

    fn add_empty_word(&mut self, value: bool) {
        let marker = self.marker();
        let no_literal = literal_words(marker) == 0;
        let run = running_len(marker);
        if no_literal && run == 0 {
            self.set_run_bit(value);
        }
        if no_literal && run_bit(self.marker()) == value && run < LARGEST_RUNNING_COUNT {
            self.set_running_len(run + 1);
            return;
        }
        self.push_rlw();
        self.set_run_bit(value);
        self.set_running_len(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(ones: &[usize]) -> Vec<usize> {
        let mut out = Vec::new();
        write(ones.iter().copied(), &mut out);
        let (bitmap, used) = Bitmap::parse(&out).expect("own bitmap parses");
        assert_eq!(used, out.len());
        assert_eq!(bitmap.bit_size(), ones.last().map_or(0, |last| last + 1));
        bitmap.ones().collect()
    }

    #[test]
    fn bitmaps_round_trip() {
        let cases: Vec<Vec<usize>> = vec![
            vec![],
            vec![0],
            vec![63],
            vec![64],
            vec![1, 5, 700, 701, 100_000],
            (0..64).collect(),
            (0..200).collect(),
            (0..200).chain(1000..1300).chain([5000]).collect(),
            (3..130).step_by(2).collect(),
        ];
        for ones in cases {
            assert_eq!(round_trip(&ones), ones);
        }
    }

    #[test]
    fn an_empty_bitmap_is_what_git_writes() {
        // ewah_new() then ewah_serialize: no bits, one empty run-length word.
        let mut out = Vec::new();
        write([], &mut out);
        assert_eq!(
            out,
            [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        );
    }

    #[test]
    fn corrupt_bitmaps_are_refused() {
        // Claims 2 words but holds 1.
        assert!(Bitmap::parse(&[0, 0, 0, 64, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2]).is_err());
        // Literal words past the end.
        let mut out = vec![0, 0, 0, 64, 0, 0, 0, 1];
        out.extend_from_slice(&(1u64 << 33).to_be_bytes());
        out.extend_from_slice(&[0, 0, 0, 0]);
        assert!(Bitmap::parse(&out).is_err());
        // A run of 2^32-1 words in a 1-bit bitmap.
        let mut out = vec![0, 0, 0, 1, 0, 0, 0, 1];
        out.extend_from_slice(&(LARGEST_RUNNING_COUNT << 1).to_be_bytes());
        out.extend_from_slice(&[0, 0, 0, 0]);
        assert!(Bitmap::parse(&out).is_err());
    }
}
