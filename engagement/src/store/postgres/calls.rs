//! One try of each call: a short READ COMMITTED transaction on one pooled connection.
//!
//! Every writer locks rows table by table in one order, reactions, seen, reader_reads,
//! counters, reads_hourly, and within a table in key order (text keys sort bytewise,
//! `COLLATE "C"`, as in Rust), so two calls that want the same rows wait for each other
//! instead of deadlocking. Statements whose rows the next one needs are separate: PostgreSQL
//! does not say in which order the parts of one data-modifying `WITH` run.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use deadpool_postgres::Object;
use tokio_postgres::Row;

use super::{begin, Op, Param, JOBS, PRUNE, RANKING, READERS};
use crate::store::{random32, Counts, Reacted, Reaction, Read, ReaderData, ReaderKey, StoreError};

fn lock_key(reader: &[u8]) -> i32 {
    i32::from_be_bytes([reader[0], reader[1], reader[2], reader[3]])
}

/// A count as stored (never below 0: the schema checks it).
pub(super) fn count(row: &Row, column: usize) -> Result<u64, tokio_postgres::Error> {
    Ok(row.try_get::<_, i64>(column)?.max(0) as u64)
}

pub(super) fn counts_of(row: &Row) -> Result<Counts, tokio_postgres::Error> {
    Ok(Counts {
        very_good: count(row, 0)?,
        views: count(row, 1)?,
    })
}

/// One reaction: the row and the counter in one transaction, the counter only when a row was
/// inserted or deleted. Three round trips: the statements between `BEGIN` and `COMMIT` are
/// sent together and run in order.
pub(super) async fn react(c: &mut Object, r: &Reaction) -> Result<Reacted, Op> {
    let tx = begin(c).await?;
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
        // The lock first: this reader's other reactions are committed before the count (READ
        // COMMITTED: the count's snapshot is taken after the lock is granted).
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

/// What a batch of new reads adds, each part sorted in the order its rows are locked.
#[derive(Default)]
struct NewReads<'a> {
    /// (reader, article, day, hour)
    by_reader: BTreeSet<(&'a [u8], &'a str, i64, i64)>,
    views: BTreeMap<&'a str, i64>,
    hourly: BTreeMap<(i64, &'a str), i64>,
}

impl<'a> NewReads<'a> {
    fn of(reads: impl Iterator<Item = &'a Read>) -> Self {
        let mut new = NewReads::default();
        for r in reads {
            if let Some(reader) = &r.reader {
                new.by_reader
                    .insert((&reader[..], r.article.as_str(), r.day, r.hour));
            }
            *new.views.entry(&r.article).or_default() += 1;
            *new.hourly.entry((r.hour, &r.article)).or_default() += 1;
        }
        new
    }
}

/// Counts the reads whose dedupe key is new: the dedupe keys first (`RETURNING` says which
/// reads are new), then the readers' lists, the counters and the hourly rows, each a
/// statement of its own with its rows sorted, sent together after the first.
pub(super) async fn add_reads(c: &mut Object, reads: &[Read]) -> Result<usize, Op> {
    let tx = begin(c).await?;
    let seen = tx
        .prepare_cached(
            "INSERT INTO seen (day, key)
             SELECT day, key FROM unnest($1::bigint[], $2::bytea[]) AS r (day, key)
             ORDER BY day, key
             ON CONFLICT DO NOTHING RETURNING day, key",
        )
        .await?;
    let days: Vec<i64> = reads.iter().map(|r| r.day).collect();
    let keys: Vec<&[u8]> = reads.iter().map(|r| &r.seen[..]).collect();
    let rows = tx.query(&seen, &[&days, &keys]).await?;
    let fresh = rows
        .iter()
        .map(|row| Ok((row.try_get::<_, i64>(0)?, row.try_get::<_, &[u8]>(1)?)))
        .collect::<Result<HashSet<_>, tokio_postgres::Error>>()?;
    let new = NewReads::of(
        reads
            .iter()
            .filter(|r| fresh.contains(&(r.day, &r.seen[..]))),
    );
    if !fresh.is_empty() {
        write_new_reads(&tx, &new).await?;
    }
    tx.commit().await?;
    Ok(fresh.len())
}

async fn write_new_reads(
    tx: &deadpool_postgres::Transaction<'_>,
    new: &NewReads<'_>,
) -> Result<(), tokio_postgres::Error> {
    let (by_reader, views, hourly) = tokio::try_join!(
        tx.prepare_cached(
            "INSERT INTO reader_reads (reader, article, day, hour)
             SELECT * FROM unnest($1::bytea[], $2::text[], $3::bigint[], $4::bigint[])
                 AS r (reader, article, day, hour)
             ORDER BY reader, article COLLATE \"C\", day
             ON CONFLICT DO NOTHING",
        ),
        tx.prepare_cached(
            "INSERT INTO counters (article, views)
             SELECT * FROM unnest($1::text[], $2::bigint[]) AS r (article, views)
             ORDER BY article COLLATE \"C\"
             ON CONFLICT (article) DO UPDATE SET views = counters.views + excluded.views",
        ),
        tx.prepare_cached(
            "INSERT INTO reads_hourly (hour, article, count)
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS r (hour, article, n)
             ORDER BY hour, article COLLATE \"C\"
             ON CONFLICT (hour, article) DO UPDATE SET count = reads_hourly.count + excluded.count",
        ),
    )?;
    let readers: Vec<&[u8]> = new.by_reader.iter().map(|r| r.0).collect();
    let reader_articles: Vec<&str> = new.by_reader.iter().map(|r| r.1).collect();
    let reader_days: Vec<i64> = new.by_reader.iter().map(|r| r.2).collect();
    let reader_hours: Vec<i64> = new.by_reader.iter().map(|r| r.3).collect();
    let articles: Vec<&str> = new.views.keys().copied().collect();
    let views_n: Vec<i64> = new.views.values().copied().collect();
    let hours: Vec<i64> = new.hourly.keys().map(|k| k.0).collect();
    let hour_articles: Vec<&str> = new.hourly.keys().map(|k| k.1).collect();
    let hourly_n: Vec<i64> = new.hourly.values().copied().collect();
    let by_reader_rows: [Param; 4] = [&readers, &reader_articles, &reader_days, &reader_hours];
    let views_rows: [Param; 2] = [&articles, &views_n];
    let hourly_rows: [Param; 3] = [&hours, &hour_articles, &hourly_n];
    // Sent together, run in this order.
    tokio::try_join!(
        biased;
        tx.execute(&by_reader, &by_reader_rows),
        tx.execute(&views, &views_rows),
        tx.execute(&hourly, &hourly_rows),
    )?;
    Ok(())
}

pub(super) async fn reader_data(c: &Object, reader: &ReaderKey) -> Result<ReaderData, Op> {
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

/// Deletes one reader's rows and takes them off the counters and hourly counts: a fixed
/// number of statements however much the reader gave, in the writers' table order, each
/// locking its rows in key order before it changes them.
pub(super) async fn forget(c: &mut Object, reader: &ReaderKey) -> Result<ReaderData, Op> {
    let tx = begin(c).await?;
    let reader = &reader[..];
    let key = lock_key(reader);
    let (lock, reactions, reads) = tokio::try_join!(
        tx.prepare_cached("SELECT pg_advisory_xact_lock($1, $2)"),
        tx.prepare_cached("DELETE FROM reactions WHERE reader = $1 RETURNING article, kind, day"),
        tx.prepare_cached(
            "DELETE FROM reader_reads WHERE reader = $1 RETURNING article, day, hour"
        ),
    )?;
    let (by_key, by_reader): ([Param; 2], [Param; 1]) = ([&READERS, &key], [&reader]);
    let (_, reactions, reads) = tokio::try_join!(
        biased;
        tx.execute(&lock, &by_key),
        tx.query(&reactions, &by_reader),
        tx.query(&reads, &by_reader),
    )?;
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
    take_back(&tx, &counters, &hourly).await?;
    tx.commit().await?;
    data.reactions.sort_by(|a, b| (a.2, &a.0).cmp(&(b.2, &b.0)));
    data.reads.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    Ok(data)
}

/// Takes (very_good, views) off counters and counts off hourly rows, never below 0.
async fn take_back(
    tx: &deadpool_postgres::Transaction<'_>,
    counters: &BTreeMap<&str, (i64, i64)>,
    hourly: &BTreeMap<(i64, &str), i64>,
) -> Result<(), tokio_postgres::Error> {
    let (lock_counters, counters_down, lock_hourly, hourly_down) = tokio::try_join!(
        tx.prepare_cached(
            "SELECT 1 FROM counters WHERE article = ANY($1) ORDER BY article FOR UPDATE"
        ),
        tx.prepare_cached(
            "UPDATE counters c SET very_good = greatest(c.very_good - t.very_good, 0),
                                   views = greatest(c.views - t.views, 0)
             FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS t (article, very_good, views)
             WHERE c.article = t.article",
        ),
        tx.prepare_cached(
            "SELECT 1 FROM reads_hourly
             WHERE (hour, article) IN (SELECT * FROM unnest($1::bigint[], $2::text[]))
             ORDER BY hour, article FOR UPDATE",
        ),
        tx.prepare_cached(
            "UPDATE reads_hourly h SET count = greatest(h.count - t.n, 0)
             FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS t (hour, article, n)
             WHERE h.hour = t.hour AND h.article = t.article",
        ),
    )?;
    let articles: Vec<&str> = counters.keys().copied().collect();
    let very_good: Vec<i64> = counters.values().map(|v| v.0).collect();
    let views: Vec<i64> = counters.values().map(|v| v.1).collect();
    let hours: Vec<i64> = hourly.keys().map(|k| k.0).collect();
    let hour_articles: Vec<&str> = hourly.keys().map(|k| k.1).collect();
    let reads: Vec<i64> = hourly.values().copied().collect();
    let (of_articles, counters_rows): ([Param; 1], [Param; 3]) =
        ([&articles], [&articles, &very_good, &views]);
    let (of_hours, hourly_rows): ([Param; 2], [Param; 3]) =
        ([&hours, &hour_articles], [&hours, &hour_articles, &reads]);
    tokio::try_join!(
        biased;
        tx.execute(&lock_counters, &of_articles),
        tx.execute(&counters_down, &counters_rows),
        tx.execute(&lock_hourly, &of_hours),
        tx.execute(&hourly_down, &hourly_rows),
    )?;
    Ok(())
}

fn bytes32(value: Vec<u8>) -> Result<[u8; 32], Op> {
    value
        .try_into()
        .map_err(|_| Op::Store(StoreError::Database("a stored key is not 32 bytes".into())))
}

pub(super) async fn salt(c: &mut Object, day: i64) -> Result<[u8; 32], Op> {
    let tx = begin(c).await?;
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

pub(super) async fn secret(c: &mut Object) -> Result<[u8; 32], Op> {
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

/// The ranking of reads since `since_hour`, made again when it is older than the refresh
/// interval or for another hour, by the one replica that gets its lock at once; the others
/// do not wait for it (holding a connection) but serve the ranking stored before.
pub(super) async fn most_read(
    c: &mut Object,
    since_hour: i64,
    limit: i64,
    refresh_ms: i64,
) -> Result<Vec<(String, u64)>, Op> {
    let tx = begin(c).await?;
    let fresh = "SELECT 1 FROM most_read_made
                 WHERE since_hour = $1 AND size >= $2
                   AND at > now() - $3::bigint * interval '1 millisecond'";
    let params: [Param; 3] = [&since_hour, &limit, &refresh_ms];
    if tx.query_opt(fresh, &params).await?.is_none() && try_lock(&tx, RANKING).await? {
        // Another replica may have made it just before this one took the lock.
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

/// Takes the job's advisory lock for this transaction if nobody holds it.
async fn try_lock(
    tx: &deadpool_postgres::Transaction<'_>,
    job: i32,
) -> Result<bool, tokio_postgres::Error> {
    tx.query_one("SELECT pg_try_advisory_xact_lock($1, $2)", &[&JOBS, &job])
        .await?
        .try_get(0)
}

/// Deletes at most `chunk` rows of each table that retention no longer keeps, unless another
/// replica is at it now; returns whether any table may have more. Rows another call holds are
/// skipped (left for the next round), so pruning never waits for a lock.
pub(super) async fn prune(
    c: &mut Object,
    before_hour: i64,
    before_day: i64,
    chunk: i64,
) -> Result<bool, Op> {
    let tx = begin(c).await?;
    if !try_lock(&tx, PRUNE).await? {
        tx.commit().await?;
        return Ok(false);
    }
    let mut more = false;
    for (sql, before) in [
        (
            "DELETE FROM seen WHERE ctid = ANY(ARRAY(
                 SELECT ctid FROM seen WHERE day < $1 LIMIT $2 FOR UPDATE SKIP LOCKED))",
            before_day,
        ),
        (
            "DELETE FROM reader_reads WHERE ctid = ANY(ARRAY(
                 SELECT ctid FROM reader_reads WHERE hour < $1 LIMIT $2 FOR UPDATE SKIP LOCKED))",
            before_hour,
        ),
        (
            "DELETE FROM reads_hourly WHERE ctid = ANY(ARRAY(
                 SELECT ctid FROM reads_hourly WHERE hour < $1 LIMIT $2 FOR UPDATE SKIP LOCKED))",
            before_hour,
        ),
    ] {
        let deleted = tx.execute(sql, &[&before, &chunk]).await?;
        more |= deleted >= chunk as u64;
    }
    tx.commit().await?;
    Ok(more)
}
