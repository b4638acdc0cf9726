//! What every test needs: a temporary site and database (a SQLite file, or a PostgreSQL
//! cluster of the test's own), the real binary started on a free port, and a small HTTP/1.1
//! client that speaks to 127.0.0.1 only.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::cluster::Cluster;

pub const BROWSER: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";
/// 2026-12-02 10:00 UTC.
pub const NOW: i64 = 1_796_205_600_000;
pub const HOUR: i64 = 3_600_000;
/// Rate limits and read caps out of the way, for tests of something else.
pub const UNLIMITED: [&str; 6] = [
    "--rate-burst",
    "1000000",
    "--rate-per-second",
    "1000000",
    "--reads-per-group",
    "1000000",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A test's folder: the site, the clock file, and the database (a file in it, or a cluster
/// whose data and socket are in it, stopped when the folder goes).
pub struct Dir {
    pub path: PathBuf,
    pub cluster: Option<Cluster>,
}

impl Dir {
    pub fn new(name: &str, backend: Backend) -> Self {
        let tag = match backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "pg",
        };
        let pid = std::process::id();
        let path = std::env::temp_dir().join(format!("engagement-{name}-{tag}-{pid}"));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(path.join("site/api")).expect("mkdir");
        write_manifest(&path.join("site"), &["a-1", "a-2", "a-3"]);
        std::fs::write(path.join("clock"), NOW.to_string()).expect("clock");
        let cluster = (backend == Backend::Postgres).then(|| Cluster::start(&path.join("pg")));
        Dir { path, cluster }
    }

    /// What `--database` is given.
    pub fn database(&self) -> String {
        match &self.cluster {
            Some(cluster) => cluster.url(),
            None => self.path.join("db.sqlite").to_string_lossy().into_owned(),
        }
    }

    /// The first column of each row of `sql`, as text.
    pub fn rows(&self, sql: &str) -> Vec<String> {
        if let Some(cluster) = &self.cluster {
            return cluster.rows("postgres", sql);
        }
        let db = rusqlite::Connection::open(self.path.join("db.sqlite")).expect("open");
        let mut query = db.prepare(sql).expect("query");
        let rows = query
            .query_map([], |r| r.get::<_, rusqlite::types::Value>(0))
            .expect("rows")
            .map(|v| match v.expect("a row") {
                rusqlite::types::Value::Integer(n) => n.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            })
            .collect();
        rows
    }

    pub fn set_clock(&self, ms: i64) {
        std::fs::write(self.path.join("clock"), ms.to_string()).expect("clock");
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        // The cluster first: its files are in the folder.
        self.cluster = None;
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

pub fn write_manifest(site: &Path, ids: &[&str]) {
    let articles: Vec<String> = ids
        .iter()
        .map(|id| {
            format!(
                r#"{{"id":"{id}","card":{{"slug":"{id}","title":"Story {id}","section":{{"slug":"news","name":"News"}},"published_at":"2026-12-01T09:00:00Z"}}}}"#
            )
        })
        .collect();
    let text = format!(
        r#"{{"most_read_title":"Most read","articles":[{}]}}"#,
        articles.join(",")
    );
    // Written beside and renamed, as press publishes: never half a file.
    let tmp = site.join("api/manifest.json.tmp");
    std::fs::write(&tmp, text).expect("manifest");
    std::fs::rename(tmp, site.join("api/manifest.json")).expect("rename");
}

pub struct Server {
    pub child: Child,
    pub address: String,
}

impl Server {
    /// Starts the binary and waits until it is ready (PostgreSQL migrates in the background).
    pub fn start(dir: &Dir, extra: &[&str]) -> Server {
        let s = Server::spawn(dir, extra);
        within(Duration::from_secs(30), "readiness", || {
            get(&s, "/readyz", &[]).status == 200
        });
        s
    }

    /// Starts the binary and waits only until it listens.
    pub fn spawn(dir: &Dir, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_engagement"))
            .args(["--listen", "127.0.0.1:0", "--flush-ms", "100"])
            .arg("--database")
            .arg(dir.database())
            .arg("--site")
            .arg(dir.path.join("site"))
            .args(extra)
            .env("ENGAGEMENT_CLOCK_FILE", dir.path.join("clock"))
            .env("ENGAGEMENT_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the engagement binary starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("a line");
        let address = line
            .trim()
            .strip_prefix("engagement: listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        Server { child, address }
    }

    /// Whether the process still runs (it has neither exited nor panicked).
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn stop(mut self, signal: &str) {
        let _ = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
        // Not killed again on drop.
        self.child = Command::new("true").spawn().expect("true");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// Sends raw bytes and reads the whole answer (the request asks to close). Status 0: no
/// answer (nobody listening, or the connection cut).
pub fn raw(address: &str, request: &[u8]) -> Answer {
    let mut bytes = Vec::new();
    if let Ok(mut stream) = TcpStream::connect(address) {
        stream
            .set_read_timeout(Some(Duration::from_secs(15)))
            .expect("timeout");
        if stream.write_all(request).is_ok() {
            let _ = stream.read_to_end(&mut bytes);
        }
    }
    let text = String::from_utf8_lossy(&bytes).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v == "chunked");
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Answer {
        status,
        headers,
        body,
    }
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

pub fn call(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    let has_agent = headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("user-agent"));
    if !has_agent {
        request.push_str(&format!("User-Agent: {BROWSER}\r\n"));
    }
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    raw(address, request.as_bytes())
}

pub fn get(s: &Server, path: &str, headers: &[(&str, &str)]) -> Answer {
    call(&s.address, "GET", path, headers, "")
}

pub fn counts(s: &Server, id: &str) -> (u64, u64) {
    let a = get(s, &format!("/articles/{id}/reactions"), &[]);
    assert_eq!(a.status, 200, "{a:?}");
    let j = a.json();
    (
        j["counts"]["very_good"].as_u64().expect("count"),
        j["views"].as_u64().expect("views"),
    )
}

pub fn react(s: &Server, id: &str, reader: &str, add: bool) -> Answer {
    let method = if add { "PUT" } else { "DELETE" };
    call(
        &s.address,
        method,
        &format!("/articles/{id}/reactions/very_good"),
        &[("X-Reader-Id", reader)],
        "",
    )
}

pub fn view(s: &Server, id: &str, headers: &[(&str, &str)]) -> Answer {
    call(
        &s.address,
        "POST",
        &format!("/articles/{id}/views"),
        headers,
        "",
    )
}

/// `engagement check`: integrity (SQLite) and every counter against its rows.
pub fn check(dir: &Dir) {
    let out = Command::new(env!("CARGO_BIN_EXE_engagement"))
        .arg("check")
        .arg("--database")
        .arg(dir.database())
        .output()
        .expect("check runs");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Waits (up to 5 s) until `f` holds.
pub fn eventually(what: &str, f: impl Fn() -> bool) {
    within(Duration::from_secs(5), what, f);
}

/// Waits (up to `most`) until `f` holds.
pub fn within(most: Duration, what: &str, f: impl Fn() -> bool) {
    let started = Instant::now();
    while started.elapsed() < most {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} did not happen within {most:?}");
}

/// What a load was answered.
#[derive(Default)]
pub struct Answered {
    /// (article, reader) of every reaction answered 200.
    pub reactions: Vec<(String, String)>,
    /// (article, reader) of every read answered 204.
    pub reads: Vec<(String, String)>,
    pub sent: usize,
}

/// Readers reacting and reading on several threads until told to stop (at most `most`
/// each): each step a new reader adds "very_good" to one of the three articles, then reads
/// it. Worker `w` sends its step `i` to `targets[(w + i) % n]`; a target that stops answering
/// is left for the others, as a load balancer would.
pub struct Load {
    answered: Arc<Mutex<Answered>>,
    stop: Arc<AtomicBool>,
    workers: Vec<std::thread::JoinHandle<()>>,
}

impl Load {
    pub fn start(targets: &[&Server], workers: usize, most: usize) -> Load {
        let targets: Vec<String> = targets.iter().map(|s| s.address.clone()).collect();
        let answered = Arc::new(Mutex::new(Answered::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let workers = (0..workers)
            .map(|w| {
                let (answered, stop, mut targets) =
                    (Arc::clone(&answered), Arc::clone(&stop), targets.clone());
                std::thread::spawn(move || {
                    for i in 0..most {
                        if stop.load(Ordering::Relaxed) || targets.is_empty() {
                            return;
                        }
                        let address = targets[(w + i) % targets.len()].clone();
                        let reader = format!("w{w}-r{i}");
                        let id = ["a-1", "a-2", "a-3"][i % 3];
                        let path = format!("/articles/{id}/reactions/very_good");
                        let a = call(&address, "PUT", &path, &[("X-Reader-Id", &reader)], "");
                        let read = call(
                            &address,
                            "POST",
                            &format!("/articles/{id}/views"),
                            &[],
                            &reader,
                        );
                        let mut answered = answered.lock().expect("lock");
                        answered.sent += 1;
                        if a.status == 200 {
                            answered.reactions.push((id.to_string(), reader.clone()));
                        }
                        if read.status == 204 {
                            answered.reads.push((id.to_string(), reader));
                        }
                        if a.status == 0 {
                            targets.retain(|t| *t != address);
                        }
                    }
                })
            })
            .collect();
        Load {
            answered,
            stop,
            workers,
        }
    }

    /// Reactions answered 200 so far.
    pub fn acknowledged(&self) -> usize {
        self.answered.lock().map(|a| a.reactions.len()).unwrap_or(0)
    }

    /// Waits (up to 30 s) until `n` reactions are acknowledged.
    pub fn wait_for(&self, n: usize, what: &str) {
        within(Duration::from_secs(30), what, || self.acknowledged() >= n);
    }

    pub fn stop(self) -> Answered {
        self.stop.store(true, Ordering::Relaxed);
        for w in self.workers {
            w.join().expect("a load worker");
        }
        std::mem::take(&mut *self.answered.lock().expect("lock"))
    }
}

/// Every acknowledged reaction is there, as its reader sees it, and the stored total is at
/// least as many (a reaction committed as its replica died was never acknowledged).
pub fn all_stored(s: &Server, acknowledged: &[(String, String)]) -> u64 {
    let total: u64 = ["a-1", "a-2", "a-3"].iter().map(|id| counts(s, id).0).sum();
    assert!(
        total as usize >= acknowledged.len(),
        "{total} counted, {} acknowledged",
        acknowledged.len()
    );
    for (id, reader) in acknowledged {
        let mine = get(
            s,
            &format!("/articles/{id}/reactions"),
            &[("X-Reader-Id", reader)],
        )
        .json();
        assert_eq!(
            mine["mine"],
            serde_json::json!(["very_good"]),
            "{id} {reader} was acknowledged"
        );
    }
    total
}
