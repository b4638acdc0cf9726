//! Settings: defaults, then an optional TOML file, then `ENGAGEMENT_*` environment
//! variables, then flags (each overrides the one before).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The SQLite file (`sqlite://` prefix optional), or a `postgres://` URL, or a libpq
    /// `key=value` connection string.
    pub database: String,
    /// The published site (press's output): its `api/manifest.json` lists the articles.
    pub site: PathBuf,
    /// Origins allowed to call across sites (CORS); empty for same-origin deployment.
    pub allowed_origins: Vec<String>,
    /// Proxies whose `X-Forwarded-For` is believed (their own addresses).
    pub trusted_proxies: Vec<IpAddr>,
    /// Requests per second each address (IPv6: its /64) may make, and the burst it may save.
    pub rate_per_second: f64,
    pub rate_burst: f64,
    /// Reactions one reader may add in a UTC day.
    pub reactions_per_day: u32,
    /// Reads counted per article per address group per day.
    pub reads_per_group: u32,
    /// How many hours of hourly read counts to keep (most read looks back `most_read_hours`).
    pub retention_hours: i64,
    pub most_read_hours: i64,
    /// Articles in the most-read list.
    pub most_read_size: usize,
    /// How long a computed most-read list is reused, in milliseconds.
    pub most_read_refresh_ms: u64,
    /// How often buffered reads are written, in milliseconds.
    pub flush_ms: u64,
    /// The most reads waiting in memory; beyond it new reads are dropped (and counted).
    pub read_buffer: usize,
    /// Rows one pruning `DELETE` removes; it loops until nothing old is left.
    pub prune_chunk: usize,
    /// Read-only connections (SQLite).
    pub readers: usize,
    /// PostgreSQL: connections per replica, how long a request waits for one (then 503), how
    /// long connecting may take, and the longest a statement may run.
    pub pg_pool_size: usize,
    pub pg_pool_wait_ms: u64,
    pub pg_connect_timeout_ms: u64,
    pub pg_statement_timeout_ms: u64,
    /// PostgreSQL: how long the service waits for an answer beyond the statement timeout (a
    /// server or network that never answers), tries of a call, and the longest wait between
    /// two tries of the migrations.
    pub pg_timeout_margin_ms: u64,
    pub pg_attempts: usize,
    pub pg_migrate_retry_max_ms: u64,
    /// PostgreSQL: TCP keepalive (idle time, interval, probes) on each connection; the same
    /// total bounds unacknowledged data (`tcp_user_timeout`).
    pub pg_keepalive_idle_ms: u64,
    pub pg_keepalive_interval_ms: u64,
    pub pg_keepalive_retries: u32,
    /// PostgreSQL: reads written per statement.
    pub pg_read_batch: usize,
    /// The most requests handled at once; more wait their turn.
    pub max_in_flight: usize,
    /// How long a client may take to send a request's headers, in milliseconds.
    pub header_timeout_ms: u64,
    /// The longest a request may take, in milliseconds (then 503).
    pub request_timeout_ms: u64,
    /// On SIGTERM: how long requests in flight may finish, then how long writing the buffered
    /// reads and closing the store may take, and how often a failed flush is tried.
    pub stop_timeout_ms: u64,
    pub stop_write_ms: u64,
    pub stop_flush_tries: usize,
    /// Log as JSON lines (for a log collector) instead of text.
    pub json_logs: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8787".parse().expect("an address"),
            database: "data/engagement.sqlite".into(),
            site: "dist".into(),
            allowed_origins: Vec::new(),
            trusted_proxies: Vec::new(),
            rate_per_second: 20.0,
            rate_burst: 60.0,
            reactions_per_day: 200,
            reads_per_group: 20,
            retention_hours: 24 * 30,
            most_read_hours: 24,
            most_read_size: 20,
            most_read_refresh_ms: 60_000,
            flush_ms: 1000,
            read_buffer: 200_000,
            prune_chunk: 10_000,
            readers: 4,
            pg_pool_size: 16,
            pg_pool_wait_ms: 1000,
            pg_connect_timeout_ms: 2000,
            pg_statement_timeout_ms: 5000,
            pg_timeout_margin_ms: 1000,
            pg_attempts: 3,
            pg_migrate_retry_max_ms: 5000,
            pg_keepalive_idle_ms: 10_000,
            pg_keepalive_interval_ms: 5000,
            pg_keepalive_retries: 3,
            pg_read_batch: 5000,
            max_in_flight: 1024,
            header_timeout_ms: 10_000,
            request_timeout_ms: 10_000,
            stop_timeout_ms: 20_000,
            stop_write_ms: 8000,
            stop_flush_tries: 5,
            json_logs: false,
        }
    }
}

pub const HELP: &str = "engagement: Broadsheet's reactions, reads and most-read service

usage: engagement [serve] [--config FILE] [--listen ADDR] [--database URL] [--site DIR]
                  [--allow-origin ORIGIN]... [--trust-proxy IP]... [--json-logs]
       engagement backup --database FILE --to FILE
       engagement check --database URL

  serve            answer requests (the default)
  backup           write a consistent copy of a SQLite database while the service runs
                   (PostgreSQL: pg_dump, see the README)
  check            integrity check (SQLite), and every counter against its rows
  --config FILE    a TOML file of the settings below (keys as in the README)
  --listen ADDR    where to listen (default 127.0.0.1:8787)
  --database URL   the SQLite file (default data/engagement.sqlite), or postgres://…
  --site DIR       the published site, whose api/manifest.json lists the articles (default dist)
  --allow-origin   an origin that may call from another site (CORS); repeat for more
  --trust-proxy    a proxy whose X-Forwarded-For is believed; repeat for more
  --json-logs      log JSON lines

Every setting can also be set as ENGAGEMENT_<NAME> (e.g. ENGAGEMENT_LISTEN, ENGAGEMENT_DATABASE,
ENGAGEMENT_ALLOWED_ORIGINS=a,b).
";

/// What `engagement backup` says to a PostgreSQL URL.
pub const PG_BACKUP: &str = "PostgreSQL is backed up with pg_dump, not by this command: \
pg_dump --format=custom --exclude-table-data=salts --file=engagement-$(date +%F).dump URL \
(the README's \"Backups\" under PostgreSQL)";

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    Serve(Box<Settings>),
    Backup {
        database: String,
        to: PathBuf,
    },
    /// `engagement check`, with the settings for its connection's timeouts.
    Check(Box<Settings>),
    Help,
}

fn list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// Applies one named setting from its text.
fn apply(settings: &mut Settings, name: &str, value: &str) -> Result<(), String> {
    let bad = |e: &dyn std::fmt::Display| format!("{name} {value:?}: {e}");
    match name {
        "listen" => settings.listen = value.parse().map_err(|e| bad(&e))?,
        "database" => settings.database = value.into(),
        "site" => settings.site = value.into(),
        "allowed_origins" => settings.allowed_origins = list(value),
        "trusted_proxies" => {
            settings.trusted_proxies = list(value)
                .iter()
                .map(|p| p.parse().map_err(|e| bad(&e)))
                .collect::<Result<_, _>>()?
        }
        "json_logs" => settings.json_logs = matches!(value, "1" | "true" | "yes"),
        _ => return apply_number(settings, name, value),
    }
    Ok(())
}

/// The settings that are numbers: their names, and each parsed from its text.
macro_rules! numbers {
    ($($field:ident),* $(,)?) => {
        const NUMBERS: &[&str] = &[$(stringify!($field)),*];

        fn apply_number(settings: &mut Settings, name: &str, value: &str) -> Result<(), String> {
            match name {
                $(stringify!($field) => {
                    settings.$field = value.parse().map_err(|e| format!("{name} {value:?}: {e}"))?
                })*
                _ => return Err(format!("unknown setting {name}")),
            }
            Ok(())
        }
    };
}

numbers!(
    rate_per_second,
    rate_burst,
    reactions_per_day,
    reads_per_group,
    retention_hours,
    most_read_hours,
    most_read_size,
    most_read_refresh_ms,
    flush_ms,
    read_buffer,
    prune_chunk,
    readers,
    pg_pool_size,
    pg_pool_wait_ms,
    pg_connect_timeout_ms,
    pg_statement_timeout_ms,
    pg_timeout_margin_ms,
    pg_attempts,
    pg_migrate_retry_max_ms,
    pg_keepalive_idle_ms,
    pg_keepalive_interval_ms,
    pg_keepalive_retries,
    pg_read_batch,
    max_in_flight,
    header_timeout_ms,
    request_timeout_ms,
    stop_timeout_ms,
    stop_write_ms,
    stop_flush_tries,
);

const TEXTS: &[&str] = &[
    "listen",
    "database",
    "site",
    "allowed_origins",
    "trusted_proxies",
    "json_logs",
];

fn is_setting(name: &str) -> bool {
    TEXTS.contains(&name) || NUMBERS.contains(&name)
}

impl Settings {
    /// Checks values that parse but cannot work.
    pub fn check(&self) -> Result<(), String> {
        if !(self.rate_per_second > 0.0 && self.rate_burst >= 1.0) {
            return Err("rate_per_second must be above 0 and rate_burst at least 1".into());
        }
        if self.most_read_hours < 1 || self.retention_hours < self.most_read_hours {
            return Err("retention_hours must be at least most_read_hours (at least 1)".into());
        }
        if !(1..=100).contains(&self.most_read_size) {
            return Err("most_read_size must be 1 to 100".into());
        }
        let zero: Vec<&str> = [
            ("pg_pool_size", self.pg_pool_size as u64),
            ("pg_pool_wait_ms", self.pg_pool_wait_ms),
            ("pg_connect_timeout_ms", self.pg_connect_timeout_ms),
            // 0 would be no timeout at all in PostgreSQL.
            ("pg_statement_timeout_ms", self.pg_statement_timeout_ms),
            ("pg_attempts", self.pg_attempts as u64),
            ("pg_keepalive_idle_ms", self.pg_keepalive_idle_ms),
            ("pg_keepalive_interval_ms", self.pg_keepalive_interval_ms),
            ("pg_read_batch", self.pg_read_batch as u64),
            ("read_buffer", self.read_buffer as u64),
            ("prune_chunk", self.prune_chunk as u64),
            ("request_timeout_ms", self.request_timeout_ms),
            ("stop_flush_tries", self.stop_flush_tries as u64),
        ]
        .into_iter()
        .filter(|(_, v)| *v == 0)
        .map(|(name, _)| name)
        .collect();
        if !zero.is_empty() {
            return Err(format!("{} must be above 0", zero.join(", ")));
        }
        for origin in &self.allowed_origins {
            if !(origin.starts_with("https://") || origin.starts_with("http://"))
                || origin.ends_with('/')
            {
                return Err(format!(
                    "allowed origin {origin:?} must be like https://news.example (no path)"
                ));
            }
        }
        Ok(())
    }

    /// Which database, and where.
    pub fn database(&self) -> Database {
        Database::of(&self.database)
    }
}

/// The database a URL names: a `postgres://` (or `postgresql://`) URL or a libpq
/// `key=value` string (`host=db.internal dbname=engagement`), or else a SQLite file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    Sqlite(PathBuf),
    Postgres(String),
}

/// Whether `text` starts like a libpq `key=value` connection string (`host=…`), which no
/// SQLite path of ours does.
fn is_key_value(text: &str) -> bool {
    let text = text.trim_start();
    let key_len = text
        .bytes()
        .take_while(|b| b.is_ascii_alphabetic() || *b == b'_')
        .count();
    key_len > 0 && text[key_len..].trim_start().starts_with('=')
}

impl Database {
    pub fn of(database: &str) -> Self {
        if database.starts_with("postgres://")
            || database.starts_with("postgresql://")
            || is_key_value(database)
        {
            return Database::Postgres(database.to_string());
        }
        Database::Sqlite(
            database
                .strip_prefix("sqlite://")
                .unwrap_or(database)
                .into(),
        )
    }
}

impl std::fmt::Display for Database {
    /// Where it is, without a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "{}", path.display()),
            Database::Postgres(url) if url.contains("://") => {
                let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
                let rest = rest.split('?').next().unwrap_or_default();
                let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
                write!(f, "{scheme}://{host}")
            }
            Database::Postgres(text) => key_value_place(text, f),
        }
    }
}

/// A `key=value` connection string's hosts, ports and database, and nothing else of it.
fn key_value_place(text: &str, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    use tokio_postgres::config::Host;
    let Ok(config) = text.parse::<tokio_postgres::Config>() else {
        return f.write_str("postgres (a key=value string that does not parse)");
    };
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            Host::Tcp(name) => name.clone(),
            Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    let ports: Vec<String> = config.get_ports().iter().map(u16::to_string).collect();
    write!(
        f,
        "postgres: host={} port={} dbname={}",
        hosts.join(","),
        ports.join(","),
        config.get_dbname().unwrap_or_default()
    )
}

/// An argument as it may be shown: a database URL or connection string without its password.
fn shown(arg: &str) -> String {
    match Database::of(arg) {
        Database::Postgres(_) => Database::of(arg).to_string(),
        Database::Sqlite(_) if arg.contains('@') => "(an argument with an @, not shown)".into(),
        Database::Sqlite(_) => format!("{arg:?}"),
    }
}

/// Reads the command line (`args` without the program name) and the environment.
pub fn parse(
    args: impl IntoIterator<Item = String>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Command, String> {
    let mut args = args.into_iter().peekable();
    let command = match args.peek().map(String::as_str) {
        Some("serve") | Some("backup") | Some("check") => args.next(),
        _ => None,
    };
    let mut flags: Vec<(String, String)> = Vec::new();
    let mut config_file = None;
    let mut to = None;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--config" => config_file = Some(value("--config")?),
            "--to" => to = Some(PathBuf::from(value("--to")?)),
            "--json-logs" => flags.push(("json_logs".into(), "true".into())),
            "--allow-origin" => {
                let origin = value("--allow-origin")?;
                flags.push(("+allowed_origins".into(), origin));
            }
            "--trust-proxy" => {
                let proxy = value("--trust-proxy")?;
                flags.push(("+trusted_proxies".into(), proxy));
            }
            flag if flag.starts_with("--") => {
                let name = flag.trim_start_matches("--").replace('-', "_");
                if !is_setting(&name) {
                    return Err(format!("unknown flag {flag}"));
                }
                flags.push((name, value(flag)?));
            }
            other => return Err(format!("unexpected argument {}", shown(other))),
        }
    }
    let mut settings = match config_file.or_else(|| env("ENGAGEMENT_CONFIG")) {
        Some(file) => {
            let text = std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?;
            toml::from_str(&text).map_err(|e| format!("{file}: {e}"))?
        }
        None => Settings::default(),
    };
    for name in TEXTS.iter().chain(NUMBERS) {
        if let Some(value) = env(&format!("ENGAGEMENT_{}", name.to_ascii_uppercase())) {
            apply(&mut settings, name, &value).map_err(|e| format!("ENGAGEMENT_{e}"))?;
        }
    }
    let (mut origins, mut proxies) = (Vec::new(), Vec::new());
    for (name, value) in flags {
        match name.as_str() {
            "+allowed_origins" => origins.push(value),
            "+trusted_proxies" => proxies.push(value),
            _ => apply(&mut settings, &name, &value).map_err(|e| format!("--{e}"))?,
        }
    }
    if !origins.is_empty() {
        apply(&mut settings, "allowed_origins", &origins.join(","))?;
    }
    if !proxies.is_empty() {
        apply(&mut settings, "trusted_proxies", &proxies.join(","))?;
    }
    match command.as_deref() {
        Some("backup") => Ok(Command::Backup {
            database: settings.database,
            to: to.ok_or("backup needs --to FILE")?,
        }),
        Some("check") => {
            settings.check()?;
            Ok(Command::Check(Box::new(settings)))
        }
        _ => {
            settings.check()?;
            Ok(Command::Serve(Box::new(settings)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_the_environment_which_overrides_defaults() {
        let env = |name: &str| match name {
            "ENGAGEMENT_LISTEN" => Some("127.0.0.1:9000".into()),
            "ENGAGEMENT_ALLOWED_ORIGINS" => Some("https://a.example, https://b.example".into()),
            _ => None,
        };
        let args = ["--database", "x.sqlite", "--listen", "127.0.0.1:9001"].map(String::from);
        let Command::Serve(s) = parse(args, env).unwrap() else {
            panic!("serve")
        };
        assert_eq!(s.listen.port(), 9001);
        assert_eq!(s.database, "x.sqlite");
        assert_eq!(
            s.allowed_origins,
            ["https://a.example", "https://b.example"]
        );
        assert_eq!(s.rate_burst, Settings::default().rate_burst);
    }

    #[test]
    fn mistakes_are_named() {
        let none = |_: &str| None;
        for (args, says) in [
            (vec!["--listen", "nowhere"], "listen \"nowhere\""),
            (vec!["--colour", "red"], "unknown flag --colour"),
            (
                vec!["--allow-origin", "https://a.example/"],
                "allowed origin",
            ),
            (vec!["--most-read-size", "0"], "most_read_size"),
            // Regression: 0 is "no timeout" to PostgreSQL, not a very short one.
            (
                vec!["--pg-statement-timeout-ms", "0"],
                "pg_statement_timeout_ms must be above 0",
            ),
            (vec!["--read-buffer", "0"], "read_buffer must be above 0"),
            (vec!["backup"], "backup needs --to"),
        ] {
            let err = parse(args.into_iter().map(String::from), none).unwrap_err();
            assert!(err.contains(says), "{err}");
        }
    }

    #[test]
    fn the_database_url_chooses_the_backend() {
        assert_eq!(
            Database::of("sqlite://data/x.sqlite"),
            Database::Sqlite("data/x.sqlite".into())
        );
        assert_eq!(
            Database::of("data/x.sqlite"),
            Database::Sqlite("data/x.sqlite".into())
        );
        let url = "postgresql://engagement:secret@db.internal:5432/engagement";
        assert_eq!(Database::of(url), Database::Postgres(url.into()));
        assert_eq!(
            Database::of(url).to_string(),
            "postgresql://db.internal:5432/engagement",
            "no password in the logs"
        );
    }

    #[test]
    fn every_limit_is_a_setting_with_its_default() {
        let args = [
            "--pg-attempts",
            "5",
            "--read-buffer",
            "10",
            "--prune-chunk",
            "7",
        ];
        let env = |name: &str| (name == "ENGAGEMENT_REQUEST_TIMEOUT_MS").then(|| "3000".into());
        let Command::Serve(s) = parse(args.map(String::from), env).unwrap() else {
            panic!("serve")
        };
        assert_eq!((s.pg_attempts, s.read_buffer, s.prune_chunk), (5, 10, 7));
        assert_eq!(s.request_timeout_ms, 3000);
        let d = Settings::default();
        assert_eq!((d.pg_read_batch, d.read_buffer), (5000, 200_000));
        assert_eq!((d.request_timeout_ms, d.stop_timeout_ms), (10_000, 20_000));
    }

    /// Regression: a stray argument was echoed whole, password and all.
    #[test]
    fn a_stray_argument_is_not_echoed_with_its_password() {
        let none = |_: &str| None;
        for stray in [
            "postgres://engagement:hunter2@db.internal/engagement",
            "host=db.internal password=hunter2 dbname=engagement",
            "engagement:hunter2@db.internal",
        ] {
            let err = parse([stray.to_string()], none).unwrap_err();
            assert!(err.starts_with("unexpected argument"), "{err}");
            assert!(!err.contains("hunter2"), "{err}");
        }
    }

    /// Regression: a key=value string was taken for a SQLite file, made as such, and logged.
    #[test]
    fn a_key_value_connection_string_is_postgres_and_shown_without_its_password() {
        let text = "host=db.internal port=5433 user=engagement password=hunter2 dbname=engagement";
        assert_eq!(Database::of(text), Database::Postgres(text.into()));
        assert_eq!(
            Database::of(text).to_string(),
            "postgres: host=db.internal port=5433 dbname=engagement"
        );
        assert_eq!(
            Database::of("data/engagement.sqlite"),
            Database::Sqlite("data/engagement.sqlite".into())
        );
        let broken = Database::of("host=x password='unclosed");
        assert!(!broken.to_string().contains("unclosed"), "{broken}");
    }
}
