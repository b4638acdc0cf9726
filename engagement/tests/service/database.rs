//! PostgreSQL only: how the service treats its database. The order writers lock rows in, the
//! isolation level it pins, a database that stops answering, a lock another replica holds, the
//! statements forget-me and the ranking send, schema versions during a rolling upgrade, and
//! pruning in chunks. Each test names the defect of the review it pins.

use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use engagement::config::Settings;
use engagement::store::postgres::Postgres;
use engagement::store::{Read, Store};

use crate::cluster::{Cluster, Stop};
use crate::harness::*;

const ARTICLES: [&str; 3] = ["a-1", "a-2", "a-3"];
/// The advisory lock of the ranking: (JOBS, RANKING) in `store/postgres`.
const RANKING_LOCK: &str = "1701734145, 2";

fn cluster(dir: &Dir) -> &Cluster {
    dir.cluster.as_ref().expect("a cluster")
}

fn read_as(s: &Server, id: &str, reader: &str) {
    let path = format!("/articles/{id}/views");
    let a = call(&s.address, "POST", &path, &[], reader);
    assert_eq!(a.status, 204, "{a:?}");
}

fn total_views(s: &Server) -> u64 {
    ARTICLES.iter().map(|id| counts(s, id).1).sum()
}

fn forget(s: &Server, reader: &str) -> Answer {
    call(
        &s.address,
        "DELETE",
        "/readers/me",
        &[("X-Reader-Id", reader)],
        "",
    )
}

/// `engagement check` on `dir`'s database with `extra` flags; its output, given `most` to end.
fn check_within(dir: &Dir, extra: &[&str], most: Duration) -> std::process::Output {
    let child = Command::new(env!("CARGO_BIN_EXE_engagement"))
        .args(["check", "--database", &dir.database()])
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("check runs");
    let child = std::sync::Mutex::new(Some(child));
    within(most, "engagement check ends", || {
        let mut child = child.lock().expect("lock");
        child
            .as_mut()
            .is_some_and(|c| matches!(c.try_wait(), Ok(Some(_))))
    });
    let child = child.lock().expect("lock").take().expect("the check");
    child.wait_with_output().expect("its output")
}

/// Regression (review 1): the flush wrote `reads_hourly` and `counters` in the order
/// PostgreSQL ran the parts of one `WITH`, forget-me `counters` then `reads_hourly`: they
/// deadlocked. Forget-me on one replica while the other flushes reads of the same articles.
#[test]
fn forget_me_while_another_replica_flushes_the_same_articles_never_deadlocks() {
    let dir = Dir::new("forget-flush", Backend::Postgres);
    let a = Server::start(&dir, &UNLIMITED);
    let mut fast = UNLIMITED.to_vec();
    fast.extend(["--flush-ms", "10"]);
    let b = Arc::new(Server::start(&dir, &fast));
    let gone: Vec<String> = (0..40).map(|i| format!("gone-{i}")).collect();
    for reader in &gone {
        for id in ARTICLES {
            read_as(&b, id, reader);
        }
    }
    eventually("every read of the readers to forget is counted", || {
        total_views(&b) == 120
    });
    // Other readers keep B flushing reads of the same articles in the same hour...
    let stop = Arc::new(AtomicBool::new(false));
    let stayed = Arc::new(AtomicUsize::new(0));
    let load: Vec<_> = (0..2)
        .map(|w| {
            let (b, stop, stayed) = (Arc::clone(&b), Arc::clone(&stop), Arc::clone(&stayed));
            std::thread::spawn(move || {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) && i < 5000 {
                    read_as(&b, ARTICLES[i % 3], &format!("stay-{w}-{i}"));
                    stayed.fetch_add(1, Ordering::Relaxed);
                    i += 1;
                }
            })
        })
        .collect();
    // ...while A forgets every one of the others, four at a time.
    let a = Arc::new(a);
    let forgetting: Vec<_> = gone
        .chunks(10)
        .map(|readers| {
            let (a, readers) = (Arc::clone(&a), readers.to_vec());
            std::thread::spawn(move || {
                for reader in readers {
                    let answer = forget(&a, &reader);
                    assert_eq!(answer.status, 200, "{answer:?}");
                    assert_eq!(answer.json()["reads"].as_array().map(Vec::len), Some(3));
                }
            })
        })
        .collect();
    for f in forgetting {
        f.join().expect("forget-me");
    }
    stop.store(true, Ordering::Relaxed);
    for l in load {
        l.join().expect("a reader");
    }
    let stayed = stayed.load(Ordering::Relaxed) as u64;
    eventually(
        &format!("only the {stayed} reads of those who stayed count"),
        || total_views(&b) == stayed,
    );
    check(&dir);
    // Stopped first: a backend reports its deadlocks to the statistics when it ends.
    Arc::into_inner(a).expect("one owner").stop("-TERM");
    Arc::into_inner(b).expect("one owner").stop("-TERM");
    assert_eq!(
        dir.rows("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"),
        ["0"]
    );
}

/// Regression (review 4): with the database's default at REPEATABLE READ, the cap's count
/// used a snapshot from before its lock, and readers got more than the cap.
#[test]
fn the_daily_cap_holds_whatever_the_databases_default_isolation() {
    let dir = Dir::new("cap-isolation", Backend::Postgres);
    dir.rows("ALTER DATABASE postgres SET default_transaction_isolation TO 'repeatable read'");
    crate::daily_cap_holds(&dir);
}

/// Resumes a paused cluster however the test ends.
struct Paused<'a>(&'a Cluster);

impl Drop for Paused<'_> {
    fn drop(&mut self) {
        self.0.resume();
    }
}

/// Regression (review 5): a database host that stopped answering held each request until the
/// request timeout (10 s, then 408), and `engagement check` for ever: statement_timeout is
/// the server's, and the server was not answering.
#[test]
fn a_database_that_stops_answering_gets_a_quick_503() {
    let dir = Dir::new("pg-hang", Backend::Postgres);
    let mut args = UNLIMITED.to_vec();
    args.extend(["--pg-statement-timeout-ms", "1000"]);
    let s = Server::start(&dir, &args);
    assert_eq!(react(&s, "a-1", "before", true).status, 200);
    let paused = Paused(cluster(&dir));
    paused.0.pause();
    let started = Instant::now();
    let a = react(&s, "a-1", "during", true);
    assert_eq!(a.status, 503, "{a:?}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "answered after {:?}",
        started.elapsed()
    );
    assert_eq!(a.header("retry-after"), Some("1"));
    assert_eq!(a.json()["error"], "storage unavailable");
    let ready = get(&s, "/readyz", &[]);
    assert_eq!(
        (ready.status, ready.body.as_str()),
        (503, "storage not ready\n")
    );
    let timeouts = ["--pg-connect-timeout-ms", "1000"];
    let checked = check_within(&dir, &timeouts, Duration::from_secs(5));
    assert!(
        !checked.status.success(),
        "check passed on a frozen database"
    );
    drop(paused);
    within(Duration::from_secs(30), "answers again", || {
        react(&s, "a-1", "after", true).status == 200
    });
    assert_eq!(
        counts(&s, "a-1").0,
        2,
        "the reaction refused was not stored"
    );
    s.stop("-TERM");
    check(&dir);
}

/// Regression (review 6): a replica that found the ranking stale waited on the ranking lock
/// another replica held, holding a pooled connection, until the statement timeout (503).
#[test]
fn the_ranking_is_served_while_another_replica_makes_it() {
    let dir = Dir::new("ranking-lock", Backend::Postgres);
    let a = Server::start(&dir, &UNLIMITED);
    read_as(&a, "a-2", "r1");
    eventually("the read is counted", || counts(&a, "a-2").1 == 1);
    assert_eq!(get(&a, "/most-read", &[]).json()["items"][0]["slug"], "a-2");
    // A replica for which the stored ranking is always stale.
    let mut stale = UNLIMITED.to_vec();
    stale.extend(["--most-read-refresh-ms", "1"]);
    let b = Server::start(&dir, &stale);
    let mut other = cluster(&dir).session();
    other.send(&format!("SELECT pg_advisory_lock({RANKING_LOCK});"));
    eventually("another session holds the ranking's lock", || {
        dir.rows(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
               AND classid = 1701734145 AND objid = 2",
        ) == ["1"]
    });
    let started = Instant::now();
    let ranked = get(&b, "/most-read", &[]);
    assert_eq!(ranked.status, 200, "{ranked:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        ranked.json()["items"][0]["slug"],
        "a-2",
        "the ranking stored"
    );
    drop(other);
    a.stop("-TERM");
    b.stop("-TERM");
}

/// Calls of statements that start with `start`, since the last reset.
fn calls(dir: &Dir, start: &str) -> u64 {
    let rows = dir.rows(&format!(
        "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE query LIKE '{start}%'"
    ));
    rows.first()
        .and_then(|n| n.parse().ok())
        .expect("a number of calls")
}

/// Regression (review 8 and 6): forget-me sent a statement per counter and per hourly row, so
/// a heavy reader could outlast the request timeout; and concurrent requests for the ranking
/// each went to the database.
#[test]
fn forget_me_and_the_ranking_send_a_fixed_number_of_statements() {
    let mut dir = Dir::new("statements", Backend::Postgres);
    {
        let cluster = dir.cluster.as_mut().expect("a cluster");
        cluster.rows(
            "postgres",
            "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'",
        );
        cluster.stop(Stop::Fast);
        cluster.start_again();
        cluster.rows("postgres", "CREATE EXTENSION pg_stat_statements");
    }
    let s = Server::start(&dir, &UNLIMITED);
    // A heavy reader: every article on eight days, and two reactions.
    for day in 0..8 {
        dir.set_clock(NOW + day * 24 * HOUR);
        for id in ARTICLES {
            read_as(&s, id, "heavy");
        }
        let read = 3 * (day as u64 + 1);
        eventually(&format!("{read} reads counted"), || total_views(&s) == read);
    }
    react(&s, "a-1", "heavy", true);
    react(&s, "a-2", "heavy", true);
    dir.rows("SELECT pg_stat_statements_reset()");
    let gone = forget(&s, "heavy");
    assert_eq!(gone.status, 200);
    assert_eq!(gone.json()["reads"].as_array().map(Vec::len), Some(24));
    assert_eq!(calls(&dir, "UPDATE counters"), 1);
    assert_eq!(calls(&dir, "UPDATE reads_hourly"), 1);
    for id in ARTICLES {
        assert_eq!(counts(&s, id), (0, 0), "{id}");
    }
    dir.rows("SELECT pg_stat_statements_reset()");
    let address = Arc::new(s.address.clone());
    let asking: Vec<_> = (0..20)
        .map(|_| {
            let address = Arc::clone(&address);
            std::thread::spawn(move || call(&address, "GET", "/most-read", &[], "").status)
        })
        .collect();
    for a in asking {
        assert_eq!(a.join().expect("a request"), 200);
    }
    // One request made it (its freshness checked before and after the lock); the others
    // waited for it and answered the same.
    assert!(calls(&dir, "SELECT 1 FROM most_read_made") <= 2);
    s.stop("-TERM");
}

/// Regression (review 9, 11, 12): an older replica turned unready for good once a newer one
/// migrated, and an older binary ran on any schema; `/readyz` told the public the database's
/// own words; deleted salts waited for a fifth of the table to die before a vacuum.
#[test]
fn a_newer_schema_keeps_older_replicas_ready_unless_it_needs_a_newer_binary() {
    let dir = Dir::new("schema", Backend::Postgres);
    let s = Server::start(&dir, &[]);
    // A newer binary migrated further, adding only: this one stays ready.
    dir.rows("INSERT INTO migrations (version) VALUES (90)");
    assert_eq!(get(&s, "/readyz", &[]).status, 200);
    check(&dir);
    // A migration that breaks older binaries says so.
    dir.rows("INSERT INTO migrations (version, needs) VALUES (91, 91)");
    let unready = get(&s, "/readyz", &[]);
    assert_eq!(
        (unready.status, unready.body.as_str()),
        (503, "storage not ready\n")
    );
    let refused = check_within(&dir, &[], Duration::from_secs(10));
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("needs a binary that knows at least 91"),
        "{said}"
    );
    // A replica started on it refuses to serve.
    let late = Server::spawn(&dir, &[]);
    eventually("the late replica refuses", || {
        let a = react(&late, "a-1", "r1", true);
        a.status == 503 && a.json()["error"] == "storage unavailable"
    });
    assert_eq!(get(&late, "/readyz", &[]).status, 503);
    assert_eq!(dir.rows("SELECT count(*) FROM reactions"), ["0"]);
    late.stop("-TERM");
    s.stop("-TERM");
    // One dead salt is enough for autovacuum to take it.
    assert_eq!(
        dir.rows("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'salts'"),
        ["autovacuum_vacuum_threshold=0,autovacuum_vacuum_scale_factor=0"]
    );
}

/// Regression (review 10): a read refused with 503 for want of the reader secret had already
/// spent its address's daily cap of reads.
#[test]
fn a_read_refused_for_want_of_the_secret_does_not_spend_the_address_cap() {
    let dir = Dir::new("cap-secret", Backend::Postgres);
    let s = Server::start(
        &dir,
        &["--reads-per-group", "1", "--pg-statement-timeout-ms", "500"],
    );
    let mut holder = cluster(&dir).session();
    holder.send("BEGIN; LOCK TABLE meta IN ACCESS EXCLUSIVE MODE;");
    eventually("the secret's table is locked", || {
        dir.rows(
            "SELECT count(*) FROM pg_locks WHERE relation = 'meta'::regclass
               AND mode = 'AccessExclusiveLock' AND granted",
        ) == ["1"]
    });
    assert_eq!(view(&s, "a-1", &[]).status, 503);
    drop(holder);
    assert_eq!(view(&s, "a-1", &[]).status, 204);
    eventually("the read is counted", || counts(&s, "a-1").1 == 1);
    s.stop("-TERM");
}

/// Regression (review 7): pruning was one `DELETE` per table, which at scale outlasts the
/// statement timeout for ever. Now each statement removes at most a chunk.
#[test]
fn pruning_deletes_in_chunks_until_nothing_old_is_left() {
    let dir = Dir::new("prune", Backend::Postgres);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let store = Postgres::open(&dir.database(), &Settings::default()).expect("the store");
        let started = Instant::now();
        while store.ready().await.is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "not migrated");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let read = |n: u8, day: i64| Read {
            article: "a-1".into(),
            seen: [n; 16],
            reader: Some([n; 16]),
            day,
            hour: day * 24,
        };
        let reads = (0..25)
            .map(|n| read(n, 10))
            .chain((100..105).map(|n| read(n, 20)));
        assert_eq!(store.add_reads(reads.collect()).await, Ok(30));
        let left = |table: &str| dir.rows(&format!("SELECT count(*) FROM {table}"));
        assert_eq!(store.prune(15 * 24, 15, 10).await, Ok(true), "more left");
        assert_eq!(left("seen"), ["20"]);
        assert_eq!(left("reader_reads"), ["20"]);
        let mut rounds = 1;
        loop {
            rounds += 1;
            assert!(rounds < 10, "pruning does not end");
            if !store.prune(15 * 24, 15, 10).await.expect("pruned") {
                break;
            }
        }
        assert_eq!(rounds, 3, "25 old rows, 10 at a time");
        assert_eq!(left("seen"), ["5"]);
        assert_eq!(left("reader_reads"), ["5"]);
        assert_eq!(left("reads_hourly"), ["1"]);
        store.close().await.expect("closed");
    });
}
