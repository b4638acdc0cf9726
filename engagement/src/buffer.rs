//! Reads answered 204 and not written yet: bounded, and forgetful of a reader who asked to be
//! forgotten, even of the reads a flush has already taken in hand.

use std::collections::HashSet;

use crate::store::{Read, ReaderKey};

pub struct ReadBuffer {
    reads: Vec<Read>,
    /// The most reads kept; beyond it they are dropped.
    bound: usize,
    /// Readers forgotten since the flush under way took its reads: their reads in its hands
    /// are not to be written.
    forgotten: HashSet<ReaderKey>,
}

impl ReadBuffer {
    pub fn new(bound: usize) -> Self {
        Self {
            reads: Vec::new(),
            bound,
            forgotten: HashSet::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.reads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.reads.is_empty()
    }

    /// Keeps `read`; false when the buffer is full and it is dropped.
    pub fn push(&mut self, read: Read) -> bool {
        if self.reads.len() >= self.bound {
            return false;
        }
        self.reads.push(read);
        true
    }

    /// Everything buffered, for a flush (one at a time). Whoever was forgotten before now has
    /// no read left anywhere but in the buffer, where `forget` removed them.
    pub fn take(&mut self) -> Vec<Read> {
        self.forgotten.clear();
        std::mem::take(&mut self.reads)
    }

    /// Drops this reader's buffered reads, and those the flush under way still holds.
    pub fn forget(&mut self, reader: ReaderKey) {
        self.reads.retain(|r| r.reader != Some(reader));
        self.forgotten.insert(reader);
    }

    /// The reads of `batch` whose reader was not forgotten meanwhile.
    pub fn still_wanted(&self, batch: &[Read]) -> Vec<Read> {
        batch
            .iter()
            .filter(|r| !self.is_forgotten(r))
            .cloned()
            .collect()
    }

    /// Keeps the reads a failed flush did not write, as many as fit (leaving out forgotten
    /// readers'); returns how many were dropped for want of room.
    pub fn put_back(&mut self, reads: &[Read]) -> usize {
        let wanted = self.still_wanted(reads);
        let room = self.bound.saturating_sub(self.reads.len());
        let kept = wanted.len().min(room);
        self.reads.extend_from_slice(&wanted[..kept]);
        wanted.len() - kept
    }

    fn is_forgotten(&self, read: &Read) -> bool {
        read.reader.is_some_and(|r| self.forgotten.contains(&r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(n: u8, reader: Option<u8>) -> Read {
        Read {
            article: "a-1".into(),
            seen: [n; 16],
            reader: reader.map(|r| [r; 16]),
            day: 1,
            hour: 24,
        }
    }

    fn reads(from: u8, to: u8) -> Vec<Read> {
        (from..to).map(|n| read(n, None)).collect()
    }

    /// Regression: a failed batch that did not fit whole was dropped whole.
    #[test]
    fn a_failed_batch_is_put_back_as_far_as_there_is_room() {
        let mut buffer = ReadBuffer::new(10);
        for r in reads(0, 4) {
            assert!(buffer.push(r));
        }
        let taken = buffer.take();
        for r in reads(4, 9) {
            assert!(buffer.push(r));
        }
        // 4 failed, 5 arrived meanwhile, room for 10: one is dropped, not four.
        let mut failed = taken;
        failed.extend(reads(20, 22));
        assert_eq!(buffer.put_back(&failed), 1);
        assert_eq!(buffer.len(), 10);
        assert!(!buffer.push(read(30, None)), "full");
    }

    /// Regression: reads a flush had in hand were written after their reader was forgotten.
    #[test]
    fn a_forgotten_readers_reads_are_not_written_nor_put_back() {
        let mut buffer = ReadBuffer::new(100);
        buffer.push(read(1, Some(7)));
        buffer.push(read(2, Some(8)));
        let in_hand = buffer.take();
        buffer.push(read(3, Some(7)));
        buffer.forget([7; 16]);
        assert_eq!(buffer.len(), 0, "the buffered read is gone");
        let wanted = buffer.still_wanted(&in_hand);
        assert_eq!(wanted.len(), 1);
        assert_eq!(wanted[0].reader, Some([8; 16]));
        assert_eq!(buffer.put_back(&in_hand), 0);
        assert_eq!(buffer.len(), 1, "only reader 8's read is put back");
        // The next flush starts afresh: a read the reader sends after forgetting counts.
        assert_eq!(buffer.take().len(), 1);
        buffer.push(read(4, Some(7)));
        let taken = buffer.take();
        assert_eq!(buffer.still_wanted(&taken).len(), 1);
    }
}
