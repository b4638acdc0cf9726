//! PostgreSQL, for several stateless replicas on one database. Each call is one short
//! transaction on a pooled connection, answered after its commit; PostgreSQL's row locks do
//! what SQLite's single writer does. What replicas must agree on lives in the database (the
//! secret, the day's salts, the read dedupe, the most-read ranking), created race-free with
//! `INSERT … ON CONFLICT DO NOTHING` then a `SELECT`. Jobs that one replica should do at a
//! time (migrations, the ranking, pruning) hold an advisory lock. Rows are locked in one order
//! (keys sorted), and a deadlock, serialization failure or lost connection is retried: every
//! call is idempotent.
//!
//! The service starts without the database: migrations run in the background until they
//! succeed, and until then every call is `Unavailable` at once (503, readiness false).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{
    Manager, ManagerConfig, Object, Pool, PoolError, RecyclingMethod, Runtime, Timeouts,
};
use tokio_postgres::error::SqlState;
use tokio_postgres::{NoTls, Row};

use super::{
    random32, Counts, Fut, Gauge, Reacted, Reaction, Read, ReaderData, ReaderKey, Store, StoreError,
};
use crate::config::Settings;

/// The schema, one migration per entry, applied in order (the `migrations` table says how
/// far). Text keys sort bytewise (`C`), as in Rust and SQLite, so every replica and every
/// statement locks rows in the same order.
const MIGRATIONS: &[&str] = &[
    // 1: as SQLite's first, plus the shared most-read ranking.
    "CREATE TABLE counters (
        article text COLLATE \"C\" PRIMARY KEY,
        very_good bigint NOT NULL DEFAULT 0 CHECK (very_good >= 0),
        views bigint NOT NULL DEFAULT 0 CHECK (views >= 0)
     );
     CREATE TABLE reactions (
        reader bytea NOT NULL,
        article text COLLATE \"C\" NOT NULL,
        kind text COLLATE \"C\" NOT NULL,
        day bigint NOT NULL,
        PRIMARY KEY (reader, article, kind)
     );
     CREATE INDEX reactions_by_day ON reactions (reader, day);
     CREATE TABLE reads_hourly (
        hour bigint NOT NULL,
        article text COLLATE \"C\" NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (hour, article)
     );
     CREATE TABLE seen (
        day bigint NOT NULL,
        key bytea NOT NULL,
        PRIMARY KEY (day, key)
     );
     CREATE TABLE reader_reads (
        reader bytea NOT NULL,
        article text COLLATE \"C\" NOT NULL,
        day bigint NOT NULL,
        hour bigint NOT NULL,
        PRIMARY KEY (reader, article, day)
     );
     CREATE INDEX reader_reads_by_hour ON reader_reads (hour);
     CREATE TABLE salts (day bigint PRIMARY KEY, salt bytea NOT NULL);
     CREATE TABLE meta (key text PRIMARY KEY, value bytea NOT NULL);
     CREATE TABLE most_read (
        rank integer PRIMARY KEY,
        article text COLLATE \"C\" NOT NULL,
        reads bigint NOT NULL
     );
     CREATE TABLE most_read_made (
        one boolean PRIMARY KEY DEFAULT true CHECK (one),
        since_hour bigint NOT NULL,
        size bigint NOT NULL,
        at timestamptz NOT NULL
     );",
];

/// Advisory locks: `(JOBS, job)` for work one replica does at a time, `(READERS, hash)` for
/// one reader's reactions (so the daily cap holds across replicas).
const JOBS: i32 = 0x656e_6701;
const READERS: i32 = 0x656e_6702;
const MIGRATE: i32 = 1;
const RANKING: i32 = 2;
const PRUNE: i32 = 3;

/// Tries of one call: a lost connection, a deadlock or a serialization failure is tried
/// again on another connection.
const ATTEMPTS: usize = 3;

/// The longest wait between two tries of the migrations while the database is away.
const MOST_RETRY: Duration = Duration::from_secs(5);

pub struct Postgres {
    pool: Pool,
    /// Set once the migrations have run; until then every call is `Unavailable`.
    migrated: Arc<AtomicBool>,
    /// Whether the last call reached the database (its changes are logged, not each failure).
    reachable: AtomicBool,
    /// Calls hold it shared; `close` takes it whole (so it waits for them) and sets it.
    closed: tokio::sync::RwLock<bool>,
    ranking_refresh_ms: i64,
}

/// Why one try failed.
enum Op {
    Pg(tokio_postgres::Error),
    /// An answer of the store itself (the daily cap).
    Store(StoreError),
}

impl From<tokio_postgres::Error> for Op {
    fn from(e: tokio_postgres::Error) -> Self {
        Op::Pg(e)
    }
}

/// A failure of the connection or of the server, not of the statement: worth another
/// connection.
fn connection_lost(e: &tokio_postgres::Error) -> bool {
    let io = std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>());
    e.is_closed()
        || io
        || e.code().is_some_and(|code| {
            code.code().starts_with("08")
                || [
                    SqlState::ADMIN_SHUTDOWN,
                    SqlState::CRASH_SHUTDOWN,
                    SqlState::CANNOT_CONNECT_NOW,
                ]
                .contains(code)
        })
}

/// The server's message when there is one (the error's own text is only "db error").
fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

fn retryable(e: &tokio_postgres::Error) -> bool {
    connection_lost(e)
        || e.code() == Some(&SqlState::T_R_DEADLOCK_DETECTED)
        || e.code() == Some(&SqlState::T_R_SERIALIZATION_FAILURE)
}

/// Runs `$attempt`, an expression using the pooled connection `$c`, after checking the
/// store is open; tries again on a new connection when [`retryable`].
macro_rules! retrying {
    ($store:ident, |$c:ident| $attempt:expr) => {{
        let _open = $store.admit().await?;
        let mut tries = 0;
        loop {
            #[allow(unused_mut)]
            let mut $c = $store.connection().await?;
            match $attempt.await {
                Ok(v) => {
                    $store.reached(true);
                    break Ok(v);
                }
                Err(Op::Pg(e)) if tries + 1 < ATTEMPTS && retryable(&e) => tries += 1,
                Err(e) => break Err($store.failed(e)),
            }
        }
    }};
}

impl Postgres {
    /// A pool for `url` (no connection yet), and the migrations started in the background.
    pub fn open(url: &str, settings: &Settings) -> Result<Self, StoreError> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Database(format!("the PostgreSQL URL: {e}")))?;
        if config.get_ssl_mode() == tokio_postgres::config::SslMode::Require {
            return Err(StoreError::Database(
                "sslmode=require: this build speaks to PostgreSQL without TLS \
                 (a private network, loopback or a Unix socket)"
                    .into(),
            ));
        }
        let options = format!(
            "{} -c statement_timeout={}",
            config.get_options().unwrap_or_default(),
            settings.pg_statement_timeout_ms
        );
        config
            .options(options.trim())
            .application_name("engagement")
            .connect_timeout(Duration::from_millis(settings.pg_connect_timeout_ms))
            // A database host that vanished is noticed, not waited on for ever.
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(30));
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let wait = Duration::from_millis(settings.pg_pool_wait_ms);
        let pool = Pool::builder(manager)
            .max_size(settings.pg_pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .timeouts(Timeouts {
                wait: Some(wait),
                create: Some(Duration::from_millis(settings.pg_connect_timeout_ms)),
                recycle: Some(wait),
            })
            .build()
            .map_err(|e| StoreError::Database(e.to_string()))?;
        let migrated = Arc::new(AtomicBool::new(false));
        tokio::spawn(migrate_until_done(pool.clone(), Arc::clone(&migrated)));
        Ok(Self {
            pool,
            migrated,
            reachable: AtomicBool::new(true),
            closed: tokio::sync::RwLock::new(false),
            ranking_refresh_ms: i64::try_from(settings.most_read_refresh_ms).unwrap_or(i64::MAX),
        })
    }

    /// Leave to run a call: the store is migrated and not closed.
    async fn admit(&self) -> Result<tokio::sync::RwLockReadGuard<'_, bool>, StoreError> {
        let closed = self.closed.read().await;
        if *closed {
            return Err(StoreError::Database("the store is closed".into()));
        }
        if !self.migrated.load(Ordering::Acquire) {
            return Err(StoreError::Unavailable(
                "PostgreSQL not reached yet (migrations pending)".into(),
            ));
        }
        Ok(closed)
    }

    async fn connection(&self) -> Result<Object, StoreError> {
        self.pool.get().await.map_err(|e| {
            let e = pool_error(e);
            if matches!(e, StoreError::Unavailable(_)) {
                self.reached(false);
            }
            e
        })
    }

    /// Notes whether the database answered, logging only the changes.
    fn reached(&self, yes: bool) {
        if self.reachable.swap(yes, Ordering::Relaxed) != yes {
            if yes {
                tracing::info!("PostgreSQL reachable again");
            } else {
                tracing::warn!("PostgreSQL unreachable: calls answer 503 until it is back");
            }
        }
    }

    fn failed(&self, e: Op) -> StoreError {
        match e {
            Op::Store(e) => e,
            Op::Pg(e) if connection_lost(&e) => {
                self.reached(false);
                StoreError::Unavailable(describe(&e))
            }
            Op::Pg(e) => StoreError::Database(describe(&e)),
        }
    }
}

fn pool_error(e: PoolError) -> StoreError {
    match e {
        // Every connection busy for the whole wait: too much work, not a dead database.
        PoolError::Timeout(deadpool_postgres::TimeoutType::Wait) => StoreError::Busy,
        PoolError::Closed => StoreError::Database("the store is closed".into()),
        PoolError::Backend(e) => StoreError::Unavailable(describe(&e)),
        e => StoreError::Unavailable(e.to_string()),
    }
}

/// Runs the migrations, trying again (after 250 ms, doubling up to every 5 s) until they
/// succeed.
async fn migrate_until_done(pool: Pool, migrated: Arc<AtomicBool>) {
    let mut wait = Duration::from_millis(250);
    loop {
        match migrate(&pool).await {
            Ok(()) => {
                migrated.store(true, Ordering::Release);
                tracing::info!(version = MIGRATIONS.len(), "PostgreSQL schema ready");
                return;
            }
            Err(e) => {
                tracing::warn!(error = %e, retry_ms = wait.as_millis() as u64, "PostgreSQL not ready");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(MOST_RETRY);
            }
        }
    }
}

/// Applies the migrations the database has not had yet, one replica at a time.
async fn migrate(pool: &Pool) -> Result<(), String> {
    let mut c = pool.get().await.map_err(|e| e.to_string())?;
    let tx = c.transaction().await.map_err(|e| describe(&e))?;
    let run = async {
        tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&JOBS, &MIGRATE])
            .await?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS migrations (
                version integer PRIMARY KEY,
                at timestamptz NOT NULL DEFAULT now()
             )",
        )
        .await?;
        let done: i32 = tx
            .query_one("SELECT coalesce(max(version), 0) FROM migrations", &[])
            .await?
            .try_get(0)?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(done.max(0) as usize) {
            tx.batch_execute(sql).await?;
            tx.execute(
                "INSERT INTO migrations (version) VALUES ($1)",
                &[&(i as i32 + 1)],
            )
            .await?;
        }
        Ok::<_, tokio_postgres::Error>(())
    };
    run.await.map_err(|e| describe(&e))?;
    tx.commit().await.map_err(|e| describe(&e))
}

type Param<'a> = &'a (dyn tokio_postgres::types::ToSql + Sync);

fn lock_key(reader: &[u8]) -> i32 {
    i32::from_be_bytes([reader[0], reader[1], reader[2], reader[3]])
}

/// A count as stored (never below 0: the schema checks it).
fn count(row: &Row, column: usize) -> Result<u64, tokio_postgres::Error> {
    Ok(row.try_get::<_, i64>(column)?.max(0) as u64)
}

fn counts_of(row: &Row) -> Result<Counts, tokio_postgres::Error> {
    Ok(Counts {
        very_good: count(row, 0)?,
        views: count(row, 1)?,
    })
}

/// One reaction: the row and the counter in one transaction, the counter only when a row was
/// inserted or deleted. Three round trips: the statements between `BEGIN` and `COMMIT` are
/// sent together and run in order.
async fn react_once(c: &mut Object, r: &Reaction) -> Result<Reacted, Op> {
    let tx = c.transaction().await?;
    let reader = &r.reader[..];
    let key = lock_key(reader);
    let (by_key, by_article, by_day): ([Param; 2], [Param; 3], [Param; 2]) = (
        [&READERS, &key],
        [&reader, &r.article, &r.day],
        [&reader, &r.day],
    );
    let article: [Param; 1] = [&r.article];
    let counts = tx
        .prepare_cached("SELECT very_good, views FROM counters WHERE article = $1")
        .await?;
    let now = if r.add {
        let lock = tx
            .prepare_cached("SELECT pg_advisory_xact_lock($1, $2)")
            .await?;
        let add = tx
            .prepare_cached(
                "WITH added AS (
                     INSERT INTO reactions (reader, article, kind, day)
                     VALUES ($1, $2, 'very_good', $3)
                     ON CONFLICT DO NOTHING RETURNING article
                 )
                 INSERT INTO counters (article, very_good) SELECT article, 1 FROM added
                 ON CONFLICT (article) DO UPDATE SET very_good = counters.very_good + 1",
            )
            .await?;
        let today = tx
            .prepare_cached("SELECT count(*) FROM reactions WHERE reader = $1 AND day = $2")
            .await?;
        // The lock first: this reader's other reactions are committed before the count.
        let (_, added, today, now) = tokio::try_join!(
            biased;
            tx.execute(&lock, &by_key),
            tx.execute(&add, &by_article),
            tx.query_one(&today, &by_day),
            tx.query_opt(&counts, &article),
        )?;
        if added == 1 && today.try_get::<_, i64>(0)? > i64::from(r.daily_cap) {
            // Rolled back when dropped: nothing of it is stored.
            return Err(Op::Store(StoreError::DailyCap));
        }
        now
    } else {
        let take = tx
            .prepare_cached(
                "WITH taken AS (
                     DELETE FROM reactions
                     WHERE reader = $1 AND article = $2 AND kind = 'very_good'
                     RETURNING article
                 )
                 UPDATE counters SET very_good = very_good - 1
                 WHERE article IN (SELECT article FROM taken) AND very_good > 0",
            )
            .await?;
        let (_, now) = tokio::try_join!(
            biased;
            tx.execute(&take, &by_article[..2]),
            tx.query_opt(&counts, &article),
        )?;
        now
    };
    tx.commit().await?;
    Ok(Reacted {
        counts: now
            .map(|row| counts_of(&row))
            .transpose()?
            .unwrap_or_default(),
        mine: r.add,
    })
}

/// Counts the reads whose dedupe key is new, in one statement: the dedupe keys first
/// (`RETURNING` says which reads are new), then the reader's list, then the shared counter and
/// hourly rows. Each part takes its rows in key order, so two replicas writing the same
/// articles wait for each other instead of deadlocking; nothing but the count comes back.
async fn add_reads_once(c: &mut Object, reads: &[Read]) -> Result<usize, Op> {
    let tx = c.transaction().await?;
    let write = tx
        .prepare_cached(
            "WITH batch AS (
                 SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::text[], $4::bigint[],
                                      $5::bytea[]) AS r (day, key, article, hour, reader)
             ), new AS (
                 INSERT INTO seen (day, key) SELECT day, key FROM batch ORDER BY day, key
                 ON CONFLICT DO NOTHING RETURNING day, key
             ), counted AS (
                 SELECT batch.* FROM batch JOIN new USING (day, key)
             ), by_reader AS (
                 INSERT INTO reader_reads (reader, article, day, hour)
                 SELECT reader, article, day, hour FROM counted WHERE reader IS NOT NULL
                 ORDER BY reader, article COLLATE \"C\", day
                 ON CONFLICT DO NOTHING
             ), views AS (
                 INSERT INTO counters (article, views)
                 SELECT article, count(*) FROM counted
                 GROUP BY article ORDER BY article COLLATE \"C\"
                 ON CONFLICT (article) DO UPDATE SET views = counters.views + excluded.views
             ), hourly AS (
                 INSERT INTO reads_hourly (hour, article, count)
                 SELECT hour, article, count(*) FROM counted
                 GROUP BY hour, article ORDER BY hour, article COLLATE \"C\"
                 ON CONFLICT (hour, article)
                 DO UPDATE SET count = reads_hourly.count + excluded.count
             )
             SELECT count(*) FROM counted",
        )
        .await?;
    let days: Vec<i64> = reads.iter().map(|r| r.day).collect();
    let keys: Vec<&[u8]> = reads.iter().map(|r| &r.seen[..]).collect();
    let articles: Vec<&str> = reads.iter().map(|r| r.article.as_str()).collect();
    let hours: Vec<i64> = reads.iter().map(|r| r.hour).collect();
    let readers: Vec<Option<&[u8]>> = reads
        .iter()
        .map(|r| r.reader.as_ref().map(|k| &k[..]))
        .collect();
    let counted = count(
        &tx.query_one(&write, &[&days, &keys, &articles, &hours, &readers])
            .await?,
        0,
    )?;
    tx.commit().await?;
    Ok(counted as usize)
}

async fn reader_data(c: &Object, reader: &ReaderKey) -> Result<ReaderData, Op> {
    let reactions = c
        .query(
            "SELECT article, kind, day FROM reactions WHERE reader = $1 ORDER BY day, article",
            &[&&reader[..]],
        )
        .await?;
    let reads = c
        .query(
            "SELECT article, day FROM reader_reads WHERE reader = $1 ORDER BY day, article",
            &[&&reader[..]],
        )
        .await?;
    Ok(reader_rows(&reactions, &reads)?)
}

/// A reader's data from rows of (article, kind, day) and (article, day, …).
fn reader_rows(reactions: &[Row], reads: &[Row]) -> Result<ReaderData, tokio_postgres::Error> {
    Ok(ReaderData {
        reactions: reactions
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .collect::<Result<_, tokio_postgres::Error>>()?,
        reads: reads
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_, tokio_postgres::Error>>()?,
    })
}

/// Deletes one reader's rows and takes them off the counters: counters in article order, then
/// hourly counts in (hour, article) order, as the flush takes them.
async fn forget_once(c: &mut Object, reader: &ReaderKey) -> Result<ReaderData, Op> {
    let tx = c.transaction().await?;
    let reader = &reader[..];
    tx.execute(
        "SELECT pg_advisory_xact_lock($1, $2)",
        &[&READERS, &lock_key(reader)],
    )
    .await?;
    let reactions = tx
        .query(
            "DELETE FROM reactions WHERE reader = $1 RETURNING article, kind, day",
            &[&reader],
        )
        .await?;
    let reads = tx
        .query(
            "DELETE FROM reader_reads WHERE reader = $1 RETURNING article, day, hour",
            &[&reader],
        )
        .await?;
    let mut data = reader_rows(&reactions, &reads)?;
    let mut counters: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    let mut hourly: BTreeMap<(i64, &str), i64> = BTreeMap::new();
    for (article, _, _) in &data.reactions {
        counters.entry(article).or_default().0 += 1;
    }
    for (row, (article, _)) in reads.iter().zip(&data.reads) {
        counters.entry(article).or_default().1 += 1;
        *hourly.entry((row.try_get(2)?, article)).or_default() += 1;
    }
    let take = tx
        .prepare_cached(
            "UPDATE counters SET very_good = greatest(very_good - $2, 0),
                                 views = greatest(views - $3, 0)
             WHERE article = $1",
        )
        .await?;
    for (article, (very_good, views)) in &counters {
        tx.execute(&take, &[article, very_good, views]).await?;
    }
    let take = tx
        .prepare_cached(
            "UPDATE reads_hourly SET count = greatest(count - $3, 0)
             WHERE hour = $1 AND article = $2",
        )
        .await?;
    for ((hour, article), n) in &hourly {
        tx.execute(&take, &[hour, article, n]).await?;
    }
    tx.commit().await?;
    data.reactions.sort_by(|a, b| (a.2, &a.0).cmp(&(b.2, &b.0)));
    data.reads.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    Ok(data)
}

fn bytes32(value: Vec<u8>) -> Result<[u8; 32], Op> {
    value
        .try_into()
        .map_err(|_| Op::Store(StoreError::Database("a stored key is not 32 bytes".into())))
}

async fn salt_once(c: &mut Object, day: i64) -> Result<[u8; 32], Op> {
    let tx = c.transaction().await?;
    tx.execute("DELETE FROM salts WHERE day < $1", &[&(day - 1)])
        .await?;
    tx.execute(
        "INSERT INTO salts (day, salt) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        &[&day, &&random32()[..]],
    )
    .await?;
    let salt = tx
        .query_one("SELECT salt FROM salts WHERE day = $1", &[&day])
        .await?
        .try_get(0)?;
    tx.commit().await?;
    bytes32(salt)
}

async fn secret_once(c: &mut Object) -> Result<[u8; 32], Op> {
    c.execute(
        "INSERT INTO meta (key, value) VALUES ('reader_secret', $1) ON CONFLICT DO NOTHING",
        &[&&random32()[..]],
    )
    .await?;
    let secret = c
        .query_one("SELECT value FROM meta WHERE key = 'reader_secret'", &[])
        .await?
        .try_get(0)?;
    bytes32(secret)
}

/// The ranking of reads since `since_hour`, made again by one replica at a time when it is
/// older than the refresh interval or for another hour; the others wait for it and read it.
async fn most_read_once(
    c: &mut Object,
    since_hour: i64,
    limit: i64,
    refresh_ms: i64,
) -> Result<Vec<(String, u64)>, Op> {
    let tx = c.transaction().await?;
    let fresh = "SELECT 1 FROM most_read_made
                 WHERE since_hour = $1 AND size >= $2
                   AND at > now() - $3::bigint * interval '1 millisecond'";
    let params: [Param; 3] = [&since_hour, &limit, &refresh_ms];
    if tx.query_opt(fresh, &params).await?.is_none() {
        tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&JOBS, &RANKING])
            .await?;
        // Another replica may have made it while this one waited.
        if tx.query_opt(fresh, &params).await?.is_none() {
            tx.batch_execute("DELETE FROM most_read").await?;
            tx.execute(
                "INSERT INTO most_read (rank, article, reads)
                 SELECT row_number() OVER (ORDER BY n DESC, article), article, n FROM (
                     SELECT article, sum(count)::bigint AS n FROM reads_hourly WHERE hour >= $1
                     GROUP BY article HAVING sum(count) > 0 ORDER BY n DESC, article LIMIT $2
                 ) ranked",
                &[&since_hour, &limit],
            )
            .await?;
            tx.execute(
                "INSERT INTO most_read_made (since_hour, size, at) VALUES ($1, $2, now())
                 ON CONFLICT (one) DO UPDATE SET since_hour = $1, size = $2, at = now()",
                &[&since_hour, &limit],
            )
            .await?;
        }
    }
    let rows = tx
        .query(
            "SELECT article, reads FROM most_read ORDER BY rank LIMIT $1",
            &[&limit],
        )
        .await?;
    tx.commit().await?;
    let ranked = rows
        .iter()
        .map(|r| Ok((r.try_get(0)?, count(r, 1)?)))
        .collect::<Result<_, tokio_postgres::Error>>()?;
    Ok(ranked)
}

/// Deletes what retention no longer keeps, unless another replica is doing it now.
async fn prune_once(c: &mut Object, before_hour: i64, before_day: i64) -> Result<(), Op> {
    let tx = c.transaction().await?;
    let mine: bool = tx
        .query_one("SELECT pg_try_advisory_xact_lock($1, $2)", &[&JOBS, &PRUNE])
        .await?
        .try_get(0)?;
    if mine {
        tx.execute("DELETE FROM reads_hourly WHERE hour < $1", &[&before_hour])
            .await?;
        tx.execute("DELETE FROM reader_reads WHERE hour < $1", &[&before_hour])
            .await?;
        tx.execute("DELETE FROM seen WHERE day < $1", &[&before_day])
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

impl Store for Postgres {
    fn react(&self, reaction: Reaction) -> Fut<'_, Reacted> {
        Box::pin(async move { retrying!(self, |c| react_once(&mut c, &reaction)) })
    }

    fn counts(&self, article: String, reader: Option<ReaderKey>) -> Fut<'_, Reacted> {
        Box::pin(async move {
            let reader = reader.as_ref().map(|r| &r[..]);
            retrying!(self, |c| async {
                let st = c
                    .prepare_cached(
                        "SELECT coalesce(c.very_good, 0), coalesce(c.views, 0),
                                EXISTS (SELECT 1 FROM reactions
                                        WHERE reader = $2 AND article = $1 AND kind = 'very_good')
                         FROM (SELECT $1::text AS article) a LEFT JOIN counters c USING (article)",
                    )
                    .await?;
                let row = c.query_one(&st, &[&article, &reader]).await?;
                Ok::<_, Op>(Reacted {
                    counts: counts_of(&row)?,
                    mine: row.try_get(2)?,
                })
            })
        })
    }

    fn batch(&self, articles: Vec<String>) -> Fut<'_, Vec<Counts>> {
        Box::pin(async move {
            let found: HashMap<String, Counts> = retrying!(self, |c| async {
                let st = c
                    .prepare_cached(
                        "SELECT very_good, views, article FROM counters WHERE article = ANY($1)",
                    )
                    .await?;
                let rows = c.query(&st, &[&articles]).await?;
                let found = rows
                    .iter()
                    .map(|r| Ok((r.try_get(2)?, counts_of(r)?)))
                    .collect::<Result<_, tokio_postgres::Error>>()?;
                Ok::<_, Op>(found)
            })?;
            Ok(articles
                .iter()
                .map(|a| found.get(a).copied().unwrap_or_default())
                .collect())
        })
    }

    fn mine(&self, reader: ReaderKey, articles: Vec<String>) -> Fut<'_, Vec<bool>> {
        Box::pin(async move {
            let mine: HashSet<String> = retrying!(self, |c| async {
                let st = c
                    .prepare_cached(
                        "SELECT article FROM reactions
                         WHERE reader = $1 AND kind = 'very_good' AND article = ANY($2)",
                    )
                    .await?;
                let rows = c.query(&st, &[&&reader[..], &articles]).await?;
                let mine = rows
                    .iter()
                    .map(|r| r.try_get(0))
                    .collect::<Result<_, tokio_postgres::Error>>()?;
                Ok::<_, Op>(mine)
            })?;
            Ok(articles.iter().map(|a| mine.contains(a)).collect())
        })
    }

    fn add_reads(&self, mut reads: Vec<Read>) -> Fut<'_, usize> {
        // No key twice: two reads of one key would both match its one new row.
        reads.sort_by_key(|r| (r.day, r.seen));
        reads.dedup_by_key(|r| (r.day, r.seen));
        Box::pin(async move {
            if reads.is_empty() {
                return Ok(0);
            }
            retrying!(self, |c| add_reads_once(&mut c, &reads))
        })
    }

    fn read_batch(&self) -> usize {
        // Small: one statement each, done in a fraction of the statement timeout even when
        // the database is starved of CPU.
        5_000
    }

    fn most_read(&self, since_hour: i64, limit: usize) -> Fut<'_, Vec<(String, u64)>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        Box::pin(async move {
            retrying!(self, |c| most_read_once(
                &mut c,
                since_hour,
                limit,
                self.ranking_refresh_ms
            ))
        })
    }

    fn forget(&self, reader: ReaderKey) -> Fut<'_, ReaderData> {
        Box::pin(async move { retrying!(self, |c| forget_once(&mut c, &reader)) })
    }

    fn export(&self, reader: ReaderKey) -> Fut<'_, ReaderData> {
        Box::pin(async move { retrying!(self, |c| reader_data(&c, &reader)) })
    }

    fn salt(&self, day: i64) -> Fut<'_, [u8; 32]> {
        Box::pin(async move { retrying!(self, |c| salt_once(&mut c, day)) })
    }

    fn secret(&self) -> Fut<'_, [u8; 32]> {
        Box::pin(async move { retrying!(self, |c| secret_once(&mut c)) })
    }

    fn prune(&self, before_hour: i64, before_day: i64) -> Fut<'_, ()> {
        Box::pin(async move { retrying!(self, |c| prune_once(&mut c, before_hour, before_day)) })
    }

    fn backup(&self, _to: std::path::PathBuf) -> Fut<'_, ()> {
        Box::pin(async { Err(StoreError::Database(crate::config::PG_BACKUP.into())) })
    }

    fn ready(&self) -> Fut<'_, ()> {
        Box::pin(async move {
            let version: i32 = retrying!(self, |c| async {
                let row = c
                    .query_one("SELECT coalesce(max(version), 0) FROM migrations", &[])
                    .await?;
                Ok::<_, Op>(row.try_get(0)?)
            })?;
            if version as usize == MIGRATIONS.len() {
                Ok(())
            } else {
                Err(StoreError::Database(format!(
                    "schema version {version}, expected {}",
                    MIGRATIONS.len()
                )))
            }
        })
    }

    fn gauges(&self) -> Vec<Gauge> {
        let pool = self.pool.status();
        let reachable = self.reachable.load(Ordering::Relaxed);
        vec![
            (
                "engagement_pg_connections",
                "PostgreSQL connections open (at most pg_pool_size).",
                pool.size as u64,
            ),
            (
                "engagement_pg_connections_idle",
                "PostgreSQL connections open and idle.",
                pool.available as u64,
            ),
            (
                "engagement_pg_waiting",
                "Calls waiting for a PostgreSQL connection.",
                pool.waiting as u64,
            ),
            (
                "engagement_pg_reachable",
                "1 when the last call reached PostgreSQL.",
                u64::from(reachable),
            ),
        ]
    }

    fn close(&self) -> Fut<'_, ()> {
        Box::pin(async move {
            let mut closed = self.closed.write().await;
            *closed = true;
            self.pool.close();
            Ok(())
        })
    }
}

/// Checks that every reaction counter equals its rows, and that the schema is current.
pub async fn verify(url: &str) -> Result<(), String> {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .map_err(|e| describe(&e))?;
    let connection = tokio::spawn(connection);
    let version: i32 = client
        .query_one("SELECT coalesce(max(version), 0) FROM migrations", &[])
        .await
        .and_then(|row| row.try_get(0))
        .map_err(|e| describe(&e))?;
    if version as usize != MIGRATIONS.len() {
        return Err(format!(
            "schema version {version}, expected {}",
            MIGRATIONS.len()
        ));
    }
    let wrong: i64 = client
        .query_one(
            "SELECT count(*) FROM counters c WHERE c.very_good !=
               (SELECT count(*) FROM reactions r WHERE r.article = c.article AND r.kind = 'very_good')",
            &[],
        )
        .await
        .and_then(|row| row.try_get(0))
        .map_err(|e| describe(&e))?;
    drop(client);
    let _ = connection.await;
    if wrong > 0 {
        return Err(format!("{wrong} reaction counters differ from their rows"));
    }
    Ok(())
}
