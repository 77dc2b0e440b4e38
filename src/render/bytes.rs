//! The bytes of one output file, shared between the render memo, the output
//! stage and the dev server.
//!
//! Most files are one buffer. A file assembled from many pieces that are kept
//! between builds (graph.json: one piece per briefing) is joined only the first
//! time its bytes are read: `dossier build` reads it to write it, but the dev
//! server usually never does, so its rebuilds skip a copy of tens of megabytes.
//! Hashing and writing go piece by piece and join nothing either; a file of
//! pieces is hashed from its pieces' own hashes, each computed once for the
//! life of the piece, so a rebuild that changed one briefing hashes one entry
//! of graph.json, not all of it.

use std::fmt;
use std::io::Write;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

/// Shared, immutable file contents; cloning shares them.
#[derive(Clone)]
pub struct Bytes(Repr);

#[derive(Clone)]
enum Repr {
    Whole(Arc<Vec<u8>>),
    Pieces(Arc<Pieces>),
}

/// Pieces in order, and their concatenation once somebody asked for it.
struct Pieces {
    pieces: Vec<Piece>,
    joined: OnceLock<Vec<u8>>,
}

/// One piece of a [`Bytes`] made of pieces.
pub enum Piece {
    Shared(Arc<SharedPiece>),
    Fixed(&'static [u8]),
}

impl Piece {
    fn as_slice(&self) -> &[u8] {
        match self {
            Piece::Shared(piece) => &piece.bytes,
            Piece::Fixed(bytes) => bytes,
        }
    }

    fn hash(&self) -> u64 {
        match self {
            Piece::Shared(piece) => piece.hash(),
            Piece::Fixed(bytes) => xxhash_rust::xxh3::xxh3_64(bytes),
        }
    }
}

/// Bytes kept between builds as a piece of a file, with their hash once asked.
#[derive(Default)]
pub struct SharedPiece {
    bytes: Vec<u8>,
    hash: OnceLock<u64>,
}

impl SharedPiece {
    pub fn new(bytes: Vec<u8>) -> Arc<SharedPiece> {
        Arc::new(SharedPiece {
            bytes,
            hash: OnceLock::new(),
        })
    }

    fn hash(&self) -> u64 {
        *self
            .hash
            .get_or_init(|| xxhash_rust::xxh3::xxh3_64(&self.bytes))
    }
}

impl Deref for SharedPiece {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

impl Bytes {
    /// The concatenation of `pieces`, joined when first read.
    pub fn joined(pieces: Vec<Piece>) -> Bytes {
        Bytes(Repr::Pieces(Arc::new(Pieces {
            pieces,
            joined: OnceLock::new(),
        })))
    }

    /// The length, without joining pieces.
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Whole(bytes) => bytes.len(),
            Repr::Pieces(p) => p.pieces.iter().map(|piece| piece.as_slice().len()).sum(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A 64-bit hash of the contents. One buffer: its xxh3. Pieces: the xxh3
    /// of each piece's length and xxh3, in order; each shared piece hashes
    /// itself once. Two files made of the same pieces hash the same, and a
    /// changed piece changes the hash; the two forms of equal contents need
    /// not hash the same (a path's files are always made the same way).
    pub fn xxh3(&self) -> u64 {
        match &self.0 {
            Repr::Whole(bytes) => xxhash_rust::xxh3::xxh3_64(bytes),
            Repr::Pieces(p) => {
                let mut state = xxhash_rust::xxh3::Xxh3::new();
                for piece in &p.pieces {
                    state.update(&(piece.as_slice().len() as u64).to_le_bytes());
                    state.update(&piece.hash().to_le_bytes());
                }
                state.digest()
            }
        }
    }

    /// Writes the contents to `out`, piece by piece, without joining them.
    pub fn write_to(&self, out: &mut impl Write) -> std::io::Result<()> {
        match &self.0 {
            Repr::Whole(bytes) => out.write_all(bytes),
            Repr::Pieces(p) => match p.joined.get() {
                Some(joined) => out.write_all(joined),
                None => {
                    let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
                    for piece in &p.pieces {
                        out.write_all(piece.as_slice())?;
                    }
                    out.flush()
                }
            },
        }
    }

    /// Whether both are the very same contents (not merely equal ones).
    pub fn ptr_eq(a: &Bytes, b: &Bytes) -> bool {
        match (&a.0, &b.0) {
            (Repr::Whole(x), Repr::Whole(y)) => Arc::ptr_eq(x, y),
            (Repr::Pieces(x), Repr::Pieces(y)) => Arc::ptr_eq(x, y),
            _ => false,
        }
    }
}

impl Default for Bytes {
    fn default() -> Bytes {
        Bytes(Repr::Whole(Arc::default()))
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(bytes: Vec<u8>) -> Bytes {
        Bytes(Repr::Whole(Arc::new(bytes)))
    }
}

impl From<Arc<Vec<u8>>> for Bytes {
    fn from(bytes: Arc<Vec<u8>>) -> Bytes {
        Bytes(Repr::Whole(bytes))
    }
}

impl Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match &self.0 {
            Repr::Whole(bytes) => bytes,
            Repr::Pieces(p) => p.joined.get_or_init(|| {
                let mut out = Vec::with_capacity(p.pieces.iter().map(|x| x.as_slice().len()).sum());
                for piece in &p.pieces {
                    out.extend_from_slice(piece.as_slice());
                }
                out
            }),
        }
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

/// Equal contents. Two files of pieces cut at the same places are compared
/// piece by piece, so neither is joined (the dev server compares every file of
/// a rebuild with the last one).
impl PartialEq for Bytes {
    fn eq(&self, other: &Bytes) -> bool {
        if Bytes::ptr_eq(self, other) {
            return true;
        }
        if self.len() != other.len() {
            return false;
        }
        if let (Repr::Pieces(a), Repr::Pieces(b)) = (&self.0, &other.0)
            && a.pieces.len() == b.pieces.len()
            && a.pieces
                .iter()
                .zip(&b.pieces)
                .all(|(x, y)| x.as_slice().len() == y.as_slice().len())
        {
            return a.pieces.iter().zip(&b.pieces).all(|(x, y)| match (x, y) {
                (Piece::Shared(x), Piece::Shared(y)) => Arc::ptr_eq(x, y) || x.bytes == y.bytes,
                _ => x.as_slice() == y.as_slice(),
            });
        }
        **self == **other
    }
}

impl Eq for Bytes {}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bytes({} bytes)", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_read_as_their_concatenation() {
        let shared = SharedPiece::new(b"two".to_vec());
        let bytes = Bytes::joined(vec![
            Piece::Fixed(b"one,"),
            Piece::Shared(Arc::clone(&shared)),
            Piece::Fixed(b",three"),
        ]);
        assert_eq!(bytes.len(), 13);
        let mut written = Vec::new();
        bytes.write_to(&mut written).unwrap();
        assert_eq!(written, b"one,two,three");
        assert_eq!(&*bytes, b"one,two,three");
        assert_eq!(bytes, Bytes::from(b"one,two,three".to_vec()));
    }

    #[test]
    fn pieces_hash_by_their_contents_and_cuts() {
        let file = |middle: &[u8]| {
            Bytes::joined(vec![
                Piece::Fixed(b"["),
                Piece::Shared(SharedPiece::new(middle.to_vec())),
                Piece::Fixed(b"]"),
            ])
        };
        assert_eq!(file(b"a,b").xxh3(), file(b"a,b").xxh3());
        assert_ne!(file(b"a,b").xxh3(), file(b"a,c").xxh3());
        // The same text cut elsewhere is a different file of pieces.
        let recut = Bytes::joined(vec![
            Piece::Fixed(b"[a"),
            Piece::Shared(SharedPiece::new(b",b".to_vec())),
            Piece::Fixed(b"]"),
        ]);
        assert_eq!(&*recut, &*file(b"a,b"));
        assert_ne!(recut.xxh3(), file(b"a,b").xxh3());
    }

    #[test]
    fn sameness_is_by_allocation() {
        let a = Bytes::from(b"x".to_vec());
        let b = Bytes::from(b"x".to_vec());
        assert!(Bytes::ptr_eq(&a, &a.clone()));
        assert!(!Bytes::ptr_eq(&a, &b));
        assert_eq!(a, b);
    }
}
