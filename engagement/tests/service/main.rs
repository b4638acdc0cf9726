//! The real binary over HTTP, every test once on a temporary SQLite file and once on a
//! PostgreSQL cluster of its own: idempotency under concurrency, counters equal to rows,
//! unknown and bad input, robots and prefetch, the daily dedupe and salt rotation (a clock
//! file moves time), forget-me and backups, rate limits, manifest reload, SIGTERM flush and a
//! SIGKILL in the middle of a load. Then, on PostgreSQL only (`replicas.rs`): two replicas on
//! one database, one of them killed, and the database restarted under load. Traffic goes to
//! 127.0.0.1 only.

mod cluster;
mod database;
mod harness;
mod replicas;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use harness::*;

/// Each test, as `sqlite::name` and `postgres::name`.
macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $test() {
                super::$test(super::Backend::Sqlite)
            })*
        }
        mod postgres {
            $(#[test]
            fn $test() {
                super::$test(super::Backend::Postgres)
            })*
        }
    };
}

on_both_backends!(
    a_reaction_counts_once_however_often_and_however_concurrently_it_is_sent,
    bad_and_hostile_input_gets_a_clear_refusal_and_stores_nothing,
    reads_count_once_a_day_per_visitor_and_never_for_robots_or_prefetch,
    one_address_cannot_inflate_a_story_nor_flood_the_service,
    a_reader_can_see_and_delete_everything_they_gave,
    a_new_build_is_known_without_a_restart,
    sigterm_writes_the_buffered_reads_before_it_stops,
    sigkill_in_the_middle_of_a_load_loses_no_acknowledged_reaction,
    batch_counts_answer_every_known_id_and_leave_out_the_rest,
    the_daily_cap_holds_for_reactions_sent_at_once,
    sigterm_under_load_loses_no_acknowledged_reaction_nor_read,
);

fn a_reaction_counts_once_however_often_and_however_concurrently_it_is_sent(backend: Backend) {
    let dir = Dir::new("idempotent", backend);
    let s = Server::start(&dir, &UNLIMITED);
    let address = Arc::new(s.address.clone());
    let threads: Vec<_> = (0..100)
        .map(|i| {
            let address = Arc::clone(&address);
            std::thread::spawn(move || {
                // 100 PUTs from one reader, and one each from 20 others.
                let reader = if i < 80 {
                    "same-reader".to_string()
                } else {
                    format!("r-{i}")
                };
                let a = call(
                    &address,
                    "PUT",
                    "/articles/a-1/reactions/very_good",
                    &[("X-Reader-Id", &reader)],
                    "",
                );
                assert_eq!(a.status, 200, "{a:?}");
                assert_eq!(a.json()["mine"], serde_json::json!(["very_good"]));
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread");
    }
    assert_eq!(counts(&s, "a-1").0, 21);
    // Taking back twice takes back once.
    assert_eq!(
        react(&s, "a-1", "same-reader", false).json()["counts"]["very_good"],
        20
    );
    assert_eq!(
        react(&s, "a-1", "same-reader", false).json()["counts"]["very_good"],
        20
    );
    let mine = get(&s, "/articles/a-1/reactions", &[("X-Reader-Id", "r-90")]);
    assert_eq!(mine.json()["mine"], serde_json::json!(["very_good"]));
    assert_eq!(mine.header("cache-control"), Some("private, no-store"));
    assert_eq!(mine.header("vary"), Some("x-reader-id"));
    assert_eq!(
        get(&s, "/articles/a-1/reactions", &[]).header("cache-control"),
        Some("public, max-age=5")
    );
    s.stop("-TERM");
    check(&dir);
}

fn bad_and_hostile_input_gets_a_clear_refusal_and_stores_nothing(backend: Backend) {
    let dir = Dir::new("hostile", backend);
    let s = Server::start(
        &dir,
        &[
            "--rate-burst",
            "100000",
            "--rate-per-second",
            "100000",
            "--header-timeout-ms",
            "500",
        ],
    );
    let a = &s.address;
    let long_id = "a".repeat(200);
    let cases: Vec<(Answer, u16, &str)> = vec![
        (
            get(&s, "/articles/no-such/reactions", &[]),
            404,
            "unknown article",
        ),
        (react(&s, "no-such", "r1", true), 404, "unknown article"),
        (view(&s, "no-such", &[]), 404, "unknown article"),
        (
            get(&s, &format!("/articles/{long_id}/reactions"), &[]),
            400,
            "too long an id",
        ),
        (
            get(&s, "/articles/a%20b/reactions", &[]),
            400,
            "a space in an id",
        ),
        (
            get(&s, "/articles/..%2Fetc/reactions", &[]),
            400,
            "a path in an id",
        ),
        (
            call(a, "PUT", "/articles/a-1/reactions/very_good", &[], ""),
            400,
            "no reader",
        ),
        (react(&s, "a-1", "bad id!", true), 400, "a bad reader id"),
        (
            react(&s, "a-1", &"r".repeat(65), true),
            400,
            "a long reader id",
        ),
        (
            call(
                a,
                "PUT",
                "/articles/a-1/reactions/angry",
                &[("X-Reader-Id", "r1")],
                "",
            ),
            404,
            "another kind",
        ),
        (
            call(
                a,
                "PATCH",
                "/articles/a-1/reactions/very_good",
                &[("X-Reader-Id", "r1")],
                "",
            ),
            405,
            "a wrong method",
        ),
        (
            call(a, "POST", "/articles/a-1/views", &[], &"x".repeat(5000)),
            413,
            "a huge body",
        ),
        (
            call(a, "POST", "/articles/a-1/views", &[], "not a reader id!"),
            400,
            "a body that is no reader id",
        ),
        (get(&s, "/counts", &[]), 400, "no ids"),
        (
            get(
                &s,
                &format!("/counts?ids={}", vec!["a-1"; 101].join(",")),
                &[],
            ),
            400,
            "101 ids",
        ),
        (
            get(&s, "/counts?ids=a-1,../x", &[]),
            400,
            "a bad id in a batch",
        ),
        (get(&s, "/mine?ids=a-1", &[]), 400, "mine without a reader"),
        (
            call(a, "DELETE", "/readers/me", &[], ""),
            400,
            "forget without a reader",
        ),
        (get(&s, "/nowhere", &[]), 404, "no such endpoint"),
    ];
    for (answer, status, what) in cases {
        assert_eq!(answer.status, status, "{what}: {answer:?}");
        if status != 405 && status != 413 {
            assert!(answer.body.contains("\"error\""), "{what}: {}", answer.body);
        }
    }
    // Bytes that are not UTF-8 in the path, and a header far too large.
    let bad = raw(
        a,
        b"GET /articles/\xff\xfe/reactions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(matches!(bad.status, 400 | 404), "{bad:?}");
    let huge = format!(
        "GET /articles/a-1/reactions HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "b".repeat(600_000)
    );
    let answer = raw(a, huge.as_bytes());
    assert!(
        answer.status == 431 || answer.status == 400 || answer.status == 0,
        "{answer:?}"
    );
    // A client that sends half a request and stops holds up nobody, and is cut off once its
    // time for the headers (500 ms here) is over.
    let mut slow = TcpStream::connect(a).expect("connect");
    slow.write_all(b"GET /articles/a-1/reac").expect("write");
    assert_eq!(counts(&s, "a-1"), (0, 0));
    slow.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let started = Instant::now();
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the half request was still open after {:?} ({})",
        started.elapsed(),
        String::from_utf8_lossy(&rest)
    );
    // Nothing of it was stored.
    std::thread::sleep(Duration::from_millis(300));
    for id in ["a-1", "a-2", "a-3"] {
        assert_eq!(counts(&s, id), (0, 0), "{id}");
    }
    s.stop("-TERM");
    check(&dir);
}

fn reads_count_once_a_day_per_visitor_and_never_for_robots_or_prefetch(backend: Backend) {
    let dir = Dir::new("reads", backend);
    let s = Server::start(&dir, &UNLIMITED);
    for _ in 0..5 {
        assert_eq!(view(&s, "a-1", &[]).status, 204);
    }
    // Another browser on the same address is another visitor.
    view(&s, "a-1", &[("User-Agent", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36")]);
    // Robots, link previews and prefetches are answered the same and not counted.
    for headers in [
        vec![(
            "User-Agent",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        )],
        vec![("User-Agent", "curl/8.5.0")],
        vec![("User-Agent", "")],
        vec![("Sec-Purpose", "prefetch")],
        vec![("Purpose", "prefetch")],
        vec![("Sec-Purpose", "prefetch;prerender")],
    ] {
        assert_eq!(view(&s, "a-1", &headers).status, 204, "{headers:?}");
    }
    eventually("two reads are counted", || counts(&s, "a-1").1 == 2);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(counts(&s, "a-1").1, 2);
    // A reader id (in the body: a simple request) is one visitor wherever they are.
    for _ in 0..3 {
        call(
            &s.address,
            "POST",
            "/articles/a-2/views",
            &[("Content-Type", "text/plain")],
            "reader-7",
        );
    }
    eventually("the reader's read is counted", || counts(&s, "a-2").1 == 1);
    // The next UTC day (01:00, 15 hours on) everyone counts again, with a new salt.
    dir.set_clock(NOW + 15 * HOUR);
    view(&s, "a-1", &[]);
    eventually("the next day's read is counted", || {
        counts(&s, "a-1").1 == 3
    });
    // Most read (the last 24 hours), as a card list.
    let list = get(&s, "/most-read", &[]).json();
    assert_eq!(list["title"], "Most read");
    assert_eq!(list["items"][0]["slug"], "a-1");
    assert_eq!(list["items"][1]["slug"], "a-2");
    // Three days on, the salts of the first two days are gone: those visitors can never be
    // linked again.
    dir.set_clock(NOW + 72 * HOUR);
    view(&s, "a-3", &[]);
    eventually("the read of day four is counted", || {
        counts(&s, "a-3").1 == 1
    });
    assert_eq!(
        dir.rows("SELECT day FROM salts ORDER BY day"),
        vec![((NOW + 72 * HOUR) / 86_400_000).to_string()],
        "only today's salt is left"
    );
    s.stop("-TERM");
}

fn one_address_cannot_inflate_a_story_nor_flood_the_service(backend: Backend) {
    let dir = Dir::new("limits", backend);
    let s = Server::start(
        &dir,
        &[
            "--reads-per-group",
            "5",
            "--rate-burst",
            "1000",
            "--rate-per-second",
            "1000",
        ],
    );
    // Fresh "readers" from one address: only 5 count.
    for i in 0..30 {
        call(
            &s.address,
            "POST",
            "/articles/a-3/views",
            &[],
            &format!("minted-{i}"),
        );
    }
    eventually("five reads are counted", || counts(&s, "a-3").1 == 5);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(counts(&s, "a-3").1, 5);
    s.stop("-TERM");

    let s = Server::start(&dir, &["--rate-burst", "10", "--rate-per-second", "1"]);
    let answers: Vec<u16> = (0..30)
        .map(|_| get(&s, "/articles/a-1/reactions", &[]).status)
        .collect();
    let limited = answers.iter().filter(|s| **s == 429).count();
    assert!(limited >= 15, "{answers:?}");
    let refused = get(&s, "/articles/a-1/reactions", &[]);
    assert_eq!(refused.status, 429);
    assert_eq!(refused.header("retry-after"), Some("1"));
    // Health checks are never limited.
    assert_eq!(get(&s, "/healthz", &[]).status, 200);
    s.stop("-TERM");
}

fn a_reader_can_see_and_delete_everything_they_gave(backend: Backend) {
    let dir = Dir::new("forget", backend);
    let s = Server::start(&dir, &UNLIMITED);
    react(&s, "a-1", "me", true);
    react(&s, "a-2", "me", true);
    react(&s, "a-1", "someone-else", true);
    call(
        &s.address,
        "POST",
        "/articles/a-3/views",
        &[("X-Reader-Id", "me")],
        "",
    );
    view(&s, "a-3", &[("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36")]);
    eventually("both reads are counted", || counts(&s, "a-3").1 == 2);
    let export = get(&s, "/readers/me", &[("X-Reader-Id", "me")]);
    assert_eq!(export.status, 200);
    let j = export.json();
    assert_eq!(j["reactions"].as_array().map(Vec::len), Some(2));
    assert_eq!(j["reads"].as_array().map(Vec::len), Some(1));
    assert_eq!(j["reactions"][0]["day"], "2026-12-02");
    let gone = call(
        &s.address,
        "DELETE",
        "/readers/me",
        &[("X-Reader-Id", "me")],
        "",
    );
    assert_eq!(gone.status, 200);
    assert_eq!(gone.json()["deleted"], true);
    assert_eq!(counts(&s, "a-1"), (1, 0));
    assert_eq!(counts(&s, "a-2"), (0, 0));
    assert_eq!(
        counts(&s, "a-3"),
        (0, 1),
        "only the other visitor's read is left"
    );
    let again = get(&s, "/readers/me", &[("X-Reader-Id", "me")]).json();
    assert_eq!(again["reactions"], serde_json::json!([]));
    match backend {
        Backend::Sqlite => a_backup_is_sound_and_keeps_no_salt(&dir),
        Backend::Postgres => pg_dump_restores_a_sound_database_without_salts(&dir),
    }
    s.stop("-TERM");
    check(&dir);
}

/// `engagement backup`, while the service runs.
fn backup(database: &str, to: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_engagement"))
        .args(["backup", "--database", database, "--to"])
        .arg(to)
        .output()
        .expect("backup runs")
}

fn a_backup_is_sound_and_keeps_no_salt(dir: &Dir) {
    // A backup taken while it runs is a sound database without the visitor salts.
    let copy = dir.path.join("backup.sqlite");
    let out = backup(&dir.database(), &copy);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = rusqlite::Connection::open(&copy).expect("open the copy");
    let salts: i64 = db
        .query_row("SELECT count(*) FROM salts", [], |r| r.get(0))
        .expect("salts");
    assert_eq!(salts, 0, "the copy keeps no salt");
    let reactions: i64 = db
        .query_row("SELECT count(*) FROM reactions", [], |r| r.get(0))
        .expect("reactions");
    assert_eq!(reactions, 1, "someone-else's reaction is in the copy");
    // A second backup to the same file is refused, and so is a database that is not there.
    assert!(!backup(&dir.database(), &copy).status.success());
    assert!(!backup("nowhere.sqlite", &dir.path.join("other.sqlite"))
        .status
        .success());
}

/// PostgreSQL is backed up with `pg_dump`: `engagement backup` refuses and says so, and the
/// README's command leaves the salts out and restores to a database `engagement check` passes.
fn pg_dump_restores_a_sound_database_without_salts(dir: &Dir) {
    let refused = backup(&dir.database(), &dir.path.join("backup"));
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("pg_dump --format=custom"));
    let cluster = dir.cluster.as_ref().expect("a cluster");
    let dump = cluster.file("engagement.dump");
    let to = format!("--file={}", dump.display());
    let url = cluster.url();
    cluster.client(
        "pg_dump",
        &["--format=custom", "--exclude-table-data=salts", &to, &url],
    );
    cluster.rows("postgres", "CREATE DATABASE restored");
    let restored = cluster.url_of("restored");
    let into = format!("--dbname={restored}");
    cluster.client("pg_restore", &[&into, &dump.to_string_lossy()]);
    let count = |table: &str| cluster.rows("restored", &format!("SELECT count(*) FROM {table}"));
    assert_eq!(count("salts"), ["0"], "the copy keeps no salt");
    assert_eq!(
        count("reactions"),
        ["1"],
        "someone-else's reaction is in the copy"
    );
    assert_eq!(count("meta"), ["1"], "the reader secret is in the copy");
    let checked = Command::new(env!("CARGO_BIN_EXE_engagement"))
        .args(["check", "--database", &restored])
        .output()
        .expect("check runs");
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
}

fn a_new_build_is_known_without_a_restart(backend: Backend) {
    let dir = Dir::new("manifest", backend);
    let s = Server::start(&dir, &[]);
    assert_eq!(get(&s, "/articles/b-9/reactions", &[]).status, 404);
    std::thread::sleep(Duration::from_millis(20));
    write_manifest(&dir.path.join("site"), &["a-1", "b-9"]);
    eventually("the new article is known", || {
        get(&s, "/articles/b-9/reactions", &[]).status == 200
    });
    assert_eq!(
        get(&s, "/articles/a-2/reactions", &[]).status,
        404,
        "a removed article"
    );
    // A broken new manifest keeps the last good one.
    std::fs::write(dir.path.join("site/api/manifest.json"), "{ not json").expect("write");
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(get(&s, "/articles/b-9/reactions", &[]).status, 200);
    assert_eq!(get(&s, "/readyz", &[]).status, 200);
    assert!(get(&s, "/metrics", &[])
        .body
        .contains("engagement_articles 2"));
    s.stop("-TERM");
}

fn sigterm_writes_the_buffered_reads_before_it_stops(backend: Backend) {
    let dir = Dir::new("sigterm", backend);
    // Reads are written every 60 s: only the shutdown can have written them.
    let s = Server::start(&dir, &["--flush-ms", "60000"]);
    view(&s, "a-1", &[]);
    view(&s, "a-2", &[]);
    s.stop("-TERM");
    let s = Server::start(&dir, &[]);
    assert_eq!(counts(&s, "a-1").1, 1);
    assert_eq!(counts(&s, "a-2").1, 1);
    s.stop("-TERM");
}

/// Regression: a flush under way at SIGTERM was cut off, and on PostgreSQL its reads were
/// rolled back and lost.
fn sigterm_under_load_loses_no_acknowledged_reaction_nor_read(backend: Backend) {
    let dir = Dir::new("sigterm-load", backend);
    let s = Server::start(&dir, &UNLIMITED);
    let load = Load::start(&[&s], 8, 2000);
    load.wait_for(300, "300 acknowledged reactions");
    s.stop("-TERM");
    let answered = load.stop();
    let s = Server::start(&dir, &UNLIMITED);
    all_stored(&s, &answered.reactions);
    let views: u64 = ["a-1", "a-2", "a-3"]
        .iter()
        .map(|id| counts(&s, id).1)
        .sum();
    assert_eq!(
        views as usize,
        answered.reads.len(),
        "every read answered 204"
    );
    s.stop("-TERM");
    check(&dir);
}

fn sigkill_in_the_middle_of_a_load_loses_no_acknowledged_reaction(backend: Backend) {
    let dir = Dir::new("sigkill", backend);
    let s = Server::start(&dir, &UNLIMITED);
    let load = Load::start(&[&s], 8, 2000);
    // Kill it once a good part of the load is through.
    load.wait_for(300, "300 acknowledged reactions");
    s.stop("-KILL");
    let answered = load.stop();
    check(&dir);
    let s = Server::start(&dir, &UNLIMITED);
    let total = all_stored(&s, &answered.reactions);
    eprintln!(
        "sigkill: {} requests sent, {} reactions acknowledged, {total} stored",
        answered.sent,
        answered.reactions.len()
    );
    s.stop("-TERM");
    check(&dir);
}

fn batch_counts_answer_every_known_id_and_leave_out_the_rest(backend: Backend) {
    let dir = Dir::new("batch", backend);
    let s = Server::start(&dir, &UNLIMITED);
    react(&s, "a-1", "r1", true);
    react(&s, "a-3", "r1", true);
    react(&s, "a-3", "r2", true);
    let a = get(&s, "/counts?ids=a-3,a-1,a-2,zz-unknown,a-1", &[]);
    assert_eq!(a.status, 200);
    assert_eq!(a.header("cache-control"), Some("public, max-age=10"));
    let j = a.json();
    assert_eq!(j["counts"]["a-1"]["very_good"], 1);
    assert_eq!(j["counts"]["a-2"]["very_good"], 0);
    assert_eq!(j["counts"]["a-3"]["very_good"], 2);
    assert!(j["counts"].get("zz-unknown").is_none());
    let mine = get(&s, "/mine?ids=a-1,a-2,a-3", &[("X-Reader-Id", "r2")]).json();
    assert_eq!(mine["mine"], serde_json::json!({ "a-3": ["very_good"] }));
    s.stop("-TERM");
}

fn the_daily_cap_holds_for_reactions_sent_at_once(backend: Backend) {
    let dir = Dir::new("cap", backend);
    daily_cap_holds(&dir);
}

/// 20 readers each react to three articles at once with a cap of 2 a day: each gets 2.
pub fn daily_cap_holds(dir: &Dir) {
    let mut args = UNLIMITED.to_vec();
    args.extend(["--reactions-per-day", "2"]);
    let s = Server::start(dir, &args);
    let address = Arc::new(s.address.clone());
    // 20 readers each react to all three articles at the same moment.
    let threads: Vec<_> = (0..60)
        .map(|i| {
            let address = Arc::clone(&address);
            std::thread::spawn(move || {
                let (reader, id) = (format!("r-{}", i / 3), ["a-1", "a-2", "a-3"][i % 3]);
                let a = call(
                    &address,
                    "PUT",
                    &format!("/articles/{id}/reactions/very_good"),
                    &[("X-Reader-Id", &reader)],
                    "",
                );
                (reader, a)
            })
        })
        .collect();
    let mut given: std::collections::BTreeMap<String, usize> = Default::default();
    for t in threads {
        let (reader, a) = t.join().expect("thread");
        match a.status {
            200 => *given.entry(reader).or_default() += 1,
            429 => {
                assert_eq!(a.header("retry-after"), Some("3600"));
                assert_eq!(a.json()["error"], "daily reaction limit reached");
            }
            _ => panic!("{a:?}"),
        }
    }
    assert!(given.values().all(|n| *n == 2), "{given:?}");
    let total: u64 = ["a-1", "a-2", "a-3"]
        .iter()
        .map(|id| counts(&s, id).0)
        .sum();
    assert_eq!(total, 40);
    // The next day counts afresh.
    dir.set_clock(NOW + 24 * HOUR);
    let again: Vec<u16> = ["a-1", "a-2", "a-3"]
        .iter()
        .map(|id| react(&s, id, "r-0", true).status)
        .collect();
    assert_eq!(again, [200, 200, 200], "two already given, one new");
    s.stop("-TERM");
    check(dir);
}
