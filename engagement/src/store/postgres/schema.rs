//! The schema: migrations, which schema a binary can run on, and `engagement check`.
//!
//! Migrations only add (tables, columns with defaults, indexes, storage options), so a binary
//! runs on a schema newer than the one it knows: a rolling upgrade keeps the older replicas
//! serving. A migration that would break older binaries says so (`needs`), and an older
//! binary then refuses that schema loudly instead of running on it.

use std::time::Duration;

use tokio_postgres::{GenericClient, NoTls};

use super::{begin, describe, JOBS, MIGRATE};
use crate::config::Settings;

/// One step of the schema.
pub(super) struct Migration {
    sql: &'static str,
    /// The oldest schema version a binary must know to run on this one: 1 while migrations
    /// only add; the migration's own version when it breaks older binaries.
    needs: i32,
}

/// The schema, one migration per entry, applied in order (the `migrations` table says how
/// far). Text keys sort bytewise (`C`), as in Rust and SQLite, so every replica and every
/// statement locks rows in the same order.
pub(super) const MIGRATIONS: &[Migration] = &[
    // 1: as SQLite's first, plus the shared most-read ranking.
    Migration {
        sql: "CREATE TABLE counters (
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
        needs: 1,
    },
    // 2: a deleted salt is vacuumed at autovacuum's next round (it triggers on one dead row),
    // not after a fifth of the table has died.
    Migration {
        sql: "ALTER TABLE salts SET (autovacuum_vacuum_threshold = 0,
                                     autovacuum_vacuum_scale_factor = 0)",
        needs: 1,
    },
];

/// How many migrations this binary knows.
pub(super) fn known() -> i32 {
    MIGRATIONS.len() as i32
}

/// Why the migrations did not run.
pub(super) enum Refusal {
    /// The database is not there yet, or failed: try again.
    Retry(String),
    /// The schema needs a newer binary: trying again cannot help.
    TooNew(String),
}

/// The schema's version and the oldest version a binary must know to run on it.
pub(super) async fn version(
    client: &impl GenericClient,
) -> Result<(i32, i32), tokio_postgres::Error> {
    let row = client
        .query_one(
            "SELECT coalesce(max(version), 0), coalesce(max(needs), 1) FROM migrations",
            &[],
        )
        .await?;
    Ok((row.try_get(0)?, row.try_get(1)?))
}

/// Why this binary cannot run on a schema of `version` that `needs` a binary knowing that
/// many migrations, if it cannot.
fn too_new((version, needs): (i32, i32)) -> Option<String> {
    (needs > known()).then(|| {
        format!(
            "schema version {version} needs a binary that knows at least {needs} migrations; \
             this one knows {}: upgrade it",
            known()
        )
    })
}

/// Whether this binary can serve the schema (migrated at least as far as it knows, and not
/// marked as needing a newer binary); the reason when it cannot.
pub(super) fn compatible(found: (i32, i32)) -> Result<(), String> {
    if found.0 < known() {
        return Err(format!(
            "schema version {}, this binary needs {}",
            found.0,
            known()
        ));
    }
    too_new(found).map_or(Ok(()), Err)
}

/// Applies the migrations the database has not had yet, one replica at a time.
pub(super) async fn migrate(client: &mut deadpool_postgres::ClientWrapper) -> Result<(), Refusal> {
    let retry = |e: tokio_postgres::Error| Refusal::Retry(describe(&e));
    let tx = begin(client).await.map_err(retry)?;
    tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&JOBS, &MIGRATE])
        .await
        .map_err(retry)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS migrations (
            version integer PRIMARY KEY,
            at timestamptz NOT NULL DEFAULT now()
         );
         ALTER TABLE migrations ADD COLUMN IF NOT EXISTS needs integer NOT NULL DEFAULT 1;",
    )
    .await
    .map_err(retry)?;
    let (done, needs) = version(&*tx).await.map_err(retry)?;
    if let Some(reason) = too_new((done, needs)) {
        return Err(Refusal::TooNew(reason));
    }
    if done > known() {
        tracing::warn!(
            schema = done,
            known = known(),
            "the schema is newer than this binary: running on it (its migrations only add)"
        );
    }
    for (i, step) in MIGRATIONS.iter().enumerate().skip(done.max(0) as usize) {
        tx.batch_execute(step.sql).await.map_err(retry)?;
        tx.execute(
            "INSERT INTO migrations (version, needs) VALUES ($1, $2)",
            &[&(i as i32 + 1), &step.needs],
        )
        .await
        .map_err(retry)?;
    }
    tx.commit().await.map_err(retry)
}

/// Checks that the schema is one this binary can serve and that every reaction counter
/// equals its rows, on a connection with the service's timeouts.
pub async fn verify(url: &str, settings: &Settings) -> Result<(), String> {
    let config = super::connection_config(url, settings).map_err(|e| e.to_string())?;
    // The connect timeout covers reaching the socket, not a server that then never answers.
    let connect_limit = Duration::from_millis(settings.pg_connect_timeout_ms);
    let (client, connection) = tokio::time::timeout(connect_limit, config.connect(NoTls))
        .await
        .map_err(|_| format!("not connected within {} ms", connect_limit.as_millis()))?
        .map_err(|e| describe(&e))?;
    let connection = tokio::spawn(connection);
    let limit = super::call_limit(settings);
    let timed_out = || format!("no answer within {} ms", limit.as_millis());
    let checked = async {
        let found = tokio::time::timeout(limit, version(&client))
            .await
            .map_err(|_| timed_out())?
            .map_err(|e| describe(&e))?;
        compatible(found)?;
        let wrong: i64 = tokio::time::timeout(
            limit,
            client.query_one(
                "SELECT count(*) FROM counters c WHERE c.very_good !=
                   (SELECT count(*) FROM reactions r
                    WHERE r.article = c.article AND r.kind = 'very_good')",
                &[],
            ),
        )
        .await
        .map_err(|_| timed_out())?
        .and_then(|row| row.try_get(0))
        .map_err(|e| describe(&e))?;
        if wrong > 0 {
            return Err(format!("{wrong} reaction counters differ from their rows"));
        }
        Ok(())
    }
    .await;
    drop(client);
    // The connection ends once the client is gone; a dead one is not waited on.
    let _ = tokio::time::timeout(Duration::from_millis(100), connection).await;
    checked
}
