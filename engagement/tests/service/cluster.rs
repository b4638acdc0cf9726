//! A throwaway PostgreSQL cluster for one test: `initdb` into the test's folder, the server
//! on a Unix socket there (no port to collide), stopped and started by the test, stopped when
//! dropped. Uses the installed PostgreSQL (`scripts/postgres.sh` installs Debian's); its
//! absence fails the test, loudly. As root, the server runs as the `postgres` user, since
//! PostgreSQL refuses to run as root.

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The socket's port number (only its name: the server listens on no TCP port).
const PORT: &str = "5432";

pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    server: Option<Child>,
    /// The user and group to run PostgreSQL's programs as (when the tests run as root).
    run_as: Option<(u32, u32)>,
}

/// How a server stops: `Fast` rolls back and checkpoints (a restart by an operator);
/// `Immediate` stops without either (a crash: the next start recovers from the WAL).
#[derive(Clone, Copy)]
pub enum Stop {
    Fast,
    Immediate,
}

/// The newest installed PostgreSQL's programs.
fn bin_dir() -> PathBuf {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("postgres").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    match found.pop() {
        Some((_, bin)) => bin,
        None => panic!(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres): \
             run scripts/postgres.sh, which installs Debian's postgresql"
        ),
    }
}

fn id(flag: &str) -> Option<u32> {
    let out = Command::new("id").args([flag, "postgres"]).output().ok()?;
    String::from_utf8(out.stdout).ok()?.trim().parse().ok()
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

impl Cluster {
    /// A new cluster in `dir` (made), started.
    pub fn start(dir: &Path) -> Cluster {
        let run_as = if running_as_root() {
            Some((
                id("-u").expect("a postgres user (Debian's package makes it)"),
                id("-g").expect("a postgres group"),
            ))
        } else {
            None
        };
        std::fs::create_dir_all(dir).expect("mkdir");
        if let Some((uid, gid)) = run_as {
            std::os::unix::fs::chown(dir, Some(uid), Some(gid)).expect("chown");
        }
        let mut cluster = Cluster {
            bin: bin_dir(),
            dir: dir.to_path_buf(),
            server: None,
            run_as,
        };
        let out = cluster
            .program("initdb")
            .args(["--username=postgres", "--auth=trust", "--no-sync"])
            .args(["--encoding=UTF8", "--locale=C.UTF-8", "--pgdata"])
            .arg(dir.join("data"))
            .output()
            .expect("initdb runs");
        assert!(out.status.success(), "initdb: {}", text(&out));
        cluster.start_again();
        cluster
    }

    fn program(&self, name: &str) -> Command {
        let mut command = Command::new(self.bin.join(name));
        if let Some((uid, gid)) = self.run_as {
            command.uid(uid).gid(gid);
        }
        command
    }

    /// Starts the server and waits until it accepts connections.
    pub fn start_again(&mut self) {
        assert!(self.server.is_none(), "the server is running");
        let log = std::fs::File::create(self.dir.join("log")).expect("a log file");
        if let Some((uid, gid)) = self.run_as {
            std::os::unix::fs::chown(self.dir.join("log"), Some(uid), Some(gid)).expect("chown");
        }
        let child = self
            .program("postgres")
            .arg("-D")
            .arg(self.dir.join("data"))
            .arg("-k")
            .arg(&self.dir)
            .args(["-p", PORT, "-c", "listen_addresses="])
            // Enough connections for two replicas' pools; durability as shipped except the
            // flush to disk, which only a machine's crash needs (committed data is in the WAL
            // either way, so an immediate stop loses nothing).
            .args(["-c", "max_connections=100", "-c", "fsync=off"])
            .args(["-c", "shared_buffers=32MB"])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("postgres starts");
        self.server = Some(child);
        let started = Instant::now();
        loop {
            let ready = self
                .program("pg_isready")
                .arg("-q")
                .arg("-h")
                .arg(&self.dir)
                .args(["-p", PORT])
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                return;
            }
            if let Some(Ok(Some(status))) = self.server.as_mut().map(Child::try_wait) {
                panic!("postgres stopped ({status}): {}", self.log());
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "postgres not ready after 60 s: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server and waits for it to be gone.
    pub fn stop(&mut self, how: Stop) {
        if let Some(mut server) = self.server.take() {
            let signal = match how {
                Stop::Fast => "-INT",
                Stop::Immediate => "-QUIT",
            };
            let _ = Command::new("kill")
                .args([signal, &server.id().to_string()])
                .status();
            let _ = server.wait();
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
    }

    /// The URL of its `postgres` database, over the socket.
    pub fn url(&self) -> String {
        self.url_of("postgres")
    }

    pub fn url_of(&self, database: &str) -> String {
        format!(
            "postgres:///{database}?host={}&port={PORT}&user=postgres",
            self.dir.display()
        )
    }

    /// Runs one of PostgreSQL's client programs (`psql`, `pg_dump`, …); its output.
    pub fn client(&self, name: &str, args: &[&str]) -> Output {
        let out = self
            .program(name)
            .args(args)
            .output()
            .expect("a PostgreSQL client runs");
        assert!(out.status.success(), "{name} {args:?}: {}", text(&out));
        out
    }

    /// A `psql` session on the `postgres` database, open until dropped.
    pub fn session(&self) -> Session {
        let mut psql = self
            .program("psql")
            .args(["-X", "-q", &self.url()])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("psql starts");
        let input = psql.stdin.take();
        Session { psql, input }
    }

    /// Freezes the server and its backends (SIGSTOP): a database that takes connections and
    /// statements and never answers, as a host that hangs.
    pub fn pause(&self) {
        self.signal_all("-STOP");
    }

    pub fn resume(&self) {
        self.signal_all("-CONT");
    }

    /// Signals the postmaster first (it forks no backend once stopped), then its children.
    fn signal_all(&self, signal: &str) {
        let server = self.server.as_ref().expect("the server is running").id();
        let children = std::fs::read_to_string(format!("/proc/{server}/task/{server}/children"))
            .unwrap_or_default();
        let mut pids = vec![server.to_string()];
        pids.extend(children.split_whitespace().map(String::from));
        let status = Command::new("kill")
            .arg(signal)
            .args(&pids)
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill {signal} {pids:?}");
    }

    /// A path in the cluster's folder, which its programs may write.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The first column of each row of `sql` in `database`, as text.
    pub fn rows(&self, database: &str, sql: &str) -> Vec<String> {
        let url = self.url_of(database);
        let out = self.client("psql", &["-X", "-q", "-A", "-t", "-c", sql, &url]);
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.split('|').next().unwrap_or_default().to_string())
            .collect()
    }
}

/// A `psql` session kept open, to hold a lock while the service works.
pub struct Session {
    psql: Child,
    input: Option<ChildStdin>,
}

impl Session {
    /// Sends `sql` (ended by `;`) to the session.
    pub fn send(&mut self, sql: &str) {
        let input = self.input.as_mut().expect("the session is open");
        writeln!(input, "{sql}").expect("psql reads");
        input.flush().expect("psql reads");
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // End of input ends psql, and its session's locks with it.
        self.input = None;
        let _ = self.psql.wait();
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop(Stop::Fast);
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
