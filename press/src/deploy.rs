//! What a host needs besides the files: hashed assets under `assets/` (cached for ever),
//! the Content-Security-Policy the app really runs under (inline scripts by hash, no
//! 'unsafe-inline'), a `_headers` file (Netlify, Cloudflare Pages) and an nginx server block.

use base64::Engine;
use sha2::{Digest, Sha256};

/// Whether a file name carries trunk's content hash (`name-0123456789abcdef.ext`), so it
/// can be cached for ever.
pub fn is_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        // trunk writes the hash in hex without leading zeros: up to 16 digits.
        (8..=16).contains(&hash.len()) && hash.chars().all(|c| c.is_ascii_hexdigit())
    })
}

/// `index.html` with every reference to a hashed asset moved under `assets/`.
pub fn move_references(index: &str, names: &[String]) -> String {
    let mut html = index.to_string();
    for name in names {
        for (quote_or_slash, prefix) in [("\"", "\""), ("'", "'"), ("/", "/")] {
            html = html.replace(
                &format!("{quote_or_slash}{name}"),
                &format!("{prefix}assets/{name}"),
            );
        }
    }
    html
}

/// SHA-256 sources (`'sha256-...'`) of every `<style>` element in `html`.
pub fn inline_style_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<style>") {
        let body = &rest[start + "<style>".len()..];
        let Some(end) = body.find("</style>") else {
            break;
        };
        let hash = sha256_source(&body[..end]);
        if !hashes.contains(&hash) {
            hashes.push(hash);
        }
        rest = &body[end..];
    }
    hashes
}

fn sha256_source(text: &str) -> String {
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

/// SHA-256 sources (`'sha256-...'`) of every inline script the browser runs in `html`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        rest = &rest[start..];
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let attributes = &rest[7..open_end];
        let Some(close) = rest.find("</script>") else {
            break;
        };
        let body = &rest[open_end + 1..close];
        let runs = !attributes.contains("src=")
            && match attribute(attributes, "type") {
                None => true,
                Some(t) => matches!(
                    t.to_ascii_lowercase().as_str(),
                    "module" | "text/javascript" | "application/javascript"
                ),
            };
        if runs {
            let hash = sha256_source(body);
            if !hashes.contains(&hash) {
                hashes.push(hash);
            }
        }
        rest = &rest[close + 9..];
    }
    hashes
}

fn attribute(attributes: &str, name: &str) -> Option<String> {
    let at = attributes.find(&format!("{name}="))?;
    let value = &attributes[at + name.len() + 1..];
    let quote = value.chars().next()?;
    if quote == '"' || quote == '\'' {
        let value = &value[1..];
        Some(value[..value.find(quote)?].to_string())
    } else {
        Some(value.split_whitespace().next()?.to_string())
    }
}

/// The content of `<meta name="{name}" content="...">` in `html`.
pub fn meta_content(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("<meta name=\"{name}\""))?;
    let tag = &html[at..at + html[at..].find('>')?];
    attribute(tag, "content")
}

/// The origin (`https://host:port`) of an absolute http(s) URL.
pub fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']')))
    .then(|| format!("{scheme}://{host}"))
}

/// The policy: scripts only from the app's own `assets/` folder (`assets`, an absolute URL
/// ending in `/assets/`), from the search index's folder (`search`, likewise; loaded only
/// when a reader searches) or by hash, wasm compiled, content and reactions fetched from this
/// site or the configured origins, images from this site, https or `data:` (the pictures'
/// placeholders, which the app allows only as base64 raster pictures).
pub fn content_security_policy(
    assets: &str,
    search: &str,
    script_hashes: &[String],
    style_hashes: &[String],
    connect: &[String],
) -> String {
    let mut style = vec!["'self'".to_string()];
    style.extend(style_hashes.iter().cloned());
    let mut script = vec![
        assets.to_string(),
        search.to_string(),
        "'wasm-unsafe-eval'".to_string(),
    ];
    script.extend(script_hashes.iter().cloned());
    let mut connect_src = vec!["'self'".to_string()];
    for o in connect {
        if !connect_src.contains(o) {
            connect_src.push(o.clone());
        }
    }
    format!(
        "default-src 'self'; script-src {}; style-src {}; img-src 'self' https: data:; connect-src {}; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        script.join(" "),
        style.join(" "),
        connect_src.join(" ")
    )
}

const SECURITY: &[(&str, &str)] = &[
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    (
        "Permissions-Policy",
        "camera=(), microphone=(), geolocation=()",
    ),
];

/// The policy of everything under `images/`: a picture opened on its own (an SVG, say) runs
/// nothing and reaches nothing.
pub const IMAGES_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/// Cache lifetimes, by kind of file. Everything under `assets/` and `images/` carries its
/// content's hash in its name, so it is cached for ever.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const SHORT: &str = "public, max-age=300";

/// A `_headers` file for Netlify and Cloudflare Pages, for the site at `url` (checked by
/// `content::check_url`). `base` is the site's base path. Hosts that apply every matching
/// rule send `images/*` both policies, and a browser enforces both.
pub fn headers_file(url: &str, csp: &str, base: &str, sections: &[String]) -> String {
    // The first line names the site: scripts/serve.mjs reads it to stand in for its origin.
    let mut out = format!(
        "# Written by press for {url}: security headers and caching for every file of this site.\n"
    );
    out.push_str(&format!("{base}/*\n  Content-Security-Policy: {csp}\n"));
    for (name, value) in SECURITY {
        out.push_str(&format!("  {name}: {value}\n"));
    }
    out.push_str(&format!("{base}/assets/*\n  Cache-Control: {IMMUTABLE}\n"));
    out.push_str(&format!(
        "{base}/images/*\n  Content-Security-Policy: {IMAGES_CSP}\n  Cache-Control: {IMMUTABLE}\n"
    ));
    let mut short = vec![
        format!("{base}/"),
        format!("{base}/api/*"),
        format!("{base}/*.xml"),
        format!("{base}/404.html"),
        format!("{base}/search"),
        format!("{base}/pagefind/*"),
    ];
    for section in sections {
        short.push(format!("{base}/{section}"));
        short.push(format!("{base}/{section}/*"));
    }
    for path in short {
        out.push_str(&format!("{path}\n  Cache-Control: {SHORT}\n"));
    }
    out
}

/// An nginx `server` block serving the site with the same headers. nginx replaces
/// server-level `add_header`s in a location that has its own, so each location repeats them.
pub fn nginx_conf(csp: &str, base: &str) -> String {
    let security = |csp: &str| -> String {
        std::iter::once(("Content-Security-Policy", csp))
            .chain(SECURITY.iter().copied())
            .map(|(name, value)| format!("        add_header {name} \"{value}\" always;\n"))
            .collect()
    };
    let location = |path: &str, csp: &str, cache: &str, extra: &str| {
        format!(
            "    location {path} {{\n{extra}{}        add_header Cache-Control \"{cache}\" always;\n    }}\n",
            security(csp)
        )
    };
    let mut out = String::from(
        "# Written by press. Serves dist/ copied to /var/www/broadsheet (sub-path sites: copy it\n# to /var/www/broadsheet<base path>). Include it from nginx.conf's http block.\nserver {\n    listen 80;\n    server_name _;\n    root /var/www/broadsheet;\n    charset utf-8;\n    include mime.types;\n    gzip on;\n    gzip_types text/css application/javascript application/json application/wasm image/svg+xml application/atom+xml application/xml text/plain;\n    error_page 404 BASE/404.html;\n\n",
    )
    .replace("BASE", base);
    out.push_str(&location(&format!("{base}/assets/"), csp, IMMUTABLE, ""));
    out.push_str(&location(
        &format!("{base}/images/"),
        IMAGES_CSP,
        IMMUTABLE,
        "",
    ));
    out.push_str(&location(
        &format!("{base}/api/"),
        csp,
        SHORT,
        "        try_files $uri =404;\n",
    ));
    out.push_str(&location(
        &format!("{base}/"),
        csp,
        SHORT,
        "        try_files $uri $uri.html $uri/index.html =404;\n",
    ));
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashes_are_recognised() {
        assert!(is_hashed("broadsheet-0123456789abcdef.js"));
        assert!(is_hashed("broadsheet-0123456789abcdef_bg.wasm"));
        assert!(is_hashed("base-fedcba9876543210.css"));
        assert!(is_hashed("carousel-98b1582e74df0b.css"));
        assert!(!is_hashed("favicon.svg"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("my-file.css"));
    }

    #[test]
    fn only_scripts_that_run_are_hashed() {
        let html = r#"<script>a()</script><script type="application/json">{}</script><script src="x.js"></script><script type="module">b()</script><script type="application/ld+json">{}</script>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 2);
        assert!(hashes.iter().all(|h| h.starts_with("'sha256-")));
    }

    #[test]
    fn origins_come_only_from_http_urls() {
        assert_eq!(
            origin("https://cdn.example/api/").as_deref(),
            Some("https://cdn.example")
        );
        assert_eq!(origin("api"), None);
        assert_eq!(origin("javascript:alert(1)"), None);
        assert_eq!(origin("https://a b/"), None);
    }

    #[test]
    fn the_policy_never_allows_inline_scripts_wholesale() {
        let csp = content_security_policy(
            "https://n.example/paper/assets/",
            "https://n.example/paper/pagefind/",
            &["'sha256-x'".into()],
            &["'sha256-y'".into()],
            &["https://r.example".into()],
        );
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("'wasm-unsafe-eval'"));
        assert!(csp.contains("connect-src 'self' https://r.example"));
        assert!(csp.contains("style-src 'self' 'sha256-y';"));
        // Regression: script-src 'self' ran any same-origin file as script (images/evil.js).
        assert!(csp
            .contains("script-src https://n.example/paper/assets/ https://n.example/paper/pagefind/ 'wasm-unsafe-eval' 'sha256-x';"));
    }

    #[test]
    fn pictures_are_served_under_a_policy_that_runs_nothing() {
        let headers = headers_file("https://n.example/", "default-src 'self'", "", &[]);
        let images = headers.split("/images/*\n").nth(1).expect("an images rule");
        assert!(images.starts_with(&format!("  Content-Security-Policy: {IMAGES_CSP}\n")));
        let nginx = nginx_conf("default-src 'self'", "/paper");
        let images = nginx
            .split("location /paper/images/ {")
            .nth(1)
            .expect("images location");
        let images = images.split('}').next().unwrap_or_default();
        assert!(images.contains(IMAGES_CSP) && !images.contains("default-src 'self'"));
    }
}
