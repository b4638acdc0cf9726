//! SQLite, embedded: one file in WAL mode, migrations run at start. One writer thread owns the
//! only write connection and commits whatever is waiting in one `BEGIN IMMEDIATE`
//! transaction (group commit), answering each call after the commit; reads use a small pool
//! of read-only connections on blocking threads.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use tokio::sync::{mpsc, oneshot};

use super::{
    random32, Counts, Fut, Gauge, Reacted, Reaction, Read, ReaderData, ReaderKey, Store, StoreError,
};

/// The schema, one migration per entry, applied in order (`PRAGMA user_version` says how far).
const MIGRATIONS: &[&str] = &[
    // 1: counters, reactions, hourly reads, read dedupe, salts and the server's secret.
    "CREATE TABLE counters (
        article TEXT PRIMARY KEY,
        very_good INTEGER NOT NULL DEFAULT 0 CHECK (very_good >= 0),
        views INTEGER NOT NULL DEFAULT 0 CHECK (views >= 0)
     ) WITHOUT ROWID;
     CREATE TABLE reactions (
        reader BLOB NOT NULL,
        article TEXT NOT NULL,
        kind TEXT NOT NULL,
        day INTEGER NOT NULL,
        PRIMARY KEY (reader, article, kind)
     ) WITHOUT ROWID;
     CREATE INDEX reactions_by_day ON reactions (reader, day);
     CREATE TABLE reads_hourly (
        article TEXT NOT NULL,
        hour INTEGER NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (hour, article)
     ) WITHOUT ROWID;
     CREATE TABLE seen (
        day INTEGER NOT NULL,
        key BLOB NOT NULL,
        PRIMARY KEY (day, key)
     ) WITHOUT ROWID;
     CREATE TABLE reader_reads (
        reader BLOB NOT NULL,
        article TEXT NOT NULL,
        day INTEGER NOT NULL,
        hour INTEGER NOT NULL,
        PRIMARY KEY (reader, article, day)
     ) WITHOUT ROWID;
     CREATE TABLE salts (day INTEGER PRIMARY KEY, salt BLOB NOT NULL);
     CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);",
];

/// How many calls may wait for the writer before new ones are turned away (503).
pub const QUEUE: usize = 4096;
/// The most calls one transaction commits.
const GROUP: usize = 512;

enum Write {
    React(Reaction, oneshot::Sender<Result<Reacted, StoreError>>),
    Reads(Vec<Read>, oneshot::Sender<Result<usize, StoreError>>),
    Forget(ReaderKey, oneshot::Sender<Result<ReaderData, StoreError>>),
    Salt(i64, oneshot::Sender<Result<[u8; 32], StoreError>>),
    Secret(oneshot::Sender<Result<[u8; 32], StoreError>>),
    Prune(i64, i64, oneshot::Sender<Result<(), StoreError>>),
    Close(oneshot::Sender<Result<(), StoreError>>),
}

pub struct Sqlite {
    writes: mpsc::Sender<Write>,
    pool_size: usize,
    readers: Arc<Mutex<Vec<Connection>>>,
    path: PathBuf,
}

fn db(e: rusqlite::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

fn open_writer(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a committed transaction survives power loss, not only a crash of the process.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted salts and forgotten readers are overwritten, not left in free pages.
    conn.pragma_update(None, "secure_delete", "ON")?;
    Ok(conn)
}

/// Applies the migrations the file has not had yet.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let done: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    Ok(())
}

impl Sqlite {
    /// Opens (creating if need be) the database at `path`, migrates it and starts the writer.
    pub fn open(path: &Path, readers: usize) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Database(format!("{}: {e}", dir.display())))?;
        }
        let mut writer = open_writer(path).map_err(db)?;
        migrate(&mut writer).map_err(db)?;
        let pool = (0..readers.max(1))
            .map(|_| {
                let c = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                c.busy_timeout(std::time::Duration::from_secs(5))?;
                Ok(c)
            })
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(db)?;
        let (tx, rx) = mpsc::channel(QUEUE);
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || writer_loop(writer, rx))
            .map_err(|e| StoreError::Database(e.to_string()))?;
        Ok(Self {
            writes: tx,
            pool_size: readers.max(1),
            readers: Arc::new(Mutex::new(pool)),
            path: path.to_path_buf(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn send<T: Send + 'static>(
        &self,
        make: impl FnOnce(oneshot::Sender<Result<T, StoreError>>) -> Write,
    ) -> Fut<'_, T> {
        let (reply, answer) = oneshot::channel();
        let sent = self.writes.try_send(make(reply));
        Box::pin(async move {
            sent.map_err(|e| match e {
                mpsc::error::TrySendError::Full(_) => StoreError::Busy,
                mpsc::error::TrySendError::Closed(_) => {
                    StoreError::Database("the writer has stopped".into())
                }
            })?;
            answer
                .await
                .map_err(|_| StoreError::Database("the writer stopped".into()))?
        })
    }

    fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Fut<'_, T> {
        let pool = Arc::clone(&self.readers);
        let path = self.path.clone();
        let size = self.pool_size;
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                let conn = pool.lock().ok().and_then(|mut p| p.pop());
                let conn = match conn {
                    Some(c) => c,
                    None => Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)
                        .map_err(db)?,
                };
                let result = f(&conn).map_err(db);
                if let Ok(mut p) = pool.lock() {
                    if p.len() < size {
                        p.push(conn);
                    }
                }
                result
            })
            .await
            .map_err(|e| StoreError::Database(e.to_string()))?
        })
    }
}

fn counts_of(conn: &Connection, article: &str) -> rusqlite::Result<Counts> {
    Ok(conn
        .query_row(
            "SELECT very_good, views FROM counters WHERE article = ?1",
            [article],
            |r| {
                Ok(Counts {
                    very_good: r.get::<_, i64>(0)? as u64,
                    views: r.get::<_, i64>(1)? as u64,
                })
            },
        )
        .optional()?
        .unwrap_or_default())
}

fn is_mine(conn: &Connection, reader: &ReaderKey, article: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT 1 FROM reactions WHERE reader = ?1 AND article = ?2 AND kind = 'very_good'",
        params![&reader[..], article],
        |_| Ok(()),
    )
    .optional()
    .map(|r| r.is_some())
}

fn apply_react(conn: &Connection, r: &Reaction) -> Result<Reacted, StoreError> {
    if r.add {
        let today: i64 = conn
            .query_row(
                "SELECT count(*) FROM reactions WHERE reader = ?1 AND day = ?2",
                params![&r.reader[..], r.day],
                |row| row.get(0),
            )
            .map_err(db)?;
        let inserted = conn
            .execute(
                "INSERT OR IGNORE INTO reactions (reader, article, kind, day) VALUES (?1, ?2, 'very_good', ?3)",
                params![&r.reader[..], r.article, r.day],
            )
            .map_err(db)?;
        if inserted == 1 {
            if today >= i64::from(r.daily_cap) {
                // Taken back in this same transaction: nothing of it is stored.
                conn.execute(
                    "DELETE FROM reactions WHERE reader = ?1 AND article = ?2 AND kind = 'very_good'",
                    params![&r.reader[..], r.article],
                )
                .map_err(db)?;
                return Err(StoreError::DailyCap);
            }
            conn.execute(
                "INSERT INTO counters (article, very_good) VALUES (?1, 1)
                 ON CONFLICT (article) DO UPDATE SET very_good = very_good + 1",
                [&r.article],
            )
            .map_err(db)?;
        }
    } else {
        let deleted = conn
            .execute(
                "DELETE FROM reactions WHERE reader = ?1 AND article = ?2 AND kind = 'very_good'",
                params![&r.reader[..], r.article],
            )
            .map_err(db)?;
        if deleted == 1 {
            conn.execute(
                "UPDATE counters SET very_good = very_good - 1 WHERE article = ?1 AND very_good > 0",
                [&r.article],
            )
            .map_err(db)?;
        }
    }
    Ok(Reacted {
        counts: counts_of(conn, &r.article).map_err(db)?,
        mine: r.add,
    })
}

fn apply_reads(conn: &Connection, reads: &[Read]) -> rusqlite::Result<usize> {
    let mut seen = conn.prepare_cached("INSERT OR IGNORE INTO seen (day, key) VALUES (?1, ?2)")?;
    let mut views = conn.prepare_cached(
        "INSERT INTO counters (article, views) VALUES (?1, 1)
         ON CONFLICT (article) DO UPDATE SET views = views + 1",
    )?;
    let mut hourly = conn.prepare_cached(
        "INSERT INTO reads_hourly (hour, article, count) VALUES (?1, ?2, 1)
         ON CONFLICT (hour, article) DO UPDATE SET count = count + 1",
    )?;
    let mut by_reader = conn.prepare_cached(
        "INSERT OR IGNORE INTO reader_reads (reader, article, day, hour) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut counted = 0;
    for read in reads {
        if seen.execute(params![read.day, &read.seen[..]])? == 0 {
            continue;
        }
        views.execute([&read.article])?;
        hourly.execute(params![read.hour, read.article])?;
        if let Some(reader) = &read.reader {
            by_reader.execute(params![&reader[..], read.article, read.day, read.hour])?;
        }
        counted += 1;
    }
    Ok(counted)
}

fn reader_data(conn: &Connection, reader: &ReaderKey) -> rusqlite::Result<ReaderData> {
    let mut data = ReaderData::default();
    let mut q = conn.prepare(
        "SELECT article, kind, day FROM reactions WHERE reader = ?1 ORDER BY day, article",
    )?;
    data.reactions = q
        .query_map([&reader[..]], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut q = conn
        .prepare("SELECT article, day FROM reader_reads WHERE reader = ?1 ORDER BY day, article")?;
    data.reads = q
        .query_map([&reader[..]], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(data)
}

fn apply_forget(conn: &Connection, reader: &ReaderKey) -> rusqlite::Result<ReaderData> {
    let data = reader_data(conn, reader)?;
    for (article, _, _) in &data.reactions {
        conn.execute(
            "UPDATE counters SET very_good = very_good - 1 WHERE article = ?1 AND very_good > 0",
            [article],
        )?;
    }
    let mut q = conn.prepare("SELECT article, hour FROM reader_reads WHERE reader = ?1")?;
    let reads: Vec<(String, i64)> = q
        .query_map([&reader[..]], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (article, hour) in reads {
        conn.execute(
            "UPDATE counters SET views = views - 1 WHERE article = ?1 AND views > 0",
            [&article],
        )?;
        conn.execute(
            "UPDATE reads_hourly SET count = count - 1 WHERE article = ?1 AND hour = ?2 AND count > 0",
            params![article, hour],
        )?;
    }
    conn.execute("DELETE FROM reactions WHERE reader = ?1", [&reader[..]])?;
    conn.execute("DELETE FROM reader_reads WHERE reader = ?1", [&reader[..]])?;
    Ok(data)
}

fn apply_salt(conn: &Connection, day: i64) -> rusqlite::Result<[u8; 32]> {
    conn.execute("DELETE FROM salts WHERE day < ?1", [day - 1])?;
    conn.execute(
        "INSERT OR IGNORE INTO salts (day, salt) VALUES (?1, ?2)",
        params![day, &random32()[..]],
    )?;
    let salt: Vec<u8> =
        conn.query_row("SELECT salt FROM salts WHERE day = ?1", [day], |r| r.get(0))?;
    Ok(salt.try_into().unwrap_or([0; 32]))
}

fn apply_secret(conn: &Connection) -> rusqlite::Result<[u8; 32]> {
    conn.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('reader_secret', ?1)",
        [&random32()[..]],
    )?;
    let secret: Vec<u8> = conn.query_row(
        "SELECT value FROM meta WHERE key = 'reader_secret'",
        [],
        |r| r.get(0),
    )?;
    Ok(secret.try_into().unwrap_or([0; 32]))
}

/// The writer: takes what is waiting (up to [`GROUP`] calls), applies it in one transaction,
/// commits, then answers each call. A call that fails alone is rolled back alone (a
/// savepoint), so one bad call never loses the others.
fn writer_loop(mut conn: Connection, mut rx: mpsc::Receiver<Write>) {
    let mut batch = Vec::with_capacity(GROUP);
    while let Some(first) = rx.blocking_recv() {
        batch.push(first);
        while batch.len() < GROUP {
            match rx.try_recv() {
                Ok(w) => batch.push(w),
                Err(_) => break,
            }
        }
        // Closing is not done in a transaction.
        let mut close = None;
        let mut rest = Vec::with_capacity(batch.len());
        for w in batch.drain(..) {
            match w {
                Write::Close(reply) => close = Some(reply),
                other => rest.push(other),
            }
        }
        if !rest.is_empty() {
            commit_group(&mut conn, rest);
        }
        if let Some(reply) = close {
            // Everything sent before the close is committed; later calls find it closed.
            rx.close();
            while let Ok(w) = rx.try_recv() {
                batch.push(w);
            }
            if !batch.is_empty() {
                commit_group(&mut conn, std::mem::take(&mut batch));
            }
            let _ = conn.pragma_update(None, "wal_checkpoint", "TRUNCATE");
            let _ = reply.send(Ok(()));
            return;
        }
    }
}

type Answer = Box<dyn FnOnce(Result<(), StoreError>) + Send>;

fn commit_group(conn: &mut Connection, writes: Vec<Write>) {
    let tx = match conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate) {
        Ok(tx) => tx,
        Err(e) => {
            let e = db(e);
            for w in writes {
                fail(w, e.clone());
            }
            return;
        }
    };
    // Each call in its own savepoint; its answer waits for the commit.
    let mut answers: Vec<Answer> = Vec::with_capacity(writes.len());
    let mut writes = writes.into_iter();
    while let Some(w) = writes.next() {
        // SQLite may have rolled the whole transaction back by itself (disk full, I/O error):
        // then nothing more may run in it, and every call left fails.
        if tx.is_autocommit() {
            let e = StoreError::Database("the transaction was rolled back".into());
            fail(w, e.clone());
            for rest in writes.by_ref() {
                fail(rest, e.clone());
            }
            break;
        }
        let sp = "SAVEPOINT one";
        if let Err(e) = tx.execute_batch(sp) {
            fail(w, db(e));
            continue;
        }
        macro_rules! run {
            ($reply:expr, $result:expr) => {{
                let result = $result;
                let _ = if result.is_ok() {
                    tx.execute_batch("RELEASE one")
                } else {
                    tx.execute_batch("ROLLBACK TO one; RELEASE one")
                };
                let reply = $reply;
                answers.push(Box::new(move |committed: Result<(), StoreError>| {
                    let _ = reply.send(committed.and(result));
                }));
            }};
        }
        match w {
            Write::React(r, reply) => run!(reply, apply_react(&tx, &r)),
            Write::Reads(reads, reply) => run!(reply, apply_reads(&tx, &reads).map_err(db)),
            Write::Forget(reader, reply) => run!(reply, apply_forget(&tx, &reader).map_err(db)),
            Write::Salt(day, reply) => run!(reply, apply_salt(&tx, day).map_err(db)),
            Write::Secret(reply) => run!(reply, apply_secret(&tx).map_err(db)),
            Write::Prune(hour, day, reply) => run!(
                reply,
                tx.execute("DELETE FROM reads_hourly WHERE hour < ?1", [hour])
                    .and_then(|_| tx.execute("DELETE FROM reader_reads WHERE hour < ?1", [hour]))
                    .and_then(|_| tx.execute("DELETE FROM seen WHERE day < ?1", [day]))
                    .map(|_| ())
                    .map_err(db)
            ),
            Write::Close(reply) => {
                let _ = reply.send(Err(StoreError::Database("not in a transaction".into())));
            }
        }
    }
    let committed = tx.commit().map_err(db);
    for answer in answers {
        answer(committed.clone());
    }
}

fn fail(w: Write, e: StoreError) {
    match w {
        Write::React(_, r) => drop(r.send(Err(e))),
        Write::Reads(_, r) => drop(r.send(Err(e))),
        Write::Forget(_, r) => drop(r.send(Err(e))),
        Write::Salt(_, r) => drop(r.send(Err(e))),
        Write::Secret(r) => drop(r.send(Err(e))),
        Write::Prune(_, _, r) | Write::Close(r) => drop(r.send(Err(e))),
    }
}

impl Store for Sqlite {
    fn react(&self, reaction: Reaction) -> Fut<'_, Reacted> {
        self.send(|reply| Write::React(reaction, reply))
    }

    fn counts(&self, article: String, reader: Option<ReaderKey>) -> Fut<'_, Reacted> {
        self.read(move |conn| {
            Ok(Reacted {
                counts: counts_of(conn, &article)?,
                mine: match reader {
                    Some(r) => is_mine(conn, &r, &article)?,
                    None => false,
                },
            })
        })
    }

    fn batch(&self, articles: Vec<String>) -> Fut<'_, Vec<Counts>> {
        // One query for the whole batch (a statement per id made a 100-id batch 10 ms).
        self.read(move |conn| {
            if articles.is_empty() {
                return Ok(Vec::new());
            }
            let marks = vec!["?"; articles.len()].join(",");
            let mut q = conn.prepare_cached(&format!(
                "SELECT article, very_good, views FROM counters WHERE article IN ({marks})"
            ))?;
            let found: std::collections::HashMap<String, Counts> = q
                .query_map(rusqlite::params_from_iter(&articles), |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        Counts {
                            very_good: r.get::<_, i64>(1)? as u64,
                            views: r.get::<_, i64>(2)? as u64,
                        },
                    ))
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(articles
                .iter()
                .map(|a| found.get(a).copied().unwrap_or_default())
                .collect())
        })
    }

    fn mine(&self, reader: ReaderKey, articles: Vec<String>) -> Fut<'_, Vec<bool>> {
        self.read(move |conn| articles.iter().map(|a| is_mine(conn, &reader, a)).collect())
    }

    fn add_reads(&self, reads: Vec<Read>) -> Fut<'_, usize> {
        self.send(|reply| Write::Reads(reads, reply))
    }

    fn read_batch(&self) -> usize {
        // Large: each call is a commit (and an fsync) of its own.
        50_000
    }

    fn most_read(&self, since_hour: i64, limit: usize) -> Fut<'_, Vec<(String, u64)>> {
        self.read(move |conn| {
            let mut q = conn.prepare_cached(
                "SELECT article, sum(count) AS n FROM reads_hourly WHERE hour >= ?1
                 GROUP BY article HAVING n > 0 ORDER BY n DESC, article LIMIT ?2",
            )?;
            let rows = q
                .query_map(params![since_hour, limit as i64], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
                })?
                .collect();
            rows
        })
    }

    fn forget(&self, reader: ReaderKey) -> Fut<'_, ReaderData> {
        self.send(|reply| Write::Forget(reader, reply))
    }

    fn export(&self, reader: ReaderKey) -> Fut<'_, ReaderData> {
        self.read(move |conn| reader_data(conn, &reader))
    }

    fn salt(&self, day: i64) -> Fut<'_, [u8; 32]> {
        self.send(|reply| Write::Salt(day, reply))
    }

    fn secret(&self) -> Fut<'_, [u8; 32]> {
        self.send(Write::Secret)
    }

    fn prune(&self, before_hour: i64, before_day: i64, _chunk: usize) -> Fut<'_, bool> {
        // All at once: SQLite has no statement timeout, and the writer is this process's own.
        let done = self.send(|reply| Write::Prune(before_hour, before_day, reply));
        Box::pin(async move { done.await.map(|()| false) })
    }

    fn backup(&self, to: PathBuf) -> Fut<'_, ()> {
        let path = self.path.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || backup_file(&path, &to))
                .await
                .map_err(|e| StoreError::Database(e.to_string()))?
                .map_err(StoreError::Database)
        })
    }

    fn ready(&self) -> Fut<'_, ()> {
        let closed = self.writes.is_closed();
        let room = self.writes.capacity() > 0;
        let check = self.read(|conn| {
            let version: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            Ok(version)
        });
        Box::pin(async move {
            if closed {
                return Err(StoreError::Database("the writer has stopped".into()));
            }
            if !room {
                return Err(StoreError::Busy);
            }
            // A newer binary's file serves too: migrations only add.
            match check.await? {
                v if v >= MIGRATIONS.len() => Ok(()),
                v => Err(StoreError::Database(format!(
                    "schema version {v}, expected at least {}",
                    MIGRATIONS.len()
                ))),
            }
        })
    }

    fn gauges(&self) -> Vec<Gauge> {
        let waiting = self.writes.max_capacity() - self.writes.capacity();
        vec![(
            "engagement_write_queue",
            "Calls waiting for the SQLite writer.",
            waiting as u64,
        )]
    }

    fn close(&self) -> Fut<'_, ()> {
        let (reply, answer) = oneshot::channel();
        let writes = self.writes.clone();
        Box::pin(async move {
            writes
                .send(Write::Close(reply))
                .await
                .map_err(|_| StoreError::Database("already closed".into()))?;
            answer
                .await
                .map_err(|_| StoreError::Database("the writer stopped".into()))?
        })
    }
}

/// A consistent copy of the database at `path` into the new file `to`, taken from a read-only
/// connection while the service runs (`VACUUM INTO`). The visitor salts are left out of the
/// copy: with them, whoever holds a backup could test whether an address read a story that
/// day. (The copy keeps the reader secret, so forget-me still works after a restore.)
pub fn backup_file(path: &Path, to: &Path) -> Result<(), String> {
    if !path.is_file() {
        return Err(format!("{} is not a database file", path.display()));
    }
    if to.exists() {
        return Err(format!(
            "{} exists; a backup writes a new file",
            to.display()
        ));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| e.to_string())?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(|e| e.to_string())?;
    conn.execute("VACUUM INTO ?1", [to.to_string_lossy()])
        .map_err(|e| e.to_string())?;
    let copy = Connection::open(to).map_err(|e| e.to_string())?;
    copy.pragma_update(None, "secure_delete", "ON")
        .and_then(|_| copy.execute("DELETE FROM salts", []))
        .and_then(|_| copy.execute_batch("VACUUM"))
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Checks the database file (`PRAGMA integrity_check`) and that every counter equals its rows.
pub fn verify(path: &Path) -> Result<(), String> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| e.to_string())?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if integrity != "ok" {
        return Err(format!("integrity_check: {integrity}"));
    }
    let wrong: i64 = conn
        .query_row(
            "SELECT count(*) FROM counters c WHERE c.very_good !=
               (SELECT count(*) FROM reactions r WHERE r.article = c.article AND r.kind = 'very_good')",
            [],
            |r| r.get(0),
        )
        .map_err(|e| e.to_string())?;
    if wrong > 0 {
        return Err(format!("{wrong} reaction counters differ from their rows"));
    }
    Ok(())
}
