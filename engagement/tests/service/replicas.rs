//! PostgreSQL only: several replicas on one database, one of them killed, and the database
//! itself away at start and crashing under load.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::cluster::Stop;
use crate::harness::*;

const ARTICLES: [&str; 3] = ["a-1", "a-2", "a-3"];

fn must(status: u16, a: Answer, what: &str) {
    assert_eq!(a.status, status, "{what}: {a:?}");
}

/// What one worker expects of the counters once it is done: reactions and reads per article.
type Expected = (BTreeMap<&'static str, u64>, BTreeMap<&'static str, u64>);

/// Each reader reacts on one replica and again on the other, some take it back on one and
/// some give it again on the first; each reads the article on both. Returns what must be
/// counted.
fn replica_worker(w: usize, replicas: &[String; 2]) -> Expected {
    let (mut reactions, mut reads) = (BTreeMap::new(), BTreeMap::new());
    for i in 0..60 {
        let reader = format!("w{w}-r{i}");
        let id = ARTICLES[i % 3];
        let (first, second) = (&replicas[i % 2], &replicas[(i + 1) % 2]);
        let path = format!("/articles/{id}/reactions/very_good");
        let reader_header = [("X-Reader-Id", reader.as_str())];
        let react =
            |address: &String, method: &str| call(address, method, &path, &reader_header, "");
        must(200, react(first, "PUT"), "a reaction");
        must(200, react(second, "PUT"), "the same reaction again");
        let mut given = true;
        if i % 4 == 0 {
            must(200, react(second, "DELETE"), "taken back");
            given = false;
        }
        if i % 8 == 0 {
            must(200, react(first, "PUT"), "given again");
            given = true;
        }
        *reactions.entry(id).or_default() += u64::from(given);
        for address in [first, second] {
            let view = format!("/articles/{id}/views");
            must(204, call(address, "POST", &view, &[], &reader), "a read");
        }
        *reads.entry(id).or_default() += 1;
    }
    // The same anonymous visitor on both replicas: one visitor, since the day's salt is shared.
    for address in replicas {
        must(
            204,
            call(address, "POST", "/articles/a-1/views", &[], ""),
            "an anonymous read",
        );
    }
    (reactions, reads)
}

fn two_replicas(dir: &Dir) -> (Server, Server) {
    (
        Server::start(dir, &UNLIMITED),
        Server::start(dir, &UNLIMITED),
    )
}

#[test]
fn two_replicas_on_one_database_count_every_reaction_and_read_once() {
    let dir = Dir::new("replicas", Backend::Postgres);
    let (a, b) = two_replicas(&dir);
    let replicas = Arc::new([a.address.clone(), b.address.clone()]);
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let replicas = Arc::clone(&replicas);
            std::thread::spawn(move || replica_worker(w, &replicas))
        })
        .collect();
    let mut reactions: BTreeMap<&str, u64> = BTreeMap::new();
    let mut reads: BTreeMap<&str, u64> = BTreeMap::new();
    for worker in workers {
        let (r, v) = worker.join().expect("a worker");
        for (id, n) in r {
            *reactions.entry(id).or_default() += n;
        }
        for (id, n) in v {
            *reads.entry(id).or_default() += n;
        }
    }
    *reads.entry("a-1").or_default() += 1;
    for id in ARTICLES {
        let expected = (reactions[id], reads[id]);
        eventually(&format!("both replicas count {id} as {expected:?}"), || {
            counts(&a, id) == expected && counts(&b, id) == expected
        });
    }
    // Counters equal rows: reactions (`engagement check`), and reads against their dedupe
    // keys and hourly counts.
    check(&dir);
    let total_reads: u64 = reads.values().sum();
    for (what, sql) in [
        ("views", "SELECT sum(views) FROM counters"),
        ("dedupe keys", "SELECT count(*) FROM seen"),
        ("hourly reads", "SELECT sum(count) FROM reads_hourly"),
    ] {
        assert_eq!(dir.rows(sql), [total_reads.to_string()], "{what}");
    }
    assert_eq!(
        dir.rows("SELECT count(*) FROM salts"),
        ["1"],
        "one salt for both"
    );
    // Reads flushed by both replicas at once, in key order: no deadlock to retry.
    assert_eq!(
        dir.rows("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"),
        ["0"]
    );
    // One ranking, made by one replica, served by both.
    let (ranked_a, ranked_b) = (get(&a, "/most-read", &[]), get(&b, "/most-read", &[]));
    assert_eq!(ranked_a.json(), ranked_b.json());
    let most = *reads
        .iter()
        .max_by_key(|(id, n)| (**n, std::cmp::Reverse(**id)))
        .expect("reads")
        .0;
    assert_eq!(ranked_a.json()["items"][0]["slug"], most);
    a.stop("-TERM");
    b.stop("-TERM");
}

#[test]
fn sigkill_of_one_replica_under_load_loses_no_acknowledged_reaction() {
    let dir = Dir::new("replica-kill", Backend::Postgres);
    let (a, b) = two_replicas(&dir);
    let load = Load::start(&[&a, &b], 8, 3000);
    load.wait_for(300, "300 acknowledged reactions on two replicas");
    a.stop("-KILL");
    let at_kill = load.acknowledged();
    // The other replica takes the whole load.
    load.wait_for(at_kill + 300, "300 more acknowledged by the replica left");
    let answered = load.stop();
    check(&dir);
    let total = all_stored(&b, &answered.reactions);
    eprintln!(
        "replica sigkill: {} steps, {} reactions acknowledged ({at_kill} before the kill), {total} stored",
        answered.sent,
        answered.reactions.len()
    );
    b.stop("-TERM");
}

/// Waits until `/readyz` answers `status`.
fn readiness(s: &Server, status: u16, what: &str) {
    within(Duration::from_secs(30), what, || {
        get(s, "/readyz", &[]).status == status
    });
}

/// A reaction refused while the database is away: 503 at once, with Retry-After and a
/// JSON reason.
fn refused_quickly(s: &Server) {
    let started = Instant::now();
    let a = react(s, "a-1", "while-away", true);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "answered after {:?}",
        started.elapsed()
    );
    assert_eq!(a.status, 503, "{a:?}");
    assert_eq!(a.header("retry-after"), Some("1"));
    assert_eq!(a.json()["error"], "storage unavailable");
}

#[test]
fn postgres_away_at_start_and_crashing_under_load_is_survived() {
    let mut dir = Dir::new("pg-restart", Backend::Postgres);
    dir.cluster.as_mut().expect("a cluster").stop(Stop::Fast);
    // Started without its database: listening, not ready, refusing quickly.
    let mut s = Server::spawn(&dir, &UNLIMITED);
    assert_eq!(get(&s, "/readyz", &[]).status, 503);
    refused_quickly(&s);
    dir.cluster.as_mut().expect("a cluster").start_again();
    readiness(&s, 200, "ready once PostgreSQL is up");

    let load = Load::start(&[&s], 8, 5000);
    load.wait_for(200, "200 acknowledged reactions");
    // A crash: no checkpoint, no goodbye to the connections; the next start recovers.
    dir.cluster
        .as_mut()
        .expect("a cluster")
        .stop(Stop::Immediate);
    readiness(&s, 503, "not ready while PostgreSQL is down");
    refused_quickly(&s);
    let before = load.acknowledged();
    dir.cluster.as_mut().expect("a cluster").start_again();
    readiness(&s, 200, "ready again");
    load.wait_for(before + 200, "200 more acknowledged after the restart");
    let answered = load.stop();

    assert!(s.running(), "the service is still running");
    let total = all_stored(&s, &answered.reactions);
    // Reads answered 204 while the database was away waited in memory: every one counts.
    let reads = answered.reads.len() as u64;
    eventually(&format!("all {reads} acknowledged reads counted"), || {
        ARTICLES.iter().map(|id| counts(&s, id).1).sum::<u64>() == reads
    });
    eprintln!(
        "postgres crash: {} steps, {} reactions acknowledged ({before} before the restart), {total} stored, {reads} reads",
        answered.sent,
        answered.reactions.len()
    );
    s.stop("-TERM");
    check(&dir);
}
