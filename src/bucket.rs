//! Power-of-two bucket arithmetic, in heap blocks.

/// How many buckets an `AllocationSize` has.
pub const BUCKETS: usize = 16;

/// The last bucket takes every allocation larger than the one before it can hold.
#[cfg(test)]
const LAST: usize = BUCKETS - 1;

/// The bucket an allocation of `blocks` blocks is counted in: the smallest `b` with
/// `blocks <= 2**b`, capped at the last bucket. Zero blocks (nothing allocated) goes to bucket 0.
///
/// The model the tests hold the hot path to. The hot path itself is C, for every host
/// (`cmodule/track.h`), with a count-leading-zeros instruction or a loop by CPU; the core never
/// computes a bucket.
#[cfg(test)]
pub const fn bucket_of(blocks: usize) -> usize {
    // ceil(log2(n)) is the bit length of n - 1.
    let bits = (usize::BITS - blocks.saturating_sub(1).leading_zeros()) as usize;
    if bits < LAST {
        bits
    } else {
        LAST
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition itself, by search: smallest b with n <= 2**b, capped.
    fn model(blocks: usize) -> usize {
        (0..LAST)
            .find(|&b| (blocks as u128) <= 1u128 << b)
            .unwrap_or(LAST)
    }

    #[test]
    fn boundaries_match_the_definition() {
        let mut edges = vec![
            0,
            1,
            usize::MAX,
            usize::MAX - 1,
            usize::MAX / 2,
            usize::MAX / 2 + 1,
        ];
        for b in 0..usize::BITS {
            let p = 1usize << b;
            edges.extend([p - 1, p, p.saturating_add(1)]);
        }
        for n in edges.into_iter().chain(0..5000) {
            assert_eq!(bucket_of(n), model(n.max(1)), "blocks = {n}");
        }
    }

    #[test]
    fn named_examples() {
        // As the README defines them: 0 is 1 block, 1 is 2, 2 is 3-4, 3 is 5-8, 15 is over 16384.
        assert_eq!([1, 2, 3, 4, 5, 8, 9].map(bucket_of), [0, 1, 2, 2, 3, 3, 4]);
        assert_eq!(bucket_of(16384), 14);
        assert_eq!(bucket_of(16385), 15);
        assert_eq!(bucket_of(65536), 15);
        assert_eq!(bucket_of(usize::MAX), 15);
    }
}
