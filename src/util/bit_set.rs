//! A set of indexes below a fixed length, one bit each: which runs of a sweep are finished.

/// A set of the indexes `0..len`, one bit per index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BitSet {
    words: Vec<u64>,
    len: u64,
    count: u64,
}

impl BitSet {
    /// The empty set of indexes below `len`.
    pub fn new(len: u64) -> BitSet {
        BitSet {
            words: vec![0; usize::try_from(len.div_ceil(64)).unwrap_or(usize::MAX)],
            len,
            count: 0,
        }
    }

    /// Indexes the set can hold: `0..len`.
    pub fn capacity(&self) -> u64 {
        self.len
    }

    /// Indexes in the set.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Whether `i` is in the set (false past the length).
    pub fn contains(&self, i: u64) -> bool {
        i < self.len && self.words[(i / 64) as usize] & (1 << (i % 64)) != 0
    }

    /// Add `i` (< the length); whether it was not there yet.
    pub fn insert(&mut self, i: u64) -> bool {
        assert!(i < self.len, "index {i} outside a set of {}", self.len);
        let w = &mut self.words[(i / 64) as usize];
        let new = *w & (1 << (i % 64)) == 0;
        *w |= 1 << (i % 64);
        self.count += u64::from(new);
        new
    }

    /// Remove `i`; whether it was there.
    pub fn remove(&mut self, i: u64) -> bool {
        if !self.contains(i) {
            return false;
        }
        self.words[(i / 64) as usize] &= !(1 << (i % 64));
        self.count -= 1;
        true
    }

    /// The indexes in the set, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        self.bits_where(false)
    }

    /// The indexes below the length not in the set, ascending.
    pub fn missing(&self) -> impl Iterator<Item = u64> + '_ {
        self.bits_where(true)
    }

    /// The indexes whose bit is set (`flip` false) or clear (`flip` true), skipping whole words.
    fn bits_where(&self, flip: bool) -> impl Iterator<Item = u64> + '_ {
        let len = self.len;
        self.words.iter().enumerate().flat_map(move |(w, &word)| {
            let word = if flip { !word } else { word };
            (0..64u64)
                .take_while(move |&b| word >> b != 0)
                .filter(move |&b| word & (1 << b) != 0)
                .map(move |b| w as u64 * 64 + b)
                .filter(move |&i| i < len)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_removes_and_lists_across_words() {
        let mut s = BitSet::new(130);
        assert!(s.insert(0));
        assert!(s.insert(64));
        assert!(s.insert(129));
        assert!(!s.insert(64));
        assert_eq!(s.count(), 3);
        assert!(s.contains(129) && !s.contains(128) && !s.contains(500));
        assert_eq!(s.iter().collect::<Vec<_>>(), [0, 64, 129]);
        assert!(s.remove(64));
        assert!(!s.remove(64));
        assert_eq!(s.count(), 2);
        assert_eq!(s.missing().count(), 128);
        assert_eq!(s.missing().take(2).collect::<Vec<_>>(), [1, 2]);
    }
}
