//! The engagement service's load generator (a benchmark, not a test): keep-alive HTTP/1.1
//! connections to 127.0.0.1 only, bounded in time and count, one phase per endpoint, each
//! reported as throughput and p50/p99 latency. Run by `make engagement-bench`
//! (`scripts/engagement_bench.sh`), which starts the service and prints the table. Several
//! addresses (replicas) share the connections in turn.
//!
//!   cargo run --release -p engagement --example load -- ADDRESS[,ADDRESS…] ARTICLES SECONDS CONNECTIONS [VISITORS]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const AGENT: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";

struct Connection {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Connection {
    fn open(address: &str) -> std::io::Result<Self> {
        let stream = TcpStream::connect(address)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        Ok(Self {
            reader: BufReader::new(stream.try_clone()?),
            writer: stream,
        })
    }

    /// One request on the kept-alive connection; the status.
    fn call(&mut self, request: &[u8]) -> std::io::Result<u16> {
        self.writer.write_all(request)?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut length = 0usize;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok(status)
    }
}

/// What one phase measured.
struct Phase {
    name: &'static str,
    done: u64,
    errors: u64,
    seconds: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn run(
    name: &'static str,
    addresses: &[String],
    connections: usize,
    seconds: u64,
    most: u64,
    make: impl Fn(usize, u64) -> Vec<u8> + Send + Sync + 'static,
) -> Phase {
    let make = Arc::new(make);
    let sent = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let threads: Vec<_> = (0..connections)
        .map(|c| {
            let address = addresses[c % addresses.len()].clone();
            let (make, sent) = (Arc::clone(&make), Arc::clone(&sent));
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut errors = 0u64;
                let Ok(mut conn) = Connection::open(&address) else {
                    return (latencies, 1);
                };
                while Instant::now() < until {
                    let i = sent.fetch_add(1, Ordering::Relaxed);
                    if i >= most {
                        break;
                    }
                    let request = make(c, i);
                    let at = Instant::now();
                    match conn.call(&request) {
                        Ok(200 | 204) => latencies.push(at.elapsed().as_micros() as u32),
                        Ok(_) => errors += 1,
                        Err(_) => {
                            errors += 1;
                            match Connection::open(&address) {
                                Ok(c) => conn = c,
                                Err(_) => break,
                            }
                        }
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut errors = 0;
    for t in threads {
        if let Ok((l, e)) = t.join() {
            all.extend(l);
            errors += e;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let at = |q: f64| {
        all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1)))
            .map_or(0.0, |us| f64::from(*us) / 1000.0)
    };
    Phase {
        name,
        done: all.len() as u64,
        errors,
        seconds,
        p50_ms: at(0.50),
        p99_ms: at(0.99),
    }
}

fn request(method: &str, path: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "{method} {path} HTTP/1.1\r\nHost: bench\r\nUser-Agent: {AGENT}\r\n{headers}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [addresses, articles, seconds, connections, ..] = args.as_slice() else {
        eprintln!("usage: load ADDRESS[,ADDRESS…] ARTICLES SECONDS CONNECTIONS [VISITORS]");
        std::process::exit(2);
    };
    let addresses: Vec<String> = addresses.split(',').map(String::from).collect();
    assert!(
        addresses
            .iter()
            .all(|a| a.starts_with("127.0.0.1:") || a.starts_with("[::1]:")),
        "the load generator only talks to this machine"
    );
    let addresses = &addresses;
    let articles: u64 = articles.parse().expect("articles");
    let seconds: u64 = seconds.parse().expect("seconds");
    let connections: usize = connections.parse().expect("connections");
    let visitors: u64 = args
        .get(4)
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let id = move |i: u64| format!("a-{}", (i.wrapping_mul(2_654_435_761)) % articles);
    let phases = [
        run(
            "reads: GET /articles/{id}/reactions",
            addresses,
            connections,
            seconds,
            u64::MAX,
            move |_, i| request("GET", &format!("/articles/{}/reactions", id(i)), "", ""),
        ),
        run(
            "batch: GET /counts (100 ids)",
            addresses,
            connections,
            seconds,
            u64::MAX,
            move |_, i| {
                let ids: Vec<String> = (0..100).map(|k| id(i * 100 + k)).collect();
                request("GET", &format!("/counts?ids={}", ids.join(",")), "", "")
            },
        ),
        run(
            "reactions: PUT, each committed before its answer",
            addresses,
            connections,
            seconds,
            u64::MAX,
            move |c, i| {
                request(
                    "PUT",
                    &format!("/articles/{}/reactions/very_good", id(i)),
                    &format!("X-Reader-Id: bench-{c}-{i}\r\n"),
                    "",
                )
            },
        ),
        run(
            "views: POST /articles/{id}/views, a new visitor each",
            addresses,
            connections,
            seconds.max(1) * 12,
            visitors,
            move |_, i| {
                request(
                    "POST",
                    &format!("/articles/{}/views", id(i)),
                    "",
                    &format!("v-{i}"),
                )
            },
        ),
    ];
    println!("| endpoint | requests | errors | per second | p50 | p99 |");
    println!("|---|---:|---:|---:|---:|---:|");
    for p in phases {
        println!(
            "| {} | {} | {} | {:.0} | {:.2} ms | {:.2} ms |",
            p.name,
            p.done,
            p.errors,
            p.done as f64 / p.seconds,
            p.p50_ms,
            p.p99_ms
        );
    }
}
