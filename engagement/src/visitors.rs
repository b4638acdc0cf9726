//! Telling visitors apart without storing who they are, and telling people from robots.
//!
//! A reader id (sent only by readers who once reacted) is stored as an HMAC under the server's
//! secret. A read without one is known by a keyed hash of the IP address (IPv6 grouped by /64)
//! and the user agent under a random salt of the UTC day, deleted after 48 hours: the same
//! visitor is the same key all day, and nobody can tell who it was, or link two days.

use std::net::IpAddr;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::store::ReaderKey;

type HmacSha256 = Hmac<Sha256>;

fn keyed(key: &[u8], parts: &[&[u8]]) -> [u8; 16] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    for part in parts {
        mac.update(&(part.len() as u32).to_le_bytes());
        mac.update(part);
    }
    let full = mac.finalize().into_bytes();
    let mut out = [0u8; 16];
    out.copy_from_slice(&full[..16]);
    out
}

/// What a reader id is stored as.
pub fn reader_key(secret: &[u8; 32], reader_id: &str) -> ReaderKey {
    keyed(secret, &[b"reader", reader_id.as_bytes()])
}

/// A reader id the app could have made, safe in a header: 1 to 64 letters, digits and `-`.
pub fn is_valid_reader_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
}

/// The address a visitor is grouped by: IPv4 whole, IPv6 by its /64 (one household or phone
/// changes the rest at will).
pub fn ip_group(ip: IpAddr) -> Vec<u8> {
    match ip {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.octets().to_vec(),
            None => v6.octets()[..8].to_vec(),
        },
    }
}

/// Who read: the reader when their id was sent, else (address group, user agent) under the
/// day's salt.
pub fn visitor(
    secret: &[u8; 32],
    salt: &[u8; 32],
    reader: Option<&str>,
    ip: IpAddr,
    agent: &str,
) -> [u8; 16] {
    match reader {
        Some(id) => keyed(secret, &[b"visitor", id.as_bytes()]),
        None => keyed(salt, &[b"anonymous", &ip_group(ip), agent.as_bytes()]),
    }
}

/// The dedupe key of one visitor reading one article on one day.
pub fn seen_key(salt: &[u8; 32], visitor: &[u8; 16], article: &str) -> [u8; 16] {
    keyed(salt, &[b"seen", visitor, article.as_bytes()])
}

/// The key of an address group for the per-article cap of the day.
pub fn group_key(salt: &[u8; 32], ip: IpAddr) -> [u8; 16] {
    keyed(salt, &[b"group", &ip_group(ip)])
}

/// Whether a request only prepares a page the reader may never see (a prefetch or
/// prerender): such a request is not a read.
pub fn is_speculative(headers: &axum::http::HeaderMap) -> bool {
    ["sec-purpose", "purpose", "x-purpose", "x-moz"]
        .iter()
        .filter_map(|name| headers.get(*name)?.to_str().ok())
        .any(|value| {
            let v = value.to_ascii_lowercase();
            v.contains("prefetch") || v.contains("prerender") || v.contains("preview")
        })
}

/// Robots, crawlers, link previewers, monitors, HTTP libraries and headless browsers, by the
/// words their user agents carry. Written for this service; a user agent is lower-cased
/// before it is matched.
const ROBOT_WORDS: &[&str] = &[
    "crawl",
    "spider",
    "slurp",
    "scrape",
    "headless",
    "phantomjs",
    "puppeteer",
    "playwright",
    "selenium",
    "webdriver",
    "lighthouse",
    "pagespeed",
    "gtmetrix",
    "pingdom",
    "uptime",
    "monitor",
    "preview",
    "facebookexternalhit",
    "embedly",
    "whatsapp",
    "telegram",
    "discord",
    "slack",
    "skype",
    "curl/",
    "wget/",
    "python-requests",
    "python-urllib",
    "aiohttp",
    "httpx",
    "go-http-client",
    "okhttp",
    "java/",
    "apache-httpclient",
    "libwww",
    "node-fetch",
    "axios/",
    "undici",
    "postman",
    "insomnia",
    "httpie",
    "feedfetcher",
    "feedly",
    "rss",
    "archive.org",
    "ia_archiver",
    "validator",
    "checker",
    "scanner",
    "nessus",
    "masscan",
    "zgrab",
];

/// Whether a user agent is a robot, or too odd to be a person's browser (empty, very short,
/// very long, or without the `Mozilla/` or `Opera/` every browser sends).
pub fn is_robot(agent: &str) -> bool {
    let agent = agent.trim();
    if agent.len() < 20 || agent.len() > 512 {
        return true;
    }
    let lower = agent.to_ascii_lowercase();
    if !(lower.starts_with("mozilla/") || lower.starts_with("opera/")) {
        return true;
    }
    // A word ending in "bot" (Googlebot, bingbot, Applebot), except phone makers' names.
    if lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| word.ends_with("bot") && !PHONES_NAMED_BOT.contains(&word))
    {
        return true;
    }
    ROBOT_WORDS.iter().any(|word| lower.contains(word))
}

/// Phones whose names end in "bot".
const PHONES_NAMED_BOT: &[&str] = &["cubot"];

#[cfg(test)]
mod tests {
    use super::*;

    const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";
    const CHROME_ANDROID: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
    const CUBOT: &str = "Mozilla/5.0 (Linux; Android 11; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36";

    #[test]
    fn people_are_not_robots() {
        for agent in [FIREFOX, CHROME_ANDROID, CUBOT] {
            assert!(!is_robot(agent), "{agent}");
        }
    }

    #[test]
    fn robots_and_odd_agents_are() {
        for agent in [
            "",
            "x",
            "curl/8.5.0",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "python-requests/2.32.3",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1)",
        ] {
            assert!(is_robot(agent), "{agent:?}");
        }
        assert!(is_robot(&format!("Mozilla/5.0 {}", "a".repeat(600))));
    }

    #[test]
    fn ipv6_visitors_are_grouped_by_their_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(ip_group(a), ip_group(b));
        assert_ne!(ip_group(a), ip_group(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(ip_group(mapped), vec![192, 0, 2, 7]);
    }

    #[test]
    fn a_visitor_is_the_same_all_day_and_another_the_next() {
        let (secret, today, tomorrow) = ([1; 32], [2; 32], [3; 32]);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let v = visitor(&secret, &today, None, ip, FIREFOX);
        assert_eq!(v, visitor(&secret, &today, None, ip, FIREFOX));
        assert_ne!(v, visitor(&secret, &tomorrow, None, ip, FIREFOX));
        assert_ne!(v, visitor(&secret, &today, None, ip, CHROME_ANDROID));
        // A reader id is the same visitor whatever the address.
        let other: IpAddr = "198.51.100.2".parse().unwrap();
        assert_eq!(
            visitor(&secret, &today, Some("r-1"), ip, FIREFOX),
            visitor(&secret, &tomorrow, Some("r-1"), other, CHROME_ANDROID)
        );
    }

    #[test]
    fn prefetch_and_prerender_are_not_reads() {
        let mut h = axum::http::HeaderMap::new();
        assert!(!is_speculative(&h));
        h.insert("sec-purpose", "prefetch;prerender".parse().unwrap());
        assert!(is_speculative(&h));
        let mut h = axum::http::HeaderMap::new();
        h.insert("x-moz", "prefetch".parse().unwrap());
        assert!(is_speculative(&h));
    }
}
