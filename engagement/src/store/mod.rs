//! Storage behind one small trait, so the service above it never knows which database it
//! runs on: SQLite (`sqlite.rs`), the default, or PostgreSQL (`postgres.rs`) for several
//! replicas on one database.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

pub mod postgres;
pub mod sqlite;

/// What a storage call returns, later.
pub type Fut<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// A reader, as stored: an HMAC of their id under the server's secret, never the id itself.
pub type ReaderKey = [u8; 16];

/// Counts of one article.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub very_good: u64,
    pub views: u64,
}

/// A reader adding or taking back their reaction.
#[derive(Debug, Clone)]
pub struct Reaction {
    pub article: String,
    pub reader: ReaderKey,
    pub add: bool,
    /// The UTC day (days since 1970-01-01), for the per-day cap.
    pub day: i64,
    /// The most reactions one reader may add in one day.
    pub daily_cap: u32,
}

/// What a reaction call found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reacted {
    pub counts: Counts,
    pub mine: bool,
}

/// One read to count, if its visitor has not read the article today.
#[derive(Debug, Clone)]
pub struct Read {
    pub article: String,
    /// Keyed hash of (visitor, article, day): the same for the same visitor all day.
    pub seen: [u8; 16],
    /// The reader, when their id was sent (so forget-me can take the read back).
    pub reader: Option<ReaderKey>,
    pub day: i64,
    /// Hours since 1970 (for most read).
    pub hour: i64,
}

/// Everything one reader gave.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReaderData {
    /// (article, kind, UTC day given)
    pub reactions: Vec<(String, String, i64)>,
    /// (article, UTC day read)
    pub reads: Vec<(String, i64)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The reader has reached the day's cap of reactions.
    DailyCap,
    /// Too much waiting work: try again shortly.
    Busy,
    /// The database cannot be reached (yet): try again shortly (the message is for the log).
    Unavailable(String),
    /// The database failed (the message is for the log).
    Database(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::DailyCap => f.write_str("the daily cap of reactions is reached"),
            StoreError::Busy => f.write_str("the write queue is full"),
            StoreError::Unavailable(e) => write!(f, "database unavailable: {e}"),
            StoreError::Database(e) => write!(f, "database: {e}"),
        }
    }
}

/// A gauge for `/metrics`: name, help, value.
pub type Gauge = (&'static str, &'static str, u64);

/// The storage the service needs.
pub trait Store: Send + Sync + 'static {
    /// Adds or takes back a reaction; the counter changes only when a row did. Answered
    /// after the commit.
    fn react(&self, reaction: Reaction) -> Fut<'_, Reacted>;
    /// The counts of `article`, and whether `reader` gave "very_good".
    fn counts(&self, article: String, reader: Option<ReaderKey>) -> Fut<'_, Reacted>;
    /// Counts of many articles (absent ones are zero).
    fn batch(&self, articles: Vec<String>) -> Fut<'_, Vec<Counts>>;
    /// Which of `articles` this reader reacted to.
    fn mine(&self, reader: ReaderKey, articles: Vec<String>) -> Fut<'_, Vec<bool>>;
    /// Counts the reads not seen before today; returns how many counted.
    fn add_reads(&self, reads: Vec<Read>) -> Fut<'_, usize>;
    /// The most reads one `add_reads` should carry: a backlog is written in such steps.
    fn read_batch(&self) -> usize;
    /// Articles by reads since `since_hour`, most first.
    fn most_read(&self, since_hour: i64, limit: usize) -> Fut<'_, Vec<(String, u64)>>;
    /// Deletes everything `reader` gave, correcting the counters; returns what it was.
    fn forget(&self, reader: ReaderKey) -> Fut<'_, ReaderData>;
    /// Everything `reader` gave.
    fn export(&self, reader: ReaderKey) -> Fut<'_, ReaderData>;
    /// The visitor salt of `day`, made on first use; salts older than yesterday are deleted.
    fn salt(&self, day: i64) -> Fut<'_, [u8; 32]>;
    /// The server's secret for reader ids, made on first start.
    fn secret(&self) -> Fut<'_, [u8; 32]>;
    /// Deletes hourly counts and readers' reads before `before_hour` and dedupe keys before
    /// `before_day`, at most `chunk` rows of each table where the backend has a statement
    /// timeout to keep within; returns whether there may be more to delete.
    fn prune(&self, before_hour: i64, before_day: i64, chunk: usize) -> Fut<'_, bool>;
    /// A consistent copy of the database at `to`, while it serves.
    fn backup(&self, to: PathBuf) -> Fut<'_, ()>;
    /// Whether the database answers, is migrated, and the write queue has room.
    fn ready(&self) -> Fut<'_, ()>;
    /// Finishes the queued writes and stops writing.
    fn close(&self) -> Fut<'_, ()>;
    /// What is worth watching of the storage now (queues, connections).
    fn gauges(&self) -> Vec<Gauge>;
}

/// 32 random bytes from the operating system, for salts and the secret.
pub(crate) fn random32() -> [u8; 32] {
    use rand::RngCore;
    let mut out = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut out);
    out
}
