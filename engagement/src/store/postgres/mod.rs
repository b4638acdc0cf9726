//! PostgreSQL, for several stateless replicas on one database. Each call is one short
//! READ COMMITTED transaction on a pooled connection, answered after its commit; PostgreSQL's
//! row locks do what SQLite's single writer does. What replicas must agree on lives in the
//! database (the secret, the day's salts, the read dedupe, the most-read ranking), created
//! race-free with `INSERT … ON CONFLICT DO NOTHING` then a `SELECT`. Jobs that one replica
//! should do at a time (migrations, the ranking, pruning) hold an advisory lock. Rows are
//! locked in one order (`calls.rs`), and a deadlock, serialization failure or lost connection
//! is retried: every call is idempotent. A try that gets no answer within the statement
//! timeout and a margin is given up, and its connection closed.
//!
//! The service starts without the database: migrations run in the background until they
//! succeed, and until then every call is `Unavailable` at once (503, readiness false).

mod calls;
mod schema;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{
    Manager, ManagerConfig, Object, Pool, PoolError, RecyclingMethod, Runtime, Timeouts,
};
use tokio_postgres::error::SqlState;
use tokio_postgres::IsolationLevel;
use tokio_postgres::NoTls;

pub use schema::verify;

use super::{
    Counts, Fut, Gauge, Reacted, Reaction, Read, ReaderData, ReaderKey, Store, StoreError,
};
use crate::config::Settings;

/// Advisory locks: `(JOBS, job)` for work one replica does at a time, `(READERS, hash)` for
/// one reader's reactions (so the daily cap holds across replicas).
const JOBS: i32 = 0x656e_6701;
const READERS: i32 = 0x656e_6702;
const MIGRATE: i32 = 1;
const RANKING: i32 = 2;
const PRUNE: i32 = 3;

/// Where the schema stands for this replica.
const PENDING: u8 = 0;
const MIGRATED: u8 = 1;
/// The schema needs a newer binary: every call is refused until this one is replaced.
const REFUSED: u8 = 2;

type Param<'a> = &'a (dyn tokio_postgres::types::ToSql + Sync);

pub struct Postgres {
    pool: Pool,
    schema: Arc<AtomicU8>,
    /// Whether the last call reached the database (its changes are logged, not each failure).
    reachable: AtomicBool,
    /// Calls hold it shared; `close` takes it whole (so it waits for them) and sets it.
    closed: tokio::sync::RwLock<bool>,
    /// The longest one call may wait for the database, all its tries together.
    call_limit: Duration,
    attempts: usize,
    read_batch: usize,
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

/// Every transaction READ COMMITTED, whatever the database's default: the daily cap counts
/// after its lock is granted, and the ranking re-checks after its lock, each seeing what
/// committed meanwhile.
async fn begin(
    c: &mut deadpool_postgres::ClientWrapper,
) -> Result<deadpool_postgres::Transaction<'_>, tokio_postgres::Error> {
    c.build_transaction()
        .isolation_level(IsolationLevel::ReadCommitted)
        .start()
        .await
}

/// The longest the service waits for one call: the server gives up at the statement timeout,
/// the margin covers a server or network that never answers at all.
fn call_limit(settings: &Settings) -> Duration {
    Duration::from_millis(settings.pg_statement_timeout_ms + settings.pg_timeout_margin_ms)
}

/// The connection settings of `url` (a URL or a `key=value` string) with the service's
/// statement timeout, connect timeout and keepalives.
fn connection_config(url: &str, settings: &Settings) -> Result<tokio_postgres::Config, StoreError> {
    let mut config: tokio_postgres::Config = url
        .parse()
        .map_err(|e| StoreError::Database(format!("the PostgreSQL connection string: {e}")))?;
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
    let idle = Duration::from_millis(settings.pg_keepalive_idle_ms);
    let interval = Duration::from_millis(settings.pg_keepalive_interval_ms);
    config
        .options(options.trim())
        .application_name("engagement")
        .connect_timeout(Duration::from_millis(settings.pg_connect_timeout_ms))
        // A database host that vanished is noticed, not waited on for ever: idle connections
        // by keepalive probes, unanswered writes by the same total.
        .keepalives(true)
        .keepalives_idle(idle)
        .keepalives_interval(interval)
        .keepalives_retries(settings.pg_keepalive_retries)
        .tcp_user_timeout(idle + interval * settings.pg_keepalive_retries);
    Ok(config)
}

/// Runs `$attempt`, an expression using the pooled connection `$c`, after checking the
/// store is open; tries again on a new connection when [`retryable`], all within the call's
/// limit.
macro_rules! retrying {
    ($store:ident, |$c:ident| $attempt:expr) => {{
        let _open = $store.admit().await?;
        let deadline = tokio::time::Instant::now() + $store.call_limit;
        let mut tries = 0;
        loop {
            #[allow(unused_mut)]
            let mut $c = $store.connection().await?;
            let outcome = tokio::time::timeout_at(deadline, $attempt).await;
            match outcome {
                Ok(Ok(v)) => {
                    $store.reached(true);
                    break Ok(v);
                }
                Ok(Err(Op::Pg(e))) if tries + 1 < $store.attempts && retryable(&e) => tries += 1,
                Ok(Err(e)) => break Err($store.failed(e)),
                Err(_) => break Err($store.timed_out($c)),
            }
        }
    }};
}

impl Postgres {
    /// A pool for `url` (no connection yet), and the migrations started in the background.
    pub fn open(url: &str, settings: &Settings) -> Result<Self, StoreError> {
        let config = connection_config(url, settings)?;
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
        let schema = Arc::new(AtomicU8::new(PENDING));
        tokio::spawn(migrate_until_done(
            pool.clone(),
            Arc::clone(&schema),
            call_limit(settings),
            Duration::from_millis(settings.pg_migrate_retry_max_ms.max(1)),
        ));
        Ok(Self {
            pool,
            schema,
            reachable: AtomicBool::new(true),
            closed: tokio::sync::RwLock::new(false),
            call_limit: call_limit(settings),
            attempts: settings.pg_attempts.max(1),
            read_batch: settings.pg_read_batch.max(1),
            ranking_refresh_ms: i64::try_from(settings.most_read_refresh_ms).unwrap_or(i64::MAX),
        })
    }

    /// Leave to run a call: the store is migrated and not closed.
    async fn admit(&self) -> Result<tokio::sync::RwLockReadGuard<'_, bool>, StoreError> {
        let closed = self.closed.read().await;
        if *closed {
            return Err(StoreError::Database("the store is closed".into()));
        }
        match self.schema.load(Ordering::Acquire) {
            MIGRATED => Ok(closed),
            REFUSED => Err(StoreError::Unavailable(
                "the schema needs a newer binary (see the log)".into(),
            )),
            _ => Err(StoreError::Unavailable(
                "PostgreSQL not reached yet (migrations pending)".into(),
            )),
        }
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

    /// A try that got no answer in time: its connection is closed, not put back in the pool
    /// for the next call to wait on.
    fn timed_out(&self, c: Object) -> StoreError {
        drop(Object::take(c));
        self.reached(false);
        StoreError::Unavailable(format!(
            "no answer within {} ms",
            self.call_limit.as_millis()
        ))
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

/// Runs the migrations, trying again (after 250 ms, doubling up to `most_wait`) until they
/// succeed, or until the schema turns out to need a newer binary.
async fn migrate_until_done(
    pool: Pool,
    schema: Arc<AtomicU8>,
    limit: Duration,
    most_wait: Duration,
) {
    let mut wait = Duration::from_millis(250).min(most_wait);
    loop {
        let tried = tokio::time::timeout(limit, async {
            let mut c = pool
                .get()
                .await
                .map_err(|e| schema::Refusal::Retry(e.to_string()))?;
            schema::migrate(&mut c).await
        })
        .await
        .unwrap_or_else(|_| {
            let waited = format!("no answer within {} ms", limit.as_millis());
            Err(schema::Refusal::Retry(waited))
        });
        match tried {
            Ok(()) => {
                schema.store(MIGRATED, Ordering::Release);
                tracing::info!(version = schema::known(), "PostgreSQL schema ready");
                return;
            }
            Err(schema::Refusal::TooNew(e)) => {
                schema.store(REFUSED, Ordering::Release);
                tracing::error!(error = %e, "refusing to run on this schema");
                return;
            }
            Err(schema::Refusal::Retry(e)) => {
                tracing::warn!(error = %e, retry_ms = wait.as_millis() as u64, "PostgreSQL not ready");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(most_wait);
            }
        }
    }
}

impl Store for Postgres {
    fn react(&self, reaction: Reaction) -> Fut<'_, Reacted> {
        Box::pin(async move { retrying!(self, |c| calls::react(&mut c, &reaction)) })
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
                    counts: calls::counts_of(&row)?,
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
                    .map(|r| Ok((r.try_get(2)?, calls::counts_of(r)?)))
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
        // No key twice: two reads of one key would both count as its one new row.
        reads.sort_by_key(|r| (r.day, r.seen));
        reads.dedup_by_key(|r| (r.day, r.seen));
        Box::pin(async move {
            if reads.is_empty() {
                return Ok(0);
            }
            retrying!(self, |c| calls::add_reads(&mut c, &reads))
        })
    }

    fn read_batch(&self) -> usize {
        self.read_batch
    }

    fn most_read(&self, since_hour: i64, limit: usize) -> Fut<'_, Vec<(String, u64)>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        Box::pin(async move {
            retrying!(self, |c| calls::most_read(
                &mut c,
                since_hour,
                limit,
                self.ranking_refresh_ms
            ))
        })
    }

    fn forget(&self, reader: ReaderKey) -> Fut<'_, ReaderData> {
        Box::pin(async move { retrying!(self, |c| calls::forget(&mut c, &reader)) })
    }

    fn export(&self, reader: ReaderKey) -> Fut<'_, ReaderData> {
        Box::pin(async move { retrying!(self, |c| calls::reader_data(&c, &reader)) })
    }

    fn salt(&self, day: i64) -> Fut<'_, [u8; 32]> {
        Box::pin(async move { retrying!(self, |c| calls::salt(&mut c, day)) })
    }

    fn secret(&self) -> Fut<'_, [u8; 32]> {
        Box::pin(async move { retrying!(self, |c| calls::secret(&mut c)) })
    }

    fn prune(&self, before_hour: i64, before_day: i64, chunk: usize) -> Fut<'_, bool> {
        let chunk = i64::try_from(chunk).unwrap_or(i64::MAX);
        Box::pin(async move {
            retrying!(self, |c| calls::prune(
                &mut c,
                before_hour,
                before_day,
                chunk
            ))
        })
    }

    fn backup(&self, _to: std::path::PathBuf) -> Fut<'_, ()> {
        Box::pin(async { Err(StoreError::Database(crate::config::PG_BACKUP.into())) })
    }

    fn ready(&self) -> Fut<'_, ()> {
        Box::pin(async move {
            let found = retrying!(self, |c| async {
                Ok::<_, Op>(schema::version(&**c).await?)
            })?;
            schema::compatible(found).map_err(StoreError::Database)
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
